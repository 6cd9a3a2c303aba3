"""Recommendations across eras, architectures, vendor kernels and contexts (kernel-facts.md §1–§3)."""

from __future__ import annotations

import pytest

from kernel_advisor.model import Answers, Fact, HostFacts
from kernel_advisor.rules import recommend

R, P, U = "recommended", "possible", "unavailable"


def host(kernel=None, arch="x86_64", vt=None, firmware=None, hv=None, xen_role=None,
         kvm_device=None, kvm_usable=None, kvm_access=None, container=None, flags=None,
         xen_caps=None, config=None, hv_flag=None, hv_type=None, kvm_group="kvm",
         os_release=None) -> HostFacts:
    h = HostFacts(origin="test", os_release=os_release or {})
    values = {
        "kernel.release": kernel, "kernel.arch": arch, "cpu.virtualization": vt,
        "cpu.firmware_vt": firmware or ("enabled" if vt else None),
        "hypervisor.vendor": hv, "hypervisor.xen_role": xen_role,
        "hypervisor.type": hv_type or ("full" if hv and xen_role != "dom0" else None),
        "kvm.group": kvm_group,
        "kvm.device": kvm_device, "kvm.usable": kvm_usable, "kvm.access": kvm_access,
        "container.kind": container,
        "cpu.flags": flags if flags is not None else (["pae", "lm"] + ([
            {"VT-x": "vmx", "AMD-V": "svm"}[vt]] if vt else [])),
        "cpu.hypervisor_flag": hv_flag if hv_flag is not None else bool(hv and not xen_role),
        "xen.capabilities": xen_caps, "kernel.config": config,
    }
    for fid, value in values.items():
        h.add(Fact(fid, fid, value))
    return h


