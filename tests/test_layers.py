"""The host as layers (issue 25): each layer kind on a realistic root — real captures where
tests/fixtures/hosts has one, real os-release files, snapshots built the way `kernel-advisor
snapshot` writes them — judged by requirements whose states, owners and steps match the
evidence."""

from __future__ import annotations

import pytest
from conftest import FIRECRACKER, LSCPU, VIRT_WHAT
from test_host_advice import AMD, INTEL, KVM_GROUP, KVM_NODE, advise, host, snapshot, text

from kernel_advisor.hostfs import TarRoot


def reqs(v):
    return {r.id: r for r in v.requirements}


def test_riscv_capture_without_h_has_no_kvm():
    """The real rv64 capture's ISA string is rv64imafdc: no H extension."""
    a, v = advise(TarRoot(str(LSCPU / "rv64-linux.tar.gz")), kernel_release="6.6.0",
                  arch="riscv64")
    hw = reqs(v["kvm"])["kvm.hw_extension"]
    assert hw.state == "impossible" and "rv64imafdc" in hw.text
    assert v["kvm"].verdict == "unavailable" and v["kvm"].reasons[0] == hw.text
    assert "VT-x" not in text(v["kvm"])


def test_loongarch_capture_with_lvz_has_kvm_and_one_without_does_not(tmp_path):
    a, v = advise(TarRoot(str(LSCPU / "loongarch-loongson_3a5000_hv.tar.gz")),
                  kernel_release="6.8.0", arch="loongarch64")
    assert reqs(v["kvm"])["kvm.hw_extension"].state == "met"
    cpu = "processor\t: 0\ncpu family\t: Loongson-64bit\nFeatures\t\t: cpucfg lam ual fpu lsx\n"
    a, v = advise(snapshot(tmp_path, files=host("6.8.0", "loongarch64", cpu)))
    assert reqs(v["kvm"])["kvm.hw_extension"].state == "impossible"


@pytest.mark.parametrize("release, arch, line", [
    ("6.6.0", "riscv64", "kvm [1]: hypervisor extension not available"),
    ("6.8.0", "loongarch64", "kvm: Hardware virtualization not available"),
])
def test_the_kernels_own_line_decides_where_cpuinfo_is_silent(tmp_path, release, arch, line):
    """No isa/Features line to read, but KVM's start-up line says the extension is missing
    (arch/riscv/kvm/main.c, arch/loongarch/kvm/main.c)."""
    a, v = advise(snapshot(tmp_path, files=host(release, arch, "processor\t: 0\n"),
                           live={"kmsg": {"readable": True, "reason": None, "lines": [line]}}))
    hw = reqs(v["kvm"])["kvm.hw_extension"]
    assert hw.state == "impossible" and line in hw.text and v["kvm"].verdict == "unavailable"
    a, v = advise(snapshot(tmp_path, files=host(release, arch, "processor\t: 0\n")))
    assert reqs(v["kvm"])["kvm.hw_extension"].state == "unknown"


def test_arm32_after_5_7_and_without_hyp(tmp_path):
    cpu = "processor\t: 0\nmodel name\t: ARMv7 Processor rev 3 (v7l)\nFeatures\t: half thumb " \
          "vfp edsp neon vfpv3 tls vfpv4 idiva idivt lpae\n"
    a, v = advise(snapshot(tmp_path, files=host("5.10.0-30-armmp-lpae", "armv7l", cpu)))
    assert reqs(v["kvm"])["kvm.kernel_support"].state == "impossible"  # removed in 5.7
    a, v = advise(snapshot(tmp_path, files=host("5.4.0", "armv7l", cpu),
                           live={"kmsg": {"readable": True, "reason": None,
                                          "lines": ["kvm [1]: HYP mode not available"]}}))
    assert v["kvm"].verdict == "unavailable"
    assert "HYP mode not available" in v["kvm"].reasons[0]
    assert v["xen"].verdict == "unavailable"  # Xen on ARM needs EL2/HYP as well


def test_bare_metal_cloud_instance_is_not_a_vm(tmp_path):
    root = snapshot(tmp_path, distro="ubuntu24", files={
        **host("6.8.0-1015-aws", cpuinfo=INTEL.format(extra="vmx")),
        "/sys/class/dmi/id/sys_vendor": "Amazon EC2\n",
        "/sys/class/dmi/id/product_name": "m5.metal\n"})
    a, v = advise(root)
    assert a.host.value("hypervisor.vendor") is None
    assert "nested" not in text(v["kvm"]).lower() and "We run inside" not in text(v["kvm"])
    assert v["kvm"].verdict == "recommended"


