"""Recommendations: a pure function (host facts, answers) → lguest, KVM and Xen, ranked.

Policy (in order):
1. A framework is ``unavailable`` when a hard requirement fails for the analysed kernel and host
   (version range, architecture, CPU extension, guest OS); a reason names it.
2. Among the usable ones KVM leads (mainline, no reboot, any guest OS). Where KVM is not usable,
   lguest leads for Linux-only guests on a kernel and architecture that have it, and Xen (PV)
   leads where it is the only way or the host already runs as a Xen dom0.
3. The answers (guests, preference, purpose) decide the rest.
At most one framework is ``recommended``; the others that are usable are ``possible``.

Live evidence beats history: a ``/dev/kvm`` on which ``KVM_CREATE_VM`` succeeded is usable
whatever the CPU flags say (PVM hosts, vendor backports).
Versions and requirements come from :mod:`advisor.knowledge`, never from this file.
"""

from __future__ import annotations

from advisor import kernel, knowledge
from advisor.facts import HostFacts
from advisor.probe import ARCH_FAMILY

RECOMMENDED, POSSIBLE, UNAVAILABLE = "recommended", "possible", "unavailable"
VERDICT_WORDS = {RECOMMENDED: "Recommended", POSSIBLE: "Possible", UNAVAILABLE: "Unavailable"}
FRAMEWORKS = ("kvm", "xen", "lguest")
NAMES = {"kvm": "KVM", "xen": "Xen", "lguest": "lguest"}
GUESTS = ("linux", "any")
PREFER = ("stability", "features")
PURPOSES = ("learning", "desktop", "servers", "kernel-dev")


class Answers:
    """The wizard's questions; the defaults are what a typical desktop user means."""

    __slots__ = ("guests", "prefer", "purpose")

    def __init__(self, guests: str = "linux", prefer: str = "stability",
                 purpose: str = "desktop") -> None:
        self.guests, self.prefer, self.purpose = guests, prefer, purpose

    def _key(self) -> tuple[str, str, str]:
        return self.guests, self.prefer, self.purpose

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Answers) and self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        return "Answers(guests={!r}, prefer={!r}, purpose={!r})".format(*self._key())


class Verdict:
    """One framework's verdict, with the reasons, next steps and sources behind it."""

    __slots__ = ("framework", "verdict", "reasons", "next_steps", "sources", "evidence",
                 "unknowns", "ready", "score")

    def __init__(self, framework: str, evidence: list[str] | None = None) -> None:
        self.framework = framework
        self.verdict = POSSIBLE
        self.reasons: list[str] = []
        self.next_steps: list[str] = []
        self.sources: list[dict] = []  # kb facts cited
        self.evidence = evidence or []  # host fact ids relied on
        self.unknowns: list[str] = []
        self.ready = False  # usable right now, no setup needed
        self.score = 0

    def __repr__(self) -> str:
        return f"Verdict({self.framework!r}, {self.verdict!r})"

    @property
    def name(self) -> str:
        return NAMES[self.framework]

    @property
    def usable(self) -> bool:
        return self.verdict != UNAVAILABLE

    def cite(self, fid: str, text: str | None = None) -> None:
        self.reasons.append(text or knowledge.cite(fid))
        if all(s["id"] != fid for s in self.sources):
            self.sources.append(knowledge.source_of(fid))

    def block(self, reason: str, fid: str | None = None) -> None:
        self.verdict = UNAVAILABLE
        self.reasons.insert(0, reason)
        if fid and all(s["id"] != fid for s in self.sources):
            self.sources.append(knowledge.source_of(fid))

    def to_json(self) -> dict:
        return {"framework": self.framework, "verdict": self.verdict, "reasons": self.reasons,
                "next_steps": self.next_steps, "sources": self.sources,
                "evidence": self.evidence, "unknowns": self.unknowns, "ready": self.ready}


