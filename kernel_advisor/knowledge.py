"""The knowledge base (``kernel_advisor/data/kb.json``): dated facts with their sources, as data.

Each fact has its text, the row of ``kernel-facts.md`` it comes from and that row's label
(VERIFIED, SECONDARY or UNVERIFIED; an UNVERIFIED fact is never stated as fact). Version ranges
are ``packaging`` specifiers over upstream releases (``">=2.6.23rc1,<4.14rc1"``), evaluated with
pre-releases included, so that a feature merged for 2.6.23 is already in 2.6.23-rc1.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any, Dict

from packaging.specifiers import SpecifierSet
from packaging.version import Version

from kernel_advisor import data
from kernel_advisor.i18n import _


class K:
    """Knowledge-base fact ids (the keys of ``kb.json``'s ``facts``); a test checks that each
    one exists there, so a typo fails the tests instead of citing nothing."""

    KVM_X86_HW = "kvm.x86.hw"
    KVM_VIRT_AT_LOAD = "kvm.virt_at_load"
    MODULE_SIGNING = "kernel.module_signing"
    KVM_X86_32_HOST = "kvm.x86_32.host"
    KVM_BIOS = "kvm.bios"
    KVM_NESTED = "kvm.nested"
    KVM_GUESTS = "kvm.guests"
    LGUEST_RANGE = "lguest.range"
    LGUEST_ARCH = "lguest.arch"
    LGUEST_GUESTS = "lguest.guests"
    LGUEST_NOVT = "lguest.novt"
    LGUEST_PAE = "lguest.pae"
    LGUEST_EXPERIMENTAL = "lguest.experimental"
    LGUEST_LAUNCHER = "lguest.launcher"
    XEN_DOM0 = "xen.dom0"
    XEN_ARM = "xen.arm"
    XEN_PAE = "xen.pae"
    XEN_PV_NOVT = "xen.pv_novt"
    XEN_PV_LINUX_ONLY = "xen.pv_linux_only"
    XEN_VENDOR = "xen.vendor"
    XEN_DOM0_HIDES_VT = "xen.dom0_hides_vt"
    WSL1 = "wsl1"
    WSL2_NESTED = "wsl2.nested"
    KVM_ARM64_EL2 = "kvm.arm64.el2"
    KVM_S390_SIE = "kvm.s390.sie"
    KVM_PPC_MODULES = "kvm.ppc.modules"
    KVM_PVM = "kvm.pvm"
    KVM_RHEL54 = "kvm.rhel54"
    LGUEST_BLOCKDEV = "lguest.blockdev"
    XEN_RHEL6 = "xen.rhel6"
    XEN_DOM0_CONFIG = "xen.dom0.config"
    XEN_PV_64BIT = "xen.pv.64bit"
    XEN_HYPERVISOR_64BIT = "xen.hypervisor.64bit"
    XEN_TOOLSTACK = "xen.toolstack"
    XEN_INSTALL = "xen.install"
    KVM_RISCV_H = "kvm.riscv.h"
    KVM_LOONGARCH_LVZ = "kvm.loongarch.lvz"
    KVM_CONFIDENTIAL = "kvm.confidential"


def load() -> Dict[str, Any]:
    kb = data.load("kb.json")
    if kb.get("schema") != 1:
        raise ValueError("kernel_advisor/data/kb.json: unknown schema")
    return kb


def fact(fid: str) -> Dict[str, Any]:
    found: Dict[str, Any] = load()["facts"][fid]
    return found


def text(fid: str) -> str:
    """The fact's text in the user's language (tools/i18n.py extracts every fact's text)."""
    return _(fact(fid)["text"])


def cite(fid: str) -> str:
    """The fact's text, worded cautiously when the fact sheet labels it UNVERIFIED."""
    if fact(fid)["status"] == "UNVERIFIED":
        return _("Unverified (our fact sheet could not confirm it): {text}").format(
            text=text(fid))
    return text(fid)


def source_of(fid: str) -> Dict[str, str]:
    f = fact(fid)
    out = {"id": fid, "source": f["source"], "status": f["status"]}
    if f.get("url"):
        out["source_url"] = f["url"]
    return out


def vendor_backport(fid: str, release: str) -> bool:
    """Whether a vendor release carries the fact's backport (``vendor_release`` matches with a
    build number of at least ``vendor_build``: RHEL 5.4's KVM is in 2.6.18-164.el5 and later)."""
    f = fact(fid)
    m = re.match(f["vendor_release"], release)
    return m is not None and int(m.group(1)) >= f["vendor_build"]


@lru_cache(maxsize=None)
def kernels(fid: str) -> SpecifierSet:
    """The upstream releases that have the fact's feature."""
    return SpecifierSet(fact(fid)["kernels"], prereleases=True)


def bounds(fid: str) -> tuple[str, str | None]:
    """The range as people write it: ``("2.6.23", "4.14")`` — the first release that has the
    feature and the first that no longer has it (None: still there)."""
    since = until = None
    for spec in kernels(fid):
        if spec.operator == ">=":
            since = Version(spec.version).base_version
        elif spec.operator == "<":
            until = Version(spec.version).base_version
    if since is None:
        raise ValueError(_("kb.json {fid}: 'kernels' has no lower bound").format(fid=fid))
    return _short(since), _short(until) if until else None


def since(fid: str, field: str) -> str:
    """The first release of a range the fact gives in another field than ``kernels``
    (``xen.dom0``'s ``all_backends``: ``3.0``)."""
    for spec in SpecifierSet(fact(fid)[field], prereleases=True):
        if spec.operator == ">=":
            return _short(Version(spec.version).base_version)
    raise ValueError(_("kb.json {fid}: {field!r} has no lower bound").format(fid=fid, field=field))


def span(fid: str) -> tuple[str, str]:
    """:func:`bounds` of a feature that has ended (lguest, 32-bit Xen PV): both releases."""
    since, until = bounds(fid)
    if until is None:
        raise ValueError(f"{fid}: the knowledge base gives it no end")
    return since, until


def last_before(version: str) -> str:
    """The last release before ``version`` where the numbering allows saying it: ``4.14`` →
    ``4.13``, ``2.6.37`` → ``2.6.36``; ``before 3.0`` otherwise."""
    parts = version.split(".")
    if int(parts[-1]) > 0:
        parts[-1] = str(int(parts[-1]) - 1)
        return ".".join(parts)
    return f"before {version}"


def _short(version: str) -> str:
    """``3.0.0`` stays ``3.0``-style: trailing ``.0`` beyond two numbers dropped (kernel.org
    writes 3.0 and 2.6.23)."""
    parts = version.split(".")
    while len(parts) > 2 and parts[-1] == "0":
        parts.pop()
    return ".".join(parts)


def ranges(framework: str, family: str) -> list[str]:
    """Ids of ``framework``'s facts that give a version range for an architecture family."""
    return [fid for fid, f in load()["facts"].items()
            if f.get("framework") == framework and family in f.get("arch", ())
            and "kernels" in f and fid.startswith(framework)]
