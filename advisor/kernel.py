"""Parse any ``uname -r`` into the upstream release it is based on, plus vendor and flavour.

The contract (``cli-contract.md``) fixes ``version``: three numbers for a release, a fourth only
for upstream's own 2.6.x.y stable updates, the release an ``-rcN`` leads to for release
candidates. ``packaging.version.Version`` rejects raw ``uname -r`` strings, so we normalise first
and hand ``packaging`` only the clean upstream version (``KernelRelease.key``).

Sources: ``kernel-facts.md`` §6 (version-string facts and ~40 real strings).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

_HEAD = re.compile(r"^(?P<maj>\d{1,3})\.(?P<min>\d{1,4})(?:\.(?P<sub>\d{1,5}))?"
                   r"(?:\.(?P<extra>\d{1,5}))?(?P<rest>.*)$", re.S)
_RC = re.compile(r"(?:^|[-.~_]|\d)rc(\d{1,3})(?![a-z])", re.I)
_NEXT = re.compile(r"^next-(\d{8})$")

#: (pattern on the release, vendor, flavour); first match wins. ``kernel-facts.md`` §6 table.
_VENDORS: list[tuple[re.Pattern[str], str, str]] = [
    (re.compile(r"-Microsoft$"), "Microsoft", "WSL1"),
    (re.compile(r"microsoft-standard-WSL2", re.I), "Microsoft", "WSL2"),
    (re.compile(r"-microsoft-standard$", re.I), "Microsoft", "WSL2"),
    (re.compile(r"-linuxkit$"), "Docker", "LinuxKit (Docker Desktop VM)"),
    (re.compile(r"\.el\d+uek"), "Oracle", "Unbreakable Enterprise Kernel"),
    (re.compile(r"\.el5xen$"), "Red Hat", "RHEL/CentOS 5 Xen (kernel-xen)"),
    (re.compile(r"\.el5PAE$"), "Red Hat", "RHEL/CentOS 5 PAE"),
    (re.compile(r"\d+stab\d+"), "OpenVZ", "OpenVZ container kernel"),
    (re.compile(r"\.el(\d+)"), "Red Hat", "RHEL/CentOS"),
    (re.compile(r"\.EL(smp|hugemem|xenU)?$"), "Red Hat", "RHEL"),
    (re.compile(r"\.fc\d+"), "Fedora", "Fedora"),
    (re.compile(r"\.amzn\d"), "Amazon", "Amazon Linux"),
    (re.compile(r"-xenU-ec2"), "Amazon", "EC2 Xen domU"),
    (re.compile(r"-\d+-(generic|lowlatency|aws|azure|gcp|gke|oracle|kvm|raspi|ibm|nvidia|"
                r"oem|realtime)(-[\w.]+)?$|^\d+\.\d+\.\d+-\d{6}(rc\d+)?-generic$"),
     "Canonical", "Ubuntu"),
    (re.compile(r"-\d+-(xen-)?(amd64|686|686-pae|486|arm64|armmp|armmp-lpae|cloud-amd64|"
                r"cloud-arm64|rt-amd64|rt-686-pae|rt-arm64|powerpc64le|s390x|riscv64|"
                r"xen-vserver-686|vserver-686|openvz-686|k7|loongson-3|marvell|octeon|"
                r"4kc-malta|5kc-malta|mips64r2el|itanium|mckinley|sparc64|parisc)$"),
     "Debian", "Debian"),
    (re.compile(r"-\d+(\.\d+)*-(default|azure|rt|kvmsmall|64kb|vanilla)$"), "SUSE", "SUSE/openSUSE"),
    (re.compile(r"^2\.6\.\d+(\.\d+)?-[\d.]+-(xen|smp|bigsmp|default)$"), "SUSE", "SUSE"),
    (re.compile(r"-arch\d+-\d+$"), "Arch Linux", "Arch"),
    (re.compile(r"-\d+-lts$"), "Arch Linux", "Arch linux-lts"),
    (re.compile(r"-gentoo"), "Gentoo", "Gentoo"),
    (re.compile(r"-v(6|7|7l|8|8-16k)\+$|-rpi-"), "Raspberry Pi", "Raspberry Pi"),
    (re.compile(r"-pve$"), "Proxmox", "Proxmox VE"),
]
_XEN_FLAVOUR = re.compile(r"(^|[-.])xen(U|0)?([-.]|$)|el5xen$|-xen-", re.I)
_PAE = re.compile(r"PAE|-pae|686-pae|bigsmp", re.I)
_GIT = re.compile(r"-(\d+)-g([0-9a-f]{7,40})(\+|-dirty)?$|\+$")
_RT = re.compile(r"-rt\d+")


@dataclass(frozen=True)
class KernelRelease:
    """What a ``uname -r`` string says, as far as it can be understood."""

    release: str
    parts: tuple[int, ...] = ()  # upstream numbers: (2, 6, 32, 71) or (6, 8, 0)
    rc: int | None = None
    vendor: str | None = None
    flavour: str | None = None
    xen_flavour: bool = False
    pae: bool = False
    wsl: int | None = None  # 1 or 2
    git_snapshot: bool = False
    linux_next: str | None = None  # YYYYMMDD
    notes: tuple[str, ...] = field(default=())

    @property
    def understood(self) -> bool:
        return bool(self.parts)

    @property
    def version(self) -> str | None:
        """The contract's ``host.kernel.version``."""
        if not self.parts or self.wsl == 1:
            return None
        if self.rc is not None:  # kernel.org writes the release an rc leads to: 6.13, 2.6.39
            p = self.parts
            if p[0] >= 3:
                return f"{p[0]}.{p[1]}"
            return ".".join(map(str, p[:3]))
        return ".".join(map(str, self.parts))

    @property
    def series(self) -> str | None:
        """The kernel.org series: ``6.8``, ``2.6.32``, ``2.4``."""
        if not self.parts:
            return None
        p = self.parts
        if p[0] == 2 and p[1] == 6 and len(p) >= 3:
            return f"2.6.{p[2]}"
        return f"{p[0]}.{p[1]}"

    @property
    def key(self):
        """A ``packaging`` Version of the upstream release, for comparisons; None if unknown."""
        if not self.parts or self.wsl == 1:
            return None
        return version_key(".".join(map(str, self.parts)))

    def at_least(self, version: str) -> bool | None:
        key = self.key
        return None if key is None else key >= version_key(version)

    def before(self, version: str) -> bool | None:
        key = self.key
        return None if key is None else key < version_key(version)