class Context:
    """The facts the rules need, pre-digested once."""

    def __init__(self, host: HostFacts, answers: Answers):
        self.host, self.answers = host, answers
        self.what_if = "kernel" in host.what_if
        self.release = kernel.parse(host.value("kernel.release"))
        arch = host.value("kernel.arch")
        self.arch = arch or _arch_from_release(self.release.release)
        self.family = ARCH_FAMILY.get(self.arch or "")
        self.x86 = self.family in ("x86_32", "x86_64") or (
            self.family is None and host.value("cpu.vendor") in ("GenuineIntel", "AuthenticAMD",
                                                                 "HygonGenuine"))
        self.vt = host.value("cpu.virtualization")
        self.firmware = host.value("cpu.firmware_vt")
        self.hv = host.value("hypervisor.vendor")
        self.hv_flag = bool(host.value("cpu.hypervisor_flag"))
        self.xen_role = host.value("hypervisor.xen_role")
        self.container = host.value("container.kind")
        flags = set(host.value("cpu.flags", []) or [])
        self.pae_cpu = "pae" in flags if flags else None
        # Facts about the running kernel do not describe a what-if kernel.
        running = not self.what_if
        self.kvm_device = host.value("kvm.device") if running else None
        self.kvm_usable = host.value("kvm.usable") if running else None
        self.kvm_access = host.value("kvm.access") if running else None
        self.config = (host.value("kernel.config") or {}) if running else {}
        self.in_vm = self.hv is not None and self.xen_role is None and self.hv != "Microsoft" \
            or (self.hv_flag and self.hv is None)
        if self.release.wsl == 2:
            self.in_vm = True
        self.xen_caps = host.value("xen.capabilities") or []

    def in_range(self, fid: str) -> bool | None:
        f = knowledge.fact(fid)
        if not self.release.understood or self.release.wsl == 1:
            return None
        lo = self.release.at_least(f["since"])
        hi = True if "until" not in f else self.release.before(f["until"])
        return bool(lo and hi)


def _arch_from_release(release: str) -> str | None:
    low = release.lower()
    if any(t in low for t in ("x86_64", "amd64")):
        return "x86_64"
    if any(t in low for t in ("i686", "-686", "i586", "pae")):
        return "i686"
    if any(t in low for t in ("aarch64", "arm64", "-v8+")):
        return "aarch64"
    return None


