"""KVM: live evidence first (a ``KVM_CREATE_VM`` that succeeded wins over any history or flag:
PVM hosts, vendor backports), then who owns the hardware here (a Xen dom0's hypervisor, or no
VT at all in a Xen PV domU), then the kernel's range for this architecture (and vendor
backports such as RHEL 5.4's), then the CPU's virtualization extension in that architecture's
own terms: VT-x/AMD-V and the firmware switch on x86, EL2 on arm64, SIE on s390."""

from __future__ import annotations

from advisor import knowledge
from advisor.knowledge import K
from advisor.model import F, Verdict
from advisor.rules import steps
from advisor.rules.context import Context, add_source, block, cite
from advisor.i18n import _


def evaluate(c: Context) -> Verdict:
    v = Verdict("kvm", evidence=[F.KERNEL_RELEASE, F.KERNEL_ARCH, F.CPU_VIRTUALIZATION,
                                 F.CPU_FIRMWARE_VT, F.KVM_DEVICE, F.KVM_USABLE])
    if c.release.wsl == 1:
        block(v, _("This is WSL1: not a Linux kernel, so there is no KVM."), K.WSL1)
        v.next_steps.append(_("Convert the distribution to WSL2 (wsl --set-version NAME 2) on "
                              "Windows 11, where WSL2 has nested virtualization on by default."))
        add_source(v, K.WSL2_NESTED)
        return v
    if c.kvm_usable is True:
        _works_now(c, v)
        return v
    if c.dom0:
        v.evidence.append(F.HYPERVISOR_XEN_ROLE)
        block(v, _("This is a Xen dom0: the Xen hypervisor under it owns VT-x/AMD-V (even where "
                   "cpuinfo still shows vmx/svm), so KVM cannot run here."), K.XEN_DOM0_HIDES_VT)
        v.next_steps += [_("Xen is this machine's hypervisor: create guests with Xen (see the "
                           "Xen verdict)."),
                         _("To use KVM instead, boot the machine without the Xen hypervisor (the "
                           "plain kernel entry in GRUB).")]
        return v
    if c.pv_domu:
        v.evidence.append(F.HYPERVISOR_XEN_ROLE)
        block(v, _("This is a Xen PV guest (domU): its kernel runs paravirtualized, without "
                   "VT-x/AMD-V at all, so KVM cannot run here."), K.XEN_PV_NOVT)
        v.next_steps.append(_("Run KVM on the hardware, or in an HVM guest whose Xen host sets "
                              "nestedhvm=1."))
        return v
    if not _kernel_has_kvm(c, v):
        return v
    if not _hardware(c, v):
        return v
    if c.in_vm and (c.vt or c.firmware == "enabled"):
        v.reasons.append(_("We run inside {hv_name}, which exposes the virtualization "
                           "extensions: KVM will run nested, slower than on bare metal.").format(
                           hv_name=c.hv_name))
    elif c.in_vm:
        v.reasons.append(_("We run inside {hv_name}: KVM works only if it exposes nested "
                           "virtualization, which the evidence does not show.").format(
                           hv_name=c.hv_name))
        v.unknowns.append(_("nested virtualization"))
        v.next_steps += steps.nested(c)
    setup_steps(c, v, ready=False)
    _guests(c, v)
    return v


def _works_now(c: Context, v: Verdict) -> None:
    v.ready = True
    v.reasons.append(_("KVM_CREATE_VM succeeded on /dev/kvm: KVM works on this host now."))
    if c.in_vm:
        v.reasons.append(_("We run inside {hv_name}: guests are nested, expect reduced "
                           "performance.").format(hv_name=c.hv_name))
    _guests(c, v)
    if v.usable:
        setup_steps(c, v, ready=True)
    else:
        v.ready = False


def _guests(c: Context, v: Verdict) -> None:
    """Which guests this KVM runs: with VT-x/AMD-V any OS; through PVM (no VT) only Linux
    guests built for PVM."""
    if not c.x86 or c.vt:
        if c.x86:
            cite(v, K.KVM_GUESTS)
        return
    if c.pvm:
        cite(v, K.KVM_PVM, _("KVM works here without VT-x/AMD-V through PVM (this kernel has "
                             "kvm_pvm), which runs only Linux guests whose kernel is built for "
                             "PVM."))
        if c.answers.guests == "any":
            block(v, _("Windows, BSD and other guests need VT-x/AMD-V, and this host has none: "
                       "its KVM (PVM) runs only PVM-enabled Linux guests."), K.KVM_PVM)
        else:
            v.next_steps.append(_("Give each guest a kernel built for PVM (the PVM project's "
                                  "guest configuration); a stock distribution kernel will not "
                                  "boot under it."))
    elif c.kvm_usable:
        v.reasons.append(_("It works although the CPU shows no VT-x/AMD-V flag: which guests "
                           "it can run depends on how this kernel provides KVM (unknown)."))
        v.unknowns.append(_("how KVM works without VT"))


