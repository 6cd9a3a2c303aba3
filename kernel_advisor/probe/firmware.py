"""Is the CPU's virtualization extension there and switched on? x86: tell "the firmware disabled
VT" from "the CPU has no VT" without asking for root; arm64: was the kernel entered at EL2;
s390: is the SIE facility there.

x86, the evidence strongest first: the kernel log's "disabled by BIOS" lines, the MSRs (only when
already root), CPUID showing VT that cpuinfo hides (not under a hypervisor, which may mask it),
and ``itlb_multihit`` reporting "VMX unsupported" on a CPU that has VMX. Since Linux 5.6 (Intel)
and 6.7 (AMD) the kernel hides ``vmx``/``svm`` when the firmware has locked VT off; before that
the flag stays in cpuinfo and only ``kvm_intel``/``kvm_amd`` refuse to load, logging
"kvm: disabled by bios" — so the log is read even when the flag is visible
(``kernel-facts.md`` Addendum §4; ``peer-tools.md`` §0.1, §6.3).
"""

from __future__ import annotations

import re
from typing import List

from kernel_advisor import kernel
from kernel_advisor.i18n import _
from kernel_advisor.model import FAIL, INFO, OK, UNKNOWN, WARN, F, Fact, unknown
from kernel_advisor.probe.context import Context

LABEL = _("VT enabled in firmware")
FEATURE_CONTROL_LOCKED, FEATURE_CONTROL_VMX_OUTSIDE_SMX = 1, 4
VM_CR_SVMDIS = 0x10
#: every wording of "the firmware locked VT off", 2.6.20 to 6.8 (Addendum §4)
DISABLED_BY_FIRMWARE = re.compile(r"disabled by bios|\(by bios\)", re.I)
NO_VT = re.compile(r"no hardware support|not supported by cpu", re.I)
HYP_OK = re.compile(r"mode initiali[sz]ed successfully", re.I)
HYP_MISSING = re.compile(r"hyp mode not available", re.I)
SIE_MISSING = re.compile(r"sie is not available", re.I)
#: the extension's own start-up line where the CPU lacks it: RISC-V's H (arch/riscv/kvm/main.c),
#: LoongArch's LVZ (arch/loongarch/kvm/main.c)
EXTENSION_MISSING = {"riscv": re.compile(r"hypervisor extension not available", re.I),
                     "loongarch": re.compile(r"hardware virtualization not available", re.I)}


def _log_lines(ctx: Context) -> List[str]:
    # a list of strings when present: the live record is checked against its schema once
    return (ctx.live_fact("kmsg") or {}).get("lines") or []


def detect(ctx: Context) -> None:
    lines = _log_lines(ctx)
    if not ctx.x86:
        _other_architecture(ctx, lines)
        return
    fid = F.CPU_FIRMWARE_VT
    virt = ctx.value(F.CPU_VIRTUALIZATION)
    locked = [line for line in lines if DISABLED_BY_FIRMWARE.search(line)]
    msr_says = _msr(ctx)
    if virt:
        if locked or msr_says:
            evidence = [_("kernel log: {line}").format(line=line) for line in locked] + msr_says
            ctx.add(Fact(id=fid, label=LABEL, value="disabled", status=FAIL,
                         summary=_("the CPU shows {virt}, but the firmware has it locked off: "
                                   "KVM's module refuses to load (kernels before 5.6 on Intel and "
                                   "6.7 on AMD keep the flag visible)").format(virt=virt),
                         source="kernel log" if locked else "MSR", raw="\n".join(evidence)))
        else:
            ctx.add(Fact(id=fid, label=LABEL, value="enabled", status=OK,
                         summary=_("{virt} is visible to the kernel and no "
                                   "log line says the firmware locked it").format(
                                   virt=virt), source="/proc/cpuinfo",
                         raw="vmx" if virt == "VT-x" else "svm"))
        return
    _hidden(ctx, lines, locked, msr_says)


def _msr(ctx: Context) -> List[str]:
    """What the MSRs say when they show VT locked off (empty: not read, or not locked)."""
    msr = ctx.live_fact("msr") or {}
    if not msr.get("read"):
        return []
    said = []
    fc, vmcr = msr.get("feature_control"), msr.get("vm_cr")
    if isinstance(fc, int) and fc & FEATURE_CONTROL_LOCKED \
            and not fc & FEATURE_CONTROL_VMX_OUTSIDE_SMX:
        said.append(_("MSR 0x3A = {fc:#x}: locked with VMX off").format(fc=fc))
    if isinstance(vmcr, int) and vmcr & VM_CR_SVMDIS:
        said.append(_("MSR VM_CR = {vmcr:#x}: SVMDIS set").format(vmcr=vmcr))
    return said


