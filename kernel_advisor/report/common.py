"""What every report format says the same way: what was analysed, the sources, commands."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Dict, List, Optional, Tuple

from kernel_advisor.i18n import N_, _
from kernel_advisor.model import (
    INFO,
    STATE_ORDER,
    STATUS_WORDS,
    WHO_WORDS,
    F,
    Fact,
    State,
    Step,
    Value,
    Verdict,
    Who,
)

if TYPE_CHECKING:
    from kernel_advisor.analysis import Analysis

SOURCES_ABOUT = (N_("Each fact names its source — the kernel's git tree at a release or commit, a "
                    "mailing-list message, a vendor's page — and how it was checked: VERIFIED (the "
                    "primary source was read), SECONDARY (read through a copy or a report) or "
                    "UNVERIFIED (worded as uncertain)."))

#: the colour of each verdict and requirement state, the same in every face (the reports' CSS,
#: the PDF, the wizard, which makes each legible on its own window: ``widgets.readable``); the
#: word beside it always says the same, so colour is never the only sign
VERDICT_COLOURS = {"recommended": "#1b5e20", "possible": "#0d47a1", "unavailable": "#8e0000"}
STATE_COLOURS = {State.MET: "#1b5e20", State.FIXABLE: "#7a4f00", State.IMPOSSIBLE: "#8e0000",
                 State.UNKNOWN: "#4a148c"}


class Describes(Value):
    """In a what-if, what a fact is about: the imagined kernel, the machine (true of both), or
    the kernel that is running now (its config, ``/dev/kvm``, modules: not the imagined one's)."""

    WHAT_IF = "what-if"
    MACHINE = "machine"
    RUNNING = "running kernel"


def describes(what_if: Dict[str, str], f: Fact) -> Optional[Describes]:
    """What ``f`` describes under the what-if ``what_if`` (``HostFacts.what_if``, or
    ``Inputs.what_if`` before the analysis exists); None where nothing is imagined."""
    if "kernel" not in what_if and "arch" not in what_if:
        return None
    from kernel_advisor.stack import KERNEL_BOUND

    if f.id in KERNEL_BOUND and "kernel" in what_if:
        return Describes.RUNNING
    if (f.source or "").startswith("what-if"):
        return Describes.WHAT_IF
    return Describes.MACHINE


def fact_word(what_if: Dict[str, str], f: Fact) -> str:
    """The status word a face shows for ``f``: its own, or "RUNNING" for a fact of the running
    kernel in a what-if (an "OK" there would be the what-if kernel's, which nobody has tried)."""
    if describes(what_if, f) is Describes.RUNNING:
        return _("RUNNING")
    return _(STATUS_WORDS[f.status])


def fact_status(what_if: Dict[str, str], f: Fact) -> str:
    """The status whose colour or icon a face gives ``f``: INFO for the running kernel's."""
    return INFO if describes(what_if, f) is Describes.RUNNING else f.status


def fact_summary(what_if: Dict[str, str], f: Fact, snapshot: bool = False) -> str:
    """``f``'s finding, saying so where it is the running kernel's, not the what-if kernel's:
    the one running now, or — for a ``snapshot`` — the one that ran when it was taken."""
    if describes(what_if, f) is Describes.RUNNING:
        if snapshot:
            return _("{summary} (the kernel that ran when the snapshot was taken, not the "
                     "what-if kernel)").format(summary=f.summary)
        return _("{summary} (the kernel running now, not the what-if kernel)").format(
            summary=f.summary)
    return f.summary


#: the evidence of what VMs will get here (issue 27), in the order a reader takes it in
VM_EVIDENCE = (F.KVM_VCPU, F.KVM_GUESTS, F.KVM_CONFLICTS, F.KVM_VIRT_AT_LOAD, F.SECURE_BOOT,
               F.OTHER_HYPERVISOR_MODULES, F.PASSTHROUGH)


def vm_evidence(a: Analysis) -> List[Tuple[str, str]]:
    """"What your virtual machines will get": (label, finding) of each of :data:`VM_EVIDENCE`
    the analysis has, said as every face says a fact (a what-if marks the running kernel's)."""
    snapshot = a.host.captured is not None
    return [(f.label, fact_summary(a.host.what_if, f, snapshot))
            for f in (a.host.get(fid) for fid in VM_EVIDENCE) if f is not None]


def timeline_about() -> str:
    """The timeline in words, from the same knowledge-base facts the picture draws."""
    from kernel_advisor import knowledge

    spans = []
    for bar in knowledge.load()["timeline"]["bars"]:
        since, until = knowledge.bounds(bar["fact"])
        spans.append(f"{bar['label']} {since}–{knowledge.last_before(until)}" if until
                     else _("{label} from {since}").format(label=bar["label"], since=since))
    return _("Where each framework exists in mainline Linux: ") + "; ".join(spans) + "."


def analysed(a: Analysis) -> str:
    """What was analysed, said plainly — every page and report opens with it."""
    return subject(a.host.origin, a.host.what_if, a.host.captured)


def subject(origin: str, what_if: Dict[str, Any], captured: str | None = None) -> str:
    """``This computer``, ``Snapshot host.tar.gz, taken 2026-11-20 14:03 UTC``,
    ``What if this computer ran kernel 2.6.23 on i686``… from a root's label (``this computer``,
    ``snapshot NAME``, ``directory DIR``), the what-if and the snapshot's date."""
    if origin.startswith("snapshot "):
        name = origin[len("snapshot "):]
        if captured:
            machine = _("the machine of snapshot {name} (taken {date})")
            plain = _("Snapshot {name}, taken {date}")
        else:
            machine, plain = _("the machine of snapshot {name}"), _("Snapshot {name}")
    elif origin.startswith("directory "):
        name = origin[len("directory "):]
        machine, plain = _("the machine in directory {name}"), _("Directory {name}")
    else:
        name, machine, plain = origin, _("this computer"), _("This computer")
    machine = machine.format(name=name, date=captured)
    kernel, arch = what_if.get("kernel"), what_if.get("arch")
    if kernel and arch:
        what = _("What if {machine} ran kernel {kernel} on {arch}")
    elif kernel:
        what = _("What if {machine} ran kernel {kernel}")
    elif arch:
        what = _("What if {machine} were {arch}")
    else:
        what = plain
    what = what.format(machine=machine, kernel=kernel, arch=arch, name=name, date=captured)
    distro = what_if.get("distro")
    return _("{subject} (commands for {distro})").format(subject=what, distro=distro) \
        if distro else what


def all_sources(a: Analysis) -> List[Dict[str, str]]:
    """Every knowledge-base fact the verdicts cite, once, in order of first citation."""
    seen: Dict[str, Dict[str, str]] = {}
    for v in a.verdicts:
        for s in v.sources:
            seen.setdefault(s["id"], s)
    return list(seen.values())


@dataclass(frozen=True)
class Item:
    """One line of a verdict's checklist: a requirement's state and sentence, and the steps
    that act on it (those the verdict gives: an unavailable verdict gives only what lifts its
    impossibility)."""

    state: State
    text: str
    steps: Tuple[Step, ...] = ()
    source: Optional[str] = None


@dataclass
class Checklist:
    """A verdict read at a glance: its requirements in :data:`STATE_ORDER`, the reasons that
    are no requirement's (``notes``) and the steps that follow once the list is done
    (``after``: create a guest)."""

    items: List[Item] = field(default_factory=list)
    notes: List[str] = field(default_factory=list)
    after: List[Step] = field(default_factory=list)


def checklist(v: Verdict) -> Checklist:
    """Every report format's and the wizard's view of a verdict's requirements. A verdict
    built without requirements (an older caller) becomes notes and steps only."""
    steps = list(v.steps) or [Step(text=s) for s in v.next_steps]
    ordered = sorted(v.requirements, key=lambda r: STATE_ORDER.index(r.state))
    items: List[Item] = []
    placed: set[Step] = set()
    for r in ordered:
        mine = tuple(s for s in steps if s in r.fix and s not in placed)
        placed.update(mine)
        items.append(Item(state=r.state, text=r.text, steps=mine, source=r.source))
    texts = {r.text for r in v.requirements}
    return Checklist(items=items, notes=[n for n in v.reasons if n not in texts],
                     after=[s for s in steps if s not in placed])


def who_label(s: Step) -> str:
    """Who carries out a step, in words, or "" when it is the user."""
    return "" if s.who == Who.YOU else _(WHO_WORDS[s.who])


def extra_command(s: Step) -> Optional[str]:
    """The step's command where its sentence does not already show it whole."""
    return s.command if s.command and s.command not in s.text else None
