"""Which distribution the next steps are for, and the commands that work there.

The userspace decides the commands: ``/etc/os-release`` (``ID``, then each ``ID_LIKE`` token, as
the os-release specification says), or the release file of systems older than it (read by
:mod:`kernel_advisor.probe.kernel`), and how software is installed on it: an rpm-ostree,
transactional or read-only system (os-release's ``ID``/``VARIANT_ID``, the ``os.image`` fact's
marker files and root mount) gets its own commands, not its family's package manager. A family's
version rules ("Fedora before 22 used yum") apply to the family's own IDs only: a system that
names the family only in ``ID_LIKE`` numbers its releases its own way.

A what-if has no userspace: there the distribution is the one ``--distro ID[:VERSION]`` names,
else the one whose kernel the release is (:mod:`kernel_advisor.systems`: ``2.6.18-8.el5`` → RHEL
5), else unknown — and an unknown distribution gets the upstream step with a word that package
names vary. Proxmox VE says ``ID=debian`` but runs its own ``-pve`` kernel and its own KVM
management: the kernel tells it apart.

The families, install modes, package managers and commands are data
(``kernel_advisor/data/distros.json``), from the fact sheet's Addendum §6 and each entry's
sources.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Dict, List, Mapping, Optional, Tuple

from kernel_advisor import data, kernel, systems
from kernel_advisor.i18n import _

_DISTRO_ARG = re.compile(r"[a-z0-9][a-z0-9._-]*(:[0-9][0-9A-Za-z.]*)?", re.ASCII)


def table() -> Dict[str, Any]:
    doc = data.load("distros.json")
    if doc.get("schema") != 2:
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
    mode: Optional[str] = None  # a key of distros.json's install_modes (None: the package manager)

    @property
    def known(self) -> bool:
        return self.family is not None

    @property
    def major(self) -> Optional[int]:
        m = re.match(r"\d+", self.version or "")
        return int(m.group(0)) if m else None

    @property
    def member(self) -> bool:
        """The family's own ID (its version rules apply), not a system naming it in ID_LIKE."""
        return bool(self.family) and (self.id or "") in self._family().get("ids", ())

    @property
    def label(self) -> str:
        if not self.id:
            return _("unknown distribution")
        return (self.name or self.id) + (f" {self.version}" if self.version else "")

    def _family(self) -> Dict[str, Any]:
        return table()["families"][self.family] if self.family else {}

    def _entries(self) -> Dict[str, Any]:
        """Where the commands come from: the install mode's, else the family's."""
        return table()["install_modes"][self.mode] if self.mode else self._family()

    @property
    def _rule_major(self) -> Optional[int]:
        return self.major if self.member and not self.mode else None

    @property
    def manager(self) -> Optional[str]:
        fam = self._family()
        return _before(fam.get("manager_before"), self._rule_major) or fam.get("manager")

    @property
    def note(self) -> Optional[str]:
        note = self._entries().get("note")
        return _(note) if note else None

    @property
    def ended(self) -> Optional[Dict[str, str]]:
        """``{"date", "note", "source", "source_url"}`` where the distribution has ended (the
        note in the user's language)."""
        ended = self._family().get("ended")
        return {**ended, "note": _(ended["note"])} if ended else None

    def secure_boot(self, what: str) -> str:
        """Under Secure Boot: how to sign or enroll a key for an out-of-tree module
        (``enroll``), or what Xen needs (``xen``), on this distribution, else in general."""
        entry = self._family().get("secure_boot") if not self.mode else None
        if entry:
            text = (entry["enroll"].get(self.id or "") or entry["enroll"].get("*")
                    if what == "enroll" else entry["xen"])
            if text:
                return _(text)
        return _(table()["unknown"][f"secure_boot_{what}"])

    def command(self, kind: str, family: Optional[str]) -> Tuple[Optional[str], Optional[str]]:
        """``(command, None)``, or ``(None, why there is none here)``, for ``kind`` = ``kvm``,
        ``xen`` or ``dom0_kernel`` on architecture ``family``; an unknown distribution gets the
        upstream step."""
        if not self.known:
            return generic(kind), None
        entries = self._entries()
        cmd = _before(entries.get(f"{kind}_before"), self._rule_major)
        if cmd is None:
            options = entries.get(kind, {})
            if kind == "dom0_kernel":
                cmd = options.get(self.id) or options.get(self.family or "")
                if cmd is None:
                    return generic(kind), None
            else:
                cmd = options.get(family or "") or options.get("*")
                if cmd is None:
                    none = options.get("none")
                    return None, (_(none) if none else _("{label} has no package for this.")
                                  .format(label=self.label))
        if kind == "xen" and self.id in entries.get("no_xen_ids", ()) and \
                _before(entries.get("xen_before"), self._rule_major) is None:
            return None, _(entries["xen"]["none"])
        return translated(cmd).replace("{manager}", self.manager or ""), None


