"""Xen as requirements, lowest layer first:

1. ``xen.kernel_kind``   a real kernel (not WSL1, User-mode Linux or a sandbox's)
2. ``xen.boot_control``  something can boot the Xen hypervisor under this system: not in a
                         container, WSL2 or a PV domU; not a microVM whose monitor loads the
                         kernel itself (no boot loader to put Xen first); a dom0 already is
3. ``xen.arch``          x86, or ARM entered at EL2/HYP
4. ``xen.distribution``  the distribution packages a Xen host (RHEL 6 and later do not)
5. ``xen.dom0_kernel``   the analysed kernel can be dom0 (vendor Xen flavours; mainline 2.6.37
                         with CONFIG_XEN_DOM0, all backends 3.0; 64-bit only from 5.9; PAE)
6. ``xen.cpu``           Xen 4.3 and later need a 64-bit CPU
7. ``xen.guests``        the guests asked for: HVM needs VT-x/AMD-V
8. ``xen.hypervisor``    the hypervisor is installed and booted (a dom0: it is)
9. ``xen.live_proof``    this is a dom0 and this user can drive its toolstack (root)
"""

from __future__ import annotations

from typing import List, Optional

from kernel_advisor import distro, knowledge, versions
from kernel_advisor.i18n import _
from kernel_advisor.knowledge import K
from kernel_advisor.model import F, Layer, Requirement, State, Verdict, Who
from kernel_advisor.rules import steps
from kernel_advisor.rules.context import Context
from kernel_advisor.rules.requirements import cited, evaluate, req, step
from kernel_advisor.stack import Below, Firmware, KernelKind

MET, FIXABLE, IMPOSSIBLE, UNKNOWN = State.MET, State.FIXABLE, State.IMPOSSIBLE, State.UNKNOWN
#: the first RHEL release without a Xen host (kernel-facts.md Addendum §6)
NO_XEN_FROM = 6


def kernel_kind(c: Context) -> Optional[Requirement]:
    kind = c.stack.kernel.kind
    if kind == KernelKind.WSL1:
        return req("xen.kernel_kind", Layer.KERNEL, IMPOSSIBLE, _(
            "This is WSL1: not a Linux kernel, so it cannot be Xen dom0."),
            evidence=[F.KERNEL_RELEASE], source=K.WSL1)
    if kind in (KernelKind.UML, KernelKind.SANDBOX):
        return req("xen.kernel_kind", Layer.KERNEL, IMPOSSIBLE, _(
            "This kernel does not run on hardware (User-mode Linux, or a sandbox's kernel): no "
            "hypervisor can boot under it."), evidence=[F.HYPERVISOR_VENDOR, F.CONTAINER_KIND])
    return None


def boot_control(c: Context) -> Optional[Requirement]:
    rid = "xen.boot_control"
    below = c.stack.below
    if c.dom0:
        return req(rid, Layer.BELOW, MET, _(
            "This host already runs as Xen dom0: Xen is the hypervisor here."),
            evidence=[F.HYPERVISOR_XEN_ROLE], source=K.XEN_DOM0_HIDES_VT)
    if c.container:
        return req(rid, Layer.CONTAINER, IMPOSSIBLE, _(
            "We run inside a {container} container, which cannot boot a hypervisor: Xen goes "
            "under the machine's own kernel, on the host itself.").format(
                container=c.container), evidence=[F.CONTAINER_KIND])
    if c.release.wsl == 2:
        return req(rid, Layer.BELOW, IMPOSSIBLE, _(
            "WSL2 runs inside Hyper-V: it cannot become a Xen dom0."), evidence=[F.KERNEL_RELEASE])
    if c.pv_domu:
        return req(rid, Layer.BELOW, IMPOSSIBLE, _(
            "This is a Xen PV guest (domU): a paravirtualized kernel cannot host a hypervisor. "
            "A Xen host must run on the hardware (or in an HVM guest)."),
            evidence=[F.HYPERVISOR_XEN_ROLE], source=K.XEN_PV_NOVT)
    if below.kind == Below.MICROVM or (c.in_vm and below.boot_loader is False):
        return req(rid, Layer.BELOW, IMPOSSIBLE, _(
            "This VM was started without firmware or a boot loader (no UEFI, no SMBIOS: its "
            "monitor loads the kernel itself), so there is no boot menu in which Xen could "
            "start first."), evidence=[F.PLATFORM, F.HYPERVISOR_VENDOR])
    if below.kind == Below.CONFIDENTIAL:
        return req(rid, Layer.BELOW, UNKNOWN, _(
            "This is a confidential VM ({kind}): whether Xen can boot inside one is not in our "
            "fact sheet.").format(kind=below.confidential), evidence=[F.PLATFORM])
    if c.in_vm:
        return req(rid, Layer.BELOW, UNKNOWN, _(
            "We run inside {hv_name}: Xen would boot nested in this VM (the VM becomes the Xen "
            "host), slower, with PV guests only unless the VM exposes VT; nested Xen is not "
            "covered by our fact sheet (unverified).").format(hv_name=c.hv_name),
            evidence=[F.HYPERVISOR_VENDOR])
    return None


