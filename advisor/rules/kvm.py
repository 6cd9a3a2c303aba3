"""KVM: live evidence first (a ``KVM_CREATE_VM`` that succeeded wins over any history or flag:
PVM hosts, vendor backports), then the kernel's range for this architecture, then the CPU's
VT-x/AMD-V and why it may be missing (firmware, Xen dom0, an outer hypervisor)."""

from __future__ import annotations

from advisor import knowledge
from advisor.knowledge import K
from advisor.model import F, Verdict
from advisor.rules.context import Context, block, cite


def evaluate(c: Context) -> Verdict:
    v = Verdict("kvm", evidence=[F.KERNEL_RELEASE, F.KERNEL_ARCH, F.CPU_VIRTUALIZATION,
                                 F.KVM_DEVICE, F.KVM_USABLE])
    if c.release.wsl == 1:
        block(v, "This is WSL1: not a Linux kernel, so there is no KVM.", K.WSL1)
        v.next_steps.append("Use WSL2 on Windows 11 with nestedVirtualization=true in "
                            ".wslconfig, or run Linux on the hardware.")
        return v
    if c.kvm_usable is True:
        _works_now(c, v)
        return v
    if not _kernel_has_kvm(c, v):
        return v
    if c.x86:
        cite(v, K.KVM_X86_HW)
        if not c.vt:
            _no_vt(c, v)
            return v
        v.reasons.append(f"The CPU offers {c.vt}.")
    elif c.family == "s390" and c.flags and "sie" not in c.flags:
        block(v, "This s390 CPU does not list the SIE facility that KVM needs "
                 "(virt-host-validate checks the same).")
        return v
    if c.in_vm and c.vt:
        v.reasons.append(f"We run inside {c.hv or 'a virtual machine'} that exposes {c.vt}: "
                         "KVM will run nested, slower than on bare metal.")
    setup_steps(c, v, ready=False)
    cite(v, K.KVM_GUESTS)
    return v


def _works_now(c: Context, v: Verdict) -> None:
    v.ready = True
    v.reasons.append("KVM_CREATE_VM succeeded on /dev/kvm: KVM works on this host now.")
    if not c.vt and c.x86:
        pvm = c.config.get("CONFIG_KVM_PVM") == "y" or "kvm_pvm" in c.kvm_modules
        v.reasons.append(
            "It works although the CPU shows no VT-x/AMD-V flag"
            + (": this kernel has CONFIG_KVM_PVM, KVM through page-table virtualization "
               "(PVM), which needs no VMX." if pvm else
               ": the kernel provides KVM without hardware VT here."))
    if c.in_vm:
        v.reasons.append(f"We run inside {c.hv or 'a virtual machine'}: guests are nested, "
                         "expect reduced performance.")
    cite(v, K.KVM_GUESTS)
    setup_steps(c, v, ready=True)


def _kernel_has_kvm(c: Context, v: Verdict) -> bool:
    """Whether the analysed kernel has KVM for this architecture (False: ``v`` is blocked)."""
    if c.family is None:
        v.unknowns.append("architecture")
        v.reasons.append("The architecture is unknown, so KVM support cannot be checked "
                         "(give --arch).")
        return True
    facts = knowledge.ranges("kvm", c.family)
    if not facts:
        block(v, f"Mainline Linux has no KVM for {c.arch} ({c.family}).")
        return False
    fid = facts[0]
    since, until = knowledge.bounds(fid)
    inside = c.in_range(fid)
    if inside is False:
        if c.before(since):
            block(v, f"Linux {c.release.version} predates KVM for {c.family}: it came in "
                     f"{since}.", fid)
            v.next_steps.append(f"Move to a kernel from {since} on (today: a longterm series).")
            if c.release.vendor:
                v.reasons.append(f"{c.release.vendor} kernels sometimes carry backports: if "
                                 "/dev/kvm exists and works, that wins over this history.")
        else:
            block(v, f"KVM for {c.family} was removed in {until}; Linux {c.release.version} "
                     "no longer has it.", fid)
        return False
    if inside is None:
        v.unknowns.append("kernel release")
        v.reasons.append("The kernel release is unknown, so whether it has KVM is unknown.")
    else:
        cite(v, fid)
    if c.family == "x86_32":
        cite(v, K.KVM_X86_32_HOST)
    return True


