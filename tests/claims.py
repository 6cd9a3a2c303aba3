"""Reasons and next steps must not assert what the evidence lines deny (issue 14, class 11).

Each rule below pairs a claim a reason or step can make with the fact that must back it; the
tests run it over every analysis they make and over every captured host."""

from __future__ import annotations

import re

from advisor import kernel

#: (pattern in a reason or step, framework or None for all, test on the host facts, what it needs)
CLAIMS = [
    (re.compile(r"offers (VT-x|AMD-V)|because it uses VT-x/AMD-V"), "kvm",
     lambda h: h.value("cpu.virtualization") is not None, "a vmx/svm flag"),
    (re.compile(r"KVM_CREATE_VM succeeded"), None,
     lambda h: h.value("kvm.usable") is True, "a KVM_CREATE_VM that succeeded"),
    (re.compile(r"VT is off in the firmware"), None,
     lambda h: h.value("cpu.firmware_vt") == "disabled", "firmware VT found disabled"),
    (re.compile(r"already runs as Xen dom0|This is a Xen dom0"), None,
     lambda h: h.value("hypervisor.xen_role") == "dom0", "a dom0 role"),
    (re.compile(r"^We run inside (?!an? [\w-]+ container)"), None,
     lambda h: h.value("hypervisor.vendor") is not None or h.value("cpu.hypervisor_flag")
     or "WSL2" in (h.value("kernel.release") or ""), "a hypervisor under us"),
]


def _steps_ok(a) -> None:
    h = a.host
    for v in a.verdicts:
        for step in v.next_steps:
            if h.value("container.kind"):
                assert not step.startswith("sudo modprobe"), (v.framework, step)
            if h.value("hypervisor.xen_role") == "dom0":
                assert "nested" not in step, (v.framework, step)
            if h.value("kvm.access") is True:
                assert "usermod" not in step, (v.framework, step)


def assert_claims_match_evidence(a) -> None:
    h = a.host
    for v in a.verdicts:
        for line in v.reasons + v.next_steps:
            for pattern, framework, backed, needs in CLAIMS:
                if framework in (None, v.framework) and pattern.search(line):
                    assert backed(h), f"{v.framework}: {line!r} needs {needs}"
        arch = h.value("kernel.arch") or a.host.what_if.get("arch")
        if arch and not kernel.is_x86(arch):
            words = "\n".join(v.reasons + v.next_steps)
            assert "VT-x" not in words and "Windows" not in words, words
    _steps_ok(a)
