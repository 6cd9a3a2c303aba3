"""The analysed host as a stack of layers, derived once from the probe's facts (a pure function).

From the bottom up: the hardware and its firmware switch; what runs under this kernel (nothing,
or a hypervisor of a known kind, and who controls it); the kernel itself (a real one, or one
that runs as a process or is faked); its build and modules; the distribution; a container or
sandbox around the system; and the user whose evidence this is. Every framework's requirements
(:mod:`kernel_advisor.rules`) read this stack, never the raw facts, so a layer kind that no rule
names
is still a layer with an owner, not a silent "fine".

In a what-if the kernel is imagined and the machine is real: :func:`kernel_bound` says which
facts belong to the running kernel and so do not describe the imagined one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Dict, FrozenSet, List, Optional

from kernel_advisor import distro, kernel, systems
from kernel_advisor.model import F, HostFacts, Value, Who

#: a fact's value by id (``HostFacts.value``, or what a what-if keeps of it)
Lookup = Callable[..., Any]


class Below(Value):
    """What runs under this kernel."""

    NOTHING = "bare metal"
    HYPERVISOR = "hypervisor"  # a KVM/Xen/Hyper-V/VMware/VirtualBox host someone administers
    CLOUD = "cloud"  # a cloud provider's VM: the nesting switch is the provider's
    CONFIDENTIAL = "confidential"  # a TDX or SEV guest: its monitor is not a host to reconfigure
    EMULATOR = "emulator"  # QEMU without KVM (TCG), Bochs: the CPU is emulated
    MICROVM = "microvm"  # a monitor that loads the kernel itself (no firmware, no boot loader)
    WSL = "wsl"  # WSL2's utility VM under Hyper-V
    XEN = "xen"  # this is a Xen domain (dom0 runs on the hardware, under Xen)
    UNKNOWN_VM = "unknown hypervisor"  # the hypervisor bit, but no name
    UNKNOWN = "unknown"


class KernelKind(Value):
    REAL = "real"  # a kernel that runs on (virtual) hardware
    UML = "uml"  # User-mode Linux: a kernel running as a process of another Linux
    SANDBOX = "sandbox"  # gVisor and the like: a fake kernel in front of the host's
    WSL1 = "wsl1"  # a Windows translation layer, no Linux kernel at all


class Firmware(Value):
    """The virtualization extension's firmware switch (``cpu.firmware_vt``)."""

    ENABLED = "enabled"
    DISABLED = "disabled"
    ABSENT = "absent"  # the CPU has no extension
    NOT_EXPOSED = "not exposed"  # a hypervisor under us does not pass it through
    UNAVAILABLE = "unavailable"  # arm: not entered at EL2/HYP; s390: no SIE
    UNKNOWN = "unknown"


#: CPUID/DMI vendors (lscpu's names) → what kind of layer they are and who administers it
HYPERVISOR_PRODUCTS = {"Oracle": "VirtualBox", "Microsoft": "Hyper-V", "IBM": "IBM z/VM or PR/SM",
                       "pHyp": "PowerVM"}
EMULATORS = ("QEMU", "Bochs")  # QEMU's CPUID signature "TCGTCGTCGTCG" is TCG, not KVM
#: clouds whose guests' nested virtualization is an instance setting of the provider
CLOUD_NAMES = {"aws": "Amazon EC2", "gcp": "Google Compute Engine", "azure": "Microsoft Azure",
               "alibaba": "Alibaba Cloud", "digitalocean": "DigitalOcean", "hetzner": "Hetzner",
               "oracle": "Oracle Cloud", "openstack": "OpenStack", "scaleway": "Scaleway"}


@dataclass(frozen=True)
class Hardware:
    arch: Optional[str]
    family: Optional[str]  # the knowledge base's architecture family
    x86: bool
    flags: FrozenSet[str]
    vt: Optional[str]  # "VT-x" / "AMD-V" where cpuinfo shows it
    firmware: Firmware
    lm: Optional[bool]  # a 64-bit x86 CPU
    pae: Optional[bool]


@dataclass(frozen=True)
class BelowLayer:
    kind: Below
    vendor: Optional[str]  # lscpu's name (KVM, Xen, Microsoft, VMware, Oracle…)
    name: str  # as a user knows it
    controller: Who  # who can change it
    cloud: Optional[str] = None
    confidential: Optional[str] = None  # tdx, sev, sev-es, sev-snp
    xen_role: Optional[str] = None
    pv: bool = False  # a Xen PV guest (no VT at all)
    metal: bool = False  # a cloud's bare-metal instance
    boot_loader: Optional[bool] = None  # False: the monitor loads the kernel itself

    @property
    def is_vm(self) -> bool:
        return self.kind not in (Below.NOTHING, Below.UNKNOWN) and self.xen_role != "dom0"


