"""KVM and the other hypervisors on the machine, for their users: VirtualBox's or VMware's VMs
cannot start while a KVM vendor module holds VT from its load (Linux 6.12 on), and their modules
are refused under a kernel that loads only signed ones — each said only on its evidence, with
what to do."""

from __future__ import annotations

from typing import List, Optional

from kernel_advisor.i18n import _
from kernel_advisor.knowledge import K
from kernel_advisor.model import F, Verdict
from kernel_advisor.rules.context import Context, add_source


def notes(c: Context, v: Verdict, out: List[str]) -> None:
    """Add to ``out`` what the other hypervisors' users must know, with the facts cited."""
    for note, fid in ((blocked(c), K.KVM_VIRT_AT_LOAD), (unsigned(c), K.MODULE_SIGNING)):
        if note:
            out.append(note)
            add_source(v, fid)


def blocked(c: Context) -> Optional[str]:
    """For the VirtualBox or VMware user: their VMs cannot start while a KVM vendor module
    holds VT from its load (6.12 on), and what to do — said only on that evidence."""
    if c.what_if or not c.kvm_conflicts or c.host.value(F.KVM_VIRT_AT_LOAD) is not True:
        return None
    vendor = next((m for m in ("kvm_intel", "kvm_amd") if m in c.kvm_modules), None)
    if vendor is None:
        return None
    return _("{holders} cannot start its VMs while {vendor} is loaded: this kernel's KVM turns "
             "VT-x/AMD-V on when its module loads (kvm.enable_virt_at_load=Y). To use "
             "{holders}, boot with kvm.enable_virt_at_load=0 (KVM then takes VT-x/AMD-V only "
             "while its own VMs run), or unload the module first: sudo modprobe -r {vendor}."
             ).format(holders=" and ".join(c.kvm_conflicts), vendor=vendor)


def unsigned(c: Context) -> Optional[str]:
    """VirtualBox's or VMware's module installed for this kernel but not loaded, on a kernel that
    loads only signed modules: it will be refused ("Key was rejected by service") until signed
    with an enrolled key — said with the distribution's way to do that."""
    if c.what_if or not (c.host.value(F.SECURE_BOOT) or {}).get("enforcing"):
        return None
    waiting = (c.host.value(F.OTHER_HYPERVISOR_MODULES) or {}).get("not_loaded") or []
    if not waiting:
        return None
    return _("{modules} is installed for this kernel but not loaded, and this kernel loads only "
             "modules signed with a key it trusts: loading it fails with \"Key was rejected by "
             "service\" until it is signed. {how}").format(
                 modules=" and ".join(waiting), how=c.distro.secure_boot("enroll"))
