"""Parse any ``uname -r`` into the upstream release it is based on, and what it says of itself.

A vendor release (``6.8.0-45-generic``, ``2.6.18-8.el5xen``) is not PEP 440, so finding its
upstream base is ours to do: :class:`KernelRelease` holds its numbers, and
:mod:`kernel_advisor.versions` makes them the PEP 440 version the knowledge base's ranges are
evaluated against.
The contract (``cli-contract.md``) fixes the text form, ``version``: three numbers for a release,
a fourth only for upstream's own 2.6.x.y stable updates, the release an ``-rcN`` leads to for
release candidates.

Also here, because every layer needs them spelled once: the architecture families
(:func:`arch_family`, :func:`is_x86`) and the kernel.org series of a release.

Sources: ``kernel-facts.md`` §6 (version-string facts and ~40 real strings). Capture path (the
fleet collector ships it): Python 3.8 and the standard library only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Optional, Tuple

from kernel_advisor.i18n import N_

# -- architectures ---------------------------------------------------------------------------------
#: ``uname -m`` → the family the knowledge base's facts name
ARCH_FAMILY = {
    **{a: "x86_32" for a in ("i386", "i486", "i586", "i686", "x86")},
    "x86_64": "x86_64", "amd64": "x86_64",
    "armv7l": "arm", "armv7": "arm", "armv6l": "arm", "armv8l": "arm", "arm": "arm",
    "armhf": "arm", "armel": "arm",
    "aarch64": "arm64", "arm64": "arm64", "aarch64_be": "arm64",
    "s390x": "s390", "s390": "s390",
    "ppc64": "ppc", "ppc64le": "ppc", "ppc": "ppc", "powerpc": "ppc",
    "riscv64": "riscv", "riscv32": "riscv",
    "loongarch64": "loongarch",
    "ia64": "ia64", "sparc64": "sparc", "sparc": "sparc",
    "mips": "mips", "mips64": "mips", "mipsel": "mips", "mips64el": "mips",
}
X86_VENDORS = ("GenuineIntel", "AuthenticAMD", "HygonGenuine")


def arch_family(arch: Optional[str]) -> Optional[str]:
    """``i686`` → ``x86_32``; None for an unknown or missing architecture."""
    return ARCH_FAMILY.get(arch or "")


def is_x86(arch: Optional[str], cpu_vendor: Optional[str] = None) -> bool:
    """An x86 host: by its architecture, else (architecture unknown) by its CPU vendor."""
    family = arch_family(arch)
    if family is not None:
        return family in ("x86_32", "x86_64")
    return cpu_vendor in X86_VENDORS


# -- release strings -------------------------------------------------------------------------------
#: the longest kernel release there can be: ``uname``'s release field is ``__NEW_UTS_LEN`` (64)
#: characters and a NUL (include/uapi/linux/utsname.h); anything longer is not one, and is never
#: given to the patterns below (some are quadratic on tens of kilobytes of digits)
MAX_RELEASE = 64
_HEAD = re.compile(r"(?P<maj>\d{1,3})\.(?P<min>\d{1,4})(?:\.(?P<sub>\d{1,5}))?"
                   r"(?:\.(?P<extra>\d{1,5}))?(?P<rest>.*)", re.S | re.ASCII)
_NEXT = re.compile(r"next-(\d{8})", re.ASCII)
#: -rcN, -preN (2.2/2.4, before that release's -rcN) and -testN (2.6.0), in the kernel's order
_PRE = re.compile(r"(?:^|[-.~_]|\d)(?P<kind>rc|pre|test)(?P<n>\d{1,3})(?![a-z])",
                  re.I | re.ASCII)
PEP440_PRE = {"test": "a", "pre": "b", "rc": "rc"}

#: WSL's kernels (Microsoft's), which the probe needs to tell what runs below: a kind of kernel,
#: not a vendor lifecycle. Whose kernel a release is — every vendor's shape, WSL's too — is
#: :mod:`kernel_advisor.systems`' (``vendors.json``), on the analysis side: the collector, which
#: runs this parser, interprets nothing.
_WSL1 = re.compile(r"-Microsoft$", re.ASCII)
_WSL2 = re.compile(r"microsoft-standard", re.I | re.ASCII)
_XEN_FLAVOUR = re.compile(r"(^|[-.])xen(U|0)?([-.]|$)|el5xen$|-xen-", re.I)
_PAE = re.compile(r"PAE|-pae|686-pae|bigsmp", re.I)
_GIT = re.compile(r"-(\d+)-g([0-9a-f]{7,40})(\+|-dirty)?$|\+$")
GIT_NOTE = N_("built from a git tree between releases")
_RT = re.compile(r"-rt(\d+|-)")  # -rt12 (upstream RT patch), Debian -rt-amd64


@dataclass(frozen=True)
class KernelRelease:
    """What a ``uname -r`` string says, as far as it can be understood."""

    release: str
    parts: Tuple[int, ...] = ()  # upstream numbers: (2, 6, 32, 71) or (6, 8, 0)
    pre: Optional[Tuple[str, int]] = None  # ("rc", 3), ("pre", 7), ("test", 11)
    vendor: Optional[str] = None
    flavour: Optional[str] = None
    xen_flavour: bool = False
    pae: bool = False
    wsl: Optional[int] = None  # 1 or 2
    git_snapshot: bool = False
    linux_next: Optional[str] = None  # YYYYMMDD
    notes: Tuple[str, ...] = ()

    @property
    def understood(self) -> bool:
        return bool(self.parts)

    @property
    def rc(self) -> Optional[int]:
        """The contract's ``host.kernel.rc``: the release-candidate number, if an ``-rcN``."""
        return self.pre[1] if self.pre and self.pre[0] == "rc" else None

    @property
    def version(self) -> Optional[str]:
        """The contract's ``host.kernel.version``."""
        if not self.parts or self.wsl == 1:
            return None
        p = self.parts
        if self.rc is not None and p[0] >= 3:  # kernel.org writes the release an rc leads to
            return f"{p[0]}.{p[1]}"
        if self.pre:
            return ".".join(map(str, p[:3]))
        return ".".join(map(str, p))

    @property
    def series(self) -> Optional[str]:
        """The kernel.org series: ``6.8``, ``2.6.32``, ``2.4``."""
        return series_of(".".join(map(str, self.parts))) if self.parts else None