NO_VT = dict(vt=None, firmware="absent")
# id, host kwargs, answers kwargs, expected verdicts (kvm, xen, lguest), top framework or None
SCENARIOS = [
    ("2.4-era RHEL 3", dict(kernel="2.4.21-4.ELsmp", arch="i686", vt="VT-x"), {}, (U, U, U), None),
    ("2.6.19: before KVM", dict(kernel="2.6.19", arch="i686", vt="VT-x"), {}, (U, U, U), None),
    ("2.6.20: KVM merged", dict(kernel="2.6.20", vt="VT-x"), {}, (R, U, U), "kvm"),
    ("2.6.20 i686", dict(kernel="2.6.20", arch="i686", vt="VT-x"), {}, (R, U, U), "kvm"),
    ("2.6.22 i686 no VT: nothing yet", dict(kernel="2.6.22", arch="i686", **NO_VT), {}, (U, U, U), None),
    ("2.6.23 i686 VT: KVM leads, lguest possible", dict(kernel="2.6.23", arch="i686", vt="VT-x"), {},
     (R, U, P), "kvm"),
    ("2.6.23 i686 no VT: lguest", dict(kernel="2.6.23", arch="i686", **NO_VT), {}, (U, U, R), "lguest"),
    ("2.6.24 i686 no VT", dict(kernel="2.6.24", arch="i686", **NO_VT), {}, (U, U, R), "lguest"),
    ("2.6.23 i686 no VT, Windows guests", dict(kernel="2.6.23", arch="i686", **NO_VT),
     {"guests": "any"}, (U, U, U), None),
    ("RHEL 5 el5xen on bare metal", dict(kernel="2.6.18-8.el5xen", vt="VT-x"), {}, (U, R, U), "xen"),
    ("RHEL 5 el5xen booted as dom0", dict(kernel="2.6.18-92.el5xen", xen_role="dom0", hv="Xen",
                                          firmware="not exposed"), {}, (U, R, U), "xen"),
    ("RHEL 5 el5xen i686 without PAE", dict(kernel="2.6.18-8.el5xen", arch="i686", flags=["fpu"],
                                             **NO_VT), {}, (U, U, U), None),
    ("2.6.37 x86_64 VT", dict(kernel="2.6.37", vt="VT-x"), {}, (R, P, U), "kvm"),
    ("2.6.37 x86_64 no VT: Xen PV only way", dict(kernel="2.6.37", **NO_VT), {}, (U, R, U), "xen"),
    ("2.6.37 i686 no VT: lguest leads Linux-only", dict(kernel="2.6.37", arch="i686", **NO_VT), {},
     (U, P, R), "lguest"),
    ("2.6.37 i686 no VT, servers + stability: Xen", dict(kernel="2.6.37", arch="i686", **NO_VT),
     {"purpose": "servers", "prefer": "stability"}, (U, R, P), "xen"),
    ("3.0 i686 no VT, any guests", dict(kernel="3.0.0", arch="i686", **NO_VT), {"guests": "any"},
     (U, U, U), None),
    ("4.13 i686 no VT: last lguest", dict(kernel="4.13.16", arch="i686", **NO_VT), {}, (U, P, R),
     "lguest"),
    ("4.14 i686 no VT: lguest gone", dict(kernel="4.14.0", arch="i686", **NO_VT), {}, (U, R, U), "xen"),
    ("Ubuntu 6.8 VT, KVM works", dict(kernel="6.8.0-45-generic", vt="VT-x", kvm_device="present",
                                       kvm_usable=True, kvm_access=True), {}, (R, P, U), "kvm"),
    # VT off in the firmware is the firmware setup's to fix, not a missing CPU feature
    ("firmware disabled VT", dict(kernel="6.8.0-45-generic", vt=None, firmware="disabled"), {},
     (R, P, U), "kvm"),
    ("firmware disabled VT, Windows guests", dict(kernel="6.8.0-45-generic", firmware="disabled"),
     {"guests": "any"}, (R, P, U), "kvm"),
    # nesting is the outer host's to switch on: KVM stays possible, with that step first
    ("VM without nested VT: the outer host's switch", dict(kernel="6.1.0-26-amd64", hv="KVM",
                                                           firmware="not exposed"), {},
     (R, P, U), "kvm"),
    ("VM with nested VT", dict(kernel="6.1.0-26-amd64", hv="KVM", vt="VT-x", kvm_device="present",
                               kvm_usable=True, kvm_access=True), {}, (R, P, U), "kvm"),
    ("Xen dom0, cpuinfo hides vmx", dict(kernel="6.1.0-26-amd64", hv="Xen", xen_role="dom0",
                                          firmware="not exposed",
                                          xen_caps=["xen-3.0-x86_64", "hvm-3.0-x86_64"]),
     {"guests": "any"}, (U, R, U), "xen"),
    ("Xen dom0 without HVM, Windows guests", dict(kernel="6.1.0-26-amd64", hv="Xen", xen_role="dom0",
                                                   firmware="not exposed", xen_caps=["xen-3.0-x86_64"]),
     {"guests": "any"}, (U, R, U), "xen"),  # HVM needs VT on in the firmware: fixable
    ("Xen PV domU", dict(kernel="6.1.0-26-amd64", hv="Xen", xen_role="domU", firmware="not exposed",
                         hv_flag=True, hv_type="para"), {}, (U, U, U), None),
    ("WSL1", dict(kernel="4.4.0-19041-Microsoft", hv="Microsoft", **NO_VT), {}, (U, U, U), None),
    ("WSL2 without nested", dict(kernel="5.15.153.1-microsoft-standard-WSL2", hv="Microsoft",
                                 firmware="not exposed", hv_flag=True), {}, (R, U, U), "kvm"),
    ("WSL2 with nested /dev/kvm", dict(kernel="5.15.153.1-microsoft-standard-WSL2", hv="Microsoft",
                                       vt="VT-x", kvm_device="present", kvm_usable=True,
                                       kvm_access=True), {}, (R, U, U), "kvm"),
    ("PVM host: /dev/kvm works without VT", dict(kernel="6.18.44-fc-v769", hv="KVM",
                                                 firmware="not exposed", kvm_device="present",
                                                 kvm_usable=True, kvm_access=True,
                                                 config={"CONFIG_KVM_PVM": "y"}), {}, (R, P, U), "kvm"),
    ("/dev/kvm present but not openable", dict(kernel="6.8.0-45-generic", vt="AMD-V",
                                               kvm_device="present", kvm_access=False), {},
     (R, P, U), "kvm"),
    ("/dev/kvm absent, VT present", dict(kernel="6.1.0-26-amd64", vt="VT-x", kvm_device="absent"),
     {}, (R, P, U), "kvm"),
    ("arm64 Raspberry Pi", dict(kernel="6.1.21-v8+", arch="aarch64"), {}, (R, P, U), "kvm"),
    ("arm64 before 3.11", dict(kernel="3.10.0", arch="aarch64"), {}, (U, R, U), "xen"),
    ("armv7 after 5.7", dict(kernel="5.10.0", arch="armv7l"), {}, (U, R, U), "xen"),
    ("armv7 4.19", dict(kernel="4.19.0", arch="armv7l"), {}, (R, P, U), "kvm"),
    ("s390x with SIE", dict(kernel="6.1.0", arch="s390x", flags=["zarch", "sie"]), {}, (R, U, U), "kvm"),
    ("s390x without SIE", dict(kernel="6.1.0", arch="s390x", flags=["zarch"]), {}, (U, U, U), None),
    ("ppc64le", dict(kernel="6.1.0", arch="ppc64le"), {}, (R, U, U), "kvm"),
    ("riscv64 5.15: before KVM", dict(kernel="5.15.0", arch="riscv64"), {}, (U, U, U), None),
    ("riscv64 6.1", dict(kernel="6.1.0", arch="riscv64"), {}, (R, U, U), "kvm"),
    ("loongarch 6.6", dict(kernel="6.6.0", arch="loongarch64"), {}, (U, U, U), None),
    ("loongarch 6.7", dict(kernel="6.7.0", arch="loongarch64", flags=["cpucfg", "lvz"]), {},
     (R, U, U), "kvm"),
    ("loongarch 6.7 without LVZ", dict(kernel="6.7.0", arch="loongarch64", flags=["cpucfg"]), {},
     (U, U, U), None),
    ("riscv64 6.1 without H", dict(kernel="6.1.0", arch="riscv64", flags=["rv64imafdc"]), {},
     (U, U, U), None),
    ("riscv64 6.1 with H", dict(kernel="6.1.0", arch="riscv64", flags=["rv64imafdch_zicsr"]), {},
     (R, U, U), "kvm"),
    ("sparc64", dict(kernel="6.1.0", arch="sparc64"), {}, (U, U, U), None),
    ("7.0 x86_64 VT", dict(kernel="7.0.0", vt="VT-x"), {}, (R, P, U), "kvm"),
    ("Debian squeeze -xen- no VT", dict(kernel="2.6.32-5-xen-amd64", **NO_VT), {}, (U, R, U), "xen"),
    ("SLES 10 -xen i686 PAE", dict(kernel="2.6.16.21-0.8-xen", arch="i686", **NO_VT), {}, (U, R, U),
     "xen"),
    ("learning on 2.6.30 i686 VT: KVM still leads", dict(kernel="2.6.30", arch="i686", vt="VT-x"),
     {"purpose": "learning"}, (R, U, P), "kvm"),
    # a fix that replaces the analysed kernel: at most possible
    ("lguest needs a rebuild", dict(kernel="2.6.25", arch="i686", config={"CONFIG_LGUEST": "n"},
                                    **NO_VT), {}, (U, U, P), None),
]


