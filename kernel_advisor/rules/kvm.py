"""KVM as requirements, lowest layer first (the order a person fixes them in):

1. ``kvm.kernel_kind``   the kernel is a real one (not WSL1, User-mode Linux or a sandbox's)
2. ``kvm.hypervisor``    nothing under us owns the extension (a Xen dom0's hypervisor; a PV domU)
3. ``kvm.kernel_support`` the analysed kernel has KVM for this architecture (vendor backports too)
4. ``kvm.hw_extension``  the CPU's extension in its architecture's terms (VT-x/AMD-V, EL2/HYP,
                         SIE, H, LVZ), or a KVM that needs none (PVM)
5. ``kvm.firmware``      x86 on the hardware: the firmware switch
6. ``kvm.exposed``       in a VM: the layer under us passes the extension through — whose
                         switch that is depends on its kind (an outer host, a cloud's setting,
                         impossible in a confidential VM, an emulator, a microVM)
7. ``kvm.module``        the module is built, loaded or loadable (not blocked)
8. ``kvm.device_node``   /dev/kvm exists here (in a container: was given to it)
9. ``kvm.user_access``   this user may open it (group, session, the container's group mapping)
10. ``kvm.no_conflict``  no other hypervisor holds the extension (evidence only: EBUSY)
11. ``kvm.guests``       the guests asked for run on this KVM (PVM: Linux only)
12. ``kvm.live_proof``   KVM_CREATE_VM succeeded for this user

Live evidence is the strongest: a KVM_CREATE_VM that succeeded meets 3–9 whatever history or
flags say (PVM hosts, vendor backports); a loaded vendor module (kvm_intel, kvm_amd) proves the
extension is there and on, because neither loads without it.
"""

from __future__ import annotations

from typing import List, Optional

from kernel_advisor import knowledge
from kernel_advisor.i18n import _
from kernel_advisor.knowledge import K
from kernel_advisor.model import F, Layer, Requirement, State, Step, Verdict, Who
from kernel_advisor.rules import kvm_neighbours, steps
from kernel_advisor.rules.context import Context
from kernel_advisor.rules.kvm_access import device_node, user_access
from kernel_advisor.rules.kvm_hardware import extension_name, hw_extension
from kernel_advisor.rules.kvm_hardware import works as _works
from kernel_advisor.rules.requirements import cited, evaluate, req, step
from kernel_advisor.stack import Below, Firmware, KernelKind

MET, FIXABLE, IMPOSSIBLE, UNKNOWN = State.MET, State.FIXABLE, State.IMPOSSIBLE, State.UNKNOWN


def kernel_kind(c: Context) -> Optional[Requirement]:
    kind = c.stack.kernel.kind
    if kind == KernelKind.WSL1:
        return req("kvm.kernel_kind", Layer.KERNEL, IMPOSSIBLE,
                   _("This is WSL1: not a Linux kernel, so there is no KVM."),
                   evidence=[F.KERNEL_RELEASE], source=K.WSL1,
                   fix=[step(_("Convert the distribution to WSL2 (wsl --set-version NAME 2) on "
                               "Windows 11, where WSL2 has nested virtualization on by "
                               "default."), "wsl --set-version NAME 2")])
    if kind == KernelKind.UML:
        return req("kvm.kernel_kind", Layer.KERNEL, IMPOSSIBLE,
                   _("This kernel is User-mode Linux: it runs as a process of another Linux "
                     "system, and its cpuinfo shows that system's CPU flags. User-mode Linux "
                     "has no KVM."), evidence=[F.HYPERVISOR_VENDOR, F.CPU_FLAGS],
                   fix=[step(_("Run KVM on the Linux system that runs this User-mode Linux "
                               "kernel."), who=Who.OUTER_HOST)])
    if kind == KernelKind.SANDBOX:
        return req("kvm.kernel_kind", Layer.KERNEL, IMPOSSIBLE,
                   _("This 'kernel' is a sandbox's ({kind}): system calls are served by the "
                     "sandbox, not by a Linux kernel, so there is no KVM here.").format(
                       kind=c.host.value(F.CONTAINER_KIND)), evidence=[F.CONTAINER_KIND],
                   fix=[step(_("Run the workload outside the sandbox, or with a runtime that "
                               "passes /dev/kvm through."), who=Who.RUNTIME)])
    return None


