"""KVM and VirtualBox or VMware on one machine, both ways (issue 27, item 3): since Linux 6.12
KVM turns VT-x/AMD-V on when its module loads (``kvm.enable_virt_at_load``), so VirtualBox's
VMs cannot start while kvm_intel is loaded — the user is told the fix; and another hypervisor
is said to hold VT only on evidence (EBUSY), never beside a KVM_CREATE_VM that succeeded."""

from __future__ import annotations

import pytest
from test_host_advice import INTEL, KVM_NODE, advise, host, snapshot

from kernel_advisor.model import F

MODULES = {"vbox": "vboxdrv 696320 2 vboxnetadp,vboxnetflt, Live 0x0000000000000000 (OE)\n",
           "vmware": "vmmon 147456 0 - Live 0x0000000000000000 (OE)\n",
           "kvm": "kvm_intel 487424 0 - Live 0x0\nkvm 1437696 1 kvm_intel, Live 0x0\n"}
ACCESS = {"rw_access": True, "user": "ann", "uid": 1000, "groups": ["kvm"]}
CREATED = {"opened": True, "create_vm": "ok", "api_version": 12}


def machine(tmp_path, modules, at_load=None, kvm=CREATED, release="6.12.43+deb13-amd64"):
    files = host(release, cpuinfo=INTEL.format(extra="vmx"))
    files["/proc/modules"] = "".join(MODULES[m] for m in modules)
    if at_load is not None:
        files["/sys/module/kvm/parameters/enable_virt_at_load"] = at_load + "\n"
    return advise(snapshot(tmp_path, files=files, live={"kvm": kvm, "access": ACCESS},
                           devices={"/dev/kvm": KVM_NODE}, distro="debian13"))


@pytest.mark.parametrize("other, name", [("vbox", "VirtualBox"), ("vmware", "VMware")])
def test_on_612_the_virtualbox_or_vmware_user_is_told_the_fix(tmp_path, other, name):
    a, v = machine(tmp_path, [other, "kvm"], at_load="Y")
    said = " ".join(v["kvm"].reasons + v["kvm"].next_steps)
    assert f"{name}" in said and "cannot start its VMs while kvm_intel is loaded" in said
    assert "kvm.enable_virt_at_load=0" in said and "sudo modprobe -r kvm_intel" in said
    assert any(s["id"] == "kvm.virt_at_load" for s in v["kvm"].sources)
    assert a.host.get(F.KVM_CONFLICTS).status == "warn"
    # KVM itself works: nothing says the other one holds VT
    assert v["kvm"].ready
    assert not any(r.id == "kvm.no_conflict" for r in v["kvm"].requirements)
    assert "holds VT" not in said


@pytest.mark.parametrize("at_load", ["N", None])
def test_with_kvm_on_demand_both_can_be_used_and_nothing_is_said(tmp_path, at_load):
    """kvm.enable_virt_at_load=0, or a kernel from before 6.12: KVM takes VT only while its
    VMs run."""
    a, v = machine(tmp_path, ["vbox", "kvm"], at_load=at_load,
                   release="6.12.43+deb13-amd64" if at_load else "6.1.0-26-amd64")
    said = " ".join(v["kvm"].reasons)
    assert "cannot start its VMs" not in said
    assert "takes VT-x/AMD-V while its VMs run" in a.host.get(F.KVM_CONFLICTS).summary


def test_ebusy_names_the_holder_and_only_then(tmp_path):
    busy = {"opened": True, "create_vm": "failed", "errno": "EBUSY",
            "error": "ioctl: Device or resource busy"}
    a, v = machine(tmp_path, ["vbox", "kvm"], at_load="N", kvm=busy)
    conflict = next(r for r in v["kvm"].requirements if r.id == "kvm.no_conflict")
    assert conflict.state == "fixable" and "VirtualBox holds VT-x/AMD-V now" in conflict.text
    assert not v["kvm"].ready


def test_a_what_if_kernel_is_not_told_of_the_running_kernels_modules(tmp_path):
    files = host("6.12.43+deb13-amd64", cpuinfo=INTEL.format(extra="vmx"))
    files["/proc/modules"] = MODULES["vbox"] + MODULES["kvm"]
    files["/sys/module/kvm/parameters/enable_virt_at_load"] = "Y\n"
    from kernel_advisor.analysis import analyse
    from kernel_advisor.model import Answers

    a = analyse(snapshot(tmp_path, files=files, live={"kvm": CREATED, "access": ACCESS},
                         devices={"/dev/kvm": KVM_NODE}, distro="debian13"),
                answers=Answers(), kernel_release="6.6.50")
    kvm = next(v for v in a.verdicts if v.framework == "kvm")
    assert not any("cannot start its VMs" in n for n in kvm.reasons)
