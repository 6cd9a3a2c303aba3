"""Self-contained HTML: inline CSS and SVG, no scripts, no remote resources; every string that
came from a host is escaped with :func:`html.escape`. The PDF is this page laid out by Qt."""

from __future__ import annotations

import re
from html import escape

from advisor import APP_NAME, __version__
from advisor.model import CHANNEL_WORDS, F, STATUS_WORDS, VERDICT_WORDS
from advisor.report.common import SOURCES_ABOUT, all_sources, analysed, is_command, timeline_about
from advisor.report.timeline import svg
from advisor.i18n import _

RAW_SHOWN = 240  #: characters of raw evidence shown in a cell (the JSON report has all of it)
CSS = _("""
  body{font-family:"DejaVu Sans",Arial,sans-serif;color:#1d1d1d;max-width:60em;margin:1.5em auto;
  padding:0 1em;line-height:1.4}
  h1{font-size:1.6em;margin-bottom:.2em}h2{font-size:1.25em;border-bottom:1px solid #ccc;
  padding-bottom:.15em;margin-top:1.4em}
  table{border-collapse:collapse;width:100%;margin:.5em 0}th,td{border:1px solid #bbb;
  padding:.3em .45em;text-align:left;vertical-align:top;font-size:.92em}th{background:#eee}
  .badge{font-weight:bold;padding:.05em .45em;border-radius:.3em;border:1px solid}
  .recommended{color:#1b5e20;border-color:#1b5e20}.possible{color:#0d47a1;border-color:#0d47a1}
  .unavailable{color:#8e0000;border-color:#8e0000}
  code{background:#f3f3f3;padding:0 .2em;font-size:.92em}.meta{color:#555}.raw{font-family:
  "DejaVu Sans Mono",monospace;font-size:.82em;white-space:pre-wrap;overflow-wrap:anywhere}
  table.evidence td{overflow-wrap:anywhere}
  @media print{body{margin:0;max-width:none}h2{page-break-after:avoid}tr{page-break-inside:avoid}}
  """)


def breakable(text: str, for_qt: bool) -> str:
    """Browsers wrap long paths by CSS (``overflow-wrap``); Qt's layout for the PDF needs a
    zero-width space after each ``/`` ``,`` ``=`` ``:`` to find where it may break a line."""
    return re.sub(r"([/,=:;])(?=\S)", "\\1\u200b", text) if for_qt else text


def raw_cell(raw, for_qt: bool) -> str:
    """The raw evidence: whole up to :data:`RAW_SHOWN` characters, else shortened with "…" and
    given whole in the cell's ``title`` (a tooltip in browsers)."""
    full = raw or ""
    shown = full if len(full) <= RAW_SHOWN else full[:RAW_SHOWN - 1].rstrip() + "…"
    title = f' title="{escape(full)}"' if shown != full else ""
    return _("<td class=\"raw\"{title}>{escape_breakable_shown}</td>").format(
             title=title,
             escape_breakable_shown=escape(breakable(shown, for_qt)))


def link(s: dict) -> str:
    """A cited fact: its citation as a link to its source, and its label."""
    text = escape(s["source"])
    url = s.get("source_url")
    if url and url.startswith(("https://", "http://")):
        text = _("<a href=\"{escape_url}\">{text}</a>").format(escape_url=escape(url), text=text)
    return f'{text} ({escape(s["status"])})'


