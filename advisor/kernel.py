"""Parse any ``uname -r`` into the upstream release it is based on, plus vendor and flavour.

The contract (``cli-contract.md``) fixes ``version``: three numbers for a release, a fourth only
for upstream's own 2.6.x.y stable updates, the release an ``-rcN`` leads to for release
candidates. Comparisons use :attr:`KernelRelease.key`, a tuple of the upstream numbers.

Sources: ``kernel-facts.md`` §6 (version-string facts and ~40 real strings).

No regular expressions (every ``kernel-advisor check`` parses a release; see
:mod:`advisor.textmatch`): each matcher below names the pattern it implements, and
``tests/test_kernel.py`` checks the parser against those patterns (``tests/regex_oracle.py``) on
the real strings and on generated ones. Case-insensitive matches fold ASCII letters only.
"""

from __future__ import annotations

from advisor.textmatch import (
    digit_tail_start, digits_at, ends_dash_digits, find_all, is_word, lower_ascii,
    marker_then_digit,
)

_HEX = frozenset("0123456789abcdef")


def _is_dotted_number(text: str) -> bool:
    r"""``\d+(\.\d+)*``"""
    return all(p.isdecimal() for p in text.split("."))


# -- vendor matchers: one per row of kernel-facts.md §6; the pattern each implements above it ---
def _oracle_linux_uek(r: str) -> bool:
    r"""``\.el\d+uek``"""
    return any((digits := digits_at(r, i + 3)) and r.startswith("uek", i + 3 + len(digits))
               for i in find_all(r, ".el"))


def _openvz(r: str) -> bool:
    r"""``\d+stab\d+``"""
    return any(i > 0 and r[i - 1].isdecimal() and r[i + 4:i + 5].isdecimal()
               for i in find_all(r, "stab"))


_UBUNTU_FLAVOURS = ("generic", "lowlatency", "aws", "azure", "gcp", "gke", "oracle", "kvm",
                    "raspi", "ibm", "nvidia", "oem", "realtime")


def _ubuntu(r: str) -> bool:
    r"""``-\d+-(generic|lowlatency|…)(-[\w.]+)?$`` or ``^\d+\.\d+\.\d+-\d{6}(rc\d+)?-generic$``"""
    for name in _UBUNTU_FLAVOURS:
        for i in find_all(r, "-" + name):
            tail = r[i + 1 + len(name):]
            if ends_dash_digits(r[:i]) and (
                    not tail or (tail[0] == "-" and is_word(tail[1:].replace(".", "_")))):
                return True
    if r.endswith("-generic"):  # the mainline kernel PPA: 6.13.0-061300rc3-generic
        version, _, build = r[:-len("-generic")].partition("-")
        parts = version.split(".")
        build_rc = build[6:]
        return (len(parts) == 3 and all(p.isdecimal() for p in parts)
                and len(build) >= 6 and build[:6].isdecimal()
                and (not build_rc or (build_rc.startswith("rc") and build_rc[2:].isdecimal())))
    return False


_DEBIAN_FLAVOURS = ("amd64", "686", "686-pae", "486", "arm64", "armmp", "armmp-lpae",
                    "cloud-amd64", "cloud-arm64", "rt-amd64", "rt-686-pae", "rt-arm64",
                    "powerpc64le", "s390x", "riscv64", "xen-vserver-686", "vserver-686",
                    "openvz-686", "k7", "loongson-3", "marvell", "octeon", "4kc-malta",
                    "5kc-malta", "mips64r2el", "itanium", "mckinley", "sparc64", "parisc")


def _debian(r: str) -> bool:
    r"""``-\d+-(xen-)?(amd64|686|…)$``"""
    for name in _DEBIAN_FLAVOURS:
        if r.endswith("-" + name):
            head = r[:-len(name) - 1]
            if ends_dash_digits(head) or (head.endswith("-xen") and ends_dash_digits(head[:-4])):
                return True
    return False


def _suse(r: str) -> bool:
    r"""``-\d+(\.\d+)*-(default|azure|rt|kvmsmall|64kb|vanilla)$``"""
    for name in ("default", "azure", "rt", "kvmsmall", "64kb", "vanilla"):
        if r.endswith("-" + name):
            head = r[:-len(name) - 1]
            dash = head.rfind("-")
            if dash >= 0 and _is_dotted_number(head[dash + 1:]):
                return True
    return False


def _old_suse(r: str) -> bool:
    r"""``^2\.6\.\d+(\.\d+)?-[\d.]+-(xen|smp|bigsmp|default)$``"""
    if not r.startswith("2.6."):
        return False
    for name in ("xen", "smp", "bigsmp", "default"):
        if r.endswith("-" + name):
            upstream, dash, build = r[4:-len(name) - 1].partition("-")
            return (bool(dash) and _is_dotted_number(upstream) and upstream.count(".") <= 1
                    and bool(build) and all(c == "." or c.isdecimal() for c in build))
    return False


