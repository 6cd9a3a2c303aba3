"""Requirements, and the one function that turns a framework's requirements into its verdict.

A framework is an ordered tuple of requirement functions ``(context) -> Requirement | None``
(None: the requirement does not apply to this host, e.g. nesting on bare metal). The order is
the order a person works through them — the lowest layer first, so that the first to-do is
what to do next — and :func:`judge` derives the verdict the same way for every framework:

- any ``impossible`` requirement makes it ``unavailable``, and the first one is the first reason;
- every requirement ``met`` (the live proof included) makes it ``ready``: it works now for the
  user the evidence is about;
- a ``fixable`` requirement whose fix boots another kernel caps it at ``possible``: the verdict
  is about the analysed kernel;
- ``unknown`` requirements are named in ``unknowns`` and lower the score (the live proof's
  unknown excepted: what-ifs and snapshots without a record are all equally unproven).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable, Iterable, List, Optional, Sequence

from kernel_advisor import knowledge
from kernel_advisor.model import (
    STATE_ORDER,
    UNAVAILABLE,
    Layer,
    Requirement,
    State,
    Step,
    Verdict,
    Who,
)

if TYPE_CHECKING:
    from kernel_advisor.rules.context import Context

RequirementFn = Callable[..., Optional[Requirement]]


def req(rid: str, layer: Layer, state: State, text: str, *, evidence: Sequence[str] = (),
        fix: Iterable[Step] = (), source: Optional[str] = None,
        replaces_kernel: bool = False, topic: Optional[str] = None) -> Requirement:
    """A requirement; ``topic`` names what is unknown where that is not the requirement's own
    name ("kernel release", "architecture")."""
    return Requirement(id=rid, layer=layer, state=state, text=text, evidence=list(evidence),
                       fix=list(fix), source=source, replaces_kernel=replaces_kernel,
                       topic=topic)


def step(text: str, command: Optional[str] = None, who: Who = Who.YOU) -> Step:
    return Step(text=text, command=command, who=who)


def cited(fid: str) -> str:
    """The knowledge base's sentence for ``fid``."""
    return knowledge.cite(fid)


def judge(v: Verdict, requirements: List[Requirement], notes: Sequence[str] = (),
          after: Sequence[Step] = ()) -> Verdict:
    """Fill ``v`` from its requirements: verdict, ready, reasons, steps, sources, unknowns.
    ``notes`` are extra sentences (after the requirements'); ``after`` are the steps that follow
    once the requirements are met (create a guest), given only where none is impossible."""
    v.requirements = requirements
    impossible = [r for r in requirements if r.state == State.IMPOSSIBLE]
    if impossible:
        v.verdict = UNAVAILABLE
    v.ready = not impossible and all(r.state == State.MET for r in requirements) and any(
        r.layer == Layer.LIVE for r in requirements)
    v.capped = any(r.state == State.FIXABLE and r.replaces_kernel for r in requirements)
    ordered = sorted(requirements, key=lambda r: STATE_ORDER.index(r.state))
    reasons = [r.text for r in ordered]
    reasons += [n for n in notes if n not in reasons]
    v.reasons = reasons
    steps: List[Step] = []
    # unavailable: only what would lift the impossibility; else every fix, lowest layer first
    for r in impossible or requirements:
        if r.state != State.MET or r.layer == Layer.KERNEL and r.id.endswith(".guests"):
            steps += [s for s in r.fix if s not in steps]
    if not impossible:
        steps += [s for s in after if s not in steps]
    v.steps = steps
    v.next_steps = [s.text for s in steps]
    for r in requirements:
        if r.source and all(s["id"] != r.source for s in v.sources):
            v.sources.append(knowledge.source_of(r.source))
        for fid in r.evidence:
            if fid not in v.evidence and "/" not in fid:
                v.evidence.append(fid)
    v.unknowns += [r.topic or r.id.split(".", 1)[1].replace("_", " ") for r in requirements
                   if r.state == State.UNKNOWN and r.layer != Layer.LIVE]
    return v


def evaluate(v: Verdict, rules: Sequence[RequirementFn], c: Context, notes: Sequence[str] = (),
             after: Sequence[Step] = ()) -> Verdict:
    """Run ``rules`` over the context in order and judge the verdict from what they return."""
    found = [r for r in (rule(c) for rule in rules) if r is not None]
    return judge(v, found, notes, after)
