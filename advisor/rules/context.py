"""The facts the rules need, read once from the host facts and the answers, and the helpers
every framework's rule shares (citing the knowledge base, blocking with a reason)."""

from __future__ import annotations

from typing import Optional

from packaging.version import Version

from advisor import distro, kernel, knowledge
from advisor.model import UNAVAILABLE, Answers, F, HostFacts, Verdict
from advisor.i18n import _

#: hypervisor vendors (lscpu's names, kept in the facts) as a user knows the product
PRODUCT_NAMES = {"Oracle": "VirtualBox", "Microsoft": "Hyper-V", "IBM": "IBM z/VM or PR/SM",
                 "pHyp": "PowerVM"}


class Context:
    """The analysed host as the rules see it. Facts about the running kernel (``/dev/kvm``, its
    config) do not describe a what-if kernel, so they are dropped for one."""

    def __init__(self, host: HostFacts, answers: Answers):
        self.host, self.answers = host, answers
        self.what_if = "kernel" in host.what_if
        self.release = kernel.parse(host.value(F.KERNEL_RELEASE))
        self.arch = host.value(F.KERNEL_ARCH) or _arch_from_release(self.release.release)
        self.family = kernel.arch_family(self.arch)
        self.x86 = kernel.is_x86(self.arch, host.value(F.CPU_VENDOR))
        self.vt = host.value(F.CPU_VIRTUALIZATION)
        self.firmware = host.value(F.CPU_FIRMWARE_VT)
        self.hv = host.value(F.HYPERVISOR_VENDOR)
        self.hv_flag = bool(host.value(F.CPU_HYPERVISOR_FLAG))
        self.xen_role = host.value(F.HYPERVISOR_XEN_ROLE)
        self.container = host.value(F.CONTAINER_KIND)
        self.flags = set(host.value(F.CPU_FLAGS, []) or [])
        self.pae_cpu = "pae" in self.flags if self.flags else None
        running = not self.what_if
        self.kvm_device = host.value(F.KVM_DEVICE) if running else None
        self.kvm_usable = host.value(F.KVM_USABLE) if running else None
        self.kvm_access = host.value(F.KVM_ACCESS) if running else None
        self.kvm_modules = host.value(F.KVM_MODULES) or []
        self.config = (host.value(F.KERNEL_CONFIG) or {}) if running else {}
        self.hv_type = host.value(F.HYPERVISOR_TYPE)
        self.dom0 = self.xen_role == "dom0"
        self.pv_domu = self.xen_role == "domU" and self.hv_type == "para"
        #: inside a VM (a Xen domU too; a dom0 runs on the hardware, under Xen)
        self.in_vm = not self.dom0 and (
            (self.hv is not None and self.hv_type != "container")
            or (self.hv_flag and self.hv is None) or self.release.wsl == 2)
        self.hv_name = PRODUCT_NAMES.get(self.hv or "", self.hv) or _("a virtual machine")
        if self.release.wsl == 2:
            self.hv_name = "WSL2 (Hyper-V)"
        self.lm_cpu = "lm" in self.flags if self.flags and self.x86 else None
        self.xen_caps = host.value(F.XEN_CAPABILITIES) or []
        self.xen_version = host.value(F.XEN_VERSION)
        self.kvm_group = host.value(F.KVM_GROUP) if running else None
        self.kvm_conflicts = host.value(F.KVM_CONFLICTS) or [] if running else []
        self.pvm = self.config.get("CONFIG_KVM_PVM") in ("y", "m") or "kvm_pvm" in self.kvm_modules
        self.distro = distro.resolve(host.os_release, self.release, host.what_if)

    def in_range(self, fid: str) -> Optional[bool]:
        """Whether the analysed kernel lies in the fact's range; None if the release is unknown."""
        return self.release.in_range(knowledge.kernels(fid))

    def before(self, version: str) -> bool:
        """The analysed kernel's upstream base is older than ``version`` (False if unknown)."""
        base = self.release.upstream
        return base is not None and base < Version(version)


def _arch_from_release(release: str) -> Optional[str]:
    """A what-if without --arch: the architecture a release names outright, if any."""
    low = release.lower()
    if any(t in low for t in ("x86_64", "amd64")):
        return "x86_64"
    if any(t in low for t in ("i686", "-686", "i586", "pae")):
        return "i686"
    if any(t in low for t in ("aarch64", "arm64", "-v8+")):
        return "aarch64"
    return None


def cite(v: Verdict, fid: str, text: Optional[str] = None) -> None:
    """A reason from the knowledge base, with its source."""
    v.reasons.append(text or knowledge.cite(fid))
    add_source(v, fid)


def add_source(v: Verdict, fid: str) -> None:
    if all(s["id"] != fid for s in v.sources):
        v.sources.append(knowledge.source_of(fid))


def block(v: Verdict, reason: str, fid: Optional[str] = None) -> None:
    """A hard requirement fails: the framework is unavailable, and this reason comes first."""
    v.verdict = UNAVAILABLE
    v.reasons.insert(0, reason)
    if fid:
        add_source(v, fid)
