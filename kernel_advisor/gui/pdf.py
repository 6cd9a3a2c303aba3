"""PDF reports: the core's HTML laid out by QTextDocument and printed by QPdfWriter (A4).

Works headless (``QT_QPA_PLATFORM=offscreen``) from the CLI and in a worker thread of the GUI.
"""

from __future__ import annotations

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF, QUrl
from PySide6.QtGui import QFont, QGuiApplication, QPageLayout, QPageSize, QPdfWriter, QTextDocument

from kernel_advisor import APP_NAME, __version__
from kernel_advisor.analysis import Analysis
from kernel_advisor.gui.timeline_widget import render_image
from kernel_advisor.model import F
from kernel_advisor.report import html as html_report


def render_pdf(a: Analysis) -> bytes:
    app = QGuiApplication.instance()
    if app is None:  # the CLI: a headless application just for layout
        from kernel_advisor.gui.bundle import prepare_qt

        prepare_qt()
        app = QGuiApplication(["kernel-advisor"])
    data = QByteArray()
    buf = QBuffer(data)
    buf.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buf)
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    writer.setPageMargins(QMarginsF(15, 15, 15, 15), QPageLayout.Unit.Millimeter)
    writer.setResolution(300)
    writer.setTitle(f"{APP_NAME} report — {a.host.value(F.KERNEL_RELEASE) or 'unknown kernel'}")
    writer.setCreator(f"{APP_NAME} {__version__}")
    doc = QTextDocument()
    doc.documentLayout().setPaintDevice(writer)  # lay out in the PDF's units, not the screen's
    doc.setDefaultFont(QFont("DejaVu Sans", 9))
    doc.setDocumentMargin(0)
    doc.addResource(QTextDocument.ResourceType.ImageResource, QUrl("timeline.png"),
                    render_image(a.host.value(F.KERNEL_RELEASE)))
    doc.setHtml(html_report.render(a, for_qt=True))
    doc.setPageSize(writer.pageLayout().paintRectPixels(writer.resolution()).size().toSizeF())
    doc.print_(writer)
    del writer  # finishes the PDF
    buf.close()
    return bytes(data.data())