def _no_vt(c: Context, v: Verdict) -> None:
    """x86 without a visible vmx/svm flag: say why, as precisely as the evidence allows."""
    if c.xen_role == "dom0":
        block(v, "This is a Xen dom0: the Xen hypervisor owns VT-x/AMD-V and hides it, so KVM "
                 "cannot run beside it.", K.XEN_DOM0_HIDES_VT)
        v.next_steps.append("Boot the same machine without the Xen hypervisor to use KVM.")
    elif c.firmware == "disabled":
        block(v, "The CPU has VT-x/AMD-V but the firmware has it switched off (the kernel "
                 "hides the flag).", K.KVM_BIOS)
        v.next_steps += [
            "Enter the firmware (BIOS/UEFI) setup and enable 'Intel Virtualization "
            "Technology (VT-x)' or 'SVM Mode' (AMD).",
            "Power the machine off completely and on again: a warm reboot may not "
            "apply the change.",
        ]
    elif c.firmware == "not exposed" or c.in_vm:
        block(v, f"We run inside {c.hv or 'a virtual machine'} and it does not pass "
                 "VT-x/AMD-V through (nested virtualization is off).")
        v.next_steps += nested_steps(c)
    elif c.firmware == "absent":
        block(v, "This CPU has no VT-x/AMD-V, which KVM on x86 requires.", K.KVM_X86_HW)
    else:
        block(v, "No vmx/svm flag is visible, and the cause (no VT, or VT disabled in "
                 "firmware) could not be determined.", K.KVM_BIOS)
        v.unknowns.append("firmware VT state")
        v.next_steps.append("Check the firmware setup for a Virtualization Technology "
                            "switch; run 'kernel-advisor check' as root for the MSRs.")


def setup_steps(c: Context, v: Verdict, ready: bool) -> None:
    module = {"AMD-V": "kvm_amd", "VT-x": "kvm_intel"}.get(c.vt or "", "kvm")
    if c.kvm_device == "absent" and not ready:
        if c.config.get("CONFIG_KVM") == "n":
            v.next_steps.append("This kernel was built without KVM (CONFIG_KVM is not set): "
                                "install your distribution's standard kernel.")
        elif c.config.get("CONFIG_MODULES") == "n":
            v.next_steps.append("This kernel has no module support: KVM must be built in.")
        else:
            v.next_steps.append(f"sudo modprobe {module}")
        if c.container:
            v.next_steps.append(f"Inside {c.container}: pass the device in (e.g. docker run "
                                "--device /dev/kvm).")
    if c.kvm_access is False:
        v.next_steps.append(
            "sudo usermod -aG kvm $USER, then log out and in again (a new login session "
            "is needed for the group to apply).")
    if c.kvm_usable is False:
        v.next_steps.append("Quit VirtualBox/VMware (or unload vboxdrv/vmmon): another "
                            "hypervisor holds VT-x.")
    if c.what_if:
        v.unknowns.append("/dev/kvm under the what-if kernel")
    elif c.kvm_device is None and c.kvm_usable is None and not ready:
        v.unknowns.append("/dev/kvm state")
    v.next_steps.append("sudo apt install qemu-system libvirt-daemon-system virt-manager "
                        "(or your distribution's equivalent), then create a VM in virt-manager.")
    if ready:
        v.next_steps.insert(0, "Nothing to set up: KVM already works for this user.")


def nested_steps(c: Context) -> list:
    hv = c.hv or ""
    if c.release.wsl == 2 or hv == "Microsoft":
        return ["On the Windows host: enable nested virtualization (Hyper-V: "
                "Set-VMProcessor -ExposeVirtualizationExtensions $true; WSL2 on Windows 11: "
                "nestedVirtualization=true in %UserProfile%\\.wslconfig, then wsl --shutdown)."]
    if hv == "VMware":
        return ["In VMware, enable 'Virtualize Intel VT-x/EPT or AMD-V/RVI' for this VM."]
    if hv == "Oracle":
        return ["In VirtualBox: VBoxManage modifyvm VM --nested-hw-virt on (VM powered off)."]
    return ["On the outer KVM host: enable nested virtualization (options kvm-intel nested=1, or "
            "kvm-amd nested=1, in /etc/modprobe.d), reload the module, and give this VM "
            "the host CPU model (host-passthrough)."]
