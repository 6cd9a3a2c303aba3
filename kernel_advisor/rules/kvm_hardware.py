"""KVM's ``kvm.hw_extension``: the CPU's virtualization extension in its architecture's own
terms — VT-x/AMD-V (or PVM, which needs none) on x86, EL2/HYP on ARM, SIE on s390, the H
extension on RISC-V, LVZ on LoongArch, POWER's hypervisor mode — with live evidence first: a
KVM that runs, or a vendor module that loaded (neither loads without the extension)."""

from __future__ import annotations

from typing import Optional

from kernel_advisor.i18n import _
from kernel_advisor.knowledge import K
from kernel_advisor.model import F, Layer, Requirement, State, Who
from kernel_advisor.rules import steps
from kernel_advisor.rules.context import Context
from kernel_advisor.rules.requirements import req, step
from kernel_advisor.stack import Firmware, KernelKind

MET, FIXABLE, IMPOSSIBLE, UNKNOWN = State.MET, State.FIXABLE, State.IMPOSSIBLE, State.UNKNOWN
#: modules that load only where the extension is present and switched on
VENDOR_MODULES = ("kvm_intel", "kvm_amd", "kvm_hv")


def works(c: Context) -> bool:
    return c.kvm_usable is True


def extension_name(c: Context) -> str:
    return {"arm64": "EL2", "arm": _("HYP mode"), "s390": "SIE", "riscv": _("the H extension"),
            "loongarch": "LVZ", "ppc": _("POWER's hypervisor mode")}.get(
                c.family or "", "VT-x/AMD-V")


def _riscv_h(c: Context) -> Optional[bool]:
    """Whether the cpuinfo's ISA string lists the H (hypervisor) extension."""
    isa = next(iter(c.stack.hardware.flags), "") if c.flags else ""
    base = isa.split("_", 1)[0].lower()
    if not base.startswith(("rv64", "rv32")):
        return None
    return "h" in base[4:]


def _kmsg(c: Context, needle: str) -> Optional[str]:
    fact = c.host.get(F.CPU_FIRMWARE_VT)
    raw = (fact.raw or "") if fact else ""
    return next((line for line in raw.splitlines() if needle in line.lower()), None)