def test_cloud_vm_nesting_is_the_providers_setting(tmp_path):
    root = snapshot(tmp_path, distro="ubuntu24", files={
        **host("6.8.0-1015-gcp", cpuinfo=INTEL.format(extra="hypervisor")),
        "/sys/class/dmi/id/sys_vendor": "Google\n",
        "/sys/class/dmi/id/product_name": "Google Compute Engine\n"})
    a, v = advise(root)
    exposed = reqs(v["kvm"])["kvm.exposed"]
    assert exposed.state == "fixable" and [s.who for s in exposed.fix] == ["cloud provider"]
    assert "modprobe.d" not in text(v["kvm"]) and "kvm-intel nested" not in text(v["kvm"])


def test_confidential_guest_is_never_told_to_set_nested(tmp_path):
    root = snapshot(tmp_path, distro="ubuntu24", files=host(
        "6.8.0-45-generic", cpuinfo=INTEL.format(extra="hypervisor tdx_guest")))
    a, v = advise(root)
    exposed = reqs(v["kvm"])["kvm.exposed"]
    assert exposed.state == "impossible" and "confidential" in exposed.text
    assert "nested=1" not in text(v["kvm"])


def test_qemu_tcg_is_an_emulator_not_a_kvm_host(tmp_path):
    root = snapshot(tmp_path, distro="debian13", files=host(
        "6.1.0-26-amd64", cpuinfo=AMD.format(extra="hypervisor")),
        live={"cpuid": {"available": True, "vendor": "AuthenticAMD", "vmx": False, "svm": False,
                        "hypervisor_bit": True, "signature": "TCGTCGTCGTCG"}})
    a, v = advise(root)
    assert reqs(v["kvm"])["kvm.exposed"].state == "impossible"
    assert "nested=1" not in text(v["kvm"])


def test_arm64_vm_gets_no_x86_module_names(tmp_path):
    cpu = "processor\t: 0\nFeatures\t: fp asimd evtstrm\nCPU implementer\t: 0x41\n"
    root = snapshot(tmp_path, distro="debian13", files={
        **host("6.1.0-26-arm64", "aarch64", cpu),
        "/proc/device-tree/hypervisor/compatible": "linux,kvm\n"},
        live={"kmsg": {"readable": True, "reason": None,
                       "lines": ["kvm [1]: HYP mode not available"]}})
    a, v = advise(root)
    words = text(v["kvm"])
    assert "kvm-intel" not in words and "kvm-amd" not in words
    assert reqs(v["kvm"])["kvm.hw_extension"].layer == "below"


def test_user_mode_linux_is_not_hardware(tmp_path):
    cpu = "processor\t: 0\nvendor_id\t: User Mode Linux\nmodel name\t: UML\nmode\t\t: skas\n" \
          "flags\t\t: fpu vme vmx lm\n"  # UML mirrors its host's flags
    a, v = advise(snapshot(tmp_path, files=host("6.1.0", "x86_64", cpu)))
    assert v["kvm"].verdict == v["xen"].verdict == "unavailable"
    assert "User-mode Linux" in v["kvm"].reasons[0]
    assert "The CPU offers" not in text(v["kvm"])


def test_gvisor_sandbox_kernel_is_no_host(tmp_path):
    root = snapshot(tmp_path, files={**host("4.4.0", cpuinfo=INTEL.format(extra="vmx")),
                                     "/proc/version": "Linux version 4.4.0 #1 SMP Sun Jan 10 "
                                                      "15:06:54 PST 2016\n"})
    a, v = advise(root)
    assert a.host.value("container.kind") == "gvisor"
    assert all(x.verdict == "unavailable" for x in v.values())


@pytest.mark.parametrize("kind, marker, hint", [
    ("lxc", {"/run/systemd/container": "lxc\n"}, "lxc.cgroup2.devices.allow"),
    ("openvz", {"/proc/vz/version": "7.0\n"}, "--devnodes kvm:rw"),
])
def test_os_container_without_dev_kvm_gets_its_runtimes_step(tmp_path, kind, marker, hint):
    root = snapshot(tmp_path, distro="debian13", files={
        **host("6.1.0-26-amd64", cpuinfo=INTEL.format(extra="vmx")), **marker,
        "/proc/modules": "kvm_intel 1 0 - Live 0x0\nkvm 1 1 kvm_intel, Live 0x0\n",
        "/dev/null": ""})
    a, v = advise(root)
    node = reqs(v["kvm"])["kvm.device_node"]
    assert node.state == "fixable" and node.layer == "container"
    assert hint in text(v["kvm"]) and "docker run" not in text(v["kvm"])
    assert [s.who for s in node.fix] == ["container runtime"]
    assert v["xen"].verdict == "unavailable"