def _arch(r: str) -> bool:
    r"""``-arch\d+-\d+$``"""
    if not ends_dash_digits(r):
        return False
    head = r[:digit_tail_start(r) - 1]
    k = digit_tail_start(head)
    return k < len(head) and head[:k].endswith("-arch")


def _flags(rest: str) -> tuple[bool, bool]:
    """(xen flavour, PAE) of what follows the version numbers.

    ``(^|[-.])xen(U|0)?([-.]|$)|el5xen$|-xen-`` and ``PAE|-pae|686-pae|bigsmp``, both ignoring case.
    """
    low = lower_ascii(rest)

    def standalone(i: int) -> bool:  # (^|[-.])xen(u|0)?([-.]|$)
        k = i + 3 + (low[i + 3:i + 4] in ("u", "0"))
        return (i == 0 or low[i - 1] in "-.") and (k == len(low) or low[k] in "-.")

    xen = low.endswith("el5xen") or "-xen-" in low or any(map(standalone, find_all(low, "xen")))
    return xen, "pae" in low or "bigsmp" in low


#: (matcher, vendor, flavour); the first that matches wins. ``kernel-facts.md`` §6 table.
_VENDORS: list[tuple[object, str, str]] = [
    (lambda r: r.endswith("-Microsoft"), "Microsoft", "WSL1"),  # -Microsoft$
    (lambda r: "microsoft-standard-wsl2" in lower_ascii(r), "Microsoft", "WSL2"),  # (?i)…-WSL2
    (lambda r: lower_ascii(r).endswith("-microsoft-standard"), "Microsoft", "WSL2"),  # (?i)…standard$
    (lambda r: r.endswith("-linuxkit"), "Docker", "LinuxKit (Docker Desktop VM)"),
    (_oracle_linux_uek, "Oracle", "Unbreakable Enterprise Kernel"),
    (lambda r: r.endswith(".el5xen"), "Red Hat", "RHEL/CentOS 5 Xen (kernel-xen)"),
    (lambda r: r.endswith(".el5PAE"), "Red Hat", "RHEL/CentOS 5 PAE"),
    (_openvz, "OpenVZ", "OpenVZ container kernel"),
    (lambda r: marker_then_digit(r, ".el"), "Red Hat", "RHEL/CentOS"),  # \.el\d
    (lambda r: r.endswith((".EL", ".ELsmp", ".ELhugemem", ".ELxenU")), "Red Hat", "RHEL"),
    (lambda r: marker_then_digit(r, ".fc"), "Fedora", "Fedora"),  # \.fc\d
    (lambda r: marker_then_digit(r, ".amzn"), "Amazon", "Amazon Linux"),  # \.amzn\d
    (lambda r: "-xenU-ec2" in r, "Amazon", "EC2 Xen domU"),
    (_ubuntu, "Canonical", "Ubuntu"),
    (_debian, "Debian", "Debian"),
    (_suse, "SUSE", "SUSE/openSUSE"),
    (_old_suse, "SUSE", "SUSE"),
    (_arch, "Arch Linux", "Arch"),
    (lambda r: r.endswith("-lts") and ends_dash_digits(r[:-4]), "Arch Linux", "Arch linux-lts"),
    (lambda r: "-gentoo" in r, "Gentoo", "Gentoo"),
    (lambda r: r.endswith(("-v6+", "-v7+", "-v7l+", "-v8+", "-v8-16k+")) or "-rpi-" in r,
     "Raspberry Pi", "Raspberry Pi"),
    (lambda r: r.endswith("-pve"), "Proxmox", "Proxmox VE"),
]


def _head(release: str) -> tuple[int, int, int | None, int | None, str] | None:
    r"""``^(\d{1,3})\.(\d{1,4})(?:\.(\d{1,5}))?(?:\.(\d{1,5}))?(.*)$``: the numbers and the rest."""
    major = digits_at(release, 0)
    if not 1 <= len(major) <= 3 or release[len(major):len(major) + 1] != ".":
        return None
    i = len(major) + 1
    minor = digits_at(release, i)[:4]
    if not minor:
        return None
    i += len(minor)
    more: list[int | None] = []  # the optional third and fourth numbers
    while len(more) < 2 and release[i:i + 1] == ".":
        number = digits_at(release, i + 1)[:5]
        if not number:
            break
        more.append(int(number))
        i += 1 + len(number)
    more += [None] * (2 - len(more))
    return int(major), int(minor), more[0], more[1], release[i:]


