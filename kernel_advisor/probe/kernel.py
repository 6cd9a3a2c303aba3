"""The running kernel: its release and architecture, the command line, the distribution.

The release comes from ``/proc/sys/kernel/osrelease`` (what ``uname -r`` prints), else the live
record's uname, else ``/proc/version``; the architecture from ``/proc/sys/kernel/arch``, else
uname, else — only where it is unambiguous — the cpuinfo (``cli-contract.md``).
"""

from __future__ import annotations

import re
from typing import Any, Dict, Optional, Tuple

from kernel_advisor import kernel
from kernel_advisor.i18n import _
from kernel_advisor.model import INFO, OK, WARN, F, Fact, unknown
from kernel_advisor.probe.context import Context
from kernel_advisor.textsafe import printable

#: kernel command-line options kept in facts and snapshots (the rest may hold secrets)
CMDLINE_KEEP = re.compile(r"intel_iommu|amd_iommu|iommu|kvm[-_]\w+\.\w+|kvm\.\w+|mitigations|"
                          r"nested\w*|dom0_\w+|xen\w*|nomodule|module_blacklist|"
                          r"modprobe\.blacklist|prot_virt|vfio\w*|hugepages")
_POWER = re.compile(r"\bPOWER\d")


def keep_cmdline_option(name: str) -> bool:
    """Whether a kernel command-line option (its name, before any ``=``) is one we keep."""
    return CMDLINE_KEEP.fullmatch(name) is not None


def filter_cmdline(text: str) -> str:
    return " ".join(o for o in text.split() if keep_cmdline_option(o.split("=", 1)[0]))


def detect(ctx: Context) -> None:
    _release(ctx)
    _arch(ctx)
    cmdline = ctx.root.read("/proc/cmdline")
    if cmdline.text is not None:
        text = filter_cmdline(cmdline.text)  # snapshots travel: only the options that matter
        ctx.add(Fact(id=F.KERNEL_CMDLINE, label=_("Kernel command line"), value=text, status=INFO,
                     summary=text or "(empty)", source="/proc/cmdline", raw=text))
    else:
        ctx.add(unknown(F.KERNEL_CMDLINE, _("Kernel command line"), cmdline.reason or "",
                        "/proc/cmdline"))


#: the os-release keys the analysis reads (kernel_advisor.distro and kernel_advisor.systems)
OS_RELEASE_KEYS = ("ID", "ID_LIKE", "VERSION_ID", "VARIANT_ID", "NAME")
#: distributions older than os-release (2012): their release file, its ID and the version in it
LEGACY_RELEASE_FILES = (
    ("/etc/redhat-release", "rhel", re.compile(r"release (\d+(?:\.\d+)?)")),
    ("/etc/SuSE-release", "sles", re.compile(r"^VERSION\s*=\s*(\d+)", re.M)),
    ("/etc/debian_version", "debian", re.compile(r"^(\d+(?:\.\d+)?)")),
)
_LEGACY_IDS = (("CentOS", "centos"), ("Scientific", "scientific"), ("Fedora", "fedora"),
               ("openSUSE", "opensuse"))


def detect_distro(ctx: Context) -> None:
    """The userspace's ``os-release`` (in a container: the image's, not the host's); on systems
    older than os-release, the distribution's own release file. ``HostFacts.os_release`` keeps
    ID, ID_LIKE, VERSION_ID, VARIANT_ID and NAME, which decide the commands of the next steps."""
    label = _("Distribution (userspace)")
    osr = ctx.root.read("/etc/os-release")
    if osr.text is None:
        osr = ctx.root.read("/usr/lib/os-release")
    if osr.text is not None:
        fields = dict(_kv(line) for line in osr.text.splitlines() if "=" in line)
        pretty = fields.get("PRETTY_NAME") or fields.get("NAME") or "unnamed"
        ctx.out.os_release = {k: printable(fields[k], one_line=True) for k in OS_RELEASE_KEYS
                              if fields.get(k)}
        ctx.add(Fact(id=F.OS_DISTRO, label=label, value=pretty, status=INFO, summary=pretty,
                     source=osr.path, raw=None))
        return
    for path, distro_id, version in LEGACY_RELEASE_FILES:
        text = (ctx.root.text(path) or "").strip()
        if not text:
            continue
        line = text.splitlines()[0]
        distro_id = next((i for word, i in _LEGACY_IDS if word in line), distro_id)
        m = version.search(text)
        ctx.out.os_release = {"ID": distro_id, **({"VERSION_ID": m.group(1)} if m else {})}
        ctx.add(Fact(id=F.OS_DISTRO, label=label, value=line, status=INFO, summary=line,
                     source=path, raw=line))
        return
    ctx.add(unknown(F.OS_DISTRO, label, osr.reason or "", "/etc/os-release"))


#: files whose presence says how software is installed on the system (the analysis reads them
#: with distros.json's ``install_modes``): rpm-ostree and other OSTree systems, NixOS
IMAGE_MARKERS = (("ostree", "/run/ostree-booted"), ("nixos", "/etc/NIXOS"))


