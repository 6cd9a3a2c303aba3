"""The fleet table's row of one analysis: its columns (``docs/cli-contract.md``), the values
CSV and JSON keep as they are, and those values as people read them, in their language."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Dict

from kernel_advisor.i18n import N_, _
from kernel_advisor.model import CHANNEL_WORDS, F

if TYPE_CHECKING:
    from kernel_advisor.analysis import Analysis

COLUMNS = (("host", N_("Host")), ("hostname", N_("Host name")),
           ("system", N_("Distribution and kernel")),
           ("stability", N_("Stability")), ("vt", N_("VT-x/AMD-V")), ("layer", N_("Runs in")),
           ("vms", N_("What VMs get")), ("recommended", N_("Recommended")),
           ("why_not", N_("Why none fits")),
           ("needs_root", N_("Collected without root")), ("user", N_("Collected as")))

#: the columns' enumerated values (``docs/cli-contract.md``: CSV and JSON keep them as they
#: are) as the human faces show them: the wizard's table, the text, Markdown and HTML tables
SHOWN_VALUES = {"off in firmware": N_("off in firmware"), "on": N_("on"),
                "not passed to this VM": N_("not passed to this VM"),
                "none in this CPU": N_("none in this CPU"), "unavailable": N_("unavailable"),
                "unknown": N_("unknown"), "bare metal": N_("bare metal"), "none": N_("none"),
                "refused": N_("refused"), "kernel log": N_("kernel log"), "MSRs": N_("MSRs"),
                "vCPU ran": N_("vCPU ran"), "vCPU failed": N_("vCPU failed"),
                "nested": N_("nested"), "no nesting": N_("no nesting")}


def shown(key: str, value: Any) -> str:
    """A cell of column ``key`` in the user's language: enumerated values and the upstream
    channel translated, "KVM VM" and "docker container" by their template, the rest (names,
    releases, sentences the analysis already wrote in that language) as they are."""
    text = str(value)
    if text in SHOWN_VALUES:
        return _(SHOWN_VALUES[text])
    if key == "stability" and text in CHANNEL_WORDS:
        return _(CHANNEL_WORDS[text])
    if key == "layer" and text.endswith(" container"):
        return _("{kind} container").format(kind=text[:-len(" container")])
    if key == "layer" and text.endswith(" VM"):
        return _("{hypervisor} VM").format(hypervisor=text[:-len(" VM")])
    if key == "user" and ", for " in text:
        user, login = text.split(", for ", 1)
        return _("{user}, for {login}").format(user=user, login=login)
    if key == "vms" and text.endswith(" devices to pass"):
        return _("{count} devices to pass").format(count=text.split()[0])
    if key in ("needs_root", "vms") and ", " in text:
        return ", ".join(shown(key, part) for part in text.split(", "))
    return text


def vms(a: Analysis) -> str:
    """What this host's VMs get, in a few words: ``vCPU ran, nested, sev-snp, 2 devices to
    pass`` (``vCPU failed`` where KVM_RUN did not reach HLT); ``unknown`` where nothing is
    recorded (an older snapshot, or no /dev/kvm to ask)."""
    h = a.host
    parts = []
    ran = (h.value(F.KVM_VCPU) or {}).get("ran")
    if ran is not None:
        parts.append("vCPU ran" if ran else "vCPU failed")
    guests = h.value(F.KVM_GUESTS) or {}
    if guests.get("nested") is not None:
        parts.append("nested" if guests["nested"] else "no nesting")
    parts += [t for t in guests.get("vm_types") or () if t not in ("default", "sw-protected")]
    passable = [d for d in h.value(F.PASSTHROUGH) or () if d.get("alone")]
    if passable:
        parts.append(f"{len(passable)} devices to pass")
    return ", ".join(parts) or "unknown"


def collected_as(a: Analysis) -> str:
    """Who the snapshot's user layer is about: ``alice``; ``root, for alice`` when it was taken
    as root for a login user (``sudo``, ``ansible-playbook -b``); empty when not recorded."""
    session = a.host.value(F.USER_SESSION) or {}
    user = str(session.get("user") or "")
    if user and session.get("uid") == 0 and a.host.login_user:
        return f"{user}, for {a.host.login_user}"
    return user


def row(a: Analysis, host: str) -> Dict[str, Any]:
    """The table row of one analysis (see :data:`COLUMNS`)."""
    h, st = a.host, a.stability
    release = h.value(F.KERNEL_RELEASE) or _("unknown kernel")
    distro = h.value(F.OS_DISTRO) or _("unknown distribution")
    firmware = h.value(F.CPU_FIRMWARE_VT)
    virt = h.value(F.CPU_VIRTUALIZATION)
    vt = {"disabled": "off in firmware", "enabled": f"{virt or 'on'}",
          "not exposed": "not passed to this VM", "absent": "none in this CPU",
          "unavailable": "unavailable"}.get(firmware, "unknown" if virt is None else str(virt))
    container, hypervisor = h.value(F.CONTAINER_KIND), h.value(F.HYPERVISOR_VENDOR)
    layer = (f"{container} container" if container else
             f"{hypervisor} VM" if hypervisor else "bare metal")
    top = a.top
    why_not = ""
    if top is None:
        blocked = next((v for v in a.verdicts if v.why), None)
        why_not = blocked.why if blocked else _("no framework fits")
    stability = (f"{st.vendor_support['product']}: {st.vendor_support['phase']}"
                 if st.vendor_support else st.channel)
    return {"host": host, "hostname": h.recorded_host or "", "system": f"{distro}, {release}",
            "stability": stability,
            "eol": st.channel == "eol", "vt": vt, "vt_off": firmware == "disabled",
            "layer": layer, "vms": vms(a), "recommended": top.name if top else "none",
            "why_not": why_not,
            "needs_root": ", ".join(h.needed_root), "user": collected_as(a)}
