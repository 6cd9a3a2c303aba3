"""Xen: already the hypervisor here (dom0); impossible where no hypervisor can boot (a container,
WSL, a PV domU) or where the distribution has none (RHEL 6 and later); else whether this kernel
can boot as dom0 (mainline 2.6.37 with CONFIG_XEN_DOM0, all backends 3.0; vendor Xen kernels long
before; 64-bit only from 5.9), on which CPU (Xen 4.3+ is x86_64-only), and whether the guests
the user wants need HVM, which needs VT-x/AMD-V. Installing Xen puts a hypervisor under this
system, and the steps say so."""

from __future__ import annotations

from advisor import distro, knowledge
from advisor.knowledge import K
from advisor.model import F, Verdict
from advisor.rules import steps
from advisor.rules.context import Context, block, cite
from advisor.i18n import _

#: the first RHEL release without a Xen host (kernel-facts.md Addendum §6)
NO_XEN_FROM = 6
#: Linux of July 2013, when Xen 4.3 (x86_64-only) came out: a 32-bit CPU with an older kernel
#: belongs to the era of 32-bit PAE Xen
XEN_64BIT_ERA = "3.10"


def evaluate(c: Context) -> Verdict:
    v = Verdict("xen", evidence=[F.KERNEL_RELEASE, F.KERNEL_ARCH, F.HYPERVISOR_XEN_ROLE,
                                 F.CPU_VIRTUALIZATION, F.CONTAINER_KIND, F.OS_DISTRO])
    if c.release.wsl == 1:
        block(v, _("This is WSL1: not a Linux kernel, so it cannot be Xen dom0."), K.WSL1)
        return v
    if c.dom0:
        _dom0(c, v)
        return v
    if c.container:
        block(v, _("We run inside a {container} container, which cannot boot a hypervisor: Xen "
                   "goes under the machine's own kernel, on the host itself.").format(
                   container=c.container))
        return v
    if c.release.wsl == 2:
        block(v, _("WSL2 runs inside Hyper-V: it cannot become a Xen dom0."))
        return v
    if c.pv_domu:
        block(v, _("This is a Xen PV guest (domU): a paravirtualized kernel cannot host a "
                   "hypervisor. A Xen host must run on the hardware (or in an HVM guest)."),
              K.XEN_PV_NOVT)
        return v
    if not _architecture(c, v) or not _distribution(c, v):
        return v
    if c.x86 and c.release.understood:
        if not _dom0_kernel(c, v) or not _cpu(c, v):
            return v
    elif not c.release.understood:
        v.unknowns.append("kernel release")
        v.reasons.append(_("The kernel release is unknown, so dom0 support is unknown."))
    if not _guests(c, v):
        return v
    if c.in_vm:
        v.score -= 30
        v.reasons.append(_("We run inside {hv_name}: Xen would boot nested in this VM (the VM "
                           "becomes the Xen host), slower, with PV guests only unless the VM "
                           "exposes VT; nested Xen is not covered by our fact sheet "
                           "(unverified).").format(hv_name=c.hv_name))
        v.unknowns.append(_("nested Xen"))
    _install_steps(c, v)
    return v


def _architecture(c: Context, v: Verdict) -> bool:
    if c.family is None:
        v.unknowns.append("architecture")
        v.reasons.append(_("The architecture is unknown, so Xen support cannot be checked."))
    elif c.family in ("arm", "arm64"):
        cite(v, K.XEN_ARM)
        v.score -= 20
    elif not c.x86:
        block(v, _("Xen runs on x86 and ARM only; this is {arch}.").format(arch=c.arch))
        return False
    return True


def _distribution(c: Context, v: Verdict) -> bool:
    """Whether this distribution packages a Xen host (RHEL 6 and later: no)."""
    cmd, none = c.distro.command("xen", c.family)
    if cmd is not None:
        return True
    if c.distro.family == "rhel" and (c.distro.major or 0) >= NO_XEN_FROM:
        block(v, f"{none} ({c.distro.label})", K.XEN_RHEL6)
        v.next_steps.append(_("For a Xen host, install a distribution that packages Xen "
                              "(Debian, Ubuntu, SUSE on x86_64, Fedora)."))
        return False
    v.score -= 30
    v.reasons.append(f"{none} ({c.distro.label})")
    return True


def _dom0(c: Context, v: Verdict) -> None:
    v.ready = True
    v.reasons.append(_("This host already runs as Xen dom0: Xen is the hypervisor here."))
    cite(v, K.XEN_DOM0_HIDES_VT)
    hvm = any(cap.startswith("hvm-") for cap in c.xen_caps)
    if c.answers.guests == "any" and c.xen_caps and not hvm:
        block(v, _("Windows and other unmodified guests need Xen HVM, and this Xen lists no "
                   "hvm-* capability (no VT-x/AMD-V)."), K.XEN_PV_LINUX_ONLY)
        v.ready = False
        v.next_steps.append(_("Enable VT-x/AMD-V in the firmware setup and power-cycle: Xen "
                              "then lists hvm-* capabilities."))
        return
    if c.xen_caps:
        v.reasons.append(_("HVM guests are possible (hvm-* capability).") if hvm else
                         _("Only PV (Linux) guests are possible: no hvm-* capability."))
    tool = steps.xen_toolstack(c, v)
    cmd = tool.split()[0]
    version = f"Xen {c.xen_version}" if c.xen_version else _("this Xen")
    v.next_steps += [_("Create guests with '{cmd} create GUEST.cfg' ({version}: {tool}), or "
                       "virt-manager with the Xen connection.").format(
                       cmd=cmd,
                       version=version,
                       tool=tool),
                     _("Check '{cmd} info' for virt_caps.").format(cmd=cmd)]
    if c.release.vendor:
        cite(v, K.XEN_VENDOR)


