"""The host probe: every fact that decides the answer, each with its evidence.

Detection is an ordered list of small detectors (the layout of systemd's ``src/basic/virt.c``),
each reading through the one :class:`~kernel_advisor.hostfs.Root` and adding facts to the context;
where a fact cannot be known a detector says why (``Fact.reason``). Facts only a live machine
can tell come from :mod:`kernel_advisor.live` on the live root and from the snapshot's live record
elsewhere. The peers' methods and blind spots are in ``peer-tools.md`` §2–§8.

Capture path: Python 3.8 and the standard library only (the fleet collector).
"""

from __future__ import annotations

import time
from typing import Optional

from kernel_advisor import verbose
from kernel_advisor.hostfs import Root
from kernel_advisor.model import HostFacts
from kernel_advisor.probe import (
    config,
    container,
    cpu,
    devices,
    firmware,
    hypervisor,
    kernel,
    kvm,
    passthrough,
    platform,
    secureboot,
)
from kernel_advisor.probe.context import Context, StepCallback

#: The order matters, and each step may read the facts of the steps before it:
#: the release and architecture first (everything is judged against them); the config needs the
#: release (``/boot/config-RELEASE``); the CPU before the hypervisor (its ``hypervisor`` flag and
#: vendor decide whether CPUID applies); the hypervisor before containers (a container on a VM
#: keeps the VM's type) and before firmware VT (a hypervisor that hides VT is not the firmware);
#: the platform after the CPU and the hypervisor (the flags, the hypervisor bit);
#: KVM after the config (built-in options); the rest reads what it needs itself.
DETECTORS = (
    ("kernel", kernel.detect),
    ("config", config.detect),
    ("distro", kernel.detect_distro),
    ("image", kernel.detect_image),
    ("cpu", cpu.detect),
    ("hypervisor", hypervisor.detect),
    ("container", container.detect),
    ("platform", platform.detect),
    ("firmware", firmware.detect),
    ("secure-boot", secureboot.detect),
    ("kvm", kvm.detect),
    ("xen", hypervisor.detect_xen_capabilities),
    ("xen-version", hypervisor.detect_xen_version),
    ("lguest", devices.detect_lguest),
    ("devices", devices.detect_network),
    ("iommu", devices.detect_iommu),
    ("passthrough", passthrough.detect),
)


def run(ctx: Context, on_step: Optional[StepCallback] = None) -> HostFacts:
    """Run every detector in order; ``on_step`` gets the facts each step added."""
    for name, detect in DETECTORS:
        before = len(ctx.out.facts)
        start = time.perf_counter()
        detect(ctx)
        ctx.out.timings_ms[name] = (time.perf_counter() - start) * 1000
        added = list(ctx.out.facts.values())[before:]
        for fact in added:
            verbose.info(__name__, "%s: %s (from %s)", fact.label, fact.summary,
                         fact.source or "no file")
        if on_step is not None:
            on_step(added)
    ctx.out.captured = ctx.captured_at()
    record = ctx.record if ctx.root.is_live else ctx.snapshot_record()
    if not ctx.root.is_live:
        ctx.out.recorded_host = (record.get("host") or {}).get("name")
        ctx.out.inventory_name = (record.get("host") or {}).get("inventory")
        ctx.out.login_user = (record.get("captured") or {}).get("login")
        ctx.out.snapshot_format = (record.get("captured") or {}).get("format", 1)
    for key, ok, what in (("kmsg", "readable", "kernel log"), ("msr", "read", "MSRs")):
        section = record.get(key) or {}
        why = str(section.get("reason") or "").lower()
        if section and not section.get(ok) and ("not running as root" in why
                                                or "not permitted" in why or "denied" in why):
            ctx.out.needed_root.append(what)
    return ctx.out


def probe(root: Root, kernel_release: Optional[str] = None, arch: Optional[str] = None,
          on_step: Optional[StepCallback] = None) -> HostFacts:
    """Every fact about ``root``; never raises for missing or odd files."""
    return run(Context(root, kernel_release, arch), on_step)