@dataclass(frozen=True)
class KernelLayer:
    kind: KernelKind
    release: kernel.KernelRelease
    running: bool  # the analysed kernel is the one running (not a what-if)
    config: Dict[str, str]
    modules: FrozenSet[str]
    blocked: Dict[str, str]  # module → where it is blocked


@dataclass(frozen=True)
class ContainerLayer:
    kind: Optional[str]  # None: not in a container


@dataclass(frozen=True)
class UserLayer:
    name: Optional[str]
    uid: Optional[int]
    groups: List[str] = field(default_factory=list)
    access: Optional[bool] = None  # may open /dev/kvm read-write
    device_group: Optional[str] = None  # /dev/kvm's group name (None: only a gid, or no group)
    device_gid: Optional[int] = None
    group_rw: bool = False  # the group may open the device
    other_rw: bool = False  # every user may open the device (crw-rw-rw-)
    in_session: Optional[bool] = None  # the device's group is among the session's
    listed: Optional[bool] = None  # /etc/group lists the user in the device's group

    @property
    def root(self) -> bool:
        return self.uid == 0


@dataclass(frozen=True)
class Stack:
    hardware: Hardware
    below: BelowLayer
    kernel: KernelLayer
    os: distro.Distro
    container: ContainerLayer
    user: UserLayer
    facts: HostFacts


#: facts that describe the running kernel, not the machine: a what-if kernel has its own
KERNEL_BOUND = frozenset({F.KVM_DEVICE, F.KVM_ACCESS, F.KVM_GROUP, F.KVM_USABLE, F.KVM_VCPU,
                          F.KVM_GUESTS,
                          F.KVM_NODE, F.KERNEL_CONFIG, F.KVM_CONFLICTS, F.KVM_VIRT_AT_LOAD,
                          F.OTHER_HYPERVISOR_MODULES,
                          F.LGUEST_DEVICE, F.USER_SESSION, F.KVM_MODULES, F.KVM_BLOCKED,
                          F.KVM_NESTED})


def kernel_bound(host: HostFacts) -> FrozenSet[str]:
    """The facts that do not describe the analysed kernel: in a what-if, those of the running
    one (its config, /dev/kvm and the ioctls, its modules' state); else none."""
    return KERNEL_BOUND if "kernel" in host.what_if else frozenset()


def derive(host: HostFacts) -> Stack:
    """The stack of ``host``, once."""
    dropped = kernel_bound(host)

    def value(fid: str, default: Any = None) -> Any:
        return default if fid in dropped else host.value(fid, default)

    release = systems.host_release(host)
    return Stack(_hardware(host, release), _below(host, release), _kernel(host, release, value),
                 distro.resolve(host.os_release, release, host.what_if, host.value(F.OS_IMAGE)),
                 _container(host), _user(value), host)


def _hardware(host: HostFacts, release: kernel.KernelRelease) -> Hardware:
    arch = host.value(F.KERNEL_ARCH) or arch_from_release(release.release)
    flags = frozenset(host.value(F.CPU_FLAGS, []) or [])
    x86 = kernel.is_x86(arch, host.value(F.CPU_VENDOR))
    state = host.value(F.CPU_FIRMWARE_VT)
    firmware = Firmware(state) if state in {f.value for f in Firmware} else Firmware.UNKNOWN
    return Hardware(arch, kernel.arch_family(arch), x86, flags, host.value(F.CPU_VIRTUALIZATION),
                    firmware, ("lm" in flags) if flags and x86 else None,
                    ("pae" in flags) if flags else None)


