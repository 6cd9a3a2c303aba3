"""Next steps that work on the analysed host as it stands: the install commands of its
distribution and architecture (:mod:`advisor.distro`), the Xen toolstack of its Xen, and how to
turn on nested virtualization in the layer that is really outside it."""

from __future__ import annotations

from typing import List

from packaging.version import Version

from advisor.knowledge import K
from advisor.model import Verdict
from advisor.rules.context import Context, add_source
from advisor.i18n import _


def install(c: Context, v: Verdict, kind: str) -> None:
    """Add the command that installs ``kind`` (``kvm``, ``xen``) here, if this distribution has
    one (the Xen rule says why where it has none)."""
    cmd, _unused = c.distro.command(kind, c.family)
    if cmd is None:
        return
    v.next_steps.append(cmd)  # copied as it stands: nothing after the command
    if c.distro.known:
        said = _("The commands are for {label} (from {source}).").format(
                 label=c.distro.label,
                 source=c.distro.source)
        if said not in v.reasons:
            v.reasons.append(said)
    if c.distro.note and c.distro.note not in v.reasons:
        v.reasons.append(c.distro.note)


def dom0_kernel(c: Context) -> str:
    cmd, _unused = c.distro.command("dom0_kernel", c.family)
    return (_("Boot a dom0-capable kernel: {cmd}; confirm with grep CONFIG_XEN_DOM0 "
              "/boot/config-$(uname -r) after rebooting into it.").format(cmd=cmd))


def xen_toolstack(c: Context, v: Verdict) -> str:
    """``xl`` or ``xm``, by the Xen that runs (or, for a new install, the distribution's)."""
    add_source(v, K.XEN_TOOLSTACK)
    if c.xen_version:
        xen = Version(c.xen_version)
        if xen < Version("4.1"):
            return "xm"
        if xen < Version("4.5"):
            return _("xl (or xm while xend runs)")
        return "xl"
    old_vendor = c.release.xen_flavour and c.release.vendor == "Red Hat"
    if old_vendor or (c.distro.id in ("rhel", "centos") and (c.distro.major or 99) < 6):
        return "xm"  # RHEL/CentOS 5 ship Xen 3.x
    return "xl"


def nested(c: Context) -> List[str]:
    """How to pass VT through from the layer outside this VM (never for a dom0: there is none)."""
    hv = c.hv or ""
    if c.release.wsl == 2:
        return [_("WSL2 runs with nested virtualization on by default on Windows 11; if it was "
                  "turned off, put a line '[wsl2]' and below it 'nestedVirtualization=true' in "
                  "%UserProfile%\\.wslconfig, then run 'wsl --shutdown'. Windows 10 does not "
                  "support it.")]
    if hv == "Microsoft":
        return [_("On the Hyper-V host, with this VM off: Set-VMProcessor -VMName NAME "
                  "-ExposeVirtualizationExtensions $true")]
    if hv == "VMware":
        return [_("In VMware, enable 'Virtualize Intel VT-x/EPT or AMD-V/RVI' for this VM.")]
    if hv == "Oracle":
        return [_("In VirtualBox: VBoxManage modifyvm VM --nested-hw-virt on (VM powered off).")]
    if hv == "Xen":
        return [_("On the Xen host: set nestedhvm=1 (with hap=1) in this guest's xl "
                  "configuration and restart the guest.")]
    if hv in ("KVM", "QEMU"):
        return [_("On the outer KVM host: enable nested virtualization (options kvm-intel "
                  "nested=1, or kvm-amd nested=1, in /etc/modprobe.d), reload the module, and give "
                  "this VM the host CPU model (host-passthrough).")]
    return [_("On the host outside this VM ({hv_name}): enable nested virtualization for "
              "it.").format(hv_name=c.hv_name)]
