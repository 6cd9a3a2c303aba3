"""The facts the rules need, read once from the host facts and the answers, and the helpers
every framework's rule shares (citing the knowledge base, blocking with a reason)."""

from __future__ import annotations

from typing import Optional

from packaging.version import Version

from kernel_advisor import knowledge, stack, versions
from kernel_advisor.i18n import _
from kernel_advisor.model import Answers, F, HostFacts, Verdict


class Context:
    """The analysed host as the rules see it. Facts about the running kernel (``/dev/kvm``, its
    config) do not describe a what-if kernel, so they are dropped for one."""

    def __init__(self, host: HostFacts, answers: Answers):
        self.host, self.answers = host, answers
        self.stack = st = stack.derive(host)
        self.what_if = not st.kernel.running
        self.release = st.kernel.release
        self.arch, self.family, self.x86 = st.hardware.arch, st.hardware.family, st.hardware.x86
        self.vt = st.hardware.vt
        self.firmware = host.value(F.CPU_FIRMWARE_VT)
        self.hv = host.value(F.HYPERVISOR_VENDOR)
        self.xen_role = st.below.xen_role
        self.container = st.container.kind
        self.flags = set(st.hardware.flags)
        self.pae_cpu = st.hardware.pae
        self.lm_cpu = st.hardware.lm
        running = st.kernel.running
        self.kvm_device = host.value(F.KVM_DEVICE) if running else None
        self.kvm_usable = host.value(F.KVM_USABLE) if running else None
        self.kvm_modules = sorted(st.kernel.modules)
        self.config = st.kernel.config
        self.hv_type = host.value(F.HYPERVISOR_TYPE)
        self.dom0 = self.xen_role == "dom0"
        self.pv_domu = st.below.pv
        #: inside a VM (a Xen domU too; a dom0 runs on the hardware, under Xen)
        self.in_vm = st.below.is_vm
        self.hv_name = st.below.name or _("a virtual machine")
        self.xen_caps = host.value(F.XEN_CAPABILITIES) or []
        self.xen_version = host.value(F.XEN_VERSION)
        self.kvm_conflicts = (host.value(F.KVM_CONFLICTS) or []) if running else []
        self.pvm = self.config.get("CONFIG_KVM_PVM") in ("y", "m") or "kvm_pvm" in self.kvm_modules
        self.distro = st.os

    def in_range(self, fid: str) -> Optional[bool]:
        """Whether the analysed kernel lies in the fact's range; None if the release is unknown."""
        return versions.in_range(self.release, knowledge.kernels(fid))

    def before(self, version: str) -> bool:
        """The analysed kernel's upstream base is older than ``version`` (False if unknown)."""
        base = versions.upstream(self.release)
        return base is not None and base < Version(version)


def cite(v: Verdict, fid: str, text: Optional[str] = None) -> None:
    """A reason from the knowledge base, with its source."""
    v.reasons.append(text or knowledge.cite(fid))
    add_source(v, fid)


def add_source(v: Verdict, fid: str) -> None:
    if all(s["id"] != fid for s in v.sources):
        v.sources.append(knowledge.source_of(fid))


