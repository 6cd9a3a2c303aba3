"""Reports from one model: JSON (the contract), Markdown and self-contained HTML.

PDF is rendered by Qt from :func:`html` (``advisor.gui.pdf``), so all four formats say the same.
Every string that came from a host (kernel release, DMI names, paths, raw evidence) is escaped:
``html.escape`` for HTML, backslash-escaping of Markdown's active characters for Markdown.
"""

from __future__ import annotations

import json
import re
from html import escape

from advisor import APP_NAME, __version__
from advisor.analysis import Analysis
from advisor.facts import STATUS_WORDS
from advisor.timeline import svg

FORMATS = ("html", "pdf", "md", "json")
from advisor.rules import VERDICT_WORDS  # noqa: E402  (re-exported for the front-ends)
from advisor.stability import CHANNEL_WORDS  # noqa: E402


def to_json(a: Analysis) -> str:
    return json.dumps(a.to_json(), indent=2, ensure_ascii=False) + "\n"


def _analysed(a: Analysis) -> str:
    what = a.host.origin
    if a.host.what_if:
        what += " — what if " + ", ".join(f"{k}={v}" for k, v in a.host.what_if.items())
    return what


def summary_lines(a: Analysis) -> list[str]:
    """A short plain-text summary (the wizard's 'copy summary', the CLI's last lines)."""
    h = a.host
    lines = [f"{APP_NAME} {__version__} — {_analysed(a)}",
             f"Kernel {h.value('kernel.release') or 'unknown'} on "
             f"{h.value('kernel.arch') or 'unknown arch'}: "
             f"{CHANNEL_WORDS[a.stability.channel]}"
             + (f" (vendor kernel: {a.stability.vendor})" if a.stability.vendor else "")]
    for v in a.verdicts:
        lines.append(f"{v.name}: {VERDICT_WORDS[v.verdict]} — {v.reasons[0] if v.reasons else ''}")
    lines.extend(a.notes)
    return lines


# -- Markdown ---------------------------------------------------------------------------------
_MD_ACTIVE = re.compile(r"([\\`*_{}\[\]<>()#+\-.!|~])")


def md_escape(text: object) -> str:
    """Make host-provided text inert in Markdown (no HTML, no links, no emphasis)."""
    s = str(text).replace("\r", " ").replace("\n", " ")
    return _MD_ACTIVE.sub(r"\\\1", s).replace("&", "&amp;")