def test_an_unnamed_gid_in_a_container_is_the_runtimes_group_add(tmp_path):
    root = snapshot(tmp_path, distro="debian13", files={
        **host("6.1.0-26-amd64", cpuinfo=INTEL.format(extra="vmx")),
        "/.dockerenv": "", "/proc/modules": "kvm_intel 1 0 - Live 0x0\n"},
        devices={"/dev/kvm": (10, 232, 0o660, 994)},
        live={"access": {"uid": 1000, "user": "dev", "groups": ["dev"], "gids": [1000],
                         "rw_access": False}})
    a, v = advise(root)
    access = reqs(v["kvm"])["kvm.user_access"]
    assert access.state == "fixable" and access.layer == "container"
    assert access.fix[0].command == "--group-add 994" and access.fix[0].who == "container runtime"
    assert "usermod" not in text(v["kvm"]) and "log in" not in text(v["kvm"])


def test_a_blocked_module_is_unblocked_not_reloaded(tmp_path):
    root = snapshot(tmp_path, distro="debian13", files={
        **host("6.1.0-26-amd64", cpuinfo=INTEL.format(extra="vmx")),
        "/proc/modules": "", "/etc/modprobe.d/no-kvm.conf": "install kvm_intel /bin/false\n",
        "/etc/group": KVM_GROUP})
    a, v = advise(root)
    module = reqs(v["kvm"])["kvm.module"]
    assert module.state == "fixable" and "/etc/modprobe.d/no-kvm.conf" in module.text
    assert module.fix[0].text.startswith("Remove that line from /etc/modprobe.d/no-kvm.conf")


def test_a_loaded_module_is_not_loaded_again(tmp_path):
    root = snapshot(tmp_path, distro="debian13", files={
        **host("6.1.0-26-amd64", cpuinfo=INTEL.format(extra="vmx")),
        "/proc/modules": "kvm_intel 1 0 - Live 0x0\nkvm 1 1 kvm_intel, Live 0x0\n",
        "/etc/group": KVM_GROUP}, devices={"/dev/kvm": KVM_NODE},
        live={"access": {"uid": 1000, "user": "dev", "groups": ["dev"], "gids": [1000],
                         "rw_access": False}})
    a, v = advise(root)
    assert "modprobe" not in text(v["kvm"])
    assert any(s.command == "sudo usermod -aG kvm dev" for s in v["kvm"].steps)
    assert not a.works_now


def test_xen_is_not_booted_in_a_microvm_without_a_boot_loader(tmp_path):
    root = snapshot(tmp_path, distro="debian13", files={
        **host("6.1.0-26-amd64", cpuinfo=INTEL.format(extra="hypervisor")),
        "/sys/firmware/acpi/tables/DSDT": "", "/sys/class/net/lo/type": "772\n"},
        live={"cpuid": {"available": True, "vendor": "GenuineIntel", "vmx": False,
                        "svm": False, "hypervisor_bit": True, "signature": "KVMKVMKVM"}})
    a, v = advise(root)
    assert reqs(v["xen"])["xen.boot_control"].state == "impossible"
    assert "GRUB" not in text(v["xen"])


def test_a_device_every_user_may_open_needs_no_group(tmp_path):
    """crw-rw-rw- (as some distributions' udev rules make it): a snapshot that did not record
    who took it still shows that anyone may open /dev/kvm."""
    root = snapshot(tmp_path, distro="debian13", files={
        **host("6.12.57+deb13-amd64", cpuinfo=INTEL.format(extra="vmx")),
        "/proc/modules": "kvm_intel 1 0 - Live 0x0\n"}, devices={"/dev/kvm": (10, 232, 0o666, 36)})
    a, v = advise(root)
    access = reqs(v["kvm"])["kvm.user_access"]
    assert access.state == "met" and "anyone" in access.text
    assert "usermod" not in text(v["kvm"])
    root = snapshot(tmp_path, distro="debian13", files={
        **host("6.12.57+deb13-amd64", cpuinfo=INTEL.format(extra="vmx")),
        "/proc/modules": "kvm_intel 1 0 - Live 0x0\n"}, devices={"/dev/kvm": (10, 232, 0o660, 36)})
    a, v = advise(root)
    assert reqs(v["kvm"])["kvm.user_access"].state == "unknown"


