"""Tell "the firmware disabled VT" from "the CPU has no VT" without asking for root.

Since Linux 5.6 (Intel) and 6.7 (AMD) the kernel hides ``vmx``/``svm`` when the firmware has
locked VT off, so cpuinfo alone cannot tell the two apart (``peer-tools.md`` §0.1, §6.3). The
evidence, strongest first: the kernel log's "disabled by bios", the MSRs (only when already
root), CPUID showing VT that cpuinfo hides (not under a hypervisor, which may mask it), and
``itlb_multihit`` reporting "VMX unsupported" on a CPU that has VMX.
"""

from __future__ import annotations

from advisor.model import FAIL, INFO, OK, WARN, F, Fact, unknown
from advisor.probe.context import Context

LABEL = "VT enabled in firmware"
FEATURE_CONTROL_LOCKED, FEATURE_CONTROL_VMX_OUTSIDE_SMX = 1, 4
VM_CR_SVMDIS = 0x10


def detect(ctx: Context) -> None:
    fid = F.CPU_FIRMWARE_VT
    virt = ctx.value(F.CPU_VIRTUALIZATION)
    if not ctx.x86:
        ctx.add(Fact(fid, LABEL, None, INFO, "not an x86 host: no VT-x/AMD-V firmware switch"))
        return
    if virt:
        ctx.add(Fact(fid, LABEL, "enabled", OK, f"{virt} is visible to the kernel, so the "
                     "firmware has it enabled", "/proc/cpuinfo",
                     "vmx" if virt == "VT-x" else "svm"))
        return
    evidence = []
    verdict = None
    cpuid = ctx.live_fact("cpuid")
    kmsg = ctx.live_fact("kmsg") or {}
    msr = ctx.live_fact("msr") or {}
    for line in kmsg.get("lines", []) if isinstance(kmsg.get("lines"), list) else []:
        evidence.append(f"kernel log: {line}")
        if "disabled" in str(line).lower():
            verdict = "disabled"
        elif verdict is None:
            verdict = "absent"
    itlb, _ = ctx.first_line("/sys/devices/system/cpu/vulnerabilities/itlb_multihit")
    if itlb:
        evidence.append(f"itlb_multihit: {itlb}")
    raw_vt = None
    if cpuid and cpuid.get("available"):
        raw_vt = cpuid.get("vmx") or cpuid.get("svm")
        evidence.append(f"CPUID: vmx={cpuid.get('vmx')} svm={cpuid.get('svm')} "
                        f"hypervisor={cpuid.get('hypervisor_bit')}")
    if msr.get("read"):
        fc, vmcr = msr.get("feature_control"), msr.get("vm_cr")
        if isinstance(fc, int) and fc & FEATURE_CONTROL_LOCKED \
                and not fc & FEATURE_CONTROL_VMX_OUTSIDE_SMX:
            verdict = "disabled"
            evidence.append(f"MSR 0x3A = {fc:#x}: locked with VMX off")
        if isinstance(vmcr, int) and vmcr & VM_CR_SVMDIS:
            verdict = "disabled"
            evidence.append(f"MSR VM_CR = {vmcr:#x}: SVMDIS set")
    under_hv = bool(ctx.value(F.CPU_HYPERVISOR_FLAG)) or \
        ctx.value(F.HYPERVISOR_VENDOR) is not None
    if verdict is None and raw_vt and not under_hv:
        verdict = "disabled"  # the CPU has it, the kernel hid it: firmware lock (5.6+/6.7+)
    if verdict is None and itlb and "VMX unsupported" in itlb and raw_vt:
        verdict = "disabled"
    if verdict is None and under_hv:
        verdict = "not exposed"
    if verdict is None and cpuid and cpuid.get("available") and not raw_vt:
        verdict = "absent"
    raw = "\n".join(evidence) or None
    if verdict == "disabled":
        ctx.add(Fact(fid, LABEL, "disabled", FAIL,
                     "the CPU has VT but the firmware has it switched off: the kernel hides the "
                     "flag (Linux 5.6+ Intel, 6.7+ AMD). Enable it in the firmware setup and "
                     "power-cycle", "CPUID / kernel log / itlb_multihit", raw))
    elif verdict == "not exposed":
        ctx.add(Fact(fid, LABEL, "not exposed", WARN,
                     "we run under a hypervisor that does not pass VT-x/AMD-V through "
                     "(nested virtualization is off on the outer host)",
                     "/proc/cpuinfo hypervisor flag", raw))
    elif verdict == "absent":
        ctx.add(Fact(fid, LABEL, "absent", WARN, "this CPU has no VT-x/AMD-V", "CPUID", raw))
    else:
        fact = unknown(fid, LABEL, "no vmx/svm flag, and no CPUID, readable kernel log or MSR "
                       "could tell a disabled VT from a missing one", "/proc/cpuinfo")
        fact.raw = raw
        ctx.add(fact)