def series_of(version: str) -> str:
    """The kernel.org series of an upstream version: ``6.8.12`` → ``6.8``, ``2.6.32.71`` →
    ``2.6.32``, ``7.3-rc5`` → ``7.3``."""
    parts = version.split("-")[0].split(".")
    return ".".join(parts[:3]) if parts[:2] == ["2", "6"] else ".".join(parts[:2])


@lru_cache(maxsize=512)
def parse(release: Optional[str]) -> KernelRelease:
    """Parse a kernel release. Never raises; an unknown string gives ``understood == False``."""
    if release is None:
        return KernelRelease("")
    release = release.strip()
    if len(release) > MAX_RELEASE:
        return KernelRelease(release[:MAX_RELEASE])
    m_next = _NEXT.fullmatch(release)
    if m_next:
        return KernelRelease(release, linux_next=m_next.group(1), flavour="linux-next",
                             notes=(N_("linux-next integration tree: not a release"),))
    m = _HEAD.fullmatch(release)
    if not m:
        return KernelRelease(release)
    maj, mnr = int(m["maj"]), int(m["min"])
    sub = int(m["sub"]) if m["sub"] is not None else None
    extra = int(m["extra"]) if m["extra"] is not None else None
    rest = m["rest"]

    wsl = 1 if _WSL1.search(release) else 2 if _WSL2.search(release) else None
    flavour = None
    # The fourth number is upstream's only under 2.6 (2.6.x.y stable, EXTRAVERSION=.y: MK);
    # WSL2's 5.15.153.1 is Microsoft's own revision, never upstream's.
    if sub is None:
        parts: Tuple[int, ...] = (maj, mnr, 0) if maj >= 3 else (maj, mnr)  # 3.0+: X.Y is X.Y.0
    elif extra is not None and (maj, mnr) == (2, 6):
        parts = (maj, mnr, sub, extra)
    else:
        parts = (maj, mnr, sub)
    if extra is not None and (maj, mnr) != (2, 6) and wsl is None:
        flavour = N_("four-part release (vendor revision)")

    m_pre = _PRE.search(rest)
    pre = (m_pre["kind"].lower(), int(m_pre["n"])) if m_pre else None
    notes = []
    git = bool(_GIT.search(rest))  # systems.owned() clears it for a vendor's own "+"
    if git:
        notes.append(GIT_NOTE)
    if _RT.search(rest):
        notes.append(N_("PREEMPT_RT real-time build"))
    return KernelRelease(
        release=release, parts=parts, pre=pre, flavour=flavour,
        xen_flavour=bool(_XEN_FLAVOUR.search(rest)), pae=bool(_PAE.search(rest)), wsl=wsl,
        git_snapshot=git, notes=tuple(notes),
    )


def is_release(text: str) -> bool:
    """Whether ``text`` is a kernel release we can analyse (the what-if inputs' check): printable
    ASCII without spaces, as ``uname -r`` prints (no ``6.²``, no control characters, no
    newline), at most :data:`MAX_RELEASE` characters."""
    if not (text and len(text) <= MAX_RELEASE and text.isascii() and text.isprintable()
            and " " not in text):
        return False
    parsed = parse(text)
    return parsed.understood or parsed.linux_next is not None


def suggestion(text: str) -> Optional[str]:
    """The release a refused ``text`` probably means: a git tag's ``v6.1`` is ``6.1``, a
    ``Linux 6.8.0`` or ``linux-6.8.0`` is ``6.8.0``; None if nothing close is a release."""
    stripped = text.strip()
    for prefix in ("v", "V", "linux-", "Linux ", "linux "):
        if stripped.startswith(prefix) and is_release(stripped[len(prefix):]):
            return stripped[len(prefix):]
    return stripped if stripped != text and is_release(stripped) else None


def from_proc_version(text: Optional[str]) -> Optional[str]:
    """The release in ``/proc/version`` is its third whitespace token (§6)."""
    tokens = (text or "").split()
    if len(tokens) >= 3 and tokens[0] == "Linux" and tokens[1] == "version":
        return tokens[2]
    return None