# -- KVM --------------------------------------------------------------------------------------------
def evaluate_kvm(c: Context) -> Verdict:
    v = Verdict("kvm", evidence=["kernel.release", "kernel.arch", "cpu.virtualization",
                                 "kvm.device", "kvm.usable"])
    if c.release.wsl == 1:
        v.block("This is WSL1: not a Linux kernel, so there is no KVM.", "wsl1")
        v.next_steps.append("Use WSL2 on Windows 11 with nestedVirtualization=true in .wslconfig, "
                            "or run Linux on the hardware.")
        return v
    if c.kvm_usable is True:  # live evidence beats everything else
        v.ready = True
        v.reasons.append("KVM_CREATE_VM succeeded on /dev/kvm: KVM works on this host now.")
        if not c.vt and c.x86:
            pvm = c.config.get("CONFIG_KVM_PVM") == "y" or "kvm_pvm" in (
                c.host.value("kvm.modules") or [])
            v.reasons.append(
                "It works although the CPU shows no VT-x/AMD-V flag"
                + (": this kernel has CONFIG_KVM_PVM, KVM through page-table virtualization "
                   "(PVM), which needs no VMX." if pvm else
                   ": the kernel provides KVM without hardware VT here."))
        if c.in_vm:
            v.reasons.append(f"We run inside {c.hv or 'a virtual machine'}: guests are nested, "
                             "expect reduced performance.")
        v.cite("kvm.guests")
        _kvm_setup_steps(c, v, ready=True)
        return v
    # kernel and architecture
    if c.family is None:
        v.unknowns.append("architecture")
        v.reasons.append("The architecture is unknown, so KVM support cannot be checked "
                         "(give --arch).")
    else:
        facts = knowledge.ranges("kvm", c.family)
        if not facts:
            v.block(f"Mainline Linux has no KVM for {c.arch} ({c.family}).")
            return v
        fid, f = facts[0]
        inside = c.in_range(fid)
        if inside is False:
            until = f.get("until")
            if c.release.key is not None and c.release.key < kernel.version_key(f["since"]):
                v.block(f"Linux {c.release.version} predates KVM for {c.family}: it came in "
                        f"{f['since']}.", fid)
                v.next_steps.append(f"Move to a kernel from {f['since']} on (today: a "
                                    "longterm series).")
                if c.release.vendor:
                    v.reasons.append(f"{c.release.vendor} kernels sometimes carry backports: if "
                                     "/dev/kvm exists and works, that wins over this history.")
            else:
                v.block(f"KVM for {c.family} was removed in {until}; Linux {c.release.version} "
                        "no longer has it.", fid)
            return v
        if inside is None:
            v.unknowns.append("kernel release")
            v.reasons.append("The kernel release is unknown, so whether it has KVM is unknown.")
        else:
            v.cite(fid)
        if c.family == "x86_32":
            v.cite("kvm.x86_32.host")
    # hardware extension
    if c.x86:
        v.cite("kvm.x86.hw")
        if not c.vt:
            if c.xen_role == "dom0":
                v.block("This is a Xen dom0: the Xen hypervisor owns VT-x/AMD-V and hides it, "
                        "so KVM cannot run beside it.", "xen.dom0_hides_vt")
                v.next_steps.append("Boot the same machine without the Xen hypervisor to use KVM.")
            elif c.firmware == "disabled":
                v.block("The CPU has VT-x/AMD-V but the firmware has it switched off (the kernel "
                        "hides the flag).", "kvm.bios")
                v.next_steps += [
                    "Enter the firmware (BIOS/UEFI) setup and enable 'Intel Virtualization "
                    "Technology (VT-x)' or 'SVM Mode' (AMD).",
                    "Power the machine off completely and on again: a warm reboot may not "
                    "apply the change.",
                ]
            elif c.firmware == "not exposed" or c.in_vm:
                v.block(f"We run inside {c.hv or 'a virtual machine'} and it does not pass "
                        "VT-x/AMD-V through (nested virtualization is off).")
                v.next_steps += _nested_steps(c)
            elif c.firmware == "absent":
                v.block("This CPU has no VT-x/AMD-V, which KVM on x86 requires.", "kvm.x86.hw")
            else:
                v.block("No vmx/svm flag is visible, and the cause (no VT, or VT disabled in "
                        "firmware) could not be determined.", "kvm.bios")
                v.unknowns.append("firmware VT state")
                v.next_steps.append("Check the firmware setup for a Virtualization Technology "
                                    "switch; run 'kernel-advisor check' as root for the MSRs.")
            return v
        v.reasons.append(f"The CPU offers {c.vt}.")
    elif c.family == "s390":
        flags = set(c.host.value("cpu.flags", []) or [])
        if flags and "sie" not in flags:
            v.block("This s390 CPU does not list the SIE facility that KVM needs "
                    "(virt-host-validate checks the same).")
            return v
    if c.in_vm and c.vt:
        v.reasons.append(f"We run inside {c.hv or 'a virtual machine'} that exposes {c.vt}: "
                         "KVM will run nested, slower than on bare metal.")
    _kvm_setup_steps(c, v, ready=False)
    v.cite("kvm.guests")
    return v


def _kvm_setup_steps(c: Context, v: Verdict, ready: bool) -> None:
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
            f"sudo usermod -aG kvm {_user(c)}, then log out and in again (a new login session "
            "is needed for the group to apply).")
    usable = c.host.get("kvm.usable")
    if usable is not None and usable.value is False:
        v.next_steps.append("Quit VirtualBox/VMware (or unload vboxdrv/vmmon): another hypervisor "
                            "holds VT-x.")
    if c.what_if:
        v.unknowns.append("/dev/kvm under the what-if kernel")
    elif c.kvm_device is None and c.kvm_usable is None and not ready:
        v.unknowns.append("/dev/kvm state")
    v.next_steps.append("sudo apt install qemu-system libvirt-daemon-system virt-manager "
                        "(or your distribution's equivalent), then create a VM in virt-manager.")
    if ready:
        v.next_steps.insert(0, "Nothing to set up: KVM already works for this user.")


def _user(c: Context) -> str:
    return "$USER"  # copy-pastable for whoever runs the step


def _nested_steps(c: Context) -> list[str]:
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
            "the host CPU model (host-passthrough).", ]