def test_the_one_line_why_is_the_deciding_requirement_not_a_history_fact(tmp_path):
    """Issue 28 §10: the summary, the fleet and the reports' verdict table give the requirement
    that decides a verdict — the first one not met, else the most specific met one (the live
    proof) — where the first reason is the history fact ("in mainline since 2.6.20")."""
    from kernel_advisor.fleet_row import row
    from kernel_advisor.report import jsondoc, markdown
    from kernel_advisor.report import text as text_report

    a, v = advise(TarRoot(str(FIRECRACKER)))
    kvm, xen, lguest = v["kvm"], v["xen"], v["lguest"]
    assert "2.6.20" in kvm.reasons[0] and "2.6.20" not in kvm.why
    assert kvm.why == next(r for r in kvm.requirements if r.layer == "live").text
    assert "KVM_CREATE_VM" in kvm.why
    assert xen.verdict == "possible"
    assert xen.why == next(r for r in xen.requirements if r.state == "fixable").text
    assert lguest.why == next(r for r in lguest.requirements if r.state == "impossible").text
    assert f"KVM: Recommended — {kvm.why}" in text_report.summary(a)
    assert f"| KVM | **Recommended** | {markdown.md_escape(kvm.why)} |" in markdown.render(a)
    assert [d["why"] for d in jsondoc.document(a)["recommendations"]] == [x.why for x in a.verdicts]
    # no framework fits: the fleet's "why none fits" is the best verdict's deciding requirement
    a, v = advise(snapshot(tmp_path, files=host("2.6.15", "i686", "processor\t: 0\nflags\t\t: fpu\n")))
    assert a.top is None
    decides = next(r for r in a.verdicts[0].requirements if r.state == "impossible")
    assert row(a, "h")["why_not"] == a.verdicts[0].why == decides.text


def _commands_are_commands(a):
    """Every step's command is one a terminal runs: no sentence, no "(the name varies…)"."""
    for v in a.verdicts:
        for s in v.steps + [f for r in v.requirements for f in r.fix]:
            if s.command is not None:
                assert s.command in s.text, s
                assert not s.command.rstrip().endswith((".", ")")) and "varies" not in s.command \
                    and not s.command[:1].isupper(), s


@pytest.mark.parametrize("distro", [None, "debian13", "rhel5", "arch"])
def test_only_commands_are_commands_on_known_and_unknown_systems(tmp_path, distro):
    """Issue 28 §9: where the distribution is not known, "install QEMU with your package
    manager (the names vary…)" is advice in words, never a command to copy; a known one's
    install line is the command exactly."""
    a, v = advise(snapshot(tmp_path, distro=distro, files={
        **host("6.1.0", cpuinfo=INTEL.format(extra="vmx")),
        "/boot/config-6.1.0": "CONFIG_KVM=m\nCONFIG_XEN=y\n# CONFIG_XEN_DOM0 is not set\n"}))
    _commands_are_commands(a)
    steps = [s for x in a.verdicts for s in x.steps]
    if distro is None:
        prose = [s for s in steps if "varies" in s.text]
        assert prose and all(s.command is None for s in prose)
        dom0 = next(s for s in steps if s.text.startswith("Boot a dom0-capable kernel"))
        assert dom0.command is None and "CONFIG_XEN_DOM0=y" in dom0.text
    else:
        assert any(s.command and s.command.startswith("sudo ") for s in steps)


@pytest.mark.parametrize("name", ["rhel5-xen-dom0", "rhel5-xen-domU-pv", "baremetal", "kvm", "lxc"])
def test_captured_hosts_get_commands_that_are_commands(name):
    path = VIRT_WHAT / name / "root"
    from kernel_advisor.hostfs import DirRoot

    _commands_are_commands(advise(DirRoot(str(path)), kernel_release="5.10.0")[0])


def test_a_what_if_on_a_snapshot_names_the_kernel_that_ran_when_it_was_taken():
    """The facts a what-if keeps from the machine belong, on a snapshot, to the kernel that ran
    when the snapshot was taken — not to one "running now"."""
    from kernel_advisor.report import markdown
    from kernel_advisor.report import text as text_report

    a, _v = advise(TarRoot(str(FIRECRACKER)), kernel_release="2.6.23")
    out = text_report.render(a)
    assert "(the kernel that ran when the snapshot was taken, not the what-if kernel)" in out
    assert "running now" not in out and "running now" not in markdown.render(a)