def markdown(a: Analysis) -> str:
    h, st = a.host, a.stability
    out = [f"# {APP_NAME} report", "",
           f"- Tool: {APP_NAME} {__version__}",
           f"- Generated: {a.generated_at}",
           f"- Analysed: {md_escape(_analysed(a))}",
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
            out += [f"1. `{s.replace('`', chr(39))}`" if _is_command(s) else f"1. {md_escape(s)}"
                    for s in v.next_steps]
        if v.sources:
            out += ["", "Sources: " + "; ".join(
                f"{md_escape(s['source'])} ({s['status']})" for s in v.sources)]
    out += ["", "## Kernel stability", "",
            f"- Release: {md_escape(h.value('kernel.release') or 'unknown')}",
            f"- Channel: **{CHANNEL_WORDS[st.channel]}** (`{st.channel}`)"]
    if st.vendor:
        out.append(f"- Vendor: {md_escape(st.vendor)}")
    out += ["", *[f"- {md_escape(n)}" for n in st.notes]]
    out += ["", "## Timeline", "",
            "Where each framework exists in mainline Linux (KVM from 2.6.20; lguest 2.6.23–4.13; "
            "Xen domU from 2.6.23, dom0 from 2.6.37/3.0; VMI 2.6.21–2.6.36). The HTML and PDF "
            "reports draw it.", "",
            "## Evidence", "", "| Check | Status | Finding | Source | Raw |", "|---|---|---|---|---|"]
    for f in h:
        out.append(f"| {md_escape(f.label)} | {STATUS_WORDS[f.status]} | {md_escape(f.summary)} | "
                   f"{md_escape(f.source or '—')} | {md_escape((f.raw or '')[:160])} |")
    out += ["", "## Sources", "",
            "Facts come from the project's fact sheet (kernel-facts.md), each with its label: "
            "VERIFIED (primary source read), SECONDARY, UNVERIFIED (worded as such).", ""]
    for s in _all_sources(a):
        out.append(f"- {md_escape(s['id'])}: {md_escape(s['source'])} — {s['status']}")
    return "\n".join(out) + "\n"


def _is_command(step: str) -> bool:
    return bool(re.match(r"^(sudo |make |lguest |xl |modprobe |VBoxManage )", step))


def _all_sources(a: Analysis) -> list[dict]:
    seen: dict[str, dict] = {}
    for v in a.verdicts:
        for s in v.sources:
            seen.setdefault(s["id"], s)
    return list(seen.values())


# -- HTML -------------------------------------------------------------------------------------
CSS = """
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
"DejaVu Sans Mono",monospace;font-size:.82em;white-space:pre-wrap;word-break:break-all}
@media print{body{margin:0;max-width:none}h2{page-break-after:avoid}tr{page-break-inside:avoid}}
"""


def html(a: Analysis, for_qt: bool = False) -> str:
    """A complete HTML document: inline CSS, inline SVG, no scripts, no remote resources.

    ``for_qt`` replaces the inline SVG with ``<img src="timeline.png">``, a resource the PDF
    renderer provides (QTextDocument cannot draw inline SVG).
    """
    h, st = a.host, a.stability
    e = escape
    p = ['<!DOCTYPE html>', '<html lang="en"><head><meta charset="utf-8">',
         f'<title>{e(APP_NAME)} report</title>',
         '<meta name="generator" content="kernel-advisor">',
         f'<style>{CSS}</style></head><body>',
         f'<h1>{e(APP_NAME)} report</h1>',
         f'<p class="meta">{e(APP_NAME)} {e(__version__)} · generated {e(a.generated_at)} · '
         f'release data {e(st.data_as_of)} ({e(st.source)})<br>Analysed: {e(_analysed(a))}'
         + (f'<br>Host name: {e(a.hostname)}' if a.hostname else "") + '</p>',
         '<h2>Verdict</h2><table><tr><th>Framework</th><th>Verdict</th><th>Why</th></tr>']
    for v in a.verdicts:
        p.append(f'<tr><td>{e(v.name)}</td><td><span class="badge {v.verdict}">'
                 f'{VERDICT_WORDS[v.verdict]}</span></td>'
                 f'<td>{e(v.reasons[0]) if v.reasons else ""}</td></tr>')
    p.append('</table>')
    for note in a.notes:
        p.append(f'<p><b>{e(note)}</b></p>')
    for v in a.verdicts:
        p.append(f'<h2>{e(v.name)}: {VERDICT_WORDS[v.verdict]}</h2><p>Reasons:</p><ul>')
        p += [f'<li>{e(r)}</li>' for r in v.reasons]
        p.append('</ul>')
        if v.unknowns:
            p.append(f'<p>Depends on unknown facts: {e(", ".join(v.unknowns))}</p>')
        if v.next_steps:
            p.append('<p>Next steps:</p><ol>')
            p += [f'<li><code>{e(s)}</code></li>' if _is_command(s) else f'<li>{e(s)}</li>'
                  for s in v.next_steps]
            p.append('</ol>')
        if v.sources:
            p.append('<p class="meta">Sources: ' + "; ".join(
                f'{e(s["source"])} ({e(s["status"])})' for s in v.sources) + '</p>')
    p.append(f'<h2>Kernel stability</h2><p>Release <b>{e(h.value("kernel.release") or "unknown")}'
             f'</b>: <b>{e(CHANNEL_WORDS[st.channel])}</b> (<code>{e(st.channel)}</code>)'
             + (f'; vendor kernel: {e(st.vendor)}' if st.vendor else '') + '</p><ul>')
    p += [f'<li>{e(n)}</li>' for n in st.notes]
    p.append('</ul><h2>Timeline</h2>')
    if for_qt:
        p.append('<p><img src="timeline.png" width="660"></p>')
    else:
        p.append(svg(h.value("kernel.release")))
    p.append('<p class="meta">Where each framework exists in mainline Linux; the dashed line '
             'marks the analysed kernel.</p>')
    p.append('<h2>Evidence</h2><table><tr><th>Check</th><th>Status</th><th>Finding</th>'
             '<th>Source</th><th>Raw</th></tr>')
    for f in h:
        p.append(f'<tr><td>{e(f.label)}</td><td>{STATUS_WORDS[f.status]}</td><td>{e(f.summary)}'
                 f'</td><td>{e(f.source or "—")}</td><td class="raw">{e((f.raw or "")[:160])}'
                 '</td></tr>')
    p.append('</table><h2>Sources</h2><p>Facts come from the project\'s fact sheet '
             '(kernel-facts.md), each labelled VERIFIED (primary source read), SECONDARY or '
             'UNVERIFIED (worded as such).</p><ul>')
    p += [f'<li>{e(s["id"])}: {e(s["source"])} — {e(s["status"])}</li>' for s in _all_sources(a)]
    p.append('</ul></body></html>')
    return "\n".join(p) + "\n"


def render(a: Analysis, fmt: str) -> bytes:
    """The report as bytes; PDF needs Qt and is imported only then."""
    if fmt == "json":
        return to_json(a).encode()
    if fmt == "md":
        return markdown(a).encode()
    if fmt == "html":
        return html(a).encode()
    if fmt == "pdf":
        from advisor.gui.pdf import render_pdf

        return render_pdf(a)
    raise ValueError(f"unknown format {fmt!r} (use html, pdf, md or json)")