def _kernel_has_kvm(c: Context, v: Verdict) -> bool:
    """Whether the analysed kernel has KVM for this architecture (False: ``v`` is blocked)."""
    if c.family is None:
        v.unknowns.append("architecture")
        v.reasons.append(_("The architecture is unknown, so KVM support cannot be checked "
                           "(give --arch)."))
        return True
    facts = knowledge.ranges("kvm", c.family)
    if not facts:
        block(v, _("Mainline Linux has no KVM for {arch} ({family}).").format(
                   arch=c.arch,
                   family=c.family))
        return False
    fid = facts[0]
    since, until = knowledge.bounds(fid)
    inside = c.in_range(fid)
    if inside is False and c.before(since) and knowledge.vendor_backport(K.KVM_RHEL54,
                                                                          c.release.release):
        if c.family in knowledge.fact(K.KVM_RHEL54)["arch"]:
            cite(v, K.KVM_RHEL54, _("{release} is RHEL 5.4 or later's regular kernel: Red Hat "
                                    "added KVM to it (x86_64), though upstream 2.6.18 predates "
                                    "KVM.").format(release=c.release.release))
            return True
        block(v, _("RHEL 5's KVM is for x86_64 only."), K.KVM_RHEL54)
        return False
    if inside is False:
        if c.before(since):
            block(v, _("Linux {version} predates KVM for {family}: it came in {since}.").format(
                       version=c.release.version,
                       family=c.family,
                       since=since), fid)
            if c.release.xen_flavour and c.release.vendor == "Red Hat":
                cite(v, K.KVM_RHEL54, _("On RHEL/CentOS 5.4 and later, KVM comes with the "
                                        "regular kernel, not with this Xen kernel (el5xen)."))
                v.next_steps.append(_("Boot the regular (non-Xen) RHEL 5.4+ kernel to use KVM; "
                                      "this one runs under Xen."))
            else:
                v.next_steps.append(_("Move to a kernel from {since} on (today: a longterm "
                                      "series).").format(since=since))
        else:
            block(v, _("KVM for {family} was removed in {until}; Linux {version} no longer has "
                       "it.").format(family=c.family, until=until, version=c.release.version), fid)
        return False
    if inside is None:
        v.unknowns.append("kernel release")
        v.reasons.append(_("The kernel release is unknown, so whether it has KVM is unknown."))
    else:
        cite(v, fid)
    if c.family == "x86_32":
        cite(v, K.KVM_X86_32_HOST)
    return True


def _hardware(c: Context, v: Verdict) -> bool:
    """The CPU's virtualization extension, in this architecture's terms (False: blocked)."""
    if c.x86:
        cite(v, K.KVM_X86_HW)
        if c.firmware == "disabled":
            _firmware_off(c, v)
            return False
        if not c.vt:
            _no_vt(c, v)
            return False
        v.reasons.append(_("The CPU offers {vt}.").format(vt=c.vt))
    elif c.family == "arm64" and c.firmware == "unavailable":
        block(v, _("The kernel was not entered at EL2 (the log says 'HYP mode not available'), "
                   "so KVM has no hypervisor mode here."), K.KVM_ARM64_EL2)
        v.next_steps += steps.nested(c) if c.in_vm else [
            _("Boot with firmware that enters the kernel at EL2 (on boards that allow it, check "
              "the boot loader's settings); then dmesg | grep -i 'mode initialized' confirms it.")]
        return False
    elif c.family == "s390" and (c.firmware == "unavailable"
                                 or (c.flags and "sie" not in c.flags)):
        block(v, _("This s390 CPU does not offer the SIE facility that KVM needs "
                   "(virt-host-validate checks the same)."), K.KVM_S390_SIE)
        return False
    return True


def _firmware_off(c: Context, v: Verdict) -> None:
    shown = _("cpuinfo still shows {vt}, but ").format(vt=c.vt) if c.vt else ""
    block(v, _("VT is off in the firmware: {shown}the firmware has VT-x/AMD-V locked off, so "
               "kvm_intel/kvm_amd refuse to load (see the kernel log line in the "
               "evidence).").format(shown=shown), K.KVM_BIOS)
    v.next_steps += [
        _("Enter the firmware (BIOS/UEFI) setup and enable 'Intel Virtualization Technology "
          "(VT-x)' or 'SVM Mode' (AMD)."),
        _("Power the machine off completely and on again: a warm reboot may not apply the change."),
    ]


