"""The ``kernel-advisor/1`` JSON document (``cli-contract.md``), plus our own extra fields.

The contract's keys are never renamed or dropped; everything else may grow.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, Dict

from kernel_advisor import SCHEMA, __version__, systems
from kernel_advisor.model import F, Fact, HostFacts
from kernel_advisor.report.common import analysed, describes

if TYPE_CHECKING:
    from kernel_advisor.analysis import Analysis


def document(a: Analysis) -> Dict[str, Any]:
    h = a.host
    rel = systems.host_release(h)
    doc: Dict[str, Any] = {
        "schema": SCHEMA,
        "tool": {"name": "kernel-advisor", "version": __version__},
        "generated_at": a.generated_at,
        "headline": a.headline,
        "analysed": {"origin": h.origin, "what_if": h.what_if, "captured": h.captured,
                     "subject": analysed(a)},
        "host": {
            "kernel": {"release": h.value(F.KERNEL_RELEASE), "version": rel.version,
                       "rc": rel.rc, "vendor": rel.vendor, "flavour": rel.flavour},
            "cpu": {"arch": h.value(F.KERNEL_ARCH), "vendor": h.value(F.CPU_VENDOR),
                    "virtualization": h.value(F.CPU_VIRTUALIZATION),
                    "flags": h.value(F.CPU_FLAGS, []), "firmware_vt": h.value(F.CPU_FIRMWARE_VT)},
            "hypervisor": {"vendor": h.value(F.HYPERVISOR_VENDOR),
                           "type": h.value(F.HYPERVISOR_TYPE),
                           "xen_role": h.value(F.HYPERVISOR_XEN_ROLE),
                           "detail": h.value(F.HYPERVISOR_DETAIL),
                           "container": h.value(F.CONTAINER_KIND)},
            "kvm": {"device": h.value(F.KVM_DEVICE, "unknown"), "usable": h.value(F.KVM_USABLE),
                    "access": h.value(F.KVM_ACCESS), "modules": h.value(F.KVM_MODULES, []),
                    "nested": _nested(h), "vcpu": _vcpu(h), "guests": _guests(h)},
        },
        "stability": a.stability.to_json(),
        "recommendations": [v.to_json() for v in a.verdicts],
        "answers": {"guests": a.answers.guests, "prefer": a.answers.prefer,
                    "purpose": a.answers.purpose},
        "checks": [_check(a, f) for f in h],
        "notes": a.notes,
    }
    doc["host"]["name"] = a.hostname  # only when asked (report --hostname, snapshot --hostname)
    return doc


def _vcpu(h: HostFacts) -> Dict[str, Any]:
    """``host.kvm.vcpu``: whether a vCPU ran guest code to HLT (null: not tried, with why)."""
    fact = h.get(F.KVM_VCPU)
    value = dict(fact.value) if fact is not None and fact.value else {}
    return {"ran": value.get("ran"), "exit": value.get("exit"),
            "detail": value.get("detail") or (fact.reason if fact is not None else None)}


def _nested(h: HostFacts) -> Any:
    """Whether our guests can nest: the CPUID KVM offers them where known, else the module
    parameter."""
    offered = (h.value(F.KVM_GUESTS) or {}).get("nested")
    return offered if offered is not None else h.value(F.KVM_NESTED)


def _guests(h: HostFacts) -> Dict[str, Any]:
    """``host.kvm.guests``: what guests get (null fields: not asked, or an older snapshot)."""
    value = h.value(F.KVM_GUESTS) or {}
    return {"nested": value.get("nested"), "vm_types": value.get("vm_types"),
            "nested_state": value.get("nested_state")}


def render(a: Analysis) -> str:
    return json.dumps(document(a), indent=2, ensure_ascii=False) + "\n"


def _check(a: Analysis, f: Fact) -> Dict[str, Any]:
    """One check; in a what-if, ``describes`` says whether it is about the what-if kernel, the
    machine, or the kernel running now."""
    doc = f.to_json()
    about = describes(a.host.what_if, f)
    if about is not None:
        doc["describes"] = about.value
    return doc
