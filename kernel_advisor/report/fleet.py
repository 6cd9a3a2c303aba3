"""The fleet table in every format: a terminal table, CSV, Markdown, HTML (with a summary
picture) and the ``kernel-advisor-fleet/1`` JSON.

Each renderer takes the entries as they stream from :func:`kernel_advisor.fleet.analyse_fleet` and
yields text chunks; only the summary's counts are kept, so memory does not grow with the fleet
(the terminal table alone keeps its rows, to size its columns).
"""

from __future__ import annotations

import csv
import io
import json
from html import escape
from typing import Any, Iterable, Iterator, List

from kernel_advisor import APP_NAME, __version__
from kernel_advisor.fleet import SCHEMA, Entry, Summary
from kernel_advisor.fleet_row import COLUMNS, shown
from kernel_advisor.i18n import _, language, ngettext
from kernel_advisor.report.common import VERDICT_COLOURS
from kernel_advisor.report.markdown import md_escape
from kernel_advisor.textsafe import printable

FORMATS = ("text", "csv", "md", "html", "json")


def cells(e: Entry, human: bool = True) -> List[Any]:
    """The row's cells in column order; a refused file says why in the last columns. For
    people (``human``) in their language (:func:`kernel_advisor.fleet_row.shown`); for the CSV, the
    contract's values as they are."""
    if e.error is not None:
        given = {"host": e.host, "recommended": _("refused") if human else "refused",
                 "why_not": e.error}
        return [given.get(key, "—") for key, _h in COLUMNS]
    return [shown(key, e.row[key]) if human else e.row[key] for key, _h in COLUMNS]


def headings() -> List[str]:
    return [_(h) for _k, h in COLUMNS]


def text(entries: Iterable[Entry], summary: Summary) -> Iterator[str]:
    rows = []
    for e in entries:
        summary.add(e)
        rows.append([printable(str(c), one_line=True) for c in cells(e)])
    heads = headings()
    widths = [min(max([len(h)] + [len(r[i]) for r in rows]), 48) for i, h in enumerate(heads)]

    def line(values: List[str]) -> str:
        return "  ".join(v[:w - 1] + "…" if len(v) > w else v.ljust(w)
                         for v, w in zip(values, widths, strict=True)).rstrip() + "\n"

    yield line(heads)
    for r in sorted(rows, key=lambda r: r[0].lower()):  # by host: the recorded name may differ
        yield line(r)                                  # from the file's, which sets the order
    yield "\n" + summary_sentence(summary) + "\n"


def summary_sentence(s: Summary) -> str:
    """The fleet in one sentence, in the user's language, each count with its plural form."""
    per = ", ".join(f"{shown('recommended', name)} {n}"
                    for name, n in sorted(s.recommended.items())) or _("none")
    return " ".join([
        ngettext("{n} host:", "{n} hosts:", s.hosts).format(n=s.hosts),
        _("{analysed} analysed, {refused} refused.").format(analysed=s.hosts - s.refused,
                                                            refused=s.refused),
        _("Recommended: {counts}.").format(counts=per),
        _("Kernels past end of life: {n}.").format(n=s.end_of_life),
        _("VT off in firmware: {n}.").format(n=s.vt_off)])


#: what makes a spreadsheet read a cell as a formula (OWASP, "CSV Injection")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: object) -> str:
    """A CSV cell: printable, on one line, and never a formula (a leading ``=``, ``+``, ``-``,
    ``@``, tab or carriage return gets a ``'`` before it, as OWASP advises)."""
    text = str(value)
    if text.startswith(FORMULA_START):
        text = "'" + text
    return printable(text, one_line=True)


def csv_rows(entries: Iterable[Entry], summary: Summary) -> Iterator[str]:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow([key for key, _ in COLUMNS] + ["file", "error"])
    for e in entries:
        summary.add(e)
        writer.writerow([csv_cell(c) for c in
                         (cells(e, human=False) if e.error is None
                          else [e.host] + [""] * (len(COLUMNS) - 1))
                         + [e.to_json()["file"], e.error or ""]])
        yield buf.getvalue()
        buf.seek(0)
        buf.truncate()


