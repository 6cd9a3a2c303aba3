"""Markdown that reads as text in a terminal or an email, and renders the same on GitHub.

The project's one escaping rule (:func:`md_escape`) for every string that came from a host or
holds a host's value: escape only what would change the structure where it stands, and show
anything a GFM renderer would turn into a link as code.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Dict, List

from kernel_advisor import APP_NAME, __version__
from kernel_advisor.i18n import _
from kernel_advisor.model import (
    CHANNEL_WORDS,
    SOURCE_WORDS,
    STATE_WORDS,
    VERDICT_WORDS,
    F,
    Step,
    Verdict,
)
from kernel_advisor.report.common import (
    SOURCES_ABOUT,
    all_sources,
    analysed,
    checklist,
    extra_command,
    fact_summary,
    fact_word,
    timeline_about,
    vm_evidence,
    who_label,
)
from kernel_advisor.stability import status_words
from kernel_advisor.textsafe import printable

if TYPE_CHECKING:
    from kernel_advisor.analysis import Analysis

#: what GFM's autolink extension would make a link: URLs, www. names, e-mail addresses
_LINKISH = re.compile(r"(?:(?:https?|ftp)://|www\.|mailto:|xmpp:)[^\s|`]*"
                      r"|[\w.+-]+@[\w.-]+", re.I)  # cmark-gfm takes "-@.a" for an address too
#: active anywhere in a line: backslash, code, emphasis, strikethrough, links and images,
#: raw HTML and entities, table cells
_INLINE = re.compile(r"([\\`*~\[\]<&|])")
_UNDERSCORE_RUN = re.compile(r"(?<![A-Za-z0-9])_+|_+(?![A-Za-z0-9])")  # not inside a word
#: active at the start of a block: headings, quotes, list items, thematic breaks, fences
_LEADING = re.compile(r"^(\s*)([>#=+-]|\d{1,9}(?=[.)](?:\s|$)))")


def _code(text: str) -> str:
    """``text`` as a code span, fenced by one more backtick than the longest run inside (never
    in a table cell: a ``|`` there would end the cell)."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _inline(text: str) -> str:
    return _UNDERSCORE_RUN.sub(lambda m: "\\_" * len(m.group()), _INLINE.sub(r"\\\1", text))


def md_escape(text: object) -> str:
    """Host text made inert where it stands in a line of our Markdown (a list item, a table
    cell, a paragraph): one line, control characters shown as escapes, structure escaped, links
    shown as code. Ordinary text — ``6.8.0-45-generic (x86_64)`` — stays as it is."""
    s = printable(re.sub(r"[\r\n\t]+", " ", str(text)), one_line=True).strip()
    spans: list[list[int]] = []
    for m in _LINKISH.finditer(s):
        if spans and spans[-1][1] == m.start():  # touching: one code span, not two
            spans[-1][1] = m.end()
        else:
            spans.append([m.start(), m.end()])
    out, last = [], 0
    for start, end in spans:
        out += [_inline(s[last:start]), _code(s[start:end])]
        last = end
    out.append(_inline(s[last:]))
    escaped = "".join(out)
    return _LEADING.sub(lambda m: m.group(1) + (m.group(2) + "\\" if m.group(2)[0].isdigit()
                                                 else "\\" + m.group(2)), escaped, count=1)


def shorten(raw: str, limit: int = 160) -> str:
    """Raw evidence for a table cell: whole, or cut with "…" (the JSON report has all of it)."""
    return raw if len(raw) <= limit else raw[:limit - 1].rstrip() + "…"


def md_source(s: Dict[str, str]) -> str:
    """A cited fact: citation (escaped), its label and our own URL as an autolink."""
    url = s.get("source_url") or ""
    return f"{md_escape(s['source'])} ({s['status']})" + (
        f" — <{url}>" if url.startswith("https://") and not re.search(r"[\s<>]", url) else "")


def _words() -> Dict[str, str]:
    """The report's fixed words, translated (outside f-strings, so the extractor finds them)."""
    return {
            "Tool:": _("Tool:"),
            "Generated:": _("Generated:"),
            "Analysed:": _("Analysed:"),
            "Release data:": _("Release data:"),
            "Host name:": _("Host name:"),
            "Verdict": _("Verdict"),
            "Framework": _("Framework"),
            "Why": _("Why"),
            "Kernel stability": _("Kernel stability"),
            "Release:": _("Release:"),
            "Channel:": _("Upstream channel:"),
            "Stability:": _("Stability:"),
            "Vendor:": _("Vendor:"),
            "Timeline": _("Timeline"),
            "Evidence": _("Evidence"),
            "Sources": _("Sources"),
    }


