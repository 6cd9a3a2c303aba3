"""Which distribution the next steps are for, and the commands that work there.

The userspace decides the commands: ``/etc/os-release`` (``ID``, then each ``ID_LIKE`` token, as
the os-release specification says), or the release file of systems older than it (read by
:mod:`kernel_advisor.probe.kernel`). A what-if has no userspace: there the distribution is the one
``--distro ID[:VERSION]`` names, else the one the kernel's vendor names (``2.6.18-8.el5`` →
RHEL 5), else unknown — and an unknown distribution gets the upstream step with a word that
package names vary. Proxmox VE says ``ID=debian`` but runs its own ``-pve`` kernel and its own
KVM management: the kernel tells it apart.

The families, package managers and commands are data (``kernel_advisor/data/distros.json``), from
the
fact sheet's Addendum §6.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Dict, Optional, Tuple

from kernel_advisor import data, kernel
from kernel_advisor.i18n import _

_EL = re.compile(r"\.el(\d+)", re.ASCII)
_FC = re.compile(r"\.fc(\d+)", re.ASCII)
_AMZN = re.compile(r"\.amzn(\d+)", re.ASCII)
_DISTRO_ARG = re.compile(r"[a-z0-9][a-z0-9._-]*(:[0-9][0-9A-Za-z.]*)?", re.ASCII)


def table() -> Dict[str, Any]:
    doc = data.load("distros.json")
    if doc.get("schema") != 1:
        raise ValueError("kernel_advisor/data/distros.json: unknown schema")
    return doc


@dataclass(frozen=True)
class Distro:
    """The distribution the commands are for (``id`` None: unknown)."""

    id: Optional[str] = None
    version: Optional[str] = None
    family: Optional[str] = None  # a key of distros.json's families
    source: str = "unknown"  # /etc/os-release | --distro | kernel release | …
    name: Optional[str] = None

    @property
    def known(self) -> bool:
        return self.family is not None

    @property
    def major(self) -> Optional[int]:
        m = re.match(r"\d+", self.version or "")
        return int(m.group(0)) if m else None

    @property
    def label(self) -> str:
        if not self.id:
            return _("unknown distribution")
        return (self.name or self.id) + (f" {self.version}" if self.version else "")

    def _family(self) -> Dict[str, Any]:
        return table()["families"][self.family] if self.family else {}

    @property
    def manager(self) -> Optional[str]:
        fam = self._family()
        return _before(fam.get("manager_before"), self.major) or fam.get("manager")

    @property
    def note(self) -> Optional[str]:
        return self._family().get("note")

    def command(self, kind: str, family: Optional[str]) -> Tuple[Optional[str], Optional[str]]:
        """``(command, None)``, or ``(None, why there is none here)``, for ``kind`` = ``kvm``,
        ``xen`` or ``dom0_kernel`` on architecture ``family``; an unknown distribution gets the
        upstream step."""
        if not self.known:
            return generic(kind), None
        fam = self._family()
        cmd = _before(fam.get(f"{kind}_before"), self.major)
        if cmd is None:
            options = fam.get(kind, {})
            if kind == "dom0_kernel":
                cmd = options.get(self.id) or options.get(self.family or "")
                if cmd is None:
                    return generic(kind), None
            else:
                cmd = options.get(family or "") or options.get("*")
                if cmd is None:
                    return None, options.get("none", f"{self.label} has no package for this.")
        if kind == "xen" and self.id in fam.get("no_xen_ids", ()) and \
                _before(fam.get("xen_before"), self.major) is None:
            return None, fam["xen"]["none"]
        return cmd.replace("{manager}", self.manager or ""), None


def generic(kind: str) -> str:
    """The upstream sentence for ``kind`` where the distribution (or its step) is not known."""
    return str(table()["unknown"][kind])


def command_in(text: str) -> Optional[str]:
    """The command a step of the data gives, exactly as a terminal runs it: a step is either a
    command, perhaps followed by a note in parentheses (``sudo yum install kvm kmod-kvm (RHEL
    5.4 and later…)``), or advice in words, which begins with a capital letter ("Install QEMU
    and libvirt with your distribution's package manager…") and gives none."""
    if not text[:1].islower():
        return None
    return text.split(" (", 1)[0].strip() or None


def _before(table_: Optional[Dict[str, str]], major: Optional[int]) -> Optional[str]:
    """The entry for the first threshold ``major`` lies below (``{"8": "yum"}``: before 8)."""
    if not table_ or major is None:
        return None
    for limit in sorted(table_, key=int):
        if major < int(limit):
            return table_[limit]
    return None


def family_of(distro_id: Optional[str], id_like: str = "") -> Optional[str]:
    """The family of an os-release ``ID``, else of the first ``ID_LIKE`` token that has one."""
    families = table()["families"]
    for token in [distro_id or ""] + id_like.split():
        token = token.lower()
        for name, fam in families.items():
            if token in fam["ids"] or (name == "suse" and token.startswith("opensuse")):
                return str(name)
    return None


def from_kernel(release: kernel.KernelRelease) -> Tuple[Optional[str], Optional[str]]:
    """``(ID, version)`` of the distribution whose kernel this is, as far as the release says."""
    distro_id = table()["kernel_vendors"].get(release.vendor or "")
    if distro_id is None:
        return None, None
    for pattern in (_EL, _FC, _AMZN):
        m = pattern.search(release.release)
        if m:
            return distro_id, m.group(1)
    return distro_id, None


def parse_arg(text: str) -> Tuple[str, Optional[str]]:
    """``--distro ID[:VERSION]`` → ``(ID, VERSION)``; ValueError with a one-line reason."""
    text = text.strip().lower()
    if not _DISTRO_ARG.fullmatch(text):
        raise ValueError(_("{text!r} is not ID[:VERSION] (e.g. debian:12, rhel:5, fedora)").format(
                           text=text))
    distro_id, _sep, version = text.partition(":")
    if family_of(distro_id) is None:
        known = sorted({i for f in table()["families"].values() for i in f["ids"]})
        raise ValueError(_("unknown distribution {distro_id!r} (known: {join_known})").format(
                           distro_id=distro_id,
                           join_known=', '.join(known)))
    return distro_id, version or None


def resolve(os_release: Dict[str, str], release: kernel.KernelRelease,
            what_if: Dict[str, str]) -> Distro:
    """The distribution of the analysed host, for its commands (see the module's docstring)."""
    if "distro" in what_if:
        distro_id, version = parse_arg(what_if["distro"])
        return Distro(distro_id, version, family_of(distro_id), "--distro")
    kernel_id, kernel_version = from_kernel(release)
    if "kernel" not in what_if and os_release.get("ID"):
        distro_id = os_release["ID"].lower()
        family = family_of(distro_id, os_release.get("ID_LIKE", ""))
        if kernel_id == "proxmox" and family == "debian":
            return Distro("proxmox", None, "proxmox", "kernel release (-pve) on Debian",
                          "Proxmox VE")
        return Distro(distro_id, os_release.get("VERSION_ID"), family, "/etc/os-release",
                      os_release.get("NAME"))
    if kernel_id:
        return Distro(kernel_id, kernel_version, family_of(kernel_id), "kernel release")
    return Distro()
