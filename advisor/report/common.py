"""What every report format says the same way: what was analysed, the sources, commands."""

from __future__ import annotations

import re

_COMMAND = re.compile(r"(sudo|make|lguest|xl|modprobe|VBoxManage) ")
SOURCES_ABOUT = ("Each fact names its source — the kernel's git tree at a release or commit, a "
                 "mailing-list message, a vendor's page — and how it was checked: VERIFIED (the "
                 "primary source was read), SECONDARY (read through a copy or a report) or "
                 "UNVERIFIED (worded as uncertain).")


def timeline_about() -> str:
    """The timeline in words, from the same knowledge-base facts the picture draws."""
    from advisor import knowledge

    spans = []
    for bar in knowledge.load()["timeline"]["bars"]:
        since, until = knowledge.bounds(bar["fact"])
        spans.append(f"{bar['label']} {since}–{knowledge.last_before(until)}" if until
                     else f"{bar['label']} from {since}")
    return "Where each framework exists in mainline Linux: " + "; ".join(spans) + "."


def source_link(s: dict) -> str:
    """A cited fact as plain text: its citation, label and URL."""
    return f"{s['source']} ({s['status']})" + (f" — {s['source_url']}" if s.get("source_url")
                                               else "")


def analysed(a) -> str:
    """``this computer``, ``snapshot host.tar.gz``… plus the what-if, if any."""
    what = a.host.origin
    if a.host.what_if:
        what += " — what if " + ", ".join(f"{k}={v}" for k, v in a.host.what_if.items())
    return what


def is_command(step: str) -> bool:
    """A next step that is a command to copy, not a sentence."""
    return _COMMAND.match(step) is not None


def all_sources(a) -> list:
    """Every knowledge-base fact the verdicts cite, once, in order of first citation."""
    seen: dict = {}
    for v in a.verdicts:
        for s in v.sources:
            seen.setdefault(s["id"], s)
    return list(seen.values())