def md_step(s: Step) -> str:
    """A step: its sentence (code where it is the command itself), who does it, the command."""
    text = _code(s.text) if s.command == s.text else md_escape(s.text)
    who = who_label(s)
    command = extra_command(s)
    return text + (f" ({md_escape(who)})" if who else "") + (f": {_code(command)}"
                                                              if command else "")


def verdict_lines(v: Verdict) -> List[str]:
    """A verdict's checklist: each requirement's state and sentence with its steps below it,
    the other reasons, what is unknown, and the steps that follow."""
    items = checklist(v)
    out = [_("Requirements:"), ""]
    for item in items.items:
        out.append(f"- **{_(STATE_WORDS[item.state])}**: {md_escape(item.text)}")
        out += [f"  - {md_step(s)}" for s in item.steps]
    if items.notes:
        out += ["", _("Notes:"), ""] + [f"- {md_escape(n)}" for n in items.notes]
    if v.unknowns:
        out += ["", md_escape(_("Depends on unknown facts: {facts}").format(
            facts=", ".join(v.unknowns)))]
    if items.after:
        out += ["", _("Then:"), ""] + [f"1. {md_step(s)}" for s in items.after]
    return out


def render(a: Analysis) -> str:
    words = _words()
    h, st = a.host, a.stability
    source = _(SOURCE_WORDS[st.source])
    out = [f"# {md_escape(_('{app} report').format(app=APP_NAME))}", "",
           f"**{md_escape(a.headline)}**", "",
           f"- {words['Tool:']} {APP_NAME} {__version__}",
           f"- {words['Generated:']} {a.generated_at}",
           f"- {words['Analysed:']} {md_escape(analysed(a))}",
           f"- {words['Release data:']} {st.data_as_of} ({source})"]
    if a.hostname:
        out.append(f"- {words['Host name:']} {md_escape(a.hostname)}")
    out += ["", f"## {words['Verdict']}", "",
            f"| {words['Framework']} | {words['Verdict']} | {words['Why']} |", "|---|---|---|"]
    for v in a.verdicts:
        why = md_escape(v.why)
        out.append(f"| {v.name} | **{_(VERDICT_WORDS[v.verdict])}** | {why} |")
    for note in a.notes:
        out += ["", f"> {md_escape(note)}"]
    for v in a.verdicts:
        out += ["", f"## {v.name}: {_(VERDICT_WORDS[v.verdict])}", ""]
        out += verdict_lines(v)
        if v.sources:
            out += ["", _("Sources:"), ""]
            out += [f"- {md_source(s)}" for s in v.sources]
    evidence = vm_evidence(a)
    if evidence:
        title = _("What your virtual machines will get")
        out += ["", f"## {title}", ""]
        out += [f"- **{md_escape(label)}:** {md_escape(text)}" for label, text in evidence]
    out += ["", f"## {words['Kernel stability']}", "",
            f"- {words['Release:']} {md_escape(h.value(F.KERNEL_RELEASE) or _('unknown'))}",
            f"- {words['Stability:']} **{md_escape(status_words(st))}**",
            f"- {words['Channel:']} {_(CHANNEL_WORDS[st.channel])} (`{st.channel}`)"]
    if st.vendor:
        out.append(f"- {words['Vendor:']} {md_escape(st.vendor)}")
    out += ["", *[f"- {md_escape(n)}" for n in st.notes]]
    heads = (_("Check"), _("Status"), _("Finding"), _("Source"), _("Raw"))
    out += ["", f"## {words['Timeline']}", "",
            timeline_about() + " " + _("The HTML and PDF reports draw it."), "",
            f"## {words['Evidence']}", "", "| " + " | ".join(heads) + " |", "|---|---|---|---|---|"]
    snapshot = a.host.captured is not None
    for f in h:
        out.append(f"| {md_escape(f.label)} | {fact_word(a.host.what_if, f)} | "
                   f"{md_escape(fact_summary(a.host.what_if, f, snapshot))} | "
                   f"{md_escape(f.source or '—')} | "
                   f"{md_escape(shorten(f.raw or ''))} |")
    out += ["", f"## {words['Sources']}", "", _(SOURCES_ABOUT), ""]
    for s in all_sources(a):
        out.append(f"- {md_escape(s['id'])}: {md_source(s)}")
    return "\n".join(out) + "\n"