def _below(host: HostFacts, release: kernel.KernelRelease) -> BelowLayer:
    vendor = host.value(F.HYPERVISOR_VENDOR)
    vtype = host.value(F.HYPERVISOR_TYPE)
    role = host.value(F.HYPERVISOR_XEN_ROLE)
    platform = host.value(F.PLATFORM) or {}
    flagged = bool(host.value(F.CPU_HYPERVISOR_FLAG))
    cloud = platform.get("cloud")
    name = HYPERVISOR_PRODUCTS.get(vendor or "", vendor or "")
    boot_loader = None
    if platform.get("efi") is False and platform.get("dmi") is False:
        boot_loader = False  # no UEFI and no SMBIOS: the monitor loaded the kernel (direct boot)
    if platform.get("metal"):
        return BelowLayer(Below.NOTHING, None, CLOUD_NAMES.get(cloud or "", cloud or ""),
                          Who.PROVIDER, cloud=cloud, metal=True)
    if release.wsl == 2:
        return BelowLayer(Below.WSL, "Microsoft", "WSL2 (Hyper-V)", Who.YOU)
    if vendor == "Xen" or role:
        return BelowLayer(Below.XEN, "Xen", "Xen", Who.ADMIN if role == "dom0" else Who.OUTER_HOST,
                          xen_role=role, pv=role == "domU" and vtype == "para")
    if platform.get("confidential"):
        return BelowLayer(Below.CONFIDENTIAL, vendor, name or "a confidential-VM monitor",
                          Who.PROVIDER if cloud else Who.OUTER_HOST, cloud=cloud,
                          confidential=platform["confidential"])
    if vendor in EMULATORS:
        return BelowLayer(Below.EMULATOR, vendor, f"{vendor} (emulation)", Who.OUTER_HOST)
    if vendor == "User-mode Linux":  # a process of another Linux: that one is "below"
        return BelowLayer(Below.HYPERVISOR, vendor, "the Linux system that runs this "
                          "User-mode Linux kernel", Who.OUTER_HOST)
    if cloud and (vendor or flagged):
        return BelowLayer(Below.CLOUD, vendor, CLOUD_NAMES.get(cloud, cloud), Who.PROVIDER,
                          cloud=cloud, boot_loader=boot_loader)
    if vendor or flagged:
        kind = Below.HYPERVISOR if vendor else Below.UNKNOWN_VM
        if boot_loader is False and host.get(F.CPU_FLAGS) is not None:
            kind = Below.MICROVM
        return BelowLayer(kind, vendor, name or "a virtual machine", Who.OUTER_HOST,
                          boot_loader=boot_loader)
    if host.get(F.HYPERVISOR_VENDOR) is None:
        return BelowLayer(Below.UNKNOWN, None, "", Who.OUTER_HOST)
    return BelowLayer(Below.NOTHING, None, "", Who.FIRMWARE_SETUP)


def _kernel(host: HostFacts, release: kernel.KernelRelease, value: Lookup) -> KernelLayer:
    kind = KernelKind.REAL
    if release.wsl == 1:
        kind = KernelKind.WSL1
    elif host.value(F.HYPERVISOR_VENDOR) == "User-mode Linux":
        kind = KernelKind.UML
    elif host.value(F.CONTAINER_KIND) == "gvisor":
        kind = KernelKind.SANDBOX
    return KernelLayer(kind, release, "kernel" not in host.what_if,
                       dict(value(F.KERNEL_CONFIG) or {}),
                       frozenset(value(F.KVM_MODULES) or ()), dict(value(F.KVM_BLOCKED) or {}))


def _container(host: HostFacts) -> ContainerLayer:
    kind = host.value(F.CONTAINER_KIND)
    return ContainerLayer(None if kind in (None, "wsl", "gvisor") else kind)


def _user(value: Lookup) -> UserLayer:
    session = value(F.USER_SESSION) or {}
    node = value(F.KVM_NODE) or {}
    mode = node.get("mode") or ""
    named = value(F.KVM_GROUP)  # the group that may open it, where one may (older records)
    if named and named.startswith("gid "):
        named = None  # a bare gid: no name to add a user to
    return UserLayer(
        name=session.get("user"), uid=session.get("uid"), groups=list(session.get("groups") or []),
        access=value(F.KVM_ACCESS), device_group=node.get("group") or named,
        device_gid=node.get("gid"),
        group_rw=(mode[4:6] == "rw" and node.get("gid") != 0) if mode else bool(value(F.KVM_GROUP)),
        other_rw=mode[7:9] == "rw",
        in_session=session.get("device_group_in_session"),
        listed=session.get("device_group_lists_user"))


def arch_from_release(release: str) -> Optional[str]:
    """A what-if without --arch: the architecture a release names outright, if any."""
    low = release.lower()
    if any(t in low for t in ("x86_64", "amd64")):
        return "x86_64"
    if any(t in low for t in ("i686", "-686", "i586", "pae")):
        return "i686"
    if any(t in low for t in ("aarch64", "arm64", "-v8+")):
        return "aarch64"
    return None
