"""The probe over real captures agrees with the peers' own answers on them."""

from __future__ import annotations

import pytest
from conftest import FIRECRACKER, LSCPU, VIRT_WHAT, lscpu_expected, lscpu_names, virt_what_names

from kernel_advisor.analysis import analyse
from kernel_advisor.hostfs import DirRoot, TarRoot
from kernel_advisor.probe import probe


@pytest.mark.parametrize("name", lscpu_names())
def test_agrees_with_lscpu(name):
    facts = probe(TarRoot(str(LSCPU / f"{name}.tar.gz")))
    want = lscpu_expected(name)
    assert facts.value("cpu.virtualization") == want.get("Virtualization")
    assert facts.value("hypervisor.vendor") == want.get("Hypervisor vendor")
    if "Virtualization type" in want:
        assert facts.value("hypervisor.type") == want["Virtualization type"]
    if want.get("Hypervisor") and want["Hypervisor"] != "-":
        assert facts.value("hypervisor.detail") == want["Hypervisor"]
    # none of these dumps has osrelease: the kernel is unknown, and says why
    rel = facts.get("kernel.release")
    assert rel.status == "unknown" and "osrelease" in rel.reason


@pytest.mark.parametrize("name, arch", [
    ("s390-lpar", "s390x"), ("rv64-linux", "riscv64"), ("loongarch-loongson_3a5000_hv", "loongarch64"),
    ("sparc64", "sparc64"), ("x86_64-64cpu", None), ("armv7", None),
])
def test_arch_inferred_only_when_unambiguous(name, arch):
    facts = probe(TarRoot(str(LSCPU / f"{name}.tar.gz")))
    assert facts.value("kernel.arch") == arch
    if arch is None:
        assert facts.get("kernel.arch").status == "unknown"


def _virt_what_facts(name):
    expected = (VIRT_WHAT / name / "virt-what.expected").read_text().split()
    return probe(DirRoot(str(VIRT_WHAT / name / "root"))), expected


@pytest.mark.parametrize("name", virt_what_names())
def test_agrees_with_virt_what(name):
    facts, expected = _virt_what_facts(name)
    vendor = facts.value("hypervisor.vendor")
    if not expected:
        assert vendor is None and facts.value("container.kind") is None
    if "kvm" in expected:
        assert vendor == "KVM"
    if "xen" in expected:
        assert vendor == "Xen"
    if "xen-dom0" in expected:
        assert facts.value("hypervisor.xen_role") == "dom0"
    if "xen-domU" in expected:
        assert facts.value("hypervisor.xen_role") == "domU"
        assert facts.value("hypervisor.type") == "para"
    if "lxc" in expected:
        assert facts.value("container.kind") == "lxc"
        assert facts.value("hypervisor.type") == "container"


def test_rhel5_dom0_recommends_xen_with_the_vendor_kernel():
    a = analyse(root_dir=str(VIRT_WHAT / "rhel5-xen-dom0" / "root"), kernel_release="2.6.18-8.el5xen")
    top = a.verdicts[0]
    assert (top.framework, top.verdict) == ("xen", "recommended")
    assert a.stability.vendor == "Red Hat"


def test_firecracker_pvm_host_is_told_exactly():
    """The development machine: no VT flag, /dev/kvm present and usable, running under KVM."""
    a = analyse(TarRoot(str(FIRECRACKER)))
    h = a.host
    assert h.value("cpu.virtualization") is None
    assert h.value("kvm.device") == "present"
    assert h.value("kvm.usable") is True
    assert h.value("hypervisor.vendor") == "KVM"
    # its root filesystem came from a container image (/.dockerenv), but it is a VM
    assert h.get("container.kind").value is None and "leftover" in h.get("container.kind").summary
    kvm = next(v for v in a.verdicts if v.framework == "kvm")
    assert kvm.verdict == "recommended" and kvm.ready
    assert any("PVM" in r for r in kvm.reasons)
    assert a.usable


def test_snapshot_matches_live(tmp_path):
    """Analysing a fresh snapshot of this machine gives the same host facts as live."""
    from kernel_advisor.snapshot import capture

    data, _ = capture()
    snap = tmp_path / "s.tar.gz"
    snap.write_bytes(data)
    live = probe(DirRoot("/"))
    captured = probe(TarRoot(str(snap)))
    for fact in live:
        other = captured.get(fact.id)
        assert other is not None, fact.id
        assert (other.value, other.status) == (fact.value, fact.status), fact.id


def test_snapshot_holds_no_secrets(tmp_path):
    import tarfile

    from kernel_advisor.snapshot import capture

    data, _ = capture()
    snap = tmp_path / "s.tar.gz"
    snap.write_bytes(data)
    with tarfile.open(snap) as tf:
        names = tf.getnames()
        assert not any(n.endswith(("shadow", "passwd", "hostname")) for n in names)
        if "kernel-advisor-snapshot/proc/1/environ" in names:
            env = tf.extractfile("kernel-advisor-snapshot/proc/1/environ").read()
            assert all(e.startswith(b"container=") for e in env.split(b"\0") if e)