def render(a, for_qt: bool = False) -> str:
    """A complete HTML document: inline CSS, inline SVG, no scripts, no remote resources.

    ``for_qt`` replaces the inline SVG with ``<img src="timeline.png">``, a resource the PDF
    renderer provides (QTextDocument cannot draw inline SVG).
    """
    h, st = a.host, a.stability
    e = escape
    p = [_('<!DOCTYPE html>'), _('<html lang="en"><head><meta charset="utf-8">'),
         f'<title>{e(APP_NAME)} report</title>',
         _('<meta name="generator" content="kernel-advisor">'),
         f'<style>{CSS}</style></head><body>',
         f'<h1>{e(APP_NAME)} report</h1>', _("<p class=\"headline\"><b>{e_headline}</b></p>").format(
                                             e_headline=e(a.headline)),
         _("<p class=\"meta\">{e_APP_NAME} {e___version} · generated {e_generated_at} · "
           "release data {e_data_as_of} ({e_source})<br>Analysed: {e_analysed_a}").format(
           e_APP_NAME=e(APP_NAME),
           e___version=e(__version__),
           e_generated_at=e(a.generated_at),
           e_data_as_of=e(st.data_as_of),
           e_source=e(st.source),
           e_analysed_a=e(analysed(a)))
         + (_("<br>Host name: {e_hostname}").format(e_hostname=e(a.hostname)) if a.hostname else "") + '</p>',
         '<h2>Verdict</h2><table><tr><th>Framework</th><th>Verdict</th><th>Why</th></tr>']
    for v in a.verdicts:
        p.append(_("<tr><td>{e_name}</td><td><span class=\"badge "
                   "{verdict}\">{VERDICT_WORDS}</span></td><td>{value}</td></tr>").format(
                   e_name=e(v.name),
                   verdict=v.verdict,
                   VERDICT_WORDS=_(VERDICT_WORDS[v.verdict]),
                   value=e(v.reasons[0]) if v.reasons else ""))
    p.append('</table>')
    for note in a.notes:
        p.append(f'<p><b>{e(note)}</b></p>')
    for v in a.verdicts:
        p.append(f'<h2>{e(v.name)}: {_(VERDICT_WORDS[v.verdict])}</h2><p>Reasons:</p><ul>')
        p += [f'<li>{e(r)}</li>' for r in v.reasons]
        p.append('</ul>')
        if v.unknowns:
            p.append(_("<p>Depends on unknown facts: {e_join_unknowns}</p>").format(
                       e_join_unknowns=e(", ".join(v.unknowns))))
        if v.next_steps:
            p.append(_('<p>Next steps:</p><ol>'))
            p += [f'<li><code>{e(s)}</code></li>' if is_command(s) else f'<li>{e(s)}</li>'
                  for s in v.next_steps]
            p.append('</ol>')
        if v.sources:
            p.append(_('<p class="meta">Sources: ') + "; ".join(link(s) for s in v.sources) + '</p>')
    p.append(_("<h2>Kernel stability</h2><p>Release <b>{e_value}</b>: <b>{e_CHANNEL_WORDS}</b> "
               "(<code>{e_channel}</code>)").format(
               e_value=e(h.value(F.KERNEL_RELEASE) or "unknown"),
               e_CHANNEL_WORDS=e(_(CHANNEL_WORDS[st.channel])),
               e_channel=e(st.channel))
             + (_("; vendor kernel: {e_vendor}").format(e_vendor=e(st.vendor)) if st.vendor else '') + '</p><ul>')
    p += [f'<li>{e(n)}</li>' for n in st.notes]
    p.append('</ul><h2>Timeline</h2>')
    if for_qt:
        p.append(_('<p><img src="timeline.png" width="660"></p>'))
    else:
        p.append(svg(h.value(F.KERNEL_RELEASE)))
    p.append(_("<p class=\"meta\">{e_timeline_about} The dashed line marks the analysed "
               "kernel.</p>").format(e_timeline_about=e(timeline_about())))
    p.append(_('<h2>Evidence</h2><table class="evidence"><tr><th width="17%">Check</th>'
               '<th width="10%">Status</th><th width="29%">Finding</th><th width="16%">Source</th>'
               '<th width="28%">Raw</th></tr>'))
    for f in h:
        p.append(f'<tr><td>{e(f.label)}</td><td>{_(STATUS_WORDS[f.status])}</td><td>{e(f.summary)}'
                 f'</td><td>{e(breakable(f.source or "—", for_qt))}</td>'
                 f'{raw_cell(f.raw, for_qt)}</tr>')
    p.append(f'</table><h2>Sources</h2><p>{e(SOURCES_ABOUT)}</p><ul>')
    p += [f'<li>{e(s["id"])}: {link(s)}</li>' for s in all_sources(a)]
    p.append('</ul></body></html>')
    return "\n".join(p) + "\n"