def kernel_support(c: Context) -> Optional[Requirement]:
    rid, ev = "kvm.kernel_support", [F.KERNEL_RELEASE, F.KERNEL_ARCH]
    if c.family is None:
        return req(rid, Layer.KERNEL, UNKNOWN, _("The architecture is unknown, so KVM support "
                                                 "cannot be checked (give --arch)."), evidence=ev,
                   topic=_("architecture"))
    facts = knowledge.ranges("kvm", c.family)
    if not facts:
        return req(rid, Layer.KERNEL, IMPOSSIBLE, _("Mainline Linux has no KVM for {arch} "
                                                    "({family}).").format(arch=c.arch,
                                                                          family=c.family),
                   evidence=ev)
    fid = facts[0]
    since, until = knowledge.bounds(fid)
    inside = c.in_range(fid)
    if inside is None:
        return req(rid, Layer.KERNEL, MET if _works(c) else UNKNOWN,
                   _("The kernel release is unknown, so whether it has KVM is unknown."),
                   evidence=ev, source=fid, topic=_("kernel release"))
    if inside:
        return req(rid, Layer.KERNEL, MET, cited(fid), evidence=ev, source=fid)
    if c.before(since) and knowledge.vendor_backport(K.KVM_RHEL54, c.release.release):
        if c.family in knowledge.fact(K.KVM_RHEL54)["arch"]:
            backport = knowledge.fact(K.KVM_RHEL54)
            return req(rid, Layer.KERNEL, MET, _(
                "{release} is {product} {product_version} or later's regular kernel: its vendor "
                "added KVM to it ({arch}), though upstream {version} predates KVM.").format(
                    release=c.release.release, product=backport["vendor_product"],
                    product_version=backport["vendor_version"], version=c.release.version,
                    arch=", ".join(backport["arch"])), evidence=ev, source=K.KVM_RHEL54)
        return req(rid, Layer.KERNEL, IMPOSSIBLE, _("RHEL 5's KVM is for x86_64 only."),
                   evidence=ev, source=K.KVM_RHEL54)
    if _works(c):  # live evidence beats the history: a vendor backport we do not list
        return req(rid, Layer.KERNEL, MET, _("KVM_CREATE_VM succeeded although upstream "
                                             "{version} has no KVM for {family}: this "
                                             "kernel's vendor added it.").format(
                                                 version=c.release.version, family=c.family),
                   evidence=ev + [F.KVM_USABLE], source=fid)
    if c.before(since):
        fix = [step(_("Move to a kernel from {since} on (today: a longterm series).").format(
            since=since))]
        if c.release.xen_flavour and c.release.vendor == "Red Hat":
            backport = knowledge.fact(K.KVM_RHEL54)
            fix = [step(_("Boot the regular (non-Xen) kernel of {product} {product_version} or "
                          "later to use KVM; this one runs under Xen.").format(
                              product=backport["vendor_product"],
                              product_version=backport["vendor_version"]), who=Who.ADMIN)]
        return req(rid, Layer.KERNEL, IMPOSSIBLE, _(
            "Linux {version} predates KVM for {family}: it came in {since}.").format(
                version=c.release.version, family=c.family, since=since), evidence=ev,
            source=fid, fix=fix)
    return req(rid, Layer.KERNEL, IMPOSSIBLE, _(
        "KVM for {family} was removed in {until}; Linux {version} no longer has it.").format(
            family=c.family, until=until, version=c.release.version), evidence=ev, source=fid)


def hypervisor(c: Context) -> Optional[Requirement]:
    rid = "kvm.hypervisor"
    if c.dom0:
        return req(rid, Layer.BELOW, IMPOSSIBLE, _(
            "This is a Xen dom0: the Xen hypervisor under it owns VT-x/AMD-V (even where "
            "cpuinfo still shows vmx/svm), so KVM cannot run here."),
            evidence=[F.HYPERVISOR_XEN_ROLE], source=K.XEN_DOM0_HIDES_VT,
            fix=[step(_("Xen is this machine's hypervisor: create guests with Xen (see the Xen "
                        "verdict).")),
                 step(_("To use KVM instead, boot the machine without the Xen hypervisor (the "
                        "plain kernel entry in GRUB)."), who=Who.ADMIN)])
    if c.pv_domu:
        return req(rid, Layer.BELOW, IMPOSSIBLE, _(
            "This is a Xen PV guest (domU): its kernel runs paravirtualized, without VT-x/AMD-V "
            "at all, so KVM cannot run here."), evidence=[F.HYPERVISOR_XEN_ROLE],
            source=K.XEN_PV_NOVT,
            fix=[step(_("Run KVM on the hardware, or in an HVM guest whose Xen host sets "
                        "nestedhvm=1."), who=Who.OUTER_HOST)])
    return None


