"""A vCPU that runs guest code (issue 27, item 1): live on this machine's /dev/kvm (the CI
machines are Firecracker VMs whose KVM works through PVM), in a child process from any thread
and on the oldest Python a fleet has, and judged from records a snapshot carries — a run that
reached HLT, an entry failure, a record from before the vCPU run, a hostile one."""

from __future__ import annotations

import json
import os
import subprocess
import threading
from pathlib import Path

import pytest
from test_host_advice import INTEL, KVM_NODE, advise, host, snapshot

from kernel_advisor import vcpu
from kernel_advisor.model import F
from kernel_advisor.report import jsondoc

PYENV = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv")) / "versions"


def _kvm_opens() -> str:
    """Why this machine cannot run the live tests, or "" where it can."""
    if os.uname().machine not in ("x86_64", "i686"):
        return "the guest code is x86"
    try:
        os.close(os.open("/dev/kvm", os.O_RDWR))
    except OSError as exc:
        return f"/dev/kvm: {exc.strerror}"
    return ""


live = pytest.mark.skipif(bool(_kvm_opens()), reason=_kvm_opens() or "-")


@live
def test_a_vcpu_runs_the_guest_code_to_hlt_here():
    result = vcpu.run_here()
    assert result["ran"] is True and result["exit"] == "KVM_EXIT_HLT", result
    assert "OUT 0x4b to port 0x10" in result["detail"]


@live
def test_the_bounded_run_works_from_a_worker_thread_as_the_wizard_calls_it():
    results = []
    worker = threading.Thread(target=lambda: results.append(vcpu.run_bounded()))
    worker.start()
    worker.join(60)
    assert results and results[0]["ran"] is True, results


