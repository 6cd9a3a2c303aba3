"""The notes on a 2.6 kernel (``kernel-facts.md`` §4): the odd/even folklore and the truth, the
series' own updates, and which of the era's virtualization milestones it has.

``history`` is the bundled table's rows by series (``ReleaseData.history``).
"""

from __future__ import annotations

from typing import Any, Dict

from packaging.version import Version

from kernel_advisor import kernel, knowledge, versions
from kernel_advisor.i18n import _
from kernel_advisor.model import Stability


def add_notes(r: kernel.KernelRelease, st: Stability, history: Dict[str, Dict[str, Any]],
              notes: list[str]) -> None:
    """2.6.x: end of life, its stable or longterm history, the parity folklore, the era's
    milestones (from the same knowledge-base facts the timeline draws)."""
    p, n = r.parts, r.parts[2]
    st.channel = st.channel if st.channel != "unknown" else "eol"
    stable = knowledge.text("history.stable")
    if n <= 10:
        notes.append(_("2.6 stable series, before separate stable updates existed. End-of-life. ")
                     + stable)
    else:
        notes.append(_("2.6.{n} mainline release").format(n=n) + (
            _("; the fourth number ({update}) is a -stable update").format(update=p[3])
            if len(p) > 3 else "") + _(". End-of-life."))
    row = history.get(f"2.6.{n}", {})
    history = knowledge.load()["facts"].get(f"history.2.6.{n}")
    if history:
        notes.append(knowledge.cite(f"history.2.6.{n}"))
    elif row.get("lts"):
        notes.append(_("2.6.{n} had stable updates for longer than usual (up to {latest}, "
                       "{date}); whether it was an official longterm series is not "
                       "established by our sources.").format(
                           n=n, latest=row['latest'], date=row['latest_date']))
    parity = _("odd") if n % 2 else _("even")
    notes.append(
        _("2.6.{n} has an {parity} number, and since 2.6.0 that means nothing: the idea that "
          "odd 2.6 releases are less stable is folklore from a proposal Linus Torvalds floated "
          "on 2 March 2005 (even = stability-only, odd = bigger changes, 'all kernels would "
          "still be stable'). It was never adopted: two days later the 2.6.x.y stable branch "
          "was announced instead.").format(n=n, parity=parity))
    latest = row.get("latest") if listed_updates(row) else None
    if not r.vendor:
        own = f" (2.6.{n}: {latest})" if latest and latest != r.version else ""
        notes.append(_("For a 2.6 kernel the truthful advice is the latest update of its own "
                       "series{own} or of a long-maintained one, or the first release that has "
                       "the feature you need — not the next 2.6 number.").format(own=own))
    notes.append(_milestones(r))
    if r.vendor == "Red Hat" and p[:3] == (2, 6, 18):
        notes.append(knowledge.cite("history.rhel2618"))


def listed_updates(row: Dict[str, Any]) -> bool:
    """Whether the release data lists a series' stable updates: it comes from the kernel's git
    history, which begins with 2.6.12 (2.6.11 and older have no dates, and their -stable
    updates, such as 2.6.11.12, are not in it)."""
    return bool(row) and row.get("latest_date") is not None


def _milestones(r: kernel.KernelRelease) -> str:
    """What this 2.6 kernel has and lacks of the era's virtualization milestones."""
    has, lacks = [], []
    facts = knowledge.load()["facts"]
    milestones = sorted((fid for fid, f in facts.items() if f.get("milestone")),
                        key=lambda fid: Version(knowledge.bounds(fid)[0]))
    for fid in milestones:
        since, until = knowledge.bounds(fid)
        label = _(facts[fid]["label"]) if "label" in facts[fid] else fid
        inside = versions.in_range(r, knowledge.kernels(fid))
        if inside:
            has.append(f"{label} ({since}–{knowledge.last_before(until)})" if until
                       else _("{label} ({since} on)").format(label=label, since=since))
        elif inside is False:
            base = versions.upstream(r)
            earlier = base is not None and base < Version(since)
            when = (_("from {since}").format(since=since) if earlier
                    else _("removed in {until}").format(until=until))
            lacks.append(f"{label} ({when})")
    return (_("Virtualization in {version}: ").format(version=r.version)
            + (", ".join(has) or _("none of the era's milestones"))
            + (_("; not (yet): {lacks}").format(lacks=", ".join(lacks)) if lacks else "") + ".")