@pytest.mark.parametrize("name, hostkw, answerkw, expected, top", SCENARIOS,
                         ids=[s[0] for s in SCENARIOS])
def test_scenario(name, hostkw, answerkw, expected, top):
    ranked = recommend(host(**hostkw), Answers(**answerkw))
    got = {v.framework: v.verdict for v in ranked}
    assert (got["kvm"], got["xen"], got["lguest"]) == expected
    assert [v.verdict for v in ranked].count(R) <= 1
    assert sorted(v.framework for v in ranked) == ["kvm", "lguest", "xen"]
    assert (ranked[0].framework if ranked[0].verdict == R else None) == top
    for v in ranked:
        assert v.reasons, f"{v.framework} has no reason"
        if v.verdict == U:
            assert v.reasons[0], "an unavailable verdict names its failed requirement"


def test_enough_scenarios():
    assert len(SCENARIOS) >= 40


def test_firmware_disabled_says_how_to_fix():
    kvm = next(v for v in recommend(host(kernel="6.8.0-45-generic", firmware="disabled"))
               if v.framework == "kvm")
    assert "firmware" in kvm.reasons[0]
    assert any("power" in s.lower() for s in kvm.next_steps)


def test_permission_fix_is_exact():
    kvm = recommend(host(kernel="6.8.0-45-generic", vt="VT-x", kvm_device="present",
                         kvm_access=False))[0]
    assert any(s.startswith("sudo usermod -aG kvm") and "log" in s for s in kvm.next_steps)


def test_nested_steps_name_the_outer_layer():
    kvm = next(v for v in recommend(host(kernel="5.15.153.1-microsoft-standard-WSL2",
                                         hv="Microsoft", firmware="not exposed", hv_flag=True))
               if v.framework == "kvm")
    assert any("nestedVirtualization" in s for s in kvm.next_steps)


def test_unverified_facts_are_worded_as_such():
    ranked = recommend(host(kernel="2.6.30", arch="i686", vt="VT-x"))
    kvm = next(v for v in ranked if v.framework == "kvm")
    assert any(r.startswith("Unverified") for r in kvm.reasons)
    assert all(s["status"] in ("VERIFIED", "SECONDARY", "UNVERIFIED") for s in kvm.sources)


def test_unknown_kernel_says_it_depends_on_it():
    ranked = recommend(host(kernel=None, vt="VT-x"))
    kvm = next(v for v in ranked if v.framework == "kvm")
    assert "kernel release" in kvm.unknowns


def test_what_if_ignores_the_running_kernels_dev_kvm():
    h = host(kernel="2.6.18-8.el5xen", vt=None, firmware="not exposed", hv="KVM",
             kvm_device="present", kvm_usable=True)
    h.what_if["kernel"] = "2.6.18-8.el5xen"
    kvm = next(v for v in recommend(h) if v.framework == "kvm")
    assert kvm.verdict == U


def test_the_rules_messages_take_their_versions_from_the_knowledge_base():
    """A version in a rule's message comes from the fact it cites (``kb.json``), never from the
    message's text: the knowledge base is the one place a version is written."""
    import ast
    import re
    from pathlib import Path

    import kernel_advisor.rules as rules

    literal = re.compile(r"(?<![\w.])\d+\.\d+(\.\d+)*(?![\w.])")
    found = []
    for path in Path(rules.__file__).parent.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) in ("_", "ngettext"):
                for arg in node.args:
                    if isinstance(arg, ast.Constant) and isinstance(arg.value, str) \
                            and literal.search(arg.value):
                        found.append(f"{path.name}:{node.lineno}: {arg.value[:70]}")
    assert found == []
