"""The regular expressions the core implements by hand, kept as test oracles.

The core runs without ``re`` (start-up time: see ``bench/RESULTS.md``). These are the patterns
and the release parser it replaced, kept verbatim as the reference the hand-written matchers in
:mod:`advisor.kernel` and :mod:`advisor.probe` must agree with.
"""

from __future__ import annotations

import re

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



def _fields(release: str, parts: tuple = (), rc=None, vendor=None, flavour=None,
            xen_flavour=False, pae=False, wsl=None, git_snapshot=False, linux_next=None,
            notes=()) -> dict:
    return {"release": release, "parts": parts, "rc": rc, "vendor": vendor, "flavour": flavour,
            "xen_flavour": xen_flavour, "pae": pae, "wsl": wsl, "git_snapshot": git_snapshot,
            "linux_next": linux_next, "notes": tuple(notes)}


def parse(release: str | None) -> dict:
    """What the regex parser said of ``release``: the fields of a KernelRelease, as a dict."""
    if release is None:
        return _fields("")
    release = release.strip()
    m_next = _NEXT.match(release)
    if m_next:
        return _fields(release, linux_next=m_next.group(1), flavour="linux-next",
                             notes=("linux-next integration tree: not a release",))
    m = _HEAD.match(release)
    if not m:
        return _fields(release)
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
    return _fields(
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


# advisor.probe.config_entry
CONFIG_KEYS = re.compile(
    r"^(?:# )?(CONFIG_(?:KVM\w*|XEN\w*|LGUEST\w*|PARAVIRT\w*|VHOST\w*|TUN|VFIO|INTEL_IOMMU|"
    r"AMD_IOMMU|MODULES|X86_PAE|HIGHMEM64G|X86_32|X86_64|64BIT|IKCONFIG_PROC|HYPERVISOR_GUEST))"
    r"(?:=(.*)| is not set)$"
)
# advisor.probe.keep_cmdline_option
CMDLINE_KEEP = re.compile(r"^(intel_iommu|amd_iommu|iommu|kvm[-_]\w+\.\w+|kvm\.\w+|mitigations|"
                          r"nested\w*|dom0_\w+|xen\w*|nomodule|module_blacklist|"
                          r"modprobe\.blacklist|prot_virt|vfio\w*|hugepages)$")
# advisor.textmatch.has_word(text, "UML") and advisor.probe._power_cpu
UML = re.compile(r"User Mode Linux|\bUML\b")
POWER = re.compile(r"\bPOWER\d")
