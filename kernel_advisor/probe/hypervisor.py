"""Are WE running under a hypervisor, which one, and — under Xen — as dom0 or domU?

The sources are tried in the order lscpu and systemd's ``detect_vm()`` use, most specific
first: WSL1 by its release (a translation layer, not a VM); the CPUID 0x40000000 signature
(names the hypervisor that is really there); Xen's own ``/sys/hypervisor`` and ``/proc/xen``
(before DMI, because a Xen HVM guest's DMI says "Xen" but not its role); DMI vendor strings
(systemd's table); ``/sys/hypervisor/type`` naming something else; the device tree (arm, ppc,
riscv); s390's ``/proc/sysinfo``; PCI ids (as lscpu); the clock source and UML; last WSL2,
whose Hyper-V is often hidden from CPUID inside the utility VM.

Two refinements of that order, both systemd's: a DMI vendor of Oracle (VirtualBox), Xen,
Amazon or Parallels wins over CPUID, because those hypervisors offer KVM's paravirtual CPUID
leaves to Linux guests (VirtualBox's default "KVM" interface); and a Xen HVM guest that has no
``/sys/hypervisor`` (xen-sysfs not loaded, or not x86) is still known by its DMI
("HVM domU", vendor "Xen") or by the Xen bus and its frontend drivers (``vbd``, ``vif``) —
on every architecture. A dom0's DMI is the real machine's, so DMI "Xen" means a domU.
"""

from __future__ import annotations

import re
from typing import Any, Dict, List, Optional, Tuple

from kernel_advisor import kernel
from kernel_advisor.i18n import _
from kernel_advisor.model import INFO, OK, UNKNOWN, WARN, F, Fact
from kernel_advisor.probe.context import Context

#: CPUID 0x40000000 signatures, named as lscpu / systemd name them
CPUID_VENDORS = {
    "XenVMMXenVMM": "Xen", "KVMKVMKVM": "KVM", "Linux KVM Hv": "KVM", "Microsoft Hv": "Microsoft",
    "VMwareVMware": "VMware", "TCGTCGTCGTCG": "QEMU", "bhyve bhyve": "bhyve",
    "VBoxVBoxVBox": "Oracle", "ACRNACRNACRN": "ACRN", "QNXQVMBSQG": "QNX",
    "UnisysSpar64": "Unisys s-Par", "LKVMLKVMLKVM": "KVM", "SRESRESRESRE": "SRE",
    "Apple VZ": "Apple", "OpenBSDVMM58": "OpenBSD vmm",
}
#: DMI prefixes (systemd's detect_vm_dmi_vendor table)
DMI_VENDORS = (
    ("KVM", "KVM"), ("OpenStack", "KVM"), ("KubeVirt", "KVM"), ("Amazon EC2", "Amazon"),
    ("QEMU", "QEMU"), ("VMware", "VMware"), ("VMW", "VMware"), ("innotek GmbH", "Oracle"),
    ("VirtualBox", "Oracle"), ("Oracle Corporation", "Oracle"), ("Xen", "Xen"),
    ("Bochs", "Bochs"), ("Parallels", "Parallels"), ("BHYVE", "bhyve"),
    ("Hyper-V", "Microsoft"), ("Apple Virtualization", "Apple"),
    ("Google Compute Engine", "Google"),
)
DMI_FILES = ("product_name", "sys_vendor", "board_vendor", "bios_vendor", "product_version")
#: DMI vendors that win over CPUID (systemd's detect_vm_dmi(): returned at once)
DMI_FIRST = ("Oracle", "Xen", "Amazon", "Parallels")
XEN_BUS = "/sys/bus/xen"
XEN_FRONTENDS = ("vbd", "vif")
#: PCI ids lscpu treats as proof of a full-virtualization host
PCI_VENDORS = {("5853", "0001"): "Xen", ("15ad", "0710"): "VMware", ("80ee", "beef"): "Oracle"}
CLOCKSOURCES = {"kvm-clock": "KVM", "xen": "Xen", "hyperv_clocksource_tsc_page": "Microsoft"}
XENFEAT_SUPERVISOR_MODE_KERNEL = 1 << 5  # a PV kernel
XENFEAT_DOM0 = 1 << 11
_SYSINFO_VM = re.compile(r"^VM\d\d Control Program:\s*(.+?)\s*$", re.M)
_SYSINFO_LPAR = re.compile(r"^LPAR ", re.M)
_UML = re.compile(r"User Mode Linux|\bUML\b")


