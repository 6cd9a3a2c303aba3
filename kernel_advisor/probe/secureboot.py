"""Secure Boot, lockdown and module signatures, and the other hypervisors' out-of-tree modules
installed for this kernel: what decides whether VirtualBox's or VMware's module will load
("Key was rejected by service") and whether Xen can boot.

Raw evidence only (the analysis says what it means for each distribution): the UEFI variable
``SecureBoot-8be4df61-93ca-11d2-aa0d-00e098032b8c`` (4 bytes of attributes, then 1 when Secure
Boot is on; UEFI specification, "Globally Defined Variables"), ``/sys/kernel/security/lockdown``
(``none [integrity] confidentiality``: the bracketed word is in force;
``Documentation/ABI/testing/lockdown``), ``/sys/module/module/parameters/sig_enforce``, and the
module folders DKMS, akmods and VMware's and VirtualBox's own installers write to.
"""

from __future__ import annotations

import re
from typing import Any, Dict, List, Optional

from kernel_advisor.hostfs import ABSENT
from kernel_advisor.i18n import _
from kernel_advisor.model import INFO, F, Fact, unknown
from kernel_advisor.probe.context import CONFLICTING, Context

SECURE_BOOT_VAR = "/sys/firmware/efi/efivars/SecureBoot-8be4df61-93ca-11d2-aa0d-00e098032b8c"
LOCKDOWN = "/sys/kernel/security/lockdown"
SIG_ENFORCE = "/sys/module/module/parameters/sig_enforce"
#: where out-of-tree modules of a kernel are installed: DKMS (Debian, Ubuntu, Arch), akmods
#: (Fedora's extra/), VirtualBox's and VMware's own installers (misc/)
MODULE_FOLDERS = ("updates/dkms", "updates", "extra", "misc")
_MODULE_FILE = re.compile(r"^([a-z0-9_]+)\.ko(\.(xz|zst|gz))?$")
LABEL = _("Secure Boot and module signatures")


def detect(ctx: Context) -> None:
    state = _state(ctx)
    _installed(ctx)
    if state is None:
        return
    said = []
    sb = state["secure_boot"]
    said.append(_("Secure Boot on") if sb else _("Secure Boot off") if sb is False and
                state["efi"] else _("no UEFI boot, so no Secure Boot") if sb is False
                else _("Secure Boot unknown"))
    if state["lockdown"]:
        said.append(_("lockdown: {mode}").format(mode=state["lockdown"]))
    if state["sig_enforce"]:
        said.append(_("module signatures enforced"))
    if state["enforcing"]:
        said.append(_("a module must be signed with a key this kernel trusts to load"))
    ctx.add(Fact(id=F.SECURE_BOOT, label=LABEL, value=state, status=INFO,
                 summary="; ".join(said), source=SECURE_BOOT_VAR, raw=None))


def _state(ctx: Context) -> Optional[Dict[str, Any]]:
    node, why = ctx.root.stat_why("/sys/firmware/efi")
    if node is None and why not in ABSENT:
        ctx.add(unknown(F.SECURE_BOOT, LABEL, f"/sys/firmware/efi: {why}", SECURE_BOOT_VAR))
        return None
    efi = node is not None
    sb: Optional[bool] = False if not efi else None
    if efi:
        read = ctx.root.read(SECURE_BOOT_VAR)
        if read.data is not None and len(read.data) >= 5:
            sb = read.data[4] == 1
        elif read.data is None and not ctx.root.stat("/sys/firmware/efi/efivars"):
            ctx.add(unknown(F.SECURE_BOOT, LABEL, read.reason or _("efivarfs is not mounted"),
                            SECURE_BOOT_VAR))
            return None
    line, _why = ctx.first_line(LOCKDOWN)
    m = re.search(r"\[(\w+)\]", line or "")
    lockdown = m.group(1) if m else None
    enforce_line, _why = ctx.first_line(SIG_ENFORCE)
    sig_enforce = None if enforce_line is None else enforce_line in ("Y", "y", "1")
    # a locked-down kernel (integrity or confidentiality) refuses unsigned modules, as does
    # sig_enforce; Secure Boot alone does not say it (lockdown follows it on most distributions)
    enforcing = bool(sig_enforce) or lockdown in ("integrity", "confidentiality")
    return {"secure_boot": sb, "lockdown": lockdown, "sig_enforce": sig_enforce,
            "enforcing": enforcing, "efi": efi}


def _installed(ctx: Context) -> None:
    """The other hypervisors' modules installed for the running kernel, loaded or not."""
    release = ctx.value(F.KERNEL_RELEASE)
    if not release or ctx.what_if_kernel:
        return
    found: List[str] = []
    for folder in MODULE_FOLDERS:  # VMware's and VirtualBox's installers nest a folder
        base = f"/lib/modules/{release}/{folder}"
        for name in ctx.root.listdir(base) or []:
            for entry in [name] + [f"{name}/{n}" for n in _sub(ctx, f"{base}/{name}")]:
                m = _MODULE_FILE.match(entry.rsplit("/", 1)[-1])
                if m and m.group(1) in CONFLICTING and m.group(1) not in found:
                    found.append(m.group(1))
    loaded = ctx.modules()[0]
    value = {"installed": found, "not_loaded": [m for m in found if m not in loaded]}
    names = [CONFLICTING[m] for m in found]
    ctx.add(Fact(id=F.OTHER_HYPERVISOR_MODULES, label=_("Other hypervisors' modules installed"),
                 value=value, status=INFO,
                 summary=(", ".join(f"{CONFLICTING[m]} ({m}"
                                    + (_(", not loaded") if m in value["not_loaded"] else "")
                                    + ")" for m in found) if names else _("none for this kernel")),
                 source=f"/lib/modules/{release}"))


def _sub(ctx: Context, path: str) -> List[str]:
    """A folder's entries; none for a module file (the listing of a file is None)."""
    return [] if _MODULE_FILE.match(path.rsplit("/", 1)[-1]) else ctx.root.listdir(path) or []
