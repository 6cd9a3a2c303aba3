"""Secure Boot and lockdown (issue 27, item 4): an out-of-tree module (VirtualBox's, VMware's)
installed but not loaded on a kernel that loads only signed modules is predicted to fail with
"Key was rejected by service", with the distribution's way to sign it; the Xen path under
Secure Boot is warned per distribution; nothing is said where the evidence is missing."""

from __future__ import annotations

import pytest
from test_host_advice import INTEL, KVM_NODE, advise, host, snapshot

from kernel_advisor.model import F

VAR = "/sys/firmware/efi/efivars/SecureBoot-8be4df61-93ca-11d2-aa0d-00e098032b8c"
ON, OFF = "\x06\x00\x00\x00\x01", "\x06\x00\x00\x00\x00"  # attributes, then the value
ACCESS = {"rw_access": True, "user": "ann", "uid": 1000, "groups": ["kvm"]}
KVM = {"opened": True, "create_vm": "ok", "api_version": 12}


def machine(tmp_path, release, distro, secure=ON, lockdown="none [integrity] confidentiality",
            installed=("updates/dkms/vboxdrv.ko.zst",), loaded=""):
    files = host(release, cpuinfo=INTEL.format(extra="vmx"))
    if secure is not None:
        files[VAR] = secure
    if lockdown is not None:
        files["/sys/kernel/security/lockdown"] = lockdown + "\n"
    for path in installed:
        files[f"/lib/modules/{release}/{path}"] = "\x7fELF"
    files["/proc/modules"] = loaded + "kvm_intel 487424 0 - Live 0x0\nkvm 1437696 1 kvm_intel\n"
    return advise(snapshot(tmp_path, files=files, live={"kvm": KVM, "access": ACCESS},
                           devices={"/dev/kvm": KVM_NODE}, distro=distro))


@pytest.mark.parametrize("release, distro, how", [
    ("6.8.0-45-generic", "ubuntu24", "sudo update-secureboot-policy --enroll-key"),
    ("6.12.43+deb13-amd64", "debian13", "sudo mokutil --import /var/lib/dkms/mok.pub"),
    ("6.12.0-55.el10.x86_64", "rhel10", "sudo mokutil --import KEY.der"),  # in general
])
def test_an_unsigned_module_is_predicted_to_be_refused_with_the_way_to_sign_it(
        tmp_path, release, distro, how):
    a, v = machine(tmp_path, release, distro)
    said = " ".join(v["kvm"].reasons)
    assert "vboxdrv is installed for this kernel but not loaded" in said
    assert "Key was rejected by service" in said and how in said
    assert any(s["id"] == "kernel.module_signing" for s in v["kvm"].sources)
    sb = a.host.value(F.SECURE_BOOT)
    assert sb["secure_boot"] is True and sb["lockdown"] == "integrity" and sb["enforcing"]


@pytest.mark.parametrize("change", [
    {"loaded": "vboxdrv 696320 0 - Live 0x0\n"},  # it loaded: it is signed
    {"lockdown": "[none] integrity confidentiality", "secure": OFF},  # nothing enforces it
    {"installed": ()},  # nothing installed
    {"installed": ("misc/vmmon.ko",), "loaded": "vmmon 147456 0 - Live 0x0\n"},
])
def test_nothing_is_predicted_without_the_evidence(tmp_path, change):
    _a, v = machine(tmp_path, "6.8.0-45-generic", "ubuntu24", **change)
    assert "Key was rejected by service" not in " ".join(v["kvm"].reasons)


@pytest.mark.parametrize("path", ["misc/vmmon.ko", "misc/vmware/vmmon.ko.xz"])
def test_vmwares_module_in_its_own_folder_is_found(tmp_path, path):
    a, v = machine(tmp_path, "6.8.0-45-generic", "ubuntu24", installed=(path,))
    assert a.host.value(F.OTHER_HYPERVISOR_MODULES)["not_loaded"] == ["vmmon"]
    assert "vmmon is installed" in " ".join(v["kvm"].reasons)


@pytest.mark.parametrize("distro, says", [
    ("debian13", "we know of no such signature for Debian's or Ubuntu's Xen"),
    ("opensuse15", "SUSE documents booting Xen under Secure Boot"),
    ("alpine", "Check whether your distribution's Xen is"),
])
def test_the_xen_path_under_secure_boot_is_warned_per_distribution(tmp_path, distro, says):
    release = "6.12.43+deb13-amd64" if distro == "debian13" else "6.12.5"
    _a, v = machine(tmp_path, release, distro, installed=())
    assert says in " ".join(v["xen"].reasons)


def test_without_uefi_there_is_no_secure_boot(tmp_path):
    a, v = machine(tmp_path, "6.8.0-45-generic", "ubuntu24", secure=None, lockdown=None)
    assert a.host.get(F.SECURE_BOOT).summary.startswith("no UEFI boot")
    assert "Secure Boot is on" not in " ".join(v["xen"].reasons)