class Found:
    """What the sources said so far: vendor, type, Xen role, detail, evidence."""

    def __init__(self) -> None:
        self.vendor: Optional[str] = None
        self.type: Optional[str] = None
        self.role: Optional[str] = None
        self.detail: Optional[str] = None
        self.evidence: List[Tuple[str, str]] = []  # (source, raw)
        self.dmi: Optional[Tuple[str, str, str]] = None  # (vendor, path, line): read once

    def set(self, vendor: str, vtype: Optional[str], source: str, raw: str,
            detail: Optional[str] = None) -> None:
        self.vendor, self.type = vendor, vtype
        if detail:
            self.detail = detail
        self.evidence.append((source, raw))


def detect(ctx: Context) -> None:
    release = ctx.value(F.KERNEL_RELEASE)
    parsed = kernel.parse(release)
    x86 = ctx.x86
    found = Found()
    if parsed.wsl == 1:
        found.set("Microsoft", "container", "/proc/sys/kernel/osrelease", release, "WSL1")
    cpuid = ctx.live_fact("cpuid") if x86 else None
    sig = (cpuid or {}).get("signature") or ""
    if not isinstance(sig, str):
        sig = ""
    dmi = found.dmi = _dmi_vendor(ctx)
    if found.vendor is None and dmi and dmi[0] in DMI_FIRST:
        found.set(dmi[0], "full", dmi[1], dmi[2])
    if found.vendor is None and sig:
        name = CPUID_VENDORS.get(sig.strip()) or CPUID_VENDORS.get(sig[:9])
        if name:
            found.set(name, "full", "CPUID 0x40000000", sig)
    xen_type, _unused = ctx.first_line("/sys/hypervisor/type")
    _xen(ctx, found, xen_type, dmi)
    for step in (_dmi, _other_sys_hypervisor, _device_tree, _s390, _pci, _clock_or_uml):
        if found.vendor is not None:
            break
        step(ctx, found, xen_type)
    if parsed.wsl == 2 and found.vendor in (None, "Microsoft"):
        found.set("Microsoft", "full", "/proc/sys/kernel/osrelease", release or "", "WSL2")
    _report(ctx, found, cpuid, sig, x86)


def _xen(ctx: Context, found: Found, xen_type: Optional[str],
         dmi: Optional[Tuple[str, str, str]]) -> None:
    proc_xen = ctx.root.stat("/proc/xen")
    frontends = _xen_frontends(ctx)
    if not (xen_type == "xen" or (proc_xen and proc_xen.kind == "dir") or found.vendor == "Xen"
            or frontends):
        return
    found.vendor = "Xen"
    feats = _xen_features(ctx)
    found.role, role_src, role_raw = _xen_role(ctx, feats, proc_xen is not None, dmi, frontends)
    guest_type, _unused = ctx.first_line("/sys/hypervisor/guest_type")
    supervisor = feats is not None and feats & XENFEAT_SUPERVISOR_MODE_KERNEL
    if guest_type in ("PV", "PVH") or supervisor:
        found.type = "para"
    elif guest_type == "HVM" or (dmi and dmi[0] == "Xen") or not ctx.x86:
        found.type = "full"  # HVM by DMI; Xen on ARM has no PV guests
    elif found.type is None:
        found.type = "para"
    if guest_type:
        found.evidence.append(("/sys/hypervisor/guest_type", guest_type))
    if xen_type:
        found.evidence.append(("/sys/hypervisor/type", xen_type))
    if role_src:
        found.evidence.append((role_src, role_raw or ""))


def _xen_frontends(ctx: Context) -> List[str]:
    """The Xen bus's frontend devices (``vbd-768``, ``vif-0``) and drivers: a domU's disks and
    network cards."""
    devices = ctx.root.listdir(f"{XEN_BUS}/devices") or []
    found = sorted(d for d in devices if d.split("-")[0] in XEN_FRONTENDS)
    drivers = ctx.root.listdir(f"{XEN_BUS}/drivers") or []
    return found + sorted(f"driver {d}" for d in drivers if d in XEN_FRONTENDS)


def _xen_features(ctx: Context) -> Optional[int]:
    line, _unused = ctx.first_line("/sys/hypervisor/properties/features")
    try:
        return int(line, 16) if line else None
    except ValueError:
        return None