def arch(c: Context) -> Optional[Requirement]:
    rid, ev = "xen.arch", [F.KERNEL_ARCH]
    if c.family is None:
        return req(rid, Layer.HARDWARE, UNKNOWN, _(
            "The architecture is unknown, so Xen support cannot be checked."), evidence=ev,
            topic=_("architecture"))
    if c.family in ("arm", "arm64"):
        if c.firmware == Firmware.UNAVAILABLE:
            return req(rid, Layer.HARDWARE, IMPOSSIBLE, _(
                "Xen on ARM needs the hypervisor mode (EL2/HYP), and this kernel was not "
                "entered in it (the log says 'HYP mode not available')."),
                evidence=ev + [F.CPU_FIRMWARE_VT], source=K.XEN_ARM)
        return req(rid, Layer.HARDWARE, UNKNOWN if c.firmware != Firmware.ENABLED else MET,
                   cited(K.XEN_ARM), evidence=ev, source=K.XEN_ARM)
    if not c.x86:
        return req(rid, Layer.HARDWARE, IMPOSSIBLE, _(
            "Xen runs on x86 and ARM only; this is {arch}.").format(arch=c.arch), evidence=ev)
    return None


def distribution(c: Context) -> Optional[Requirement]:
    rid = "xen.distribution"
    if c.dom0:
        return None
    cmd, none = c.distro.command("xen", c.family)
    if cmd is not None:
        return None
    if c.distro.family == "rhel" and (c.distro.major or 0) >= NO_XEN_FROM:
        return req(rid, Layer.OS, IMPOSSIBLE, f"{none} ({c.distro.label})",
                   evidence=[F.OS_DISTRO], source=K.XEN_RHEL6,
                   fix=[step(_("For a Xen host, install a distribution that packages Xen "
                               "(Debian, Ubuntu, SUSE on x86_64, Fedora)."), who=Who.ADMIN)])
    return req(rid, Layer.OS, UNKNOWN, f"{none} ({c.distro.label})", evidence=[F.OS_DISTRO])


def dom0_kernel(c: Context) -> Optional[Requirement]:
    rid, ev = "xen.dom0_kernel", [F.KERNEL_RELEASE, F.KERNEL_CONFIG]
    if not c.x86 or c.dom0:
        return None
    if not c.release.understood:
        return req(rid, Layer.KERNEL, UNKNOWN, _(
            "The kernel release is unknown, so dom0 support is unknown."), evidence=ev,
            topic=_("kernel release"))
    if c.family == "x86_32":
        _since, until = knowledge.span(K.XEN_PV_64BIT)
        if versions.upstream(c.release) is not None and not c.before(until):
            return req(rid, Layer.KERNEL, IMPOSSIBLE, _(
                "Linux {version} is 32-bit, and from {until} on Xen PV (dom0 included) is "
                "64-bit only.").format(version=c.release.version, until=until), evidence=ev,
                source=K.XEN_PV_64BIT, fix=[step(_(
                    "Install a 64-bit (x86_64) system: this CPU is 64-bit."), who=Who.ADMIN)]
                if c.lm_cpu else [])
        if c.pae_cpu is False:
            return req(rid, Layer.HARDWARE, IMPOSSIBLE, _(
                "32-bit Xen needs PAE, and this CPU shows no pae flag."),
                evidence=[F.CPU_PAE], source=K.XEN_PAE)
    if c.release.xen_flavour:
        vendor = f" ({c.release.vendor})" if c.release.vendor else ""
        return req(rid, Layer.KERNEL, MET, _(
            "{release} is a vendor Xen kernel flavour{vendor}, a dom0 kernel by construction: "
            "it boots as dom0 under the Xen hypervisor.").format(
                release=c.release.release, vendor=vendor), evidence=ev, source=K.XEN_VENDOR)
    if distro.from_kernel(c.release) == ("rhel", "5"):  # RHEL 5's regular kernel
        return req(rid, Layer.KERNEL, FIXABLE, _(
            "RHEL/CentOS 5 ships Xen as its own kernel (kernel-xen, el5xen): this regular "
            "kernel is not the dom0 kernel, the Xen one is."), evidence=ev, source=K.XEN_VENDOR,
            replaces_kernel=True, fix=[step(_("Install kernel-xen and boot it."),
                                            "sudo yum install kernel-xen xen", Who.ADMIN)])
    since, _until = knowledge.bounds(K.XEN_DOM0)
    all_backends = knowledge.since(K.XEN_DOM0, "all_backends")
    if c.in_range(K.XEN_DOM0) is False:
        return req(rid, Layer.KERNEL, IMPOSSIBLE, _(
            "Mainline Linux {version} cannot be Xen dom0: mainline dom0 came in {since} (all "
            "backends in {all_backends}).").format(version=c.release.version, since=since,
                                                   all_backends=all_backends), evidence=ev,
            source=K.XEN_DOM0, fix=[step(_(
                "Use a vendor Xen kernel of that era (RHEL/CentOS 5 el5xen, SUSE -xen, Debian "
                "-xen- flavours) or a kernel from {all_backends} on.").format(
                    all_backends=all_backends), who=Who.ADMIN)])
    value = c.config.get("CONFIG_XEN_DOM0")
    if value == "y":
        return req(rid, Layer.KERNEL, MET, _(
            "This kernel was built with CONFIG_XEN_DOM0=y: it can boot as dom0."), evidence=ev,
            source=K.XEN_DOM0_CONFIG)
    if c.config:
        return req(rid, Layer.KERNEL, FIXABLE, _(
            "This kernel was built without CONFIG_XEN_DOM0: as it is, it cannot be dom0."),
            evidence=ev, source=K.XEN_DOM0_CONFIG, replaces_kernel=True,
            fix=[steps.dom0_kernel(c)])
    return req(rid, Layer.KERNEL, UNKNOWN, cited(K.XEN_DOM0) + " " + (
        _("Whether this kernel was built with CONFIG_XEN_DOM0 is unknown (no "
          "/boot/config-RELEASE or /proc/config.gz was readable).") if not c.what_if else
        _("Whether the what-if kernel was built with CONFIG_XEN_DOM0 is not known.")),
        evidence=ev, source=K.XEN_DOM0)