def firmware(c: Context) -> Optional[Requirement]:
    if not c.x86 or c.stack.kernel.kind != KernelKind.REAL or c.dom0 or c.pv_domu:
        return None
    if c.firmware != Firmware.DISABLED:
        return None
    shown = _("cpuinfo still shows {vt}, but ").format(vt=c.vt) if c.vt else ""
    return req("kvm.firmware", Layer.FIRMWARE, FIXABLE, _(
        "VT is off in the firmware: {shown}the firmware has VT-x/AMD-V locked off, so "
        "kvm_intel/kvm_amd refuse to load (see the kernel log line in the evidence).").format(
            shown=shown), evidence=[F.CPU_FIRMWARE_VT], source=K.KVM_BIOS, fix=[
        step(_("Enter the firmware (BIOS/UEFI) setup and enable 'Intel Virtualization "
               "Technology (VT-x)' or 'SVM Mode' (AMD)."), who=Who.FIRMWARE_SETUP),
        step(_("Power the machine off completely and on again: a warm reboot may not apply the "
               "change."), who=Who.ADMIN)])


def exposed(c: Context) -> Optional[Requirement]:
    """In a VM: does the layer under us pass the extension through, and who could switch it."""
    below = c.stack.below
    if not c.in_vm or c.pv_domu or c.stack.kernel.kind != KernelKind.REAL:
        return None
    rid, ev = "kvm.exposed", [F.HYPERVISOR_VENDOR, F.CPU_VIRTUALIZATION, F.CPU_FIRMWARE_VT]
    shown = c.vt or c.firmware == Firmware.ENABLED
    if _works(c) or shown or c.pvm or (not c.x86 and c.firmware == Firmware.ENABLED):
        why = _("KVM runs here through PVM, which needs no nested VT-x/AMD-V.") if (
            c.pvm and not c.vt) else _(
            "We run inside {hv_name}, which exposes the virtualization extensions: KVM runs "
            "nested, slower than on bare metal.").format(hv_name=c.hv_name)
        return req(rid, Layer.BELOW, MET, why, evidence=ev)
    if below.kind == Below.CONFIDENTIAL:
        return req(rid, Layer.BELOW, IMPOSSIBLE, _(
            "This is a confidential VM ({kind}) and its CPU shows no {ext}: the confidential-VM "
            "architecture, not an outer host's nesting switch, decides its CPU features, and "
            "our fact sheet knows of none that offers it (unverified)."
            ).format(kind=below.confidential, ext=extension_name(c)), evidence=ev + [F.PLATFORM],
            source=K.KVM_CONFIDENTIAL,
            fix=[step(_("Run KVM on the host, or in an ordinary (not confidential) VM with "
                        "nested virtualization."), who=below.controller)])
    if below.kind == Below.EMULATOR:
        return req(rid, Layer.BELOW, IMPOSSIBLE, _(
            "We run inside {hv_name}: the CPU is emulated (QEMU's TCG), and this emulated CPU "
            "offers no {ext}. No module option applies: there is no KVM under us.").format(
                hv_name=c.hv_name, ext=extension_name(c)), evidence=ev + [F.HYPERVISOR_CPUID],
            fix=[step(_("Run this system under KVM (qemu -accel kvm) on a host that has it, or "
                        "keep emulating guests with QEMU's TCG here."), who=Who.OUTER_HOST)])
    if c.stack.hardware.firmware == Firmware.UNKNOWN and not c.x86 and c.family not in (
            "arm64", "arm"):
        return None
    fix = steps.nested(c)
    return req(rid, Layer.BELOW, FIXABLE, _(
        "We run inside {hv_name} and it does not pass {ext} through (nested virtualization is "
        "off).").format(hv_name=c.hv_name, ext=extension_name(c)), evidence=ev,
        source=K.WSL2_NESTED if c.release.wsl == 2 else K.KVM_NESTED, fix=fix)


def _load_step(c: Context) -> Step:
    """How KVM gets loaded on this architecture (arm64 has it built in)."""
    if c.family == "ppc":
        mod = "kvm_pr" if c.in_vm or c.hv == "pHyp" else "kvm_hv"
        return step(_("sudo modprobe {mod}   (kvm_hv on bare-metal POWER, kvm_pr under PowerVM "
                      "or in a guest)").format(mod=mod), f"sudo modprobe {mod}", Who.ADMIN)
    module = {"AMD-V": "kvm_amd", "VT-x": "kvm_intel"}.get(c.vt or "", "kvm")
    return step(_("sudo modprobe {module}").format(module=module), f"sudo modprobe {module}",
                Who.ADMIN)