def _xen_role(ctx: Context, feats: Optional[int], proc_xen: bool,
              dmi: Optional[Tuple[str, str, str]],
              frontends: List[str]) -> Tuple[Optional[str], Optional[str], Optional[str]]:
    if feats is not None:  # XENFEAT_dom0 (systemd's method: needs no xenfs)
        return ("dom0" if feats & XENFEAT_DOM0 else "domU",
                "/sys/hypervisor/properties/features", f"{feats:x}")
    caps = ctx.root.read("/proc/xen/capabilities")
    if caps.text is not None:
        return ("dom0" if "control_d" in caps.text else "domU",
                "/proc/xen/capabilities", caps.text.strip() or "(empty)")
    if dmi and dmi[0] == "Xen":
        return "domU", dmi[1], dmi[2]
    if frontends:
        return "domU", f"{XEN_BUS}/devices", ", ".join(frontends)
    if proc_xen:
        return "domU", "/proc/xen", _("no capabilities file")
    return None, None, None


def _dmi_vendor(ctx: Context) -> Optional[Tuple[str, str, str]]:
    """(vendor, path, line) of the first DMI string systemd's table knows, or None. A cloud's
    bare-metal instance (``m5.metal``, ``c7g.metal``) names its cloud in DMI but runs on the
    hardware: no hypervisor (systemd's ``detect_vm_dmi()`` does the same for Amazon)."""
    product, _unused = ctx.first_line("/sys/class/dmi/id/product_name")
    if product and product.endswith(".metal") and not ctx.value(F.CPU_HYPERVISOR_FLAG):
        return None
    for name in DMI_FILES:
        line, _unused = ctx.first_line(f"/sys/class/dmi/id/{name}")
        hit = next((v for p, v in DMI_VENDORS if line and line.startswith(p)), None)
        if hit and line:
            return hit, f"/sys/class/dmi/id/{name}", line
    if ctx.first_line("/sys/class/dmi/id/product_name")[0] == "HVM domU":
        return "Xen", "/sys/class/dmi/id/product_name", "HVM domU"
    return None


def _dmi(ctx: Context, found: Found, xen_type: Optional[str]) -> None:
    hit = found.dmi
    if hit:
        found.set(hit[0], "full", hit[1], hit[2])


def _other_sys_hypervisor(ctx: Context, found: Found, xen_type: Optional[str]) -> None:
    if xen_type:
        found.set(xen_type, "full", "/sys/hypervisor/type", xen_type)


def _device_tree(ctx: Context, found: Found, xen_type: Optional[str]) -> None:
    root = ctx.root
    compat = root.read("/proc/device-tree/hypervisor/compatible")
    if compat.data is not None:
        text = compat.data.replace(b"\0", b" ").decode("ascii", "replace").strip()
        for needle, vendor, vtype in (("linux,kvm", "KVM", "full"), ("xen", "Xen", "para"),
                                      ("vmware", "VMware", "full")):
            if needle in text:
                found.set(vendor, vtype, compat.path, text)
                return
        found.type = "full"
        found.evidence.append((compat.path, text))
    elif root.exists("/proc/iSeries"):
        found.set("OS/400", "para", "/proc/iSeries", "")
    elif (root.exists("/proc/device-tree/ibm,partition-name")
          and root.exists("/proc/device-tree/hmc-managed?")
          and not root.exists("/proc/device-tree/chosen/qemu,graphic-width")):
        found.set("pHyp", "para", "/proc/device-tree/ibm,partition-name", "hmc-managed?")
    else:
        top = root.read("/proc/device-tree/compatible")
        if top.data is not None and b"qemu,pseries" in top.data:
            found.set("KVM", "para", top.path, "qemu,pseries")


def _s390(ctx: Context, found: Found, xen_type: Optional[str]) -> None:
    sysinfo = ctx.root.text("/proc/sysinfo")
    if not sysinfo:
        return
    m = _SYSINFO_VM.search(sysinfo)
    if m:
        program = m.group(1)
        found.set("KVM" if "KVM" in program else "IBM", "full", "/proc/sysinfo",
                  _("VM00 Control Program: {program}").format(program=program), program)
    elif _SYSINFO_LPAR.search(sysinfo):
        found.set("IBM", "full", "/proc/sysinfo", "LPAR", "PR/SM")


def _pci(ctx: Context, found: Found, xen_type: Optional[str]) -> None:
    for line in (ctx.root.text("/proc/bus/pci/devices") or "").splitlines():
        cols = line.split()
        if len(cols) > 1 and len(cols[1]) == 8:
            hit = PCI_VENDORS.get((cols[1][:4].lower(), cols[1][4:].lower()))
            if hit:
                found.set(hit, "full", "/proc/bus/pci/devices", cols[1])
                return


def _clock_or_uml(ctx: Context, found: Found, xen_type: Optional[str]) -> None:
    clock, _unused = ctx.first_line(
        "/sys/devices/system/clocksource/clocksource0/current_clocksource")
    if clock in CLOCKSOURCES:
        found.set(CLOCKSOURCES[clock], "full", "clocksource", clock)
    elif _UML.search(ctx.cpuinfo()[0]):
        found.set("User-mode Linux", "para", "/proc/cpuinfo", "UML")