@lru_cache(maxsize=512)
def version_key(text: str):
    from packaging.version import Version

    return Version(text)


@lru_cache(maxsize=256)
def parse(release: str | None) -> KernelRelease:
    """Parse a kernel release. Never raises; an unknown string gives ``understood == False``."""
    if release is None:
        return KernelRelease("")
    release = release.strip()
    m_next = _NEXT.match(release)
    if m_next:
        return KernelRelease(release, linux_next=m_next.group(1), flavour="linux-next",
                             notes=("linux-next integration tree: not a release",))
    m = _HEAD.match(release)
    if not m:
        return KernelRelease(release)
    maj, mnr = int(m["maj"]), int(m["min"])
    sub = int(m["sub"]) if m["sub"] is not None else None
    extra = int(m["extra"]) if m["extra"] is not None else None
    rest = m["rest"]

    vendor = flavour = None
    for pattern, vend, flav in _VENDORS:
        if pattern.search(release):
            vendor, flavour = vend, flav
            break
    wsl = None
    if vendor == "Microsoft":
        wsl = 1 if flavour == "WSL1" else 2

    # The fourth number is upstream's only under 2.6 (2.6.x.y stable, EXTRAVERSION=.y: MK);
    # WSL2's 5.15.153.1 is Microsoft's own revision, never upstream's.
    parts: tuple[int, ...]
    if sub is None:
        parts = (maj, mnr, 0) if maj >= 3 else (maj, mnr)  # 3.0+ reports X.Y as X.Y.0
    elif extra is not None and maj == 2 and mnr == 6:
        parts = (maj, mnr, sub, extra)
    else:
        parts = (maj, mnr, sub)
    if extra is not None and not (maj == 2 and mnr == 6) and vendor is None:
        vendor, flavour = None, "four-part release (vendor revision)"

    rc = None
    m_rc = _RC.search(rest)
    if m_rc:
        rc = int(m_rc.group(1))
    notes: list[str] = []
    git = bool(_GIT.search(rest)) and vendor is None
    if git:
        notes.append("built from a git tree between releases")
    if _RT.search(rest):
        notes.append("PREEMPT_RT real-time build")
    return KernelRelease(
        release=release,
        parts=parts,
        rc=rc,
        vendor=vendor,
        flavour=flavour,
        xen_flavour=bool(_XEN_FLAVOUR.search(rest)),
        pae=bool(_PAE.search(rest)),
        wsl=wsl,
        git_snapshot=git,
        notes=tuple(notes),
    )


def from_proc_version(text: str | None) -> str | None:
    """The release in ``/proc/version`` is its third whitespace token (§6)."""
    if not text:
        return None
    tokens = text.split()
    if len(tokens) >= 3 and tokens[0] == "Linux" and tokens[1] == "version":
        return tokens[2]
    return None