def _hidden(ctx: Context, lines: List[str], locked: List[str], msr_says: List[str]) -> None:
    """x86 without a visible vmx/svm flag: disabled, absent, not exposed, or unknown."""
    fid = F.CPU_FIRMWARE_VT
    evidence = [_("kernel log: {line}").format(line=line) for line in lines] + msr_says
    verdict = "disabled" if locked or msr_says else None
    if verdict is None and any(NO_VT.search(line) for line in lines):
        verdict = "absent"
    itlb, _unused = ctx.first_line("/sys/devices/system/cpu/vulnerabilities/itlb_multihit")
    if itlb:
        evidence.append(f"itlb_multihit: {itlb}")
    cpuid = ctx.live_fact("cpuid")
    raw_vt = None
    if cpuid and cpuid.get("available"):
        raw_vt = cpuid.get("vmx") or cpuid.get("svm")
        evidence.append(_("CPUID: vmx={vmx} svm={svm} hypervisor={hypervisor_bit}").format(
                          vmx=cpuid.get('vmx'),
                          svm=cpuid.get('svm'),
                          hypervisor_bit=cpuid.get('hypervisor_bit')))
    under_hv = bool(ctx.value(F.CPU_HYPERVISOR_FLAG)) or \
        ctx.value(F.HYPERVISOR_VENDOR) is not None
    if verdict in (None, "absent") and raw_vt and not under_hv:
        verdict = "disabled"  # the CPU has it, the kernel hid it: firmware lock (5.6+/6.7+)
    if verdict is None and itlb and "VMX unsupported" in itlb and raw_vt:
        verdict = "disabled"
    if verdict in (None, "absent") and under_hv:
        verdict = "not exposed"
    if verdict is None and cpuid and cpuid.get("available") and not raw_vt:
        verdict = "absent"
    raw = "\n".join(evidence) or None
    if verdict == "disabled":
        ctx.add(Fact(id=fid, label=LABEL, value="disabled", status=FAIL,
                     summary=_("the CPU has VT but the firmware has it switched off: the kernel "
                               "hides the flag (Linux 5.6+ Intel, 6.7+ AMD). Enable it in the "
                               "firmware setup and power-cycle"),
                     source="CPUID / kernel log / itlb_multihit", raw=raw))
    elif verdict == "not exposed":
        ctx.add(Fact(id=fid, label=LABEL, value="not exposed", status=WARN,
                     summary=_("we run under a hypervisor that does not pass VT-x/AMD-V through "
                               "(nested virtualization is off on the outer host)"),
                     source="/proc/cpuinfo hypervisor flag", raw=raw))
    elif verdict == "absent":
        ctx.add(Fact(id=fid, label=LABEL, value="absent", status=WARN,
                     summary=_("this CPU has no VT-x/AMD-V"), source="CPUID / kernel log", raw=raw))
    else:
        fact = unknown(fid, LABEL, _("no vmx/svm flag, and no CPUID, readable kernel log or MSR "
                         "could tell a disabled VT from a missing one"), "/proc/cpuinfo")
        fact.raw = raw
        ctx.add(fact)


def _other_architecture(ctx: Context, lines: List[str]) -> None:
    """arm64: KVM needs the kernel entered at EL2, and says so in the log; s390: SIE."""
    fid = F.CPU_FIRMWARE_VT
    family = kernel.arch_family(ctx.value(F.KERNEL_ARCH))
    if family in ("arm64", "arm"):  # 32-bit ARM logs the same lines (arch/arm/kvm, to 5.6)
        label = _("EL2 (hypervisor mode) for KVM")
        ok = next((line for line in lines if HYP_OK.search(line)), None)
        missing = next((line for line in lines if HYP_MISSING.search(line)), None)
        if missing:
            ctx.add(Fact(id=fid, label=label, value="unavailable", status=FAIL,
                         summary=_("the kernel was not entered at EL2 "
                         "(booted at EL1, as inside most VMs): KVM has no hypervisor mode"),
                         source="kernel log", raw=missing))
        elif ok:
            ctx.add(Fact(id=fid, label=label, value="enabled", status=OK,
                         summary=_("KVM initialised its hypervisor mode"), source="kernel log",
                         raw=ok))
        else:
            ctx.add(Fact(id=fid, label=label, value=None, status=UNKNOWN,
                         summary=_("unknown: no readable kernel-log line says "
                                   "whether KVM found EL2"), source="kernel log", raw=None,
                         reason=_("the kernel log had no 'Hyp mode' line (unreadable, or KVM "
                                  "not built)")))
        return
    if family == "s390":
        missing = next((line for line in lines if SIE_MISSING.search(line)), None)
        flags = ctx.value(F.CPU_FLAGS) or []
        if missing or (flags and "sie" not in flags):
            ctx.add(Fact(id=fid, label=_("SIE facility for KVM"), value="unavailable", status=FAIL,
                         summary=_("the SIE facility KVM needs is not available"),
                         source="kernel log"
                         if missing else "/proc/cpuinfo features", raw=missing or _("no sie")))
        elif "sie" in flags:
            ctx.add(Fact(id=fid, label=_("SIE facility for KVM"), value="enabled", status=OK,
                         summary=_("the CPU lists sie"), source="/proc/cpuinfo features",
                         raw="sie"))
        else:
            ctx.add(unknown(fid, _("SIE facility for KVM"), _("no cpuinfo features line"),
                            "/proc/cpuinfo"))
        return
    missing = next((line for line in lines if family in EXTENSION_MISSING
                    and EXTENSION_MISSING[family].search(line)), None)
    if missing:
        ctx.add(Fact(id=fid, label=_("Virtualization extension for KVM"), value="unavailable",
                     status=FAIL,
                     summary=_("the kernel log says KVM found no virtualization extension"),
                     source="kernel log", raw=missing))
        return
    ctx.add(Fact(id=fid, label=LABEL, value=None, status=INFO,
                 summary=_("not an x86 host: no VT-x/AMD-V firmware switch")))
