"""Recommendations: a pure function (host facts, answers) → lguest, KVM and Xen, ranked.

Policy (in order):
1. A framework is ``unavailable`` when a hard requirement fails for the analysed kernel and host
   (version range, architecture, CPU extension, guest OS); a reason names it.
2. Among the usable ones KVM leads (mainline, no reboot, any guest OS). Where KVM is not usable,
   lguest leads for Linux-only guests on a kernel and architecture that have it, and Xen (PV)
   leads where it is the only way or the host already runs as a Xen dom0.
3. The answers (guests, preference, purpose) decide the rest.
At most one framework is ``recommended``; the others that are usable are ``possible``.

Each framework is its own module: an ordered tuple of requirements over the host's layers
(:mod:`kernel_advisor.stack`), judged by one function (:mod:`kernel_advisor.rules.requirements`);
versions
come from :mod:`kernel_advisor.knowledge`, never from these files. A verdict whose fix replaces the
analysed kernel is at most ``possible``.
"""

from __future__ import annotations

from typing import List, Optional

from kernel_advisor.i18n import _
from kernel_advisor.model import POSSIBLE, RECOMMENDED, Answers, HostFacts, State, Verdict, Who
from kernel_advisor.rules import kvm, lguest, xen
from kernel_advisor.rules.context import Context

BASE_SCORE = {"kvm": 100, "xen": 60, "lguest": 50}
#: purpose → score adjustments per framework
PURPOSE_BONUS = {"learning": {"lguest": 15}, "servers": {"xen": 10, "lguest": -20},
                 "kernel-dev": {"lguest": 10, "kvm": 5}, "desktop": {"kvm": 5}}
UNKNOWN_PENALTY = 15
#: a fix that only someone else can make (the outer host's administrator, the cloud provider)
OTHERS_PENALTY = 40
OTHERS = (Who.OUTER_HOST, Who.PROVIDER)


def _needs_others(v: Verdict) -> bool:
    return any(r.state == State.FIXABLE and r.fix and all(s.who in OTHERS for s in r.fix)
               for r in v.requirements)


def recommend(host: HostFacts, answers: Optional[Answers] = None) -> List[Verdict]:
    """All three frameworks, best first, each with its verdict, reasons and next steps."""
    answers = answers or Answers()
    c = Context(host, answers)
    verdicts = {"kvm": kvm.evaluate_kvm(c), "xen": xen.evaluate_xen(c),
                "lguest": lguest.evaluate_lguest(c)}
    for fw, v in verdicts.items():
        v.score += BASE_SCORE[fw] + PURPOSE_BONUS.get(answers.purpose, {}).get(fw, 0)
    kvm_here = verdicts["kvm"].usable and not _needs_others(verdicts["kvm"])
    if not kvm_here and answers.guests == "linux":
        verdicts["lguest"].score += 45
    if verdicts["xen"].incumbent:  # already the hypervisor here: not the same as "ready"
        verdicts["xen"].score += 70
    if answers.prefer == "stability":
        verdicts["lguest"].score -= 10  # EXPERIMENTAL, "example code"
    else:
        verdicts["kvm"].score += 5
    for v in verdicts.values():
        v.score -= UNKNOWN_PENALTY * len(v.unknowns)
        if _needs_others(v):
            v.score -= OTHERS_PENALTY
        if v.ready:
            v.score += 10
    ranked = sorted(verdicts.values(), key=lambda v: (v.usable, not v.capped, v.score),
                    reverse=True)
    for i, v in enumerate(ranked):
        if v.usable:
            v.verdict = RECOMMENDED if i == 0 and not v.capped else POSSIBLE
    return ranked


def notes_when_nothing_fits(verdicts: List[Verdict]) -> List[str]:
    if any(v.usable for v in verdicts):
        return []
    return [_("No hypervisor framework fits this host as it stands."),
            _("QEMU without acceleration (TCG emulation) runs any guest on any host, slowly."),
            _("Containers (LXC, Docker, Podman) share this kernel and need no hypervisor.")]