def module(c: Context) -> Optional[Requirement]:
    rid, ev = "kvm.module", [F.KVM_MODULES, F.KERNEL_CONFIG, F.KVM_BLOCKED]
    if c.stack.kernel.kind != KernelKind.REAL or c.dom0 or c.pv_domu:
        return None
    if c.what_if:
        if c.family == "arm64":
            return None
        load = _load_step(c)
        return req(rid, Layer.KERNEL, UNKNOWN, _(
            "Whether the what-if kernel has KVM's module loaded is not known."), evidence=ev,
            fix=[step(_("If /dev/kvm is missing: {load}").format(load=load.text), load.command,
                      Who.ADMIN)], topic=_("/dev/kvm under the what-if kernel"),
            source=K.KVM_PPC_MODULES if c.family == "ppc" else None)
    if c.firmware in (Firmware.DISABLED, Firmware.NOT_EXPOSED) and not _works(c) and not c.pvm:
        return None  # the vendor module refuses to load until the layer below is fixed
    mods = set(c.kvm_modules)
    built = any(c.config.get(k) == "y" for k in ("CONFIG_KVM", "CONFIG_KVM_INTEL",
                                                 "CONFIG_KVM_AMD"))
    if _works(c) or c.kvm_device == "present" or mods & {"kvm", "kvm_intel", "kvm_amd",
                                                         "kvm_pvm", "kvm_hv", "kvm_pr"}:
        return req(rid, Layer.KERNEL, MET, _("KVM's module is loaded (or built in): {mods}.")
                   .format(mods=", ".join(sorted(mods)) or "CONFIG_KVM=y"), evidence=ev)
    if c.config.get("CONFIG_KVM") == "n" or (c.config and "CONFIG_KVM" in c.config
                                             and c.config["CONFIG_KVM"] not in ("y", "m")):
        return req(rid, Layer.KERNEL, FIXABLE, _(
            "This kernel was built without KVM (CONFIG_KVM is not set): install your "
            "distribution's standard kernel."), evidence=ev, replaces_kernel=True,
            fix=[step(_("Install and boot your distribution's standard kernel, which has "
                        "KVM."), who=Who.ADMIN)])
    if c.container:
        host_step = _load_step(c)
        return req(rid, Layer.KERNEL, FIXABLE, _(
            "Inside {container} no module can be loaded: the host loads KVM's module.").format(
                container=c.container), evidence=ev + [F.CONTAINER_KIND],
            fix=[step(_("On the host: {cmd}").format(cmd=host_step.command),
                      host_step.command, Who.OUTER_HOST)])
    blocked = [(m, where) for m, where in c.stack.kernel.blocked.items()]
    if blocked:
        mod, where = blocked[0]
        path = where.split(":", 1)[0]
        return req(rid, Layer.KERNEL, FIXABLE, _(
            "{module} is blocked from loading: {where}.").format(module=mod, where=where),
            evidence=ev, fix=[step(_("Remove that line from {path} (or the kernel command "
                                     "line), then load the module.").format(path=path),
                                   who=Who.ADMIN), _load_step(c)])
    if c.config.get("CONFIG_MODULES") == "n" and not built:
        return req(rid, Layer.KERNEL, FIXABLE, _(
            "This kernel has no module support, and KVM is not built in."), evidence=ev,
            replaces_kernel=True, fix=[step(_("Install and boot your distribution's standard "
                                              "kernel, which has KVM."), who=Who.ADMIN)])
    if c.family == "arm64":
        return req(rid, Layer.KERNEL, UNKNOWN if c.kvm_device is None else FIXABLE, _(
            "KVM is built into arm64 kernels (no module to load): if /dev/kvm is missing, this "
            "kernel lacks CONFIG_KVM or was entered at EL1 (dmesg | grep -i kvm)."),
            evidence=ev, source=K.KVM_ARM64_EL2)
    if c.kvm_device is None:
        return req(rid, Layer.KERNEL, UNKNOWN, _(
            "Whether KVM's module is loaded is unknown."), evidence=ev,
            fix=[step(_("If /dev/kvm is missing: {load}").format(load=_load_step(c).text),
                      _load_step(c).command, Who.ADMIN)])
    return req(rid, Layer.KERNEL, FIXABLE, _("No KVM module is loaded."), evidence=ev,
               fix=[_load_step(c)], source=K.KVM_PPC_MODULES if c.family == "ppc" else None)


def no_conflict(c: Context) -> Optional[Requirement]:
    record = c.host.get(F.KVM_USABLE)
    raw = (record.raw or "") if record is not None else ""
    if c.what_if or c.kvm_usable is not False or "errno=EBUSY" not in raw:
        return None
    holders = " or ".join(c.kvm_conflicts) or _("the other hypervisor (VirtualBox, VMware…)")
    return req("kvm.no_conflict", Layer.KERNEL, FIXABLE, _(
        "KVM_CREATE_VM failed with EBUSY: {holders} holds VT-x/AMD-V now.").format(
            holders=holders), evidence=[F.KVM_USABLE, F.KVM_CONFLICTS],
        fix=[step(_("Quit {holders}, which holds VT-x/AMD-V now, then try again.").format(
            holders=holders))])


