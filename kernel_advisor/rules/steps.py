"""Next steps that work on the analysed host as it stands: the install commands of its
distribution and architecture (:mod:`kernel_advisor.distro`), the Xen toolstack of its Xen, and how
to
turn on nested virtualization in the layer that is really outside it — addressed to whoever
owns that layer (the outer host's administrator, the cloud provider's setting, WSL's user)."""

from __future__ import annotations

from typing import List

from packaging.version import Version

from kernel_advisor import knowledge
from kernel_advisor.distro import command_in, generic
from kernel_advisor.i18n import _
from kernel_advisor.knowledge import K
from kernel_advisor.model import Step, Verdict, Who
from kernel_advisor.rules.context import Context, add_source
from kernel_advisor.stack import Below


def install(c: Context, notes: List[str], kind: str) -> List[Step]:
    """The step that installs ``kind`` (``kvm``, ``xen``) here, if this distribution has one;
    the sentence saying whose commands they are goes to ``notes``."""
    cmd, _unused = c.distro.command(kind, c.family)
    if cmd is None:
        return []
    if c.distro.known:
        said = _("The commands are for {label} (from {source}).").format(
            label=c.distro.label, source=c.distro.source)
        if said not in notes:
            notes.append(said)
    for note in (c.distro.ended or {}).get("note"), c.distro.note:
        if note and note not in notes:
            notes.append(note)
    # the copy button copies the command alone; advice in words has none
    return [Step(text=cmd, command=command_in(cmd), who=Who.ADMIN)]


def dom0_kernel(c: Context) -> Step:
    cmd, _unused = c.distro.command("dom0_kernel", c.family)
    text = cmd or generic("dom0_kernel")
    command = command_in(text)
    if command is None:
        return Step(text=_("Boot a dom0-capable kernel: {advice} Confirm with grep "
                           "CONFIG_XEN_DOM0 /boot/config-$(uname -r) after rebooting into it.")
                    .format(advice=text), who=Who.ADMIN)
    return Step(text=_("Boot a dom0-capable kernel: {cmd}; confirm with grep CONFIG_XEN_DOM0 "
                       "/boot/config-$(uname -r) after rebooting into it.").format(cmd=text),
                command=command, who=Who.ADMIN)


def xen_toolstack(c: Context, v: Verdict) -> str:
    """``xl`` or ``xm``, by the Xen that runs (or, for a new install, the distribution's)."""
    add_source(v, K.XEN_TOOLSTACK)
    if c.xen_version:
        xen, toolstack = Version(c.xen_version), knowledge.fact(K.XEN_TOOLSTACK)
        if xen < Version(toolstack["xl_from"]):
            return "xm"
        if xen < Version(toolstack["xm_removed"]):
            return _("xl (or xm while xend runs)")
        return "xl"
    old_vendor = c.release.xen_flavour and c.release.vendor == "Red Hat"
    if old_vendor or (c.distro.id in ("rhel", "centos") and (c.distro.major or 99) < 6):
        return "xm"  # RHEL/CentOS 5 ship Xen 3.x
    return "xl"


#: x86 KVM hosts' module option, by the guest's CPU vendor (arm64 hosts nest differently)
KVM_NESTED_OPTION = {"AMD-V": "kvm-amd", "VT-x": "kvm-intel"}


def nested(c: Context) -> List[Step]:
    """How to pass the extension through from the layer outside this VM, by that layer's kind
    (never for a dom0: there is none)."""
    below, hv = c.stack.below, c.hv or ""
    if c.release.wsl == 2:
        return [Step(text=_("WSL2 runs with nested virtualization on by default on Windows 11; "
                            "if it was turned off, put a line '[wsl2]' and below it "
                            "'nestedVirtualization=true' in %UserProfile%\\.wslconfig, then "
                            "run 'wsl --shutdown'. Windows 10 does not support it."),
                     command="wsl --shutdown", who=Who.YOU)]
    if below.kind == Below.CLOUD:
        return [Step(text=_("Nested virtualization here is a setting of {cloud}, not of this "
                            "system: choose an instance type (or an instance option) for which "
                            "{cloud} offers it, or a bare-metal instance.").format(
                                cloud=below.name), who=Who.PROVIDER)]
    if below.kind == Below.MICROVM:
        return [Step(text=_("This is a microVM (the monitor booted the kernel without firmware): "
                            "whether it can pass {ext} through depends on that monitor and its "
                            "host; ask whoever runs it.").format(
                                ext="VT-x/AMD-V" if c.x86 else _("the virtualization "
                                                                 "extension")),
                     who=Who.OUTER_HOST)]
    if hv == "Microsoft":
        return [Step(text=_("On the Hyper-V host, with this VM off: Set-VMProcessor -VMName "
                            "NAME -ExposeVirtualizationExtensions $true"),
                     command="Set-VMProcessor -VMName NAME -ExposeVirtualizationExtensions "
                             "$true", who=Who.OUTER_HOST)]
    if hv == "VMware":
        return [Step(text=_("In VMware, enable 'Virtualize Intel VT-x/EPT or AMD-V/RVI' for "
                            "this VM."), who=Who.OUTER_HOST)]
    if hv == "Oracle":
        return [Step(text=_("In VirtualBox: VBoxManage modifyvm VM --nested-hw-virt on (VM "
                            "powered off)."), command="VBoxManage modifyvm VM --nested-hw-virt "
                                                      "on", who=Who.OUTER_HOST)]
    if hv == "Xen":
        return [Step(text=_("On the Xen host: set nestedhvm=1 (with hap=1) in this guest's xl "
                            "configuration and restart the guest."), who=Who.OUTER_HOST)]
    if hv == "KVM" and c.x86:
        option = KVM_NESTED_OPTION.get(c.vt or "")
        which = (_("options {option} nested=1").format(option=option) if option else
                 _("options kvm-intel nested=1, or kvm-amd nested=1"))
        return [Step(text=_("On the outer KVM host: enable nested virtualization ({which}, in "
                            "/etc/modprobe.d), reload the module, and give this VM the host "
                            "CPU model (host-passthrough).").format(which=which),
                     who=Who.OUTER_HOST)]
    if hv == "KVM" and c.family == "arm64":
        return [Step(text=_("On the outer arm64 KVM host: nested virtualization needs a CPU "
                            "with FEAT_NV2 and a host kernel that offers it to guests "
                            "(kvm-arm.mode=nested); give this VM a CPU model with EL2."),
                     who=Who.OUTER_HOST)]
    return [Step(text=_("On the host outside this VM ({hv_name}): enable nested "
                        "virtualization for it.").format(hv_name=c.hv_name),
                 who=Who.OUTER_HOST)]