def _rc(rest: str) -> int | None:
    r"""``(?:^|[-.~_]|\d)rc(\d{1,3})(?![a-z])``, ignoring case: the release-candidate number."""
    low = lower_ascii(rest)
    for i in find_all(low, "rc"):
        if i == 0 or low[i - 1] in "-.~_" or low[i - 1].isdecimal():
            run = digits_at(low, i + 2)[:3]
            for n in range(len(run), 0, -1):  # a letter right after: try fewer digits, as re does
                if not ("a" <= low[i + 2 + n:i + 3 + n] <= "z"):
                    return int(run[:n])
    return None


def _git(rest: str) -> bool:
    r"""``-(\d+)-g([0-9a-f]{7,40})(\+|-dirty)?$|\+$``: built from a git tree."""
    if rest.endswith("+"):
        return True
    body = rest[:-len("-dirty")] if rest.endswith("-dirty") else rest
    head, sep, sha = body.rpartition("-g")
    return bool(sep) and 7 <= len(sha) <= 40 and all(c in _HEX for c in sha) \
        and ends_dash_digits(head)


class KernelRelease:
    """What a ``uname -r`` string says, as far as it can be understood."""

    __slots__ = ("release", "parts", "rc", "vendor", "flavour", "xen_flavour", "pae", "wsl",
                 "git_snapshot", "linux_next", "notes")

    def __init__(self, release: str, parts: tuple[int, ...] = (), rc: int | None = None,
                 vendor: str | None = None, flavour: str | None = None,
                 xen_flavour: bool = False, pae: bool = False, wsl: int | None = None,
                 git_snapshot: bool = False, linux_next: str | None = None,
                 notes: tuple[str, ...] = ()) -> None:
        self.release = release
        self.parts = parts  # upstream numbers: (2, 6, 32, 71) or (6, 8, 0)
        self.rc = rc
        self.vendor, self.flavour = vendor, flavour
        self.xen_flavour, self.pae = xen_flavour, pae
        self.wsl = wsl  # 1 or 2
        self.git_snapshot = git_snapshot
        self.linux_next = linux_next  # YYYYMMDD
        self.notes = notes

    def __repr__(self) -> str:
        return f"KernelRelease({self.release!r}, parts={self.parts}, vendor={self.vendor!r})"

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
    def key(self) -> tuple[int, ...] | None:
        """The upstream release as a comparable tuple (:func:`version_key`); None if unknown."""
        if not self.parts or self.wsl == 1:
            return None
        return _normal(self.parts)

    def at_least(self, version: str) -> bool | None:
        key = self.key
        return None if key is None else key >= version_key(version)

    def before(self, version: str) -> bool | None:
        key = self.key
        return None if key is None else key < version_key(version)


def _normal(parts: tuple[int, ...]) -> tuple[int, ...]:
    """Trailing zeros dropped, so that 6.8 == 6.8.0 (as PEP 440 versions compare)."""
    n = len(parts)
    while n > 1 and parts[n - 1] == 0:
        n -= 1
    return parts[:n]


def version_key(text: str) -> tuple[int, ...]:
    """``"2.6.23"`` → ``(2, 6, 23)``: an upstream version (the knowledge base's ``since`` and
    ``until``) as a tuple that compares like the release; ValueError if it is not one."""
    parts = text.split(".")
    if not all(p.isdecimal() for p in parts):
        raise ValueError(f"not an upstream kernel version: {text!r}")
    return _normal(tuple(int(p) for p in parts))


_PARSED: dict[str | None, KernelRelease] = {}


def parse(release: str | None) -> KernelRelease:
    """Parse a kernel release. Never raises; an unknown string gives ``understood == False``."""
    got = _PARSED.get(release)
    if got is None:
        if len(_PARSED) > 512:
            _PARSED.clear()
        got = _PARSED[release] = _parse(release)
    return got


def _parse(release: str | None) -> KernelRelease:
    if release is None:
        return KernelRelease("")
    release = release.strip()
    if release.startswith("next-") and len(release) == 13 and release[5:].isdecimal():
        return KernelRelease(release, linux_next=release[5:], flavour="linux-next",
                             notes=("linux-next integration tree: not a release",))
    head = _head(release)
    if head is None:
        return KernelRelease(release)
    maj, mnr, sub, extra, rest = head

    vendor = flavour = None
    for matches, vend, flav in _VENDORS:
        if matches(release):  # type: ignore[operator]
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

    notes: list[str] = []
    git = _git(rest) and vendor is None
    if git:
        notes.append("built from a git tree between releases")
    if marker_then_digit(rest, "-rt"):  # -rt\d+
        notes.append("PREEMPT_RT real-time build")
    xen, pae = _flags(rest)
    return KernelRelease(
        release=release,
        parts=parts,
        rc=_rc(rest),
        vendor=vendor,
        flavour=flavour,
        xen_flavour=xen,
        pae=pae,
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