@live
@pytest.mark.parametrize("version", ["3.8", "3.9"])
def test_the_child_runs_on_the_oldest_pythons_of_a_fleet(version):
    found = sorted(PYENV.glob(f"{version}.*/bin/python3"))
    if not found:
        pytest.skip(f"no Python {version} here (pyenv)")
    out = subprocess.run([str(found[-1]), "-I", "-S", "-c", vcpu._source(), "/dev/kvm"],
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["ran"] is True


def test_a_run_that_does_not_return_in_time_is_killed_and_said():
    result = vcpu.run_bounded(deadline=0.001)  # not even the interpreter starts in time
    assert result["ran"] is False and "did not return within" in result["detail"]


@pytest.mark.parametrize("path, errno_, step", [
    ("/nonexistent/kvm", "ENOENT", "open"),
    ("/dev/null", "ENOTTY", "KVM_CREATE_VM"),  # not KVM: the ioctl is refused
])
def test_what_is_not_kvm_is_not_tried(path, errno_, step):
    result = vcpu.run_bounded(path)
    assert (result["ran"], result["errno"], result["step"]) == (None, errno_, step), result


# -- judged from a snapshot's record ----------------------------------------------------------------
KVM_OK = {"opened": True, "create_vm": "ok", "api_version": 12}
ACCESS = {"rw_access": True, "user": "ann", "uid": 1000, "groups": ["kvm"]}


def judged(tmp_path, kvm):
    root = snapshot(tmp_path, files=host("6.12.43+deb13-amd64", cpuinfo=INTEL.format(
        extra="vmx")), live={"kvm": kvm, "access": ACCESS}, devices={"/dev/kvm": KVM_NODE},
        distro="debian13")
    a, v = advise(root)
    proof = next(r for r in v["kvm"].requirements if r.id == "kvm.live_proof")
    return a, v["kvm"], proof


def test_a_recorded_run_to_hlt_is_the_live_proof(tmp_path):
    a, kvm, proof = judged(tmp_path, {**KVM_OK, "vcpu_ran": True, "vcpu_exit": "KVM_EXIT_HLT",
                                      "vcpu_detail": "OUT 0x4b to port 0x10, then HLT"})
    assert proof.state == "met" and F.KVM_VCPU in proof.evidence
    assert "a vCPU ran guest code to HLT" in proof.text and kvm.ready
    assert jsondoc.document(a)["host"]["kvm"]["vcpu"]["ran"] is True


def test_an_entry_failure_is_named_and_nothing_is_ready(tmp_path):
    a, kvm, proof = judged(tmp_path, {**KVM_OK, "vcpu_ran": False,
                                      "vcpu_exit": "KVM_EXIT_FAIL_ENTRY",
                                      "vcpu_detail": "hardware entry failure reason 0x7"})
    assert proof.state == "unknown" and not kvm.ready
    assert "KVM_EXIT_FAIL_ENTRY" in proof.text and "0x7" in proof.text
    doc = jsondoc.document(a)["host"]["kvm"]["vcpu"]
    assert doc == {"ran": False, "exit": "KVM_EXIT_FAIL_ENTRY",
                   "detail": "hardware entry failure reason 0x7"}


def test_a_record_from_before_the_vcpu_run_is_judged_as_before(tmp_path):
    a, kvm, proof = judged(tmp_path, KVM_OK)
    assert proof.state == "met" and "KVM_CREATE_VM succeeded on /dev/kvm" in proof.text
    fact = a.host.get(F.KVM_VCPU)
    assert fact.value is None and "before Kernel Advisor ran a vCPU" in fact.summary
    assert jsondoc.document(a)["host"]["kvm"]["vcpu"]["ran"] is None


def test_a_hostile_vcpu_field_drops_the_kvm_record_with_its_reason(tmp_path):
    a, kvm, proof = judged(tmp_path, {**KVM_OK, "vcpu_ran": "yes"})
    assert a.host.value(F.KVM_USABLE) is None and proof.state == "unknown"
    assert "malformed" in a.host.get(F.KVM_USABLE).summary


# -- what guests get (item 2) -----------------------------------------------------------------------
@live
def test_kvm_says_here_what_guests_get():
    from kernel_advisor import live as live_

    record = live_.kvm_check()
    assert record["guest_vmx"] is not None and record["guest_svm"] is not None
    if record["vm_types"] is not None:  # KVM_CAP_VM_TYPES: Linux 6.10 on
        assert record["vm_types"] & 1  # every KVM creates the default type


def test_guests_offered_vmx_nest_and_confidential_types_are_listed(tmp_path):
    root = snapshot(tmp_path, files=host("6.12.43+deb13-amd64", cpuinfo=INTEL.format(
        extra="vmx"), **{"/sys/module/kvm_intel/parameters/tdx": "Y\n",
                         "/sys/module/kvm_intel/parameters/nested": "N\n"}),
        live={"kvm": {**KVM_OK, "guest_vmx": True, "guest_svm": False, "nested_state": 8192,
                      "vm_types": 0b11101}, "access": ACCESS},
        devices={"/dev/kvm": KVM_NODE}, distro="debian13")
    a, _v = advise(root)
    fact = a.host.get(F.KVM_GUESTS)
    assert "guests are offered VMX: they can run KVM themselves" in fact.summary
    assert "VM types: default, sev, sev-es, sev-snp" in fact.summary
    assert "tdx switched on in the module but not offered" in fact.summary
    kvm = jsondoc.document(a)["host"]["kvm"]
    assert kvm["guests"] == {"nested": True, "vm_types": ["default", "sev", "sev-es", "sev-snp"],
                             "nested_state": 8192}
    assert kvm["nested"] is True  # what guests are offered, not the module parameter (N)


def test_an_older_record_keeps_the_module_parameter_for_nesting(tmp_path):
    root = snapshot(tmp_path, files=host("6.1.0-26-amd64", cpuinfo=INTEL.format(extra="vmx"),
                                         **{"/sys/module/kvm_intel/parameters/nested": "Y\n"}),
                    live={"kvm": KVM_OK, "access": ACCESS}, devices={"/dev/kvm": KVM_NODE},
                    distro="debian13")
    a, _v = advise(root)
    kvm = jsondoc.document(a)["host"]["kvm"]
    assert kvm["guests"] == {"nested": None, "vm_types": None, "nested_state": None}
    assert kvm["nested"] is True
    assert "before Kernel Advisor asked KVM" in a.host.get(F.KVM_GUESTS).summary


def test_the_fleet_row_sums_up_what_vms_get(tmp_path):
    from kernel_advisor.fleet_row import row, shown

    root = snapshot(tmp_path, files=host("6.12.43+deb13-amd64", cpuinfo=INTEL.format(
        extra="vmx")), live={"kvm": {**KVM_OK, "vcpu_ran": True, "vcpu_exit": "KVM_EXIT_HLT",
                                     "guest_vmx": True, "guest_svm": False, "vm_types": 0b10001},
                             "access": ACCESS}, devices={"/dev/kvm": KVM_NODE}, distro="debian13")
    a, _v = advise(root)
    cells = row(a, "h1")
    assert cells["vms"] == "vCPU ran, nested, sev-snp"
    (tmp_path / "old").mkdir()
    old = snapshot(tmp_path / "old", files=host("6.1.0-26-amd64", cpuinfo=INTEL.format(
        extra="vmx")), live={"kvm": KVM_OK, "access": ACCESS}, devices={"/dev/kvm": KVM_NODE},
        distro="debian13")
    assert row(advise(old)[0], "h2")["vms"] == "unknown"
    assert shown("vms", "vCPU ran, nested") == "vCPU ran, nested"


def test_the_reports_say_what_the_virtual_machines_will_get(tmp_path):
    from kernel_advisor.report import html, markdown

    a, _kvm, _proof = judged(tmp_path, {**KVM_OK, "vcpu_ran": True, "vcpu_exit": "KVM_EXIT_HLT",
                                        "vcpu_detail": "OUT 0x4b to port 0x10, then HLT",
                                        "guest_vmx": False, "guest_svm": False, "vm_types": 1})
    md = markdown.render(a)
    section = md.split("## What your virtual machines will get", 1)[1].split("\n## ", 1)[0]
    assert "a vCPU ran guest code to HLT through KVM_RUN" in section
    assert "guests are offered neither VMX nor SVM" in section
    assert "<h2>What your virtual machines will get</h2>" in html.render(a)


def test_a_user_who_may_not_open_kvm_is_told_so_not_that_the_snapshot_is_old(tmp_path):
    """Found running the CLI as a throw-away user: the guests' check blamed an old snapshot."""
    a, _kvm, _proof = judged(tmp_path, {"opened": False, "errno": "EACCES",
                                        "error": "open: Permission denied"})
    summary = a.host.get(F.KVM_GUESTS).summary
    assert "could not open /dev/kvm (open: Permission denied)" in summary
    assert "snapshot" not in summary
