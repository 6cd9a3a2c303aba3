"""Self-contained HTML: inline CSS and SVG, no scripts, no remote resources; every string that
came from a host is escaped with :func:`html.escape`. The PDF is this page laid out by Qt."""

from __future__ import annotations

import re
from html import escape
from typing import TYPE_CHECKING, Dict, List, Optional

from kernel_advisor import APP_NAME, __version__
from kernel_advisor.i18n import _, language
from kernel_advisor.model import (
    SOURCE_WORDS,
    STATE_WORDS,
    VERDICT_WORDS,
    F,
    Step,
    Verdict,
)
from kernel_advisor.report.common import (
    SOURCES_ABOUT,
    STATE_COLOURS,
    VERDICT_COLOURS,
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
from kernel_advisor.report.timeline import svg
from kernel_advisor.stability import status_words

if TYPE_CHECKING:
    from kernel_advisor.analysis import Analysis

RAW_SHOWN = 240  #: characters of raw evidence shown in a cell (the JSON report has all of it)
CSS = """
body{font-family:"DejaVu Sans",Arial,sans-serif;color:#1d1d1d;max-width:60em;margin:1.5em auto;
padding:0 1em;line-height:1.4}
h1{font-size:1.6em;margin-bottom:.2em}h2{font-size:1.25em;border-bottom:1px solid #ccc;
padding-bottom:.15em;margin-top:1.4em}
table{border-collapse:collapse;width:100%;margin:.5em 0}th,td{border:1px solid #bbb;
padding:.3em .45em;text-align:left;vertical-align:top;font-size:.92em}th{background:#eee}
.badge{font-weight:bold;padding:.05em .45em;border-radius:.3em;border:1px solid}
ul.checklist{list-style:none;padding-left:0}ul.checklist>li{margin:.25em 0}
.state{display:inline-block;min-width:6.5em;font-weight:bold}
code{background:#f3f3f3;padding:0 .2em;font-size:.92em}.meta{color:#555}.raw{font-family:
"DejaVu Sans Mono",monospace;font-size:.82em;white-space:pre-wrap;overflow-wrap:anywhere}
table.evidence td{overflow-wrap:anywhere}
@media print{body{margin:0;max-width:none}h2{page-break-after:avoid}tr{page-break-inside:avoid}}
""" + "".join(f".{k}{{color:{c};border-color:{c}}}" for k, c in VERDICT_COLOURS.items()) \
    + "".join(f".{k}{{color:{c}}}" for k, c in STATE_COLOURS.items()) + "\n"


def breakable(text: str, for_qt: bool) -> str:
    """Browsers wrap long paths by CSS (``overflow-wrap``); Qt's layout for the PDF needs a
    zero-width space after each ``/`` ``,`` ``=`` ``:`` to find where it may break a line."""
    return re.sub(r"([/,=:;])(?=\S)", "\\1\u200b", text) if for_qt else text


def raw_cell(raw: Optional[str], for_qt: bool) -> str:
    """The raw evidence: whole up to :data:`RAW_SHOWN` characters, else shortened with "…" and
    given whole in the cell's ``title`` (a tooltip in browsers)."""
    full = raw or ""
    shown = full if len(full) <= RAW_SHOWN else full[:RAW_SHOWN - 1].rstrip() + "…"
    title = f' title="{escape(full)}"' if shown != full else ""
    return f'<td class="raw"{title}>{escape(breakable(shown, for_qt))}</td>'


def link(s: Dict[str, str]) -> str:
    """A cited fact: its citation as a link to its source, and its label."""
    text = escape(s["source"])
    url = s.get("source_url")
    if url and url.startswith(("https://", "http://")):
        text = f'<a href="{escape(url)}">{text}</a>'
    return f'{text} ({escape(s["status"])})'


def _words() -> Dict[str, str]:
    """The report's fixed words, translated (outside f-strings, so the extractor finds them)."""
    return {
            "Verdict": _("Verdict"),
            "Framework": _("Framework"),
            "Why": _("Why"),
            "Requirements:": _("Requirements:"),
            "Notes:": _("Notes:"),
            "Then:": _("Then:"),
            "Sources:": _("Sources:"),
            "Kernel stability": _("Kernel stability"),
            "Timeline": _("Timeline"),
            "The dashed line marks the analysed kernel.":
                _("The dashed line marks the analysed kernel."),
            "Evidence": _("Evidence"),
            "Sources": _("Sources"),
    }


def step_html(s: Step) -> str:
    """A step: its sentence (code where it is the command itself), who does it, the command."""
    text = f"<code>{escape(s.text)}</code>" if s.command == s.text else escape(s.text)
    who = who_label(s)
    command = extra_command(s)
    return (text + (f' <span class="meta">({escape(who)})</span>' if who else "")
            + (f": <code>{escape(command)}</code>" if command else ""))


def verdict_html(v: Verdict, words: Dict[str, str]) -> List[str]:
    """A verdict's checklist: each requirement's state and sentence with its steps below it,
    the other reasons, what is unknown, and the steps that follow."""
    e = escape
    items = checklist(v)
    p = [f'<p>{e(words["Requirements:"])}</p><ul class="checklist">']
    for item in items.items:
        p.append(f'<li><span class="state {item.state}">{e(_(STATE_WORDS[item.state]))}</span> '
                 f'{e(item.text)}')
        if item.steps:
            p.append("<ul>" + "".join(f"<li>{step_html(s)}</li>" for s in item.steps) + "</ul>")
        p.append("</li>")
    p.append("</ul>")
    if items.notes:
        p.append(f'<p>{e(words["Notes:"])}</p><ul>'
                 + "".join(f"<li>{e(n)}</li>" for n in items.notes) + "</ul>")
    if v.unknowns:
        p.append("<p>" + e(_("Depends on unknown facts: {facts}").format(
            facts=", ".join(v.unknowns))) + "</p>")
    if items.after:
        p.append(f'<p>{e(words["Then:"])}</p><ol>'
                 + "".join(f"<li>{step_html(s)}</li>" for s in items.after) + "</ol>")
    return p


def render(a: Analysis, for_qt: bool = False) -> str:
    """A complete HTML document: inline CSS, inline SVG, no scripts, no remote resources.

    ``for_qt`` replaces the inline SVG with ``<img src="timeline.png">``, a resource the PDF
    renderer provides (QTextDocument cannot draw inline SVG).
    """
    words = _words()
    h, st = a.host, a.stability
    e = escape
    title = e(_("{app} report").format(app=APP_NAME))
    p = ['<!DOCTYPE html>', f'<html lang="{language()}"><head><meta charset="utf-8">',
         f'<title>{title}</title>', '<meta name="generator" content="kernel-advisor">',
         f'<style>{CSS}</style></head><body>',
         f'<h1>{title}</h1>', f'<p class="headline"><b>{e(a.headline)}</b></p>',
         '<p class="meta">' + e(_("{app} {version} · generated {when} · release data {as_of} "
                                  "({source})").format(app=APP_NAME, version=__version__,
                                                       when=a.generated_at, as_of=st.data_as_of,
                                                       source=_(SOURCE_WORDS[st.source])))
         + "<br>" + e(_("Analysed: {subject}").format(subject=analysed(a)))
         + ("<br>" + e(_("Host name: {name}").format(name=a.hostname)) if a.hostname else "")
         + '</p>',
         f'<h2>{e(words["Verdict"])}</h2><table><tr><th>{e(words["Framework"])}</th>'
         f'<th>{e(words["Verdict"])}</th><th>{e(words["Why"])}</th></tr>']
    for v in a.verdicts:
        p.append(f'<tr><td>{e(v.name)}</td><td><span class="badge {v.verdict}">'
                 f'{e(_(VERDICT_WORDS[v.verdict]))}</span></td>'
                 f'<td>{e(v.why)}</td></tr>')
    p.append('</table>')
    for note in a.notes:
        p.append(f'<p><b>{e(note)}</b></p>')
    for v in a.verdicts:
        p.append(f'<h2>{e(v.name)}: {e(_(VERDICT_WORDS[v.verdict]))}</h2>')
        p += verdict_html(v, words)
        if v.sources:
            p.append(f'<p class="meta">{e(words["Sources:"])} '
                     + "; ".join(link(s) for s in v.sources) + '</p>')
    release = e(h.value(F.KERNEL_RELEASE) or _("unknown"))
    evidence = vm_evidence(a)
    if evidence:
        title = _("What your virtual machines will get")
        p.append(f'<h2>{e(title)}</h2><ul>')
        p += [f'<li><b>{e(label)}:</b> {e(text)}</li>' for label, text in evidence]
        p.append('</ul>')
    p.append(f'<h2>{e(words["Kernel stability"])}</h2><p>'
             + e(_("Release {release}: {channel}")).format(
                 release=f"<b>{release}</b>", channel=f"<b>{e(status_words(st))}</b>")
             + " " + e(_("(upstream channel: {channel})")).format(
                 channel=f"<code>{e(st.channel)}</code>")
             + '</p><ul>')
    p += [f'<li>{e(n)}</li>' for n in st.notes]
    p.append(f'</ul><h2>{e(words["Timeline"])}</h2>')
    if for_qt:
        p.append('<p><img src="timeline.png" width="660"></p>')
    else:
        p.append(svg(h.value(F.KERNEL_RELEASE)))
    p.append(f'<p class="meta">{e(timeline_about())} '
             f'{e(words["The dashed line marks the analysed kernel."])}</p>')
    heads = ((_("Check"), 17), (_("Status"), 10), (_("Finding"), 29), (_("Source"), 16),
             (_("Raw"), 28))
    p.append(f'<h2>{e(words["Evidence"])}</h2><table class="evidence"><tr>'
             + "".join(f'<th width="{w}%">{e(head)}</th>' for head, w in heads) + '</tr>')
    what_if = a.host.what_if
    for f in h:
        p.append(f'<tr><td>{e(f.label)}</td><td>{e(fact_word(what_if, f))}</td>'
                 f'<td>{e(fact_summary(what_if, f, a.host.captured is not None))}</td>'
                 f'<td>{e(breakable(f.source or "—", for_qt))}</td>'
                 f'{raw_cell(f.raw, for_qt)}</tr>')
    p.append(f'</table><h2>{e(words["Sources"])}</h2><p>{e(_(SOURCES_ABOUT))}</p><ul>')
    p += [f'<li>{e(s["id"])}: {link(s)}</li>' for s in all_sources(a)]
    p.append('</ul></body></html>')
    return "\n".join(p) + "\n"