def _no_vt(c: Context, v: Verdict) -> None:
    """x86 without a visible vmx/svm flag: say why, as precisely as the evidence allows."""
    if c.firmware == "not exposed" or c.in_vm:
        block(v, _("We run inside {hv_name} and it does not pass VT-x/AMD-V through (nested "
                   "virtualization is off).").format(hv_name=c.hv_name),
              K.WSL2_NESTED if c.release.wsl == 2 else None)
        v.next_steps += steps.nested(c)
    elif c.firmware == "absent":
        block(v, _("This CPU has no VT-x/AMD-V, which KVM on x86 requires."), K.KVM_X86_HW)
    else:
        block(v, _("No vmx/svm flag is visible, and the cause (no VT, or VT disabled in "
                   "firmware) could not be determined."), K.KVM_BIOS)
        v.unknowns.append(_("firmware VT state"))
        v.next_steps.append(_("Check the firmware setup for a Virtualization Technology "
                              "switch; run 'kernel-advisor check' as root for the MSRs."))


def _load_step(c: Context) -> str:
    """How KVM gets loaded on this architecture (arm64 has it built in)."""
    if c.family == "arm64":
        return (_("KVM is built into arm64 kernels (no module to load): if /dev/kvm is missing, "
                  "this kernel lacks CONFIG_KVM or was entered at EL1 (dmesg | grep -i kvm)."))
    if c.family == "ppc":
        mod = "kvm_pr" if c.in_vm or c.hv == "pHyp" else "kvm_hv"
        return _("sudo modprobe {mod}   (kvm_hv on bare-metal POWER, kvm_pr under PowerVM or "
                 "in a guest)").format(mod=mod)
    module = {"AMD-V": "kvm_amd", "VT-x": "kvm_intel"}.get(c.vt or "", "kvm")
    return _("sudo modprobe {module}").format(module=module)


def setup_steps(c: Context, v: Verdict, ready: bool) -> None:
    if c.family == "arm64":
        add_source(v, K.KVM_ARM64_EL2)
    elif c.family == "ppc":
        add_source(v, K.KVM_PPC_MODULES)
    if c.kvm_device == "absent" and not ready:
        if c.config.get("CONFIG_KVM") == "n":
            v.next_steps.append(_("This kernel was built without KVM (CONFIG_KVM is not set): "
                                  "install your distribution's standard kernel."))
        elif c.container:
            v.next_steps.append(_("Inside {container} no module can be loaded: on the host, "
                                  "{load_step_c}; then pass the device in (e.g. docker run "
                                  "--device /dev/kvm).").format(
                                  container=c.container,
                                  load_step_c=_load_step(c)))
        elif c.config.get("CONFIG_MODULES") == "n":
            v.next_steps.append(_("This kernel has no module support: KVM must be built in."))
        else:
            v.next_steps.append(_load_step(c))
    elif c.kvm_device is None and not ready and not c.container and c.family != "arm64":
        v.next_steps.append(_("If /dev/kvm is missing: {load_step_c}").format(
                              load_step_c=_load_step(c)))
    if c.kvm_access is False:
        if c.kvm_group:
            v.next_steps.append(_("sudo usermod -aG {kvm_group} $USER, then log out and in "
                                  "again (a new login session is needed for the group to "
                                  "apply).").format(kvm_group=c.kvm_group))
        else:
            v.next_steps.append(_('No group may open /dev/kvm: add a udev rule KERNEL=="kvm", '
                                  'GROUP="kvm", MODE="0660", then sudo usermod -aG kvm $USER and '
                                  "log in again."))
    if c.kvm_usable is False:
        holders = " or ".join(c.kvm_conflicts) or _("the other hypervisor (VirtualBox, VMware…)")
        v.next_steps.append(_("Quit {holders}, which holds VT-x/AMD-V now, then try again.").format(
                              holders=holders))
    if c.what_if:
        v.unknowns.append(_("/dev/kvm under the what-if kernel"))
    elif c.kvm_device is None and c.kvm_usable is None and not ready:
        v.unknowns.append(_("/dev/kvm state"))
    steps.install(c, v, "kvm")
    if c.distro.family != "proxmox":
        v.next_steps.append(_("Then create a VM with virt-manager or virt-install."))
    if ready:
        v.next_steps.insert(0, _("Nothing to set up: KVM already works for this user."))