def generic(kind: str) -> str:
    """The upstream sentence for ``kind`` where the distribution (or its step) is not known."""
    return _(str(table()["unknown"][kind]))


def _note_of(step: str) -> Optional[str]:
    """The note in parentheses after a command step (``then reboot: systemctl reboot``)."""
    command = command_in(step)
    rest = step[len(command):].strip() if command else ""
    return rest[1:-1] if rest.startswith("(") and rest.endswith(")") else None


def translated(step: str) -> str:
    """A step of the data in the user's language: advice in words whole, a command as typed with
    its note in parentheses translated (``sudo rpm-ostree install … (then reboot: …)``)."""
    command, note = command_in(step), _note_of(step)
    if command is None:
        return _(step)
    return f"{command} ({_(note)})" if note else step


def messages() -> List[str]:
    """The sentences of ``distros.json`` that are shown to users, for the translators'
    template (tools/i18n.py): each note, reason and piece of advice, and the notes of commands."""
    out: List[str] = list(table()["unknown"].values())
    entries = list(table()["families"].values()) + list(table()["install_modes"].values())
    for entry in entries:
        out += [entry[k] for k in ("note",) if k in entry]
        out += [entry["ended"]["note"]] if "ended" in entry else []
        if "secure_boot" in entry:
            out += [*entry["secure_boot"]["enroll"].values(), entry["secure_boot"]["xen"]]
        for key, options in entry.items():
            if not isinstance(options, dict) or key in ("ended", "secure_boot"):
                continue
            for value in options.values():
                note = value if command_in(value) is None else _note_of(value)
                if note:
                    out.append(note)
    return list(dict.fromkeys(out))


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
    o = systems.owner(release.release)
    return o.distro, (o.cycle if o.distro else None)


def parse_arg(text: str) -> Tuple[str, Optional[str]]:
    """``--distro ID[:VERSION]`` → ``(ID, VERSION)``; ValueError with a one-line reason."""
    text = text.strip().lower()
    if not _DISTRO_ARG.fullmatch(text):
        raise ValueError(_("{text!r} is not ID[:VERSION] (e.g. debian:12, rhel:5, fedora)").format(
                           text=text))
    distro_id, _sep, version = text.partition(":")
    if family_of(distro_id) is None:
        known = sorted({i for f in table()["families"].values() for i in f["ids"]})
        raise ValueError(_("unknown distribution {distro_id!r} (known: {known})").format(
                           distro_id=distro_id,
                           known=', '.join(known)))
    return distro_id, version or None


def resolve(os_release: Dict[str, str], release: kernel.KernelRelease,
            what_if: Dict[str, str], image: Optional[Mapping[str, Any]] = None) -> Distro:
    """The distribution of the analysed host, for its commands (see the module's docstring);
    ``image``: the ``os.image`` fact's value (marker files, the root mount), where read."""
    if "distro" in what_if:
        distro_id, version = parse_arg(what_if["distro"])
        return Distro(distro_id, version, family_of(distro_id), "--distro")
    if "kernel" not in what_if and os_release.get("ID"):
        distro_id = os_release["ID"].lower()
        family = family_of(distro_id, os_release.get("ID_LIKE", ""))
        if systems.owner(release.release).distro == "proxmox" and family == "debian":
            return Distro("proxmox", None, "proxmox", "kernel release (-pve) on Debian",
                          "Proxmox VE")
        return Distro(distro_id, os_release.get("VERSION_ID"), family, "/etc/os-release",
                      os_release.get("NAME"), install_mode(os_release, family, image or {}))
    kernel_id, kernel_version = from_kernel(release)
    if kernel_id:
        return Distro(kernel_id, kernel_version, family_of(kernel_id), "kernel release")
    return Distro()


def install_mode(os_release: Mapping[str, str], family: Optional[str],
                 image: Mapping[str, Any]) -> Optional[str]:
    """The install mode (``distros.json`` ``install_modes``) of a system, or None where its
    family's package manager installs in place: by its os-release ``ID`` or ``VARIANT_ID``, or
    by the marker file or read-only root the mode names, within the mode's families."""
    distro_id = (os_release.get("ID") or "").lower()
    variant = (os_release.get("VARIANT_ID") or "").lower()
    for name, mode in table()["install_modes"].items():
        if family not in mode["families"]:
            continue
        if distro_id in mode.get("ids", ()) or (variant and variant in mode.get("variant_ids", ())):
            return str(name)
        if mode.get("marker") and image.get(mode["marker"]):
            return str(name)
        if mode.get("root_read_only") and image.get("root_read_only"):
            return str(name)
    return None