def cpu(c: Context) -> Optional[Requirement]:
    if not c.x86 or c.lm_cpu is not False or c.dom0:
        return None
    era = knowledge.fact(K.XEN_HYPERVISOR_64BIT)
    if c.release.understood and c.before(era["linux_of_that_time"]):
        return req("xen.cpu", Layer.HARDWARE, MET, _(
            "This CPU is 32-bit (no lm flag): only a 32-bit PAE Xen of that era ({last} or "
            "older) runs on it.").format(last=knowledge.last_before(era["xen_64bit_only"])),
            evidence=[F.CPU_PAE], source=K.XEN_HYPERVISOR_64BIT)
    return req("xen.cpu", Layer.HARDWARE, IMPOSSIBLE, _(
        "Current Xen ({first} and later) runs on 64-bit CPUs only, and this CPU has no lm "
        "flag.").format(first=era["xen_64bit_only"]),
        evidence=[F.CPU_PAE], source=K.XEN_HYPERVISOR_64BIT)


def guests(c: Context) -> Optional[Requirement]:
    """Guests other than Linux need HVM, and HVM needs VT-x/AMD-V."""
    rid = "xen.guests"
    if not c.x86:
        return None  # Xen on ARM has no PV/HVM split: its guests use the extensions
    if c.dom0 and c.xen_caps:
        hvm = any(cap.startswith("hvm-") for cap in c.xen_caps)
        if hvm:
            return req(rid, Layer.HARDWARE, MET, _(
                "HVM guests are possible (hvm-* capability)."), evidence=[F.XEN_CAPABILITIES])
        if c.answers.guests == "any":
            return req(rid, Layer.FIRMWARE, FIXABLE, _(
                "Windows and other unmodified guests need Xen HVM, and this Xen lists no hvm-* "
                "capability (no VT-x/AMD-V)."), evidence=[F.XEN_CAPABILITIES],
                source=K.XEN_PV_LINUX_ONLY, fix=[step(_(
                    "Enable VT-x/AMD-V in the firmware setup and power-cycle: Xen then lists "
                    "hvm-* capabilities."), who=Who.FIRMWARE_SETUP)])
        return req(rid, Layer.HARDWARE, MET, _(
            "Only PV (Linux) guests are possible: no hvm-* capability."),
            evidence=[F.XEN_CAPABILITIES], source=K.XEN_PV_NOVT)
    if c.dom0:
        return None
    no_vt = not c.vt or c.firmware == Firmware.DISABLED
    if c.answers.guests != "any":
        return req(rid, Layer.HARDWARE, MET, _(
            "Without VT-x/AMD-V here, Xen can run PV guests only: Linux with a PV-capable "
            "kernel, no Windows.") if no_vt else cited(K.XEN_PV_NOVT),
            evidence=[F.CPU_VIRTUALIZATION], source=K.XEN_PV_NOVT)
    if not no_vt:
        return req(rid, Layer.HARDWARE, MET, cited(K.XEN_PV_LINUX_ONLY),
                   evidence=[F.CPU_VIRTUALIZATION], source=K.XEN_PV_LINUX_ONLY)
    if c.firmware == Firmware.DISABLED:
        return req(rid, Layer.FIRMWARE, FIXABLE, _(
            "Windows and other unmodified guests need Xen HVM, which needs VT-x/AMD-V: VT is "
            "disabled in the firmware."), evidence=[F.CPU_FIRMWARE_VT], source=K.XEN_PV_NOVT,
            fix=[step(_("Enable VT in the firmware setup and power-cycle."),
                      who=Who.FIRMWARE_SETUP)])
    why = {Firmware.NOT_EXPOSED: _("{hv_name} does not pass VT through").format(
               hv_name=c.hv_name),
           Firmware.ABSENT: _("the CPU has no VT-x/AMD-V")}.get(c.firmware,
                                                               _("no VT flag is visible"))
    return req(rid, Layer.HARDWARE, IMPOSSIBLE, _(
        "Windows and other unmodified guests need Xen HVM, which needs VT-x/AMD-V: {why}.")
        .format(why=why), evidence=[F.CPU_VIRTUALIZATION, F.CPU_FIRMWARE_VT],
        source=K.XEN_PV_NOVT)


