"""The timeline drawn with QPainter from :func:`kernel_advisor.report.timeline.layout`, in palette
colours."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPainter, QPalette, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from kernel_advisor.report.timeline import SVG_COLOURS, layout


def _colours(palette: QPalette) -> dict[str, QColor]:
    text = palette.color(QPalette.ColorRole.WindowText)
    dark = palette.color(QPalette.ColorRole.Window).lightness() < 128
    out = {role: QColor(hexa) for role, hexa in SVG_COLOURS.items()}
    if dark:  # lighter variants of the same hues, so bars stay readable on a dark window
        out = {role: c.lighter(160) for role, c in out.items()}
    out["text"] = text
    out["axis"] = text
    grid = QColor(text)
    grid.setAlpha(50)
    out["grid"] = grid
    # the marker is a line and a label: the palette's highlight, made legible on its window
    # (a dark theme's highlight is often a mid blue, 1.7:1 on its dark grey)
    from kernel_advisor.gui.wizard.widgets import readable

    out["marker"] = readable(palette.color(QPalette.ColorRole.Highlight),
                             palette.color(QPalette.ColorRole.Window))
    return out


def paint(painter: QPainter, width: float, height: float, release: str | None,
          palette: QPalette) -> None:
    colours = _colours(palette)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    metrics = painter.fontMetrics()
    for s in layout(width, height, release, char_width=metrics.horizontalAdvance("8") * 1.1):
        colour = colours.get(s.role, colours["text"])
        if s.kind == "rect":
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(colour)
            painter.drawRoundedRect(QRectF(s.x, s.y, s.w, s.h), 3, 3)
        elif s.kind == "line":
            pen = QPen(colour, 2 if s.role in ("marker", "axis") else 1)
            if s.role == "marker":
                pen.setStyle(Qt.PenStyle.DashLine)
            painter.setPen(pen)
            painter.drawLine(QPointF(s.x, s.y), QPointF(s.w, s.h))
        else:
            painter.setPen(colour)
            font = QFont(painter.font())
            font.setBold(s.role == "marker")
            painter.setFont(font)
            w = painter.fontMetrics().horizontalAdvance(s.text)
            x = s.x - (w if s.anchor == "end" else w / 2 if s.anchor == "middle" else 0)
            painter.drawText(QPointF(x, s.y + metrics.ascent() / 3), s.text)


class TimelineWidget(QWidget):
    """Kernel versions across, a bar per framework, the analysed kernel marked."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.release: str | None = None
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMinimumHeight(190)
        self.setAccessibleName(self.tr("Timeline of virtualization frameworks in Linux"))
        self._describe()

    def set_release(self, release: str | None) -> None:
        self.release = release
        self._describe()
        self.update()

    def _describe(self) -> None:
        desc = self.tr("KVM from 2.6.20; lguest 2.6.23 to 4.13; Xen domU from 2.6.23 and dom0 "
                       "from 2.6.37; VMI 2.6.21 to 2.6.36.")
        if self.release:
            desc += " " + self.tr("Marked: this kernel, %s.") % self.release
        self.setAccessibleDescription(desc)
        self.setToolTip(desc)

    def sizeHint(self) -> QSize:
        return QSize(640, 200)

    def paintEvent(self, _event) -> None:
        painter = QPainter(self)
        paint(painter, self.width(), self.height(), self.release, self.palette())
        painter.end()


def render_image(release: str | None, width: int = 1440, height: int = 420,
                 palette: QPalette | None = None) -> QImage:
    """The same picture as an image (for the PDF), on a white background."""
    image = QImage(width, height, QImage.Format.Format_ARGB32)
    image.fill(QColor("white"))
    pal = QPalette(palette) if palette else QPalette()
    pal.setColor(QPalette.ColorRole.Window, QColor("white"))
    pal.setColor(QPalette.ColorRole.WindowText, QColor("#222222"))
    pal.setColor(QPalette.ColorRole.Highlight, QColor(SVG_COLOURS["marker"]))
    painter = QPainter(image)
    font = painter.font()
    font.setPixelSize(12)
    painter.setFont(font)
    painter.scale(2, 2)
    paint(painter, width / 2, height / 2, release, pal)
    painter.end()
    return image
