"""The CPU as ``/proc/cpuinfo`` describes it, on every architecture: vendor, flags, VT-x/AMD-V
(named as lscpu's "Virtualization:" line names them), VT sub-features, the hypervisor flag."""

from __future__ import annotations

from kernel_advisor import kernel
from kernel_advisor.i18n import _
from kernel_advisor.model import INFO, OK, UNKNOWN, WARN, F, Fact, unknown
from kernel_advisor.probe.context import Context

VT_LABEL = _("Hardware virtualization (VT-x/AMD-V)")
SUB_FEATURES = {"ept", "vpid", "npt", "unrestricted_guest", "flexpriority", "avic", "nrip_save",
                "ept_ad", "posted_intr"}
VMX_SUB_FEATURES = {"ept", "vpid", "unrestricted_guest", "ept_ad", "posted_intr"}
#: the cpuinfo line that lists the features, by architecture (x86, arm, riscv, ppc/loongarch, s390)
FLAG_KEYS = ("flags", "features", "isa", "cpucaps", "facilities")


def detect(ctx: Context) -> None:
    info, why = ctx.cpuinfo()
    if not info:
        for fid, label in ((F.CPU_VENDOR, _("CPU vendor")), (F.CPU_FLAGS, _("CPU flags")),
                           (F.CPU_VIRTUALIZATION, VT_LABEL)):
            ctx.add(unknown(fid, label, f"/proc/cpuinfo: {why or 'empty'}", "/proc/cpuinfo"))
        return
    fields = ctx.cpuinfo_fields()
    vendor = (fields.get("vendor_id") or fields.get("vendor") or fields.get("cpu implementer")
              or fields.get("mvendorid") or fields.get("cpu family") or None)
    model = (fields.get("model name") or fields.get("cpu") or fields.get("processor")
             or fields.get("uarch") or fields.get("cpu model") or None)
    ctx.add(Fact(id=F.CPU_VENDOR, label=_("CPU vendor"), value=vendor,
                 status=INFO if vendor else UNKNOWN,
                 summary=_("{vendor}; model: {model}").format(vendor=vendor or _("not stated"),
                                                              model=model or _("not stated")),
                 source="/proc/cpuinfo", raw=f"vendor={vendor!r} model={model!r}",
                 reason=None if vendor else _("cpuinfo names no vendor")))
    key = next((k for k in FLAG_KEYS if k in fields), None)
    flags = []
    if key:
        flags = [fields[key]] if key == "isa" else fields[key].replace(",", " ").split()
    if key == "features" and "facilities" in fields:
        flags += fields["facilities"].split()
    ctx.add(Fact(id=F.CPU_FLAGS, label=_("CPU flags"), value=flags, status=INFO,
                 summary=_("{count} flags from the '{key}' line").format(count=len(flags), key=key)
                 if key else _("no flags line"),
                 source="/proc/cpuinfo", raw=fields.get(key or "")))
    fset = set(flags)
    virt = "AMD-V" if "svm" in fset else "VT-x" if "vmx" in fset else None
    family = kernel.arch_family(ctx.value(F.KERNEL_ARCH))
    if virt:
        flag = "svm" if virt == "AMD-V" else "vmx"
        ctx.add(Fact(id=F.CPU_VIRTUALIZATION, label=VT_LABEL, value=virt, status=OK,
                     summary=_("{virt} ('{flag}' flag present)").format(virt=virt, flag=flag),
                     source="/proc/cpuinfo", raw=flag))
    elif family in ("x86_64", "x86_32") or "vendor_id" in fields:
        ctx.add(Fact(id=F.CPU_VIRTUALIZATION, label=VT_LABEL, value=None, status=WARN,
                     summary=_("no vmx or svm flag in /proc/cpuinfo (see the firmware check for "
                               "why)"),
                     source="/proc/cpuinfo", raw=fields.get("flags")))
    else:
        extra = ""
        if family == "s390":
            extra = _("; s390 SIE facility: ") + ("present" if "sie" in fset else _("not listed"))
        ctx.add(Fact(id=F.CPU_VIRTUALIZATION, label=VT_LABEL, value=None, status=INFO,
                     summary=_("not an x86 CPU: VT-x/AMD-V do not apply{extra}").format(
                         extra=extra),
                     source="/proc/cpuinfo", raw=None))
    sub = fset & SUB_FEATURES
    vmx_line = fields.get("vmx flags")
    if vmx_line:
        sub |= set(vmx_line.split()) & VMX_SUB_FEATURES
    ctx.add(Fact(id=F.CPU_VT_FEATURES, label=_("VT sub-features (EPT/NPT, VPID)"),
                 value=sorted(sub), status=INFO, summary=", ".join(sorted(sub)) or _("none listed"),
                 source="/proc/cpuinfo", raw=vmx_line or " ".join(sorted(sub)) or None))
    flagged = "hypervisor" in fset
    ctx.add(Fact(id=F.CPU_HYPERVISOR_FLAG, label=_("CPU 'hypervisor' flag"), value=flagged,
                 status=INFO,
                 summary=_("set: the CPU says it runs under a hypervisor") if flagged
                 else _("not set"),
                 source="/proc/cpuinfo", raw="hypervisor" if flagged else None))
    pae, lm = "pae" in fset, "lm" in fset
    ctx.add(Fact(id=F.CPU_PAE, label=_("PAE / 64-bit (lm) flags"), value={"pae": pae, "lm": lm},
                 status=INFO, summary=f"pae={'yes' if pae else 'no'}, lm={'yes' if lm else 'no'}",
                 source="/proc/cpuinfo", raw=None))
