"""The timeline picture as drawing primitives, shared by the SVG (reports) and QPainter (wizard).

Kernel releases run across by release date; one bar per framework shows where it exists in
mainline (``kb.json``'s ``timeline.bars``, each drawn over the range of the fact it names); a
marker shows the analysed kernel.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from html import escape

from kernel_advisor import kernel, knowledge
from kernel_advisor.i18n import _
from kernel_advisor.stability import bundled_table

#: roles → colours for the SVG; the wizard lightens the bars on a dark window and takes the
#: marker from the palette. A bar's colour names its framework, never a judgement: no traffic
#: light green or red (the verdicts' colours, :data:`kernel_advisor.report.common.VERDICT_COLOURS`),
#: and the marker, which is text too, keeps 4.5:1 (WCAG AA) against white
SVG_COLOURS = {"kvm": "#5e35b1", "xen": "#00838f", "lguest": "#ad5d00", "vmi": "#757575",
               "axis": "#444444", "grid": "#dddddd", "marker": "#c2185b", "text": "#222222"}

START = dt.date(2006, 1, 1)
#: an axis label's width is estimated (the SVG has no font metrics): this many pixels per
#: character at the pictures' 11–12 px sans-serif, a little more than DejaVu Sans' digits need
CHAR_WIDTH = 7.5
LABEL_GAP = 6.0



@dataclass(frozen=True)
class Shape:
    kind: str  # rect | line | text
    role: str
    x: float
    y: float
    w: float = 0.0  # rect width, or line x2
    h: float = 0.0  # rect height, or line y2
    text: str = ""
    anchor: str = "start"  # start | middle | end


def release_date(version: str) -> dt.date | None:
    row = bundled_table()["series"].get(kernel.series_of(version))
    if row and row.get("first"):  # 2.6.11/2.6.12 have no usable tag date (RD): None
        return dt.date.fromisoformat(row["first"])
    return None


def layout(width: float, height: float, release: str | None, today: dt.date | None = None,
           char_width: float = CHAR_WIDTH) -> list[Shape]:
    """The picture's shapes; ``char_width`` is the axis labels' width per character (the
    wizard passes its font's)."""
    today = today or dt.date.today()
    kb = knowledge.load()["timeline"]
    left, right, top = 90.0, 20.0, 16.0
    span = (today - START).days or 1
    plot_w = max(width - left - right, 10)

    def x_of(d: dt.date) -> float:
        return left + plot_w * min(max((d - START).days / span, 0), 1)

    bars = kb["bars"]
    row_h = max(min((height - top - 44) / len(bars), 30), 12)
    shapes: list[Shape] = []
    axis_y = top + row_h * len(bars) + 6
    last_end = -1e9  # where the last axis label drawn ends: a label that would touch it is
    for version in kb["axis"]:  # left out when the picture is narrow (its grid line stays)
        d = release_date(version)
        if d is None:
            continue
        x = x_of(d)
        shapes.append(Shape("line", "grid", x, top - 4, x, axis_y))
        half = len(version) * char_width / 2
        if x - half >= last_end + LABEL_GAP:
            shapes.append(Shape("text", "text", x, axis_y + 14, text=version, anchor="middle"))
            last_end = x + half
    shapes.append(Shape("line", "axis", left, axis_y, left + plot_w, axis_y))
    for i, bar in enumerate(bars):
        y = top + i * row_h
        since, until = knowledge.bounds(bar["fact"])
        start = release_date(since) or START
        end = (release_date(until) if until else today) or today
        shapes.append(Shape("text", "text", left - 8, y + row_h * 0.65, text=bar["label"],
                            anchor="end"))
        shapes.append(Shape("rect", bar["framework"], x_of(start), y + row_h * 0.15,
                            max(x_of(end) - x_of(start), 2), row_h * 0.7,
                            text=(_("{label}: {since}–{until} (removed)") if until
                                  else _("{label}: {since} on")).format(
                                      label=bar["label"], since=since, until=until)))
    r = kernel.parse(release)
    if r.understood and r.version:
        d = release_date(r.version)
        label = _("this kernel: {release}").format(release=r.release)
        if d is None and r.parts[:2] < (2, 6):
            x, label = left, _("◀ {release} (before 2.6)").format(release=r.release)
        elif d is None:
            x = left + plot_w if r.parts[0] >= 7 else left
        else:
            x = x_of(d)
        shapes.append(Shape("line", "marker", x, top - 10, x, axis_y + 2))
        anchor = "start" if x < left + plot_w * 0.6 else "end"
        shapes.append(Shape("text", "marker", x + (4 if anchor == "start" else -4), top - 2,
                            text=label, anchor=anchor))
    return shapes


def svg(release: str | None, width: int = 720, height: int = 220,
        today: dt.date | None = None) -> str:
    """A self-contained inline SVG; every string from the host is escaped."""
    label = escape(_("Timeline: where KVM, Xen, lguest and VMI exist in mainline Linux, with "
                     "the analysed kernel marked"))
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
           f'viewBox="0 0 {width} {height}" role="img" aria-label="{label}" '
           'font-family="DejaVu Sans, sans-serif" font-size="11">']
    for s in layout(width, height - 10, release, today):
        colour = SVG_COLOURS.get(s.role, "#222222")
        if s.kind == "rect":
            out.append(f'<rect x="{s.x:.1f}" y="{s.y:.1f}" width="{s.w:.1f}" height="{s.h:.1f}" '
                       f'rx="3" fill="{colour}"><title>{escape(s.text)}</title></rect>')
        elif s.kind == "line":
            dash = ' stroke-dasharray="4 3"' if s.role == "marker" else ""
            width_px = 2 if s.role in ("marker", "axis") else 1
            out.append(f'<line x1="{s.x:.1f}" y1="{s.y:.1f}" x2="{s.w:.1f}" y2="{s.h:.1f}" '
                       f'stroke="{colour}" stroke-width="{width_px}"{dash}/>')
        else:
            anchor = {"start": "start", "middle": "middle", "end": "end"}[s.anchor]
            weight = ' font-weight="bold"' if s.role == "marker" else ""
            out.append(f'<text x="{s.x:.1f}" y="{s.y:.1f}" text-anchor="{anchor}" '
                       f'fill="{colour}"{weight}>{escape(s.text)}</text>')
    out.append("</svg>")
    return "".join(out)
