"""Xen: already the hypervisor here (dom0), impossible from inside a domU, else whether this
kernel can boot as dom0 (mainline 2.6.37, all backends 3.0; vendor Xen kernels long before),
on which architecture, and whether the guests the user wants need HVM, which needs VT."""

from __future__ import annotations

from advisor.knowledge import K
from advisor.model import F, Verdict
from advisor.rules.context import Context, block, cite


def evaluate(c: Context) -> Verdict:
    v = Verdict("xen", evidence=[F.KERNEL_RELEASE, F.KERNEL_ARCH, F.HYPERVISOR_XEN_ROLE,
                                 F.CPU_VIRTUALIZATION])
    if c.release.wsl == 1:
        block(v, "This is WSL1: not a Linux kernel, so it cannot be Xen dom0.", K.WSL1)
        return v
    if c.xen_role == "dom0":
        _dom0(c, v)
        return v
    if c.xen_role == "domU":
        block(v, "This machine is itself a Xen guest (domU): a Xen host must be dom0 on the "
                 "hardware.")
        return v
    if c.family is None:
        v.unknowns.append("architecture")
        v.reasons.append("The architecture is unknown, so Xen support cannot be checked.")
    elif c.family in ("arm", "arm64"):
        cite(v, K.XEN_ARM)
        v.score -= 20
    elif not c.x86:
        block(v, f"Xen runs on x86 and ARM only; this is {c.arch}.")
        return v
    if c.x86 and c.release.understood and c.release.wsl is None:
        if not _dom0_kernel(c, v):
            return v
    elif c.release.wsl == 2:
        block(v, "WSL2 runs inside Hyper-V: it cannot become a Xen dom0.")
        return v
    elif not c.release.understood:
        v.unknowns.append("kernel release")
        v.reasons.append("The kernel release is unknown, so dom0 support is unknown.")
    if c.answers.guests == "any":
        cite(v, K.XEN_PV_LINUX_ONLY)
        if c.x86 and not c.vt:
            why = {"disabled": "VT is disabled in the firmware",
                   "not exposed": "the outer hypervisor does not pass VT through",
                   "absent": "the CPU has no VT-x/AMD-V"}.get(c.firmware or "",
                                                              "no VT flag is visible")
            block(v, "Windows and other unmodified guests need Xen HVM, which needs "
                     f"VT-x/AMD-V: {why}.", K.XEN_PV_NOVT)
            if c.firmware == "disabled":
                v.next_steps.append("Enable VT in the firmware setup and power-cycle.")
            return v
    else:
        cite(v, K.XEN_PV_NOVT)
    if c.in_vm:
        v.score -= 30
        v.reasons.append(f"We run inside {c.hv or 'a virtual machine'}: running Xen nested "
                         "there is not covered by our fact sheet (unverified).")
        v.unknowns.append("nested Xen")
    if c.container:
        v.reasons.append(f"Inside {c.container} a hypervisor cannot be installed: do this on "
                         "the host.")
    v.next_steps += [
        "Install the Xen hypervisor (Debian/Ubuntu: sudo apt install xen-system-amd64; "
        "RHEL/CentOS 5: yum install kernel-xen xen).",
        "Reboot and pick the Xen entry in GRUB: Xen boots first and starts this kernel as dom0.",
        "Confirm with 'sudo xl info', then create guests with 'xl create'.",
    ]
    return v


def _dom0(c: Context, v: Verdict) -> None:
    v.ready = True
    v.reasons.append("This host already runs as Xen dom0: Xen is the hypervisor here.")
    cite(v, K.XEN_DOM0_HIDES_VT)
    hvm = any(cap.startswith("hvm-") for cap in c.xen_caps)
    if c.answers.guests == "any" and c.xen_caps and not hvm:
        block(v, "Windows and other unmodified guests need Xen HVM, and this Xen lists no "
                 "hvm-* capability (no VT-x/AMD-V).", K.XEN_PV_LINUX_ONLY)
        return
    if c.xen_caps:
        v.reasons.append("HVM guests are possible (hvm-* capability)." if hvm else
                         "Only PV (Linux) guests are possible: no hvm-* capability.")
    v.next_steps += ["Create guests with 'xl create' (or virt-manager with the Xen "
                     "connection).", "Check 'xl info' for virt_caps."]
    if c.release.vendor:
        cite(v, K.XEN_VENDOR)


def _dom0_kernel(c: Context, v: Verdict) -> bool:
    """Whether this x86 kernel can boot as dom0 (False: ``v`` is blocked)."""
    if c.release.xen_flavour:
        vendor = f" ({c.release.vendor})" if c.release.vendor else ""
        v.reasons.append(f"{c.release.release} is a vendor Xen kernel flavour{vendor}: it can "
                         "boot as dom0 under the Xen hypervisor.")
        cite(v, K.XEN_VENDOR)
    elif c.in_range(K.XEN_DOM0) is False:
        block(v, f"Mainline Linux {c.release.version} cannot be Xen dom0: mainline dom0 came "
                 "in 2.6.37 (all backends in 3.0).", K.XEN_DOM0)
        v.next_steps.append("Use a vendor Xen kernel of that era (RHEL/CentOS 5 el5xen, "
                            "Debian -xen- flavours) or a kernel from 3.0 on.")
        cite(v, K.XEN_VENDOR)
        return False
    else:
        cite(v, K.XEN_DOM0)
        if c.before("3.0"):
            v.reasons.append("Before 3.0 some dom0 backend drivers were missing; 3.0 has "
                             "them all.")
    if c.family == "x86_32":
        if c.pae_cpu is False:
            block(v, "32-bit Xen needs PAE, and this CPU shows no pae flag.", K.XEN_PAE)
            return False
        cite(v, K.XEN_PAE)
    return True