# -- Xen --------------------------------------------------------------------------------------------
def evaluate_xen(c: Context) -> Verdict:
    v = Verdict("xen", evidence=["kernel.release", "kernel.arch", "hypervisor.xen_role",
                                 "cpu.virtualization"])
    any_guests = c.answers.guests == "any"
    if c.release.wsl == 1:
        v.block("This is WSL1: not a Linux kernel, so it cannot be Xen dom0.", "wsl1")
        return v
    if c.xen_role == "dom0":
        v.ready = True
        v.reasons.append("This host already runs as Xen dom0: Xen is the hypervisor here.")
        v.cite("xen.dom0_hides_vt")
        hvm = any(cap.startswith("hvm-") for cap in c.xen_caps)
        if any_guests and c.xen_caps and not hvm:
            v.block("Windows and other unmodified guests need Xen HVM, and this Xen lists no "
                    "hvm-* capability (no VT-x/AMD-V).", "xen.pv_linux_only")
            return v
        if c.xen_caps:
            v.reasons.append("HVM guests are possible (hvm-* capability)." if hvm else
                             "Only PV (Linux) guests are possible: no hvm-* capability.")
        v.next_steps += ["Create guests with 'xl create' (or virt-manager with the Xen "
                         "connection).", "Check 'xl info' for virt_caps."]
        if c.release.vendor:
            v.cite("xen.vendor")
        return v
    if c.xen_role == "domU":
        v.block("This machine is itself a Xen guest (domU): a Xen host must be dom0 on the "
                "hardware.")
        return v
    if c.family is None:
        v.unknowns.append("architecture")
        v.reasons.append("The architecture is unknown, so Xen support cannot be checked.")
    elif c.family in ("arm", "arm64"):
        v.cite("xen.arm")
        v.score -= 20
    elif not c.x86:
        v.block(f"Xen runs on x86 and ARM only; this is {c.arch}.")
        return v
    if c.x86 and c.release.understood and c.release.wsl is None:
        vendor_xen = c.release.xen_flavour
        dom0 = c.in_range("xen.dom0")
        if vendor_xen:
            v.reasons.append(f"{c.release.release} is a vendor Xen kernel flavour"
                             f"{' (' + c.release.vendor + ')' if c.release.vendor else ''}: "
                             "it can boot as dom0 under the Xen hypervisor.")
            v.cite("xen.vendor")
        elif dom0 is False:
            v.block(f"Mainline Linux {c.release.version} cannot be Xen dom0: mainline dom0 came "
                    "in 2.6.37 (all backends in 3.0).", "xen.dom0")
            v.next_steps.append("Use a vendor Xen kernel of that era (RHEL/CentOS 5 el5xen, "
                                "Debian -xen- flavours) or a kernel from 3.0 on.")
            v.cite("xen.vendor")
            return v
        else:
            v.cite("xen.dom0")
            if c.release.before("3.0"):
                v.reasons.append("Before 3.0 some dom0 backend drivers were missing; 3.0 has "
                                 "them all.")
        if c.family == "x86_32" and (c.pae_cpu is False):
            v.block("32-bit Xen needs PAE, and this CPU shows no pae flag.", "xen.pae")
            return v
        if c.family == "x86_32":
            v.cite("xen.pae")
    elif c.release.wsl == 2:
        v.block("WSL2 runs inside Hyper-V: it cannot become a Xen dom0.")
        return v
    elif not c.release.understood:
        v.unknowns.append("kernel release")
        v.reasons.append("The kernel release is unknown, so dom0 support is unknown.")
    if any_guests:
        v.cite("xen.pv_linux_only")
        if c.x86 and not c.vt:
            why = {"disabled": "VT is disabled in the firmware",
                   "not exposed": "the outer hypervisor does not pass VT through",
                   "absent": "the CPU has no VT-x/AMD-V"}.get(c.firmware or "", "no VT flag is visible")
            v.block(f"Windows and other unmodified guests need Xen HVM, which needs VT-x/AMD-V: "
                    f"{why}.", "xen.pv_novt")
            if c.firmware == "disabled":
                v.next_steps.append("Enable VT in the firmware setup and power-cycle.")
            return v
    else:
        v.cite("xen.pv_novt")
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