def _report(ctx: Context, found: Found, cpuid: Optional[Dict[str, Any]], sig: str,
            x86: bool) -> None:
    src = found.evidence[0][0] if found.evidence else None
    raw = "; ".join(f"{s}: {r}" for s, r in found.evidence) or None
    vtype = found.type
    label = _("Running under a hypervisor")
    if found.vendor:
        what = found.vendor + (f" ({found.detail})" if found.detail else "")
        summary = _("running under {what}, {vtype} virtualization").format(what=what, vtype=vtype)
        if found.role:
            summary += f", Xen {found.role}"
        ctx.add(Fact(id=F.HYPERVISOR_VENDOR, label=label, value=found.vendor, status=INFO,
                     summary=summary, source=src, raw=raw))
    elif ctx.value(F.CPU_HYPERVISOR_FLAG):
        ctx.add(Fact(id=F.HYPERVISOR_VENDOR, label=label, value=None, status=WARN,
                     summary=_("the CPU's hypervisor flag is set but the hypervisor could not "
                               "be named")
                     + ("" if ctx.root.is_live or cpuid else _(" (no CPUID signature recorded)")),
                     source="/proc/cpuinfo", raw="hypervisor"))
        vtype = "full"
    else:
        ctx.add(Fact(id=F.HYPERVISOR_VENDOR, label=label, value=None, status=OK,
                     summary=_("no hypervisor found: bare metal (or one that hides itself)"),
                     source=None, raw=None))
    ctx.add(Fact(id=F.HYPERVISOR_TYPE, label=_("Virtualization type"), value=vtype, status=INFO,
                 summary=vtype or "none", source=src))
    ctx.add(Fact(id=F.HYPERVISOR_XEN_ROLE, label=_("Xen domain"), value=found.role, status=INFO,
                 summary=found.role or _("not a Xen domain")))
    ctx.add(Fact(id=F.HYPERVISOR_DETAIL, label=_("Hypervisor detail"), value=found.detail,
                 status=INFO, summary=found.detail or "—", source=src))
    ctx.add(Fact(id=F.HYPERVISOR_CPUID, label=_("CPUID hypervisor signature"), value=sig or None,
                 status=INFO if cpuid else UNKNOWN,
                 summary=(sig or "empty") if cpuid else _("not available"),
                 source="CPUID 0x40000000", raw=sig or None,
                 reason=None if cpuid else (_("not an x86 host") if not x86 else
                                            ctx.live_missing("cpuid", _(
                                                "this snapshot did not record CPUID")))))


def detect_xen_capabilities(ctx: Context) -> None:
    """What the Xen hypervisor under a dom0 can host (``hvm-*``: HVM guests, so VT is on)."""
    line = ctx.root.text("/sys/hypervisor/properties/capabilities")
    path = "/sys/hypervisor/properties/capabilities"
    if line is None:
        ctx.add(Fact(id=F.XEN_CAPABILITIES, label=_("Xen capabilities"), value=None, status=INFO,
                     summary=_("not a Xen domain"), source=path))
        return
    caps = line.split()
    hvm = any(c.startswith("hvm-") for c in caps)
    ctx.add(Fact(id=F.XEN_CAPABILITIES, label=_("Xen capabilities"), value=caps, status=INFO,
                 summary=_("HVM guests possible (hvm-* listed)") if hvm else
                         _("PV guests only: no hvm-* capability (no VT, or not enabled)"),
                 source=path, raw=line.strip()))


def detect_xen_version(ctx: Context) -> None:
    """The Xen hypervisor's version (``/sys/hypervisor/version``): it decides the toolstack,
    ``xm`` up to Xen 4.4, ``xl`` from 4.1 on and alone from 4.5 (Addendum §1)."""
    base = "/sys/hypervisor/version"
    major, _unused = ctx.first_line(f"{base}/major")
    minor, _unused = ctx.first_line(f"{base}/minor")
    if not (major and minor and major.isdigit() and minor.isdigit()):
        ctx.add(Fact(id=F.XEN_VERSION, label=_("Xen version"), value=None, status=INFO,
                     summary=_("not under Xen, or /sys/hypervisor/version is not readable"),
                     source=base))
        return
    extra, _unused = ctx.first_line(f"{base}/extra")
    version = f"{major}.{minor}"
    ctx.add(Fact(id=F.XEN_VERSION, label=_("Xen version"), value=version, status=INFO,
                 summary=f"Xen {version}{extra or ''}", source=base, raw=f"{version}{extra or ''}"))