def hw_extension(c: Context) -> Optional[Requirement]:
    rid, ev = "kvm.hw_extension", [F.CPU_VIRTUALIZATION, F.CPU_FLAGS]
    loaded = [m for m in VENDOR_MODULES if m in c.kvm_modules]
    if c.stack.kernel.kind != KernelKind.REAL or c.dom0 or c.pv_domu:
        return None
    if c.x86:
        if c.vt:
            return req(rid, Layer.HARDWARE, MET, _("The CPU offers {vt}.").format(vt=c.vt),
                       evidence=ev, source=K.KVM_X86_HW)
        if c.pvm:
            return req(rid, Layer.HARDWARE, MET, _(
                "KVM works here without VT-x/AMD-V through PVM (this kernel has kvm_pvm), which "
                "runs only Linux guests whose kernel is built for PVM."),
                evidence=ev + [F.KVM_MODULES], source=K.KVM_PVM)
        if loaded:
            return req(rid, Layer.HARDWARE, MET, _(
                "{module} is loaded, which it only is where the CPU offers the extension and "
                "the firmware has it on.").format(module=loaded[0]),
                evidence=[F.KVM_MODULES], source=K.KVM_X86_HW)
        if works(c):
            return req(rid, Layer.HARDWARE, MET, _(
                "It works although the CPU shows no VT-x/AMD-V flag: which guests it can run "
                "depends on how this kernel provides KVM (unknown)."), evidence=[F.KVM_USABLE])
        if c.firmware == Firmware.ABSENT:
            return req(rid, Layer.HARDWARE, IMPOSSIBLE, _(
                "This CPU has no VT-x/AMD-V, which KVM on x86 requires."), evidence=ev,
                source=K.KVM_X86_HW)
        if c.firmware in (Firmware.DISABLED, Firmware.NOT_EXPOSED):
            return None  # the firmware's or the layer below's requirement says what to do
        if c.in_vm:
            return None  # kvm.exposed
        return req(rid, Layer.HARDWARE, UNKNOWN, _(
            "No vmx/svm flag is visible, and the cause (no VT, or VT disabled in firmware) "
            "could not be determined."), evidence=ev + [F.CPU_FIRMWARE_VT], source=K.KVM_BIOS,
            fix=[step(_("Check the firmware setup for a Virtualization Technology switch; run "
                        "'kernel-advisor check' as root for the MSRs."),
                      "sudo kernel-advisor check", who=Who.ADMIN)])
    name = extension_name(c)
    if works(c) or loaded:
        return req(rid, Layer.HARDWARE, MET, _("KVM has {name} here (it runs, or its module "
                                               "loaded).").format(name=name),
                   evidence=[F.KVM_USABLE, F.KVM_MODULES])
    if c.family in ("arm64", "arm"):
        src = K.KVM_ARM64_EL2
        if c.firmware == Firmware.UNAVAILABLE:
            fix = steps.nested(c) if c.in_vm else [step(_(
                "Boot with firmware that enters the kernel at EL2 (on boards that allow it, "
                "check the boot loader's settings); then dmesg | grep -i 'mode initialized' "
                "confirms it."), who=Who.FIRMWARE_SETUP)]
            return req(rid, Layer.HARDWARE if not c.in_vm else Layer.BELOW,
                       FIXABLE if c.in_vm else IMPOSSIBLE, _(
                "The kernel was not entered at EL2 (the log says 'HYP mode not available'), so "
                "KVM has no hypervisor mode here."), evidence=[F.CPU_FIRMWARE_VT], source=src,
                fix=fix)
        if c.firmware == Firmware.ENABLED:
            return req(rid, Layer.HARDWARE, MET, _("KVM initialised its hypervisor mode (the "
                                                   "kernel log says so)."),
                       evidence=[F.CPU_FIRMWARE_VT], source=src)
        return req(rid, Layer.HARDWARE, UNKNOWN, _(
            "Whether the kernel was entered at {name} is unknown: no readable kernel-log line "
            "says so.").format(name=name), evidence=[F.CPU_FIRMWARE_VT], source=src,
            fix=[step(_("Look for KVM's line in the kernel log."), "sudo dmesg | grep -i kvm",
                      who=Who.ADMIN)])
    if c.family == "s390":
        if c.firmware == Firmware.UNAVAILABLE or (c.flags and "sie" not in c.flags):
            return req(rid, Layer.HARDWARE, IMPOSSIBLE, _(
                "This s390 CPU does not offer the SIE facility that KVM needs "
                "(virt-host-validate checks the same)."), evidence=ev, source=K.KVM_S390_SIE)
        state = MET if "sie" in c.flags else UNKNOWN
        return req(rid, Layer.HARDWARE, state, _("The CPU lists the SIE facility.") if state == MET
                   else _("Whether this CPU offers SIE is unknown (no features line)."),
                   evidence=ev, source=K.KVM_S390_SIE)
    if c.family == "riscv":
        has_h = _riscv_h(c)
        line = _kmsg(c, "hypervisor extension not available")
        if has_h is False or line:
            return req(rid, Layer.HARDWARE, IMPOSSIBLE, _(
                "This RISC-V CPU does not offer the H (hypervisor) extension that KVM needs: "
                "its ISA string is {isa}.").format(isa=next(iter(c.flags), "?")) if not line else
                _("The kernel log says KVM found no hypervisor extension: {line}").format(
                    line=line), evidence=ev, source=K.KVM_RISCV_H)
        return req(rid, Layer.HARDWARE, MET if has_h else UNKNOWN,
                   _("The CPU's ISA string lists the H (hypervisor) extension.") if has_h else
                   _("Whether this RISC-V CPU has the H extension is unknown (no isa line)."),
                   evidence=ev, source=K.KVM_RISCV_H)
    if c.family == "loongarch":
        line = _kmsg(c, "hardware virtualization not available")
        if line or (c.flags and "lvz" not in c.flags):
            return req(rid, Layer.HARDWARE, IMPOSSIBLE, _(
                "This LoongArch CPU does not offer LVZ, the virtualization extension KVM "
                "needs (cpuinfo's Features line does not list lvz).") if not line else
                _("The kernel log says KVM found no virtualization extension: {line}").format(
                    line=line), evidence=ev, source=K.KVM_LOONGARCH_LVZ)
        return req(rid, Layer.HARDWARE, MET if "lvz" in c.flags else UNKNOWN,
                   _("The CPU lists LVZ, LoongArch's virtualization extension.")
                   if "lvz" in c.flags else _("Whether this CPU offers LVZ is unknown."),
                   evidence=ev, source=K.KVM_LOONGARCH_LVZ)
    if c.family == "ppc":
        return req(rid, Layer.HARDWARE, MET, _(
            "On POWER, kvm_pr needs no hypervisor mode (kvm_hv needs bare-metal POWER7 or "
            "later)."), evidence=[F.HYPERVISOR_VENDOR], source=K.KVM_PPC_MODULES)
    return None