# -- lguest -----------------------------------------------------------------------------------------
def evaluate_lguest(c: Context) -> Verdict:
    v = Verdict("lguest", evidence=["kernel.release", "kernel.arch"])
    if c.release.wsl == 1:
        v.block("This is WSL1: not a Linux kernel, so there is no lguest.", "wsl1")
        return v
    if c.family is not None and c.family != "x86_32":
        v.block(f"lguest hosts are 32-bit x86 only; this is {c.arch}.", "lguest.arch")
        if c.release.understood and c.release.before("4.14"):
            v.next_steps.append("A 32-bit (i686) kernel of 2.6.23–4.13 on this machine could "
                                "host lguest.")
        return v
    inside = c.in_range("lguest.range")
    if inside is False:
        if c.release.before("2.6.23"):
            v.block(f"Linux {c.release.version} predates lguest: it arrived in 2.6.23.",
                    "lguest.range")
            v.next_steps.append("Move to a kernel between 2.6.23 and 4.13 (for example "
                                "2.6.24, the 'wait for it' choice of that era).")
        else:
            v.block(f"Linux {c.release.version} no longer has lguest: it was removed in 4.14.",
                    "lguest.range")
        return v
    if c.answers.guests == "any":
        v.block("lguest runs Linux guests only, and you need other guest systems too.",
                "lguest.guests")
        return v
    if inside is None:
        v.unknowns.append("kernel release")
        v.reasons.append("The kernel release is unknown, so whether it has lguest is unknown.")
    else:
        v.cite("lguest.range")
    if c.family is None:
        v.unknowns.append("architecture")
        v.reasons.append("The architecture is unknown; lguest needs a 32-bit x86 host.")
    else:
        v.cite("lguest.arch")
    v.cite("lguest.guests")
    v.cite("lguest.novt")
    if c.release.pae or c.config.get("CONFIG_X86_PAE") == "y":
        v.cite("lguest.pae")
    v.cite("lguest.experimental")
    lg = c.config.get("CONFIG_LGUEST")
    if lg == "n":
        v.next_steps.append("Rebuild the kernel with CONFIG_LGUEST=m (this one has it off).")
    v.next_steps += ["sudo modprobe lg",
                     "Build the launcher: make -C Documentation/lguest (tools/lguest in later "
                     "trees)."]
    v.next_steps.append("Start a guest: sudo lguest 64 vmlinux --tunnet=192.168.19.1 "
                        "--block=rootfile root=/dev/vda")
    v.sources.append(knowledge.source_of("lguest.launcher"))
    return v


# -- ranking ----------------------------------------------------------------------------------------
def recommend(host: HostFacts, answers: Answers | None = None) -> list[Verdict]:
    """All three frameworks, best first, each with its verdict, reasons and next steps."""
    answers = answers or Answers()
    c = Context(host, answers)
    verdicts = {"kvm": evaluate_kvm(c), "xen": evaluate_xen(c), "lguest": evaluate_lguest(c)}
    kvm, xen, lg = verdicts["kvm"], verdicts["xen"], verdicts["lguest"]
    kvm.score += 100
    xen.score += 60
    lg.score += 50
    if not kvm.usable and answers.guests == "linux":
        lg.score += 45
    if xen.ready:
        xen.score += 70
    if answers.prefer == "stability":
        lg.score -= 10  # EXPERIMENTAL, "example code"
    else:
        kvm.score += 5
    bonus = {"learning": {"lguest": 15}, "servers": {"xen": 10, "lguest": -20},
             "kernel-dev": {"lguest": 10, "kvm": 5}, "desktop": {"kvm": 5}}
    for fw, pts in bonus.get(answers.purpose, {}).items():
        verdicts[fw].score += pts
    for v in verdicts.values():
        v.score -= 15 * len(v.unknowns)
        if v.ready:
            v.score += 10
    ranked = sorted(verdicts.values(), key=lambda v: (v.usable, v.score), reverse=True)
    for i, v in enumerate(ranked):
        if v.usable:
            v.verdict = RECOMMENDED if i == 0 else POSSIBLE
    return ranked


def notes_when_nothing_fits(verdicts: list[Verdict]) -> list[str]:
    if any(v.usable for v in verdicts):
        return []
    return ["No hypervisor framework fits this host as it stands.",
            "QEMU without acceleration (TCG emulation) runs any guest on any host, slowly.",
            "Containers (LXC, Docker, Podman) share this kernel and need no hypervisor."]