def markdown(entries: Iterable[Entry], summary: Summary) -> Iterator[str]:
    yield "# " + _("{app} fleet report").format(app=APP_NAME) + "\n\n"
    yield "| " + " | ".join(md_escape(h) for h in headings()) + " |\n"
    yield "|" + "---|" * len(COLUMNS) + "\n"
    for e in entries:
        summary.add(e)
        yield "| " + " | ".join(md_escape(c) for c in cells(e)) + " |\n"
    yield "\n" + md_escape(summary_sentence(summary)) + "\n"


CSS = ("body{font-family:\"DejaVu Sans\",Arial,sans-serif;color:#1d1d1d;margin:1.5em}"
       "table{border-collapse:collapse;width:100%}th,td{border:1px solid #bbb;padding:.3em .45em;"
       "text-align:left;vertical-align:top;font-size:.9em}th{background:#eee}"
       ".refused{color:#8e0000}.meta{color:#555}")


def html(entries: Iterable[Entry], summary: Summary) -> Iterator[str]:
    title = escape(_("{app} fleet report").format(app=APP_NAME))
    yield (f'<!DOCTYPE html>\n<html lang="{language()}"><head><meta charset="utf-8"><title>'
           f'{title}</title><style>{CSS}</style></head><body><h1>{title}</h1>'
           f'<p class="meta">{APP_NAME} {escape(__version__)}</p>'
           '<table><tr>' + "".join(f"<th>{escape(h)}</th>" for h in headings()) + "</tr>\n")
    for e in entries:
        summary.add(e)
        klass = ' class="refused"' if e.error else ""
        yield (f"<tr{klass}>" + "".join(f"<td>{escape(printable(str(c)))}</td>"
                                       for c in cells(e)) + "</tr>\n")
    yield (f"</table><h2>{escape(_('Summary'))}</h2>" + picture(summary)
           + f"<p>{escape(summary_sentence(summary))}</p></body></html>\n")


def picture(s: Summary) -> str:
    """Horizontal bars: hosts per recommended framework, kernels past end of life, VT off in
    firmware, refused files (inline SVG, no scripts)."""
    bars = [(_("Recommended: {name}").format(name=shown("recommended", name)), n,
             VERDICT_COLOURS["recommended" if name != "none" else "unavailable"])
            for name, n in sorted(s.recommended.items())]
    bars += [(_("Kernel past end of life"), s.end_of_life, "#b26a00"),
             (_("VT off in firmware"), s.vt_off, "#b26a00"),
             (_("Refused files"), s.refused, "#555")]
    top = max([n for _, n, _ in bars] + [1])
    row, label_w, bar_w = 26, 220, 360
    about = escape(_("Fleet summary"))
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{label_w + bar_w + 60}" '
           f'height="{row * len(bars) + 10}" role="img" aria-label="{about}">']
    for i, (label, n, colour) in enumerate(bars):
        y = 5 + i * row
        width = round(bar_w * n / top)
        out.append(f'<text x="0" y="{y + 16}" font-size="13">{escape(label)}</text>'
                   f'<rect x="{label_w}" y="{y + 3}" width="{width}" height="16" '
                   f'fill="{colour}"/><text x="{label_w + width + 6}" y="{y + 16}" '
                   f'font-size="13">{n}</text>')
    out.append("</svg>")
    return "".join(out)


def json_doc(entries: Iterable[Entry], summary: Summary) -> Iterator[str]:
    """``{"schema", "hosts": [...], "summary": {...}}``, written host by host."""
    yield f'{{"schema": "{SCHEMA}", "tool": {json.dumps(APP_NAME + " " + __version__)},\n'
    yield ' "hosts": ['
    first = True
    for e in entries:
        summary.add(e)
        yield ("\n  " if first else ",\n  ") + json.dumps(e.to_json(), ensure_ascii=False)
        first = False
    yield "\n ],\n \"summary\": " + json.dumps(summary.to_json()) + "\n}\n"


RENDERERS = {"text": text, "csv": csv_rows, "md": markdown, "html": html, "json": json_doc}