def _dom0_kernel(c: Context, v: Verdict) -> bool:
    """Whether this x86 kernel can boot as dom0 (False: ``v`` is blocked)."""
    if c.release.xen_flavour:
        vendor = f" ({c.release.vendor})" if c.release.vendor else ""
        v.reasons.append(_("{release} is a vendor Xen kernel flavour{vendor}, a dom0 kernel by "
                           "construction: it boots as dom0 under the Xen hypervisor.").format(
                           release=c.release.release,
                           vendor=vendor))
        cite(v, K.XEN_VENDOR)
    elif distro.from_kernel(c.release) == ("rhel", "5"):  # RHEL 5's regular kernel
        cite(v, K.XEN_VENDOR, _("RHEL/CentOS 5 ships Xen as its own kernel (kernel-xen, el5xen): "
                                "this regular kernel is not the dom0 kernel, the Xen one is."))
    elif c.in_range(K.XEN_DOM0) is False:
        block(v, _("Mainline Linux {version} cannot be Xen dom0: mainline dom0 came in 2.6.37 "
                   "(all backends in 3.0).").format(version=c.release.version), K.XEN_DOM0)
        v.next_steps.append(_("Use a vendor Xen kernel of that era (RHEL/CentOS 5 el5xen, SUSE "
                              "-xen, Debian -xen- flavours) or a kernel from 3.0 on."))
        cite(v, K.XEN_VENDOR)
        return False
    else:
        cite(v, K.XEN_DOM0)
        if c.before("3.0"):
            v.reasons.append(_("Before 3.0 some dom0 backend drivers were missing; 3.0 has "
                               "them all."))
        _dom0_config(c, v)
    if c.family == "x86_32":
        _since, until = knowledge.bounds(K.XEN_PV_64BIT)
        if c.release.upstream is not None and not c.before(until):
            block(v, _("Linux {version} is 32-bit, and from 5.9 on Xen PV (dom0 included) is "
                       "64-bit only.").format(version=c.release.version), K.XEN_PV_64BIT)
            if c.lm_cpu:
                v.next_steps.append(_("Install a 64-bit (x86_64) system: this CPU is 64-bit."))
            return False
        if c.pae_cpu is False:
            block(v, _("32-bit Xen needs PAE, and this CPU shows no pae flag."), K.XEN_PAE)
            return False
        cite(v, K.XEN_PAE)
    return True


def _dom0_config(c: Context, v: Verdict) -> None:
    """A mainline-era kernel is dom0-capable only if built with CONFIG_XEN_DOM0."""
    value = c.config.get("CONFIG_XEN_DOM0")
    if value == "y":
        v.reasons.append(_("This kernel was built with CONFIG_XEN_DOM0=y: it can boot as dom0."))
    elif c.config:
        cite(v, K.XEN_DOM0_CONFIG, _("This kernel was built without CONFIG_XEN_DOM0: as it is, "
                                     "it cannot be dom0."))
        v.next_steps.append(steps.dom0_kernel(c))
    elif not c.what_if:
        v.reasons.append(_("Whether this kernel was built with CONFIG_XEN_DOM0 is unknown (no "
                           "/boot/config-RELEASE or /proc/config.gz was readable)."))


def _cpu(c: Context, v: Verdict) -> bool:
    """Xen 4.3 and later need a 64-bit CPU; 32-bit PAE Xen belongs to the 2.6/3.x era."""
    if c.lm_cpu is not False:
        return True
    if c.before(XEN_64BIT_ERA):
        cite(v, K.XEN_HYPERVISOR_64BIT, _("This CPU is 32-bit (no lm flag): only a 32-bit PAE "
                                          "Xen of that era (4.2 or older) runs on it."))
        v.score -= 20
        return True
    block(v, _("Current Xen (4.3 and later) runs on 64-bit CPUs only, and this CPU has no lm "
               "flag."), K.XEN_HYPERVISOR_64BIT)
    return False


def _guests(c: Context, v: Verdict) -> bool:
    """Guests other than Linux need HVM, and HVM needs VT-x/AMD-V (False: blocked)."""
    if not c.x86:
        return True  # Xen on ARM has no PV/HVM split: its guests use the virtualization extensions
    no_vt = not c.vt or c.firmware == "disabled"
    if c.answers.guests == "any":
        cite(v, K.XEN_PV_LINUX_ONLY)
        if no_vt:
            why = {"disabled": "VT is disabled in the firmware",
                   "not exposed": f"{c.hv_name} does not pass VT through",
                   "absent": "the CPU has no VT-x/AMD-V"}.get(c.firmware or "",
                                                              "no VT flag is visible")
            block(v, _("Windows and other unmodified guests need Xen HVM, which needs "
                       "VT-x/AMD-V: {why}.").format(why=why), K.XEN_PV_NOVT)
            if c.firmware == "disabled":
                v.next_steps.append(_("Enable VT in the firmware setup and power-cycle."))
            return False
    else:
        cite(v, K.XEN_PV_NOVT)
        if no_vt:
            v.reasons.append(_("Without VT-x/AMD-V here, Xen can run PV guests only: Linux with "
                               "a PV-capable kernel, no Windows."))
    return True


def _install_steps(c: Context, v: Verdict) -> None:
    steps.install(c, v, "xen")
    cite(v, K.XEN_INSTALL)
    tool = steps.xen_toolstack(c, v)
    v.next_steps += [
        _("Reboot and pick the Xen entry in GRUB: Xen boots first, and this system becomes its "
          "dom0 (the management domain) — a hypervisor change under the whole OS."),
        _("Confirm with 'sudo {tool} info', then create guests with '{tool} create'.").format(
          tool=tool),
    ]