def hypervisor(c: Context) -> Optional[Requirement]:
    if c.dom0:
        return None
    notes: List[str] = []
    fix = steps.install(c, notes, "xen")
    tool = steps.xen_toolstack(c, Verdict("xen"))
    fix += [step(_("Reboot and pick the Xen entry in GRUB: Xen boots first, and this system "
                   "becomes its dom0 (the management domain) — a hypervisor change under the "
                   "whole OS."), who=Who.ADMIN)]
    return req("xen.hypervisor", Layer.OS, FIXABLE, cited(K.XEN_INSTALL) + (
        " " + " ".join(notes) if notes else ""), evidence=[F.OS_DISTRO], source=K.XEN_INSTALL,
        fix=fix + [step(_("Confirm with 'sudo {tool} info', then create guests with '{tool} "
                          "create'.").format(tool=tool), f"sudo {tool.split()[0]} info",
                        Who.ADMIN)])


def live_proof(c: Context) -> Optional[Requirement]:
    if not c.dom0:
        return None
    rid, ev = "xen.live_proof", [F.HYPERVISOR_XEN_ROLE, F.USER_SESSION]
    user = c.stack.user
    tool = steps.xen_toolstack(c, Verdict("xen")).split()[0]
    if user.uid is None:
        return req(rid, Layer.LIVE, UNKNOWN, _(
            "Who took this evidence is not recorded, so whether they can drive Xen's toolstack "
            "is unknown."), evidence=ev)
    if user.root:
        return req(rid, Layer.LIVE, MET, _(
            "This is a dom0 and {user} is root: {tool} can drive Xen here.").format(
                user=user.name or "root", tool=tool), evidence=ev)
    return req(rid, Layer.LIVE, FIXABLE, _(
        "Xen's toolstack ({tool}) needs root in the dom0, and {user} is not root.").format(
            tool=tool, user=user.name or _("this user")), evidence=ev,
        fix=[step(_("Run it with sudo: sudo {tool} list").format(tool=tool),
                  f"sudo {tool} list", Who.ADMIN)])


REQUIREMENTS = (kernel_kind, boot_control, arch, distribution, dom0_kernel, cpu, guests,
                hypervisor, live_proof)


def evaluate_xen(c: Context) -> Verdict:
    v = Verdict("xen", incumbent=c.dom0)
    notes: List[str] = []
    after = []
    if c.dom0:
        tool = steps.xen_toolstack(c, v)
        cmd = tool.split()[0]
        version = f"Xen {c.xen_version}" if c.xen_version else _("this Xen")
        after = [step(_("Create guests with '{cmd} create GUEST.cfg' ({version}: {tool}), or "
                        "virt-manager with the Xen connection.").format(
                            cmd=cmd, version=version, tool=tool), f"{cmd} create GUEST.cfg"),
                 step(_("Check '{cmd} info' for virt_caps.").format(cmd=cmd), f"{cmd} info")]
        if c.release.vendor:
            notes.append(cited(K.XEN_VENDOR))
    elif (c.host.value(F.SECURE_BOOT) or {}).get("secure_boot") and c.x86:
        notes.append(c.distro.secure_boot("xen"))
    v = evaluate(v, REQUIREMENTS, c, notes, after)
    if c.in_vm:
        v.score -= 30
    if c.family in ("arm", "arm64"):
        v.score -= 20
    if any(r.id == "xen.cpu" and r.state == MET for r in v.requirements):
        v.score -= 20
    return v
