"""Reasons, steps and requirements must not assert what the evidence lines deny (issue 14,
class 11; issue 25 for the requirements).

Each rule below pairs a claim a reason or step can make with the fact that must back it, and
each requirement's state with the facts it rests on; the tests run them over every analysis
they make and over every captured host."""

from __future__ import annotations

import re

from kernel_advisor import kernel, knowledge
from kernel_advisor.model import FACT_IDS, STATE_ORDER, UNAVAILABLE, Layer, State, Who

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


def _state_backed(h, rid: str, state: State) -> bool:
    """Whether a requirement's state agrees with the facts it is about (None: no rule)."""
    usable, access = h.value("kvm.usable"), h.value("kvm.access")
    if rid == "kvm.live_proof":  # met: a VM was created, and no vCPU failed to run
        ran = (h.value("kvm.vcpu") or {}).get("ran")
        return (state == State.MET) == (usable is True and ran is not False)
    if rid == "kvm.user_access":
        everyone = ((h.value("kvm.node") or {}).get("mode") or "")[7:9] == "rw"
        return {State.MET: access is True or usable is True or access is None and everyone,
                State.FIXABLE: access is False and usable is not True}.get(state, True)
    if rid == "kvm.device_node" and state == State.MET:
        return h.value("kvm.device") == "present" or usable is True
    if rid == "kvm.module" and state == State.FIXABLE:
        return not set(h.value("kvm.modules") or ()) & {"kvm_intel", "kvm_amd", "kvm_pvm",
                                                        "kvm_hv", "kvm_pr"}
    if rid == "xen.live_proof" and state == State.MET:
        return h.value("hypervisor.xen_role") == "dom0"
    return True


def _requirements_ok(a) -> None:
    """Every verdict rests on requirements whose states its verdict, steps and evidence agree
    with; ids are never fact ids; sources are knowledge-base facts; sudo is never "you"."""
    h = a.host
    what_if = bool(h.what_if)
    for v in a.verdicts:
        assert v.requirements, f"{v.framework}: a verdict without requirements"
        ids = [r.id for r in v.requirements]
        assert len(ids) == len(set(ids)), ids
        states = [r.state for r in v.requirements]
        assert (v.verdict == UNAVAILABLE) == (State.IMPOSSIBLE in states), (v.framework, states)
        if v.ready:
            assert set(states) == {State.MET} and not what_if, (v.framework, states)
        assert v.reasons[:1] == [sorted(v.requirements,
                                        key=lambda r: STATE_ORDER.index(r.state))[0].text]
        for r in v.requirements:
            assert r.id.startswith(v.framework + ".") and r.id not in FACT_IDS, r.id
            assert isinstance(r.state, State) and isinstance(r.layer, Layer), r.id
            assert r.source is None or knowledge.source_of(r.source)["id"] == r.source, r.source
            for fid in r.evidence:
                assert fid in FACT_IDS or "/" in fid, (r.id, fid)
            for s in r.fix:
                assert isinstance(s.who, Who), (r.id, s)
                if s.command and s.command.startswith("sudo "):
                    assert s.who != Who.YOU, (r.id, s)
                assert s.command is None or s.text.strip(), (r.id, s)
            if not what_if:
                assert _state_backed(h, r.id, r.state), f"{r.id} is {r.state}: {r.text!r}"
        if v.framework == "kvm" and h.value("kvm.usable") is True and not what_if:
            # what guests the user wants may still be out of reach (PVM: Linux only)
            assert all(r.state != State.IMPOSSIBLE for r in v.requirements
                       if r.id != "kvm.guests"), "KVM_CREATE_VM succeeded, yet impossible"
            assert not any("holding VT" in line for line in v.reasons), v.reasons


def assert_claims_match_evidence(a) -> None:
    h = a.host
    for v in a.verdicts:
        commands = [s.command for r in v.requirements for s in r.fix if s.command]
        for line in v.reasons + v.next_steps + commands:
            for pattern, framework, backed, needs in CLAIMS:
                if framework in (None, v.framework) and pattern.search(line):
                    assert backed(h), f"{v.framework}: {line!r} needs {needs}"
        arch = h.value("kernel.arch") or a.host.what_if.get("arch")
        if arch and not kernel.is_x86(arch):
            words = "\n".join(v.reasons + v.next_steps)
            assert "VT-x" not in words and "Windows" not in words, words
    _steps_ok(a)
    _requirements_ok(a)