def detect_image(ctx: Context) -> None:
    """Raw evidence of an image-based or read-only system: the marker files, and whether the
    root filesystem is mounted read-only (``/proc/self/mountinfo``'s line for ``/``)."""
    found: Dict[str, Any] = {name: ctx.root.read(path).ok
                             for name, path in IMAGE_MARKERS}
    found["root_read_only"] = None
    for line in (ctx.root.text("/proc/self/mountinfo") or "").splitlines():
        cols = line.split(" - ")[0].split()
        if len(cols) >= 6 and cols[4] == "/":
            found["root_read_only"] = "ro" in cols[5].split(",")
    said = [name for name in ("ostree", "nixos") if found[name]]
    if found["root_read_only"]:
        said.append(_("read-only root filesystem"))
    summary = ", ".join(said) if said else _("no image-based system markers")
    ctx.add(Fact(id=F.OS_IMAGE, label=_("Installed system"), value=found, status=INFO,
                 summary=summary, source=", ".join(p for _n, p in IMAGE_MARKERS)
                 + ", /proc/self/mountinfo", raw=None))


def _release(ctx: Context) -> None:
    uname = ctx.live_fact("uname") or {}
    release = source = raw = None
    if ctx.what_if_kernel:
        release, source = ctx.what_if_kernel, "what-if (--kernel)"
    else:
        line, _unused = ctx.first_line("/proc/sys/kernel/osrelease")
        if line:
            release, source, raw = line, "/proc/sys/kernel/osrelease", line
        elif uname.get("release"):  # a string when present: the record's schema says so
            release, source, raw = uname["release"], "uname -r", uname["release"]
        else:
            pv = ctx.root.text("/proc/version")
            release = kernel.from_proc_version(pv)
            source, raw = ("/proc/version", pv) if release else (None, None)
    if release and len(release) > kernel.MAX_RELEASE:
        ctx.add(unknown(F.KERNEL_RELEASE, _("Kernel release"),
                        _("{source} holds {n} characters, more than a kernel release can have "
                          "({most})").format(source=source, n=f"{len(release):,}",
                                             most=kernel.MAX_RELEASE), source))
        return
    if release:
        parsed = kernel.parse(release)
        ctx.add(Fact(id=F.KERNEL_RELEASE, label=_("Kernel release"), value=release,
                     status=OK if parsed.understood else WARN, summary=describe_release(parsed),
                     source=source, raw=raw))
    else:
        ctx.add(unknown(F.KERNEL_RELEASE, _("Kernel release"),
                        _("the root has no proc/sys/kernel/osrelease or proc/version, and no "
                          "--kernel was given"), "/proc/sys/kernel/osrelease"))


def _arch(ctx: Context) -> None:
    uname = ctx.live_fact("uname") or {}
    arch: Optional[str]
    raw: Optional[str]
    source: Optional[str]
    if ctx.what_if_arch:
        arch, source, raw = ctx.what_if_arch, "what-if (--arch)", ctx.what_if_arch
    else:
        line, _unused = ctx.first_line("/proc/sys/kernel/arch")
        if line:
            arch, source, raw = line, "/proc/sys/kernel/arch", line
        elif uname.get("machine"):
            arch, source, raw = uname["machine"], "uname -m", uname["machine"]
        else:
            arch, raw = infer_arch(ctx.cpuinfo()[0], ctx.cpuinfo_fields())
            source = "/proc/cpuinfo (inferred)" if arch else None
    if arch:
        family = kernel.arch_family(arch) or "unfamiliar"
        ctx.add(Fact(id=F.KERNEL_ARCH, label=_("Architecture"), value=arch, status=OK,
                     summary=_("{arch} ({family} family)").format(arch=arch, family=family),
                     source=source, raw=raw))
    else:
        ctx.add(unknown(F.KERNEL_ARCH, _("Architecture"),
                        _("no proc/sys/kernel/arch, no --arch, and the cpuinfo is not unambiguous"),
                        "/proc/sys/kernel/arch"))


def infer_arch(info: str, f: Dict[str, str]) -> Tuple[Optional[str], Optional[str]]:
    """Architecture from cpuinfo (its text and :func:`cpuinfo_fields`), only where the evidence
    is unambiguous (cli-contract.md)."""
    if not info:
        return None, None
    isa = f.get("isa", "")
    if f.get("vendor_id", "").startswith("IBM/S390"):
        return "s390x", "vendor_id: IBM/S390"
    if isa.startswith("rv64"):
        return "riscv64", f"isa: {isa}"
    if isa.startswith("rv32"):
        return "riscv32", f"isa: {isa}"
    if "loongarch64" in isa or f.get("cpu family", "").startswith("Loongson-64"):
        return "loongarch64", "Loongson-64bit"
    if f.get("type", "").startswith(("sun4u", "sun4v")) or "UltraSparc" in f.get("cpu", ""):
        return "sparc64", f"cpu: {f.get('cpu')}"
    if _POWER.search(f.get("cpu", "")) and "ppc64" not in info:
        return "ppc64", f"cpu: {f.get('cpu')}"
    return None, None


def describe_release(parsed: kernel.KernelRelease) -> str:
    if not parsed.understood and not parsed.linux_next:
        return _("not a release string we understand")
    bits = []
    if parsed.version:
        pre = f"-{parsed.pre[0]}{parsed.pre[1]}" if parsed.pre else ""
        bits.append(_("upstream {version}").format(version=f"{parsed.version}{pre}"))
    if parsed.flavour:
        bits.append(_(parsed.flavour))
    if parsed.xen_flavour:
        bits.append(_("Xen kernel flavour"))
    if parsed.wsl == 1:
        bits.append(_("not a Linux kernel"))
    bits.extend(_(note) for note in parsed.notes)
    return "; ".join(bits)


def _kv(line: str) -> Tuple[str, str]:
    key, _sep, val = line.partition("=")
    return key.strip(), val.strip().strip('"').strip("'")