def guests(c: Context) -> Optional[Requirement]:
    if not c.x86 or c.vt or not c.pvm:
        return None
    if c.answers.guests == "any":
        return req("kvm.guests", Layer.KERNEL, IMPOSSIBLE, _(
            "Windows, BSD and other guests need VT-x/AMD-V, and this host has none: its KVM "
            "(PVM) runs only PVM-enabled Linux guests."), evidence=[F.CPU_VIRTUALIZATION,
                                                                    F.KVM_MODULES],
            source=K.KVM_PVM)
    return req("kvm.guests", Layer.KERNEL, MET, _(
        "Linux guests run here if their kernel is built for PVM."), evidence=[F.KVM_MODULES],
        source=K.KVM_PVM, fix=[step(_(
            "Give each guest a kernel built for PVM (the PVM project's guest configuration); a "
            "stock distribution kernel will not boot under it."))])


def live_proof(c: Context) -> Optional[Requirement]:
    rid, ev = "kvm.live_proof", [F.KVM_USABLE]
    if c.stack.kernel.kind != KernelKind.REAL:
        return None
    if c.what_if:
        return req(rid, Layer.LIVE, UNKNOWN, _(
            "Not tried: a what-if kernel cannot be asked to create a VM."), evidence=ev)
    fact = c.host.get(F.KVM_USABLE)
    vcpu = c.host.get(F.KVM_VCPU)
    ran = (vcpu.value or {}).get("ran") if vcpu is not None else None
    if c.kvm_usable is True and vcpu is not None and ran is False:
        return req(rid, Layer.LIVE, UNKNOWN, _(
            "KVM_CREATE_VM succeeded, but a vCPU did not run guest code: {why}. VMs will not "
            "start until that is solved.").format(why=vcpu.summary), evidence=ev + [F.KVM_VCPU])
    if c.kvm_usable is True and ran is True:
        return req(rid, Layer.LIVE, MET, _(
            "KVM_CREATE_VM succeeded and a vCPU ran guest code to HLT through KVM_RUN: KVM "
            "works on this host now."), evidence=ev + [F.KVM_VCPU])
    if c.kvm_usable is True:
        return req(rid, Layer.LIVE, MET, _(
            "KVM_CREATE_VM succeeded on /dev/kvm: KVM works on this host now."), evidence=ev)
    if c.kvm_usable is False:
        return req(rid, Layer.LIVE, UNKNOWN, _("KVM_CREATE_VM failed: {why}.").format(
            why=fact.summary if fact else "?"), evidence=ev)
    why = (fact.reason or fact.summary) if fact else _("not recorded")
    return req(rid, Layer.LIVE, UNKNOWN, _("KVM_CREATE_VM was not tried: {why}.").format(
        why=why), evidence=ev)


#: the order a person works through (see the module's docstring)
REQUIREMENTS = (kernel_kind, hypervisor, kernel_support, hw_extension, firmware, exposed, module,
                device_node, user_access, no_conflict, guests, live_proof)


def evaluate_kvm(c: Context) -> Verdict:
    v = Verdict("kvm")
    notes: List[str] = []
    if c.in_vm and _works(c):
        notes.append(_("We run inside {hv_name}: guests are nested, expect reduced "
                       "performance.").format(hv_name=c.hv_name))
    if c.x86 and c.vt:
        notes.append(cited(K.KVM_GUESTS))
    kvm_neighbours.notes(c, v, notes)
    if c.family == "x86_32":
        notes.append(cited(K.KVM_X86_32_HOST))
    after = []
    if c.stack.kernel.kind == KernelKind.REAL and not c.dom0 and not c.pv_domu:
        after = steps.install(c, notes, "kvm")
        if c.distro.family != "proxmox":
            after.append(step(_("Then create a VM with virt-manager or virt-install.")))
    v = evaluate(v, REQUIREMENTS, c, notes, after)
    if v.ready:
        v.steps.insert(0, step(_("Nothing to set up: KVM already works for this user.")))
        v.next_steps.insert(0, v.steps[0].text)
    if c.family == "arm64" and all(s["id"] != K.KVM_ARM64_EL2 for s in v.sources):
        v.sources.append(knowledge.source_of(K.KVM_ARM64_EL2))
    return v



