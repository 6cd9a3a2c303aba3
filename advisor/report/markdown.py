"""Markdown: every string that came from a host (kernel release, DMI names, paths, raw evidence)
is made inert by backslash-escaping Markdown's active characters."""

from __future__ import annotations

import re

from advisor import APP_NAME, __version__
from advisor.model import CHANNEL_WORDS, F, STATUS_WORDS, VERDICT_WORDS
from advisor.report.common import (
    SOURCES_ABOUT, all_sources, analysed, is_command, source_link, timeline_about,
)

_MD_ACTIVE = re.compile(r"([\\`*_{}\[\]<>()#+\-.!|~])")


def md_escape(text: object) -> str:
    """Make host-provided text inert in Markdown (no HTML, no links, no emphasis)."""
    s = str(text).replace("\r", " ").replace("\n", " ")
    return _MD_ACTIVE.sub(r"\\\1", s).replace("&", "&amp;")


def render(a) -> str:
    h, st = a.host, a.stability
    out = [f"# {APP_NAME} report", "", f"**{md_escape(a.headline)}**", "",
           f"- Tool: {APP_NAME} {__version__}",
           f"- Generated: {a.generated_at}",
           f"- Analysed: {md_escape(analysed(a))}",
           f"- Release data: {st.data_as_of} ({st.source})"]
    if a.hostname:
        out.append(f"- Host name: {md_escape(a.hostname)}")
    out += ["", "## Verdict", "", "| Framework | Verdict | Why |", "|---|---|---|"]
    for v in a.verdicts:
        why = md_escape(v.reasons[0]) if v.reasons else ""
        out.append(f"| {v.name} | **{VERDICT_WORDS[v.verdict]}** | {why} |")
    for note in a.notes:
        out += ["", f"> {md_escape(note)}"]
    for v in a.verdicts:
        out += ["", f"## {v.name}: {VERDICT_WORDS[v.verdict]}", "", "Reasons:", ""]
        out += [f"- {md_escape(r)}" for r in v.reasons]
        if v.unknowns:
            out += ["", "Depends on unknown facts: " + md_escape(", ".join(v.unknowns))]
        if v.next_steps:
            out += ["", "Next steps:", ""]
            out += [f"1. `{s.replace('`', chr(39))}`" if is_command(s) else f"1. {md_escape(s)}"
                    for s in v.next_steps]
        if v.sources:
            out += ["", "Sources:", ""]
            out += [f"- {md_escape(source_link(s))}" for s in v.sources]
    out += ["", "## Kernel stability", "",
            f"- Release: {md_escape(h.value(F.KERNEL_RELEASE) or 'unknown')}",
            f"- Channel: **{CHANNEL_WORDS[st.channel]}** (`{st.channel}`)"]
    if st.vendor:
        out.append(f"- Vendor: {md_escape(st.vendor)}")
    out += ["", *[f"- {md_escape(n)}" for n in st.notes]]
    out += ["", "## Timeline", "",
            timeline_about() + " The HTML and PDF reports draw it.", "",
            "## Evidence", "", "| Check | Status | Finding | Source | Raw |", "|---|---|---|---|---|"]
    for f in h:
        out.append(f"| {md_escape(f.label)} | {STATUS_WORDS[f.status]} | {md_escape(f.summary)} | "
                   f"{md_escape(f.source or '—')} | {md_escape((f.raw or '')[:160])} |")
    out += ["", "## Sources", "", SOURCES_ABOUT, ""]
    for s in all_sources(a):
        out.append(f"- {md_escape(s['id'])}: {md_escape(source_link(s))}")
    return "\n".join(out) + "\n"
