"""Issue 28, class 12: the smaller things a new user ran into — an unpacked root picked as a
snapshot, a what-if far beyond the data, a long typed value that widened the window, combo boxes
stretched across it, the data's age said three times, axis labels on top of each other, no
About, and no offer to open the report just written."""

from __future__ import annotations

import pytest

pytest.importorskip("PySide6")

from conftest import FIRECRACKER, VIRT_WHAT
from PySide6.QtCore import QObject, Qt, QUrl, Slot
from PySide6.QtGui import QDesktopServices
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMessageBox

from kernel_advisor.gui.wizard import PageId
from kernel_advisor.report.timeline import layout


def test_an_unpacked_root_typed_as_a_snapshot_is_analysed_as_a_root(qtbot, wizard, tmp_path):
    w = wizard()
    w.welcome.snap.setChecked(True)
    w.welcome.snap_path.setFocus()
    QTest.keyClicks(w.welcome.snap_path, str(tmp_path))  # a folder, but no machine's root
    assert not w.welcome.isComplete() and "no proc, etc or sys" in w.welcome.error.text()
    w.welcome.snap_path.clear()
    QTest.keyClicks(w.welcome.snap_path, str(VIRT_WHAT / "baremetal" / "root"))
    assert w.welcome.isComplete(), w.welcome.error.text()
    w.next()
    qtbot.waitUntil(w.scan_page.isComplete, timeout=10000)
    assert w.state.inputs.root_dir == str(VIRT_WHAT / "baremetal" / "root")
    assert w.state.inputs.snapshot is None
    assert w.analysis.host.origin.startswith("directory ")


def test_a_what_if_far_beyond_the_data_is_questioned_but_allowed(qtbot, wizard):
    w = wizard()
    w.welcome.kernel.setFocus()
    QTest.keyClicks(w.welcome.kernel, "99.99.99")
    assert w.welcome.what_if.isChecked() and w.welcome.isComplete()
    assert "99.99.99 is far newer than any release our data knows" in \
        w.welcome.error.text().replace("\u200b", "")
    w.welcome.kernel.clear()
    QTest.keyClicks(w.welcome.kernel, "6.8.0")
    assert w.welcome.error.text() == ""


def test_a_long_typed_value_does_not_widen_the_window(qtbot, wizard):
    w = wizard()
    w.show()
    before = w.minimumSizeHint().width()
    w.welcome.kernel.setFocus()
    QTest.keyClicks(w.welcome.kernel, "x" * 64)  # not a release: echoed in the error line
    w.welcome.snap.setChecked(True)
    QTest.keyClicks(w.welcome.snap_path, "/" + "very-long-folder-name/" * 12 + "s.tar.gz")
    assert "There is no file" in w.welcome.error.text()
    QApplication.processEvents()
    assert w.welcome.error.minimumSizeHint().width() < 400
    assert w.minimumSizeHint().width() <= max(before, 700)


def test_combo_boxes_keep_their_own_width(qtbot, wizard):
    w = wizard(snapshot=str(FIRECRACKER))
    w.resize(1400, 700)
    w.show()
    w.next()
    qtbot.waitUntil(w.scan_page.isComplete, timeout=10000)
    w.next()
    qtbot.waitUntil(lambda: w.needs.purpose.width() > 0, timeout=2000)
    assert w.needs.purpose.width() <= w.needs.purpose.sizeHint().width() + 2


def test_the_data_age_is_said_once_on_the_stability_page(qtbot, wizard):
    w = wizard(snapshot=str(FIRECRACKER))
    w.next()
    qtbot.waitUntil(w.scan_page.isComplete, timeout=10000)
    while w.currentId() != PageId.STABILITY:
        w.next()
    page = w.stability
    said = page.notes.text() + page.headline.text() + page.source.text()
    assert said.count("days old") == 1, said
    assert "Release data: bundled with the app" in page.source.text()


@pytest.mark.parametrize("width", [900, 420, 260])
def test_axis_labels_never_overlap(width):
    labels = sorted((s for s in layout(width, 200, "6.1.0") if s.kind == "text"
                     and s.anchor == "middle"), key=lambda s: s.x)
    assert len(labels) >= 2
    for a, b in zip(labels, labels[1:], strict=False):
        assert a.x + len(a.text) * 7.5 / 2 + 6 <= b.x - len(b.text) * 7.5 / 2


def test_about_names_the_version_and_the_datas_age(qtbot, wizard):
    from kernel_advisor import __version__

    w = wizard()
    w.show()
    about = w.button(w.WizardButton.CustomButton1)
    assert about.text() == "Abo&ut" and about.isVisible()
    qtbot.mouseClick(about, Qt.MouseButton.LeftButton)
    box = w.findChild(QMessageBox, "about")
    qtbot.waitUntil(lambda: box is not None and box.isVisible(), timeout=2000)
    text = box.informativeText()
    assert f"Version {__version__}" in text and "GPL-3.0-or-later" in text
    assert "August 2026" in text or "2026" in text
    box.close()
    assert w.currentId() == PageId.WELCOME  # About changed nothing


class _Opened(QObject):
    def __init__(self):
        super().__init__()
        self.urls: list[str] = []

    @Slot(QUrl)
    def open(self, url):
        self.urls.append(url.toLocalFile())


@pytest.fixture
def opened():
    """The files the app asks the desktop to open (Qt's own URL handler hook, not a mock)."""
    sink = _Opened()
    QDesktopServices.setUrlHandler("file", sink, "open")
    yield sink.urls
    QDesktopServices.unsetUrlHandler("file")


def on_report_page(qtbot, wizard):
    w = wizard(snapshot=str(FIRECRACKER))
    w.show()
    w.next()
    qtbot.waitUntil(w.scan_page.isComplete, timeout=10000)
    while w.currentId() != PageId.REPORT:
        w.next()
    return w


def test_finish_offers_to_open_the_report_just_written(qtbot, wizard, tmp_path, opened):
    w = on_report_page(qtbot, wizard)
    page = w.report
    assert not page.open_after.isVisible()
    out = tmp_path / "report.html"
    page.export_to(str(out), "html")
    qtbot.waitUntil(lambda: page.open_after.isVisible(), timeout=10000)
    assert page.open_after.isChecked()
    qtbot.mouseClick(w.button(w.WizardButton.FinishButton), Qt.MouseButton.LeftButton)
    assert opened == [str(out)]


def test_finish_opens_nothing_when_unticked(qtbot, wizard, tmp_path, opened):
    w = on_report_page(qtbot, wizard)
    w.report.export_to(str(tmp_path / "r.md"), "md")
    qtbot.waitUntil(lambda: w.report.open_after.isVisible(), timeout=10000)
    w.report.open_after.setFocus()
    qtbot.keyClick(w.report.open_after, Qt.Key.Key_Space)  # untick it
    assert not w.report.open_after.isChecked()
    qtbot.mouseClick(w.button(w.WizardButton.FinishButton), Qt.MouseButton.LeftButton)
    assert opened == []


# -- class 11: colours that say the same in every face, legible in every palette ----------------
def _dark_palette():
    from PySide6.QtGui import QColor, QPalette

    pal = QPalette(QColor("#2b2b2b"))
    pal.setColor(QPalette.ColorRole.WindowText, QColor("#e6e6e6"))
    pal.setColor(QPalette.ColorRole.Highlight, QColor("#2a5a8a"))  # a dark theme's mid blue
    return pal


@pytest.mark.parametrize("dark", [False, True])
def test_the_timeline_marker_is_legible(qtbot, dark):
    from PySide6.QtGui import QColor, QPalette

    from kernel_advisor.gui.timeline_widget import _colours
    from kernel_advisor.gui.wizard.widgets import contrast
    from kernel_advisor.report.timeline import SVG_COLOURS

    pal = _dark_palette() if dark else QPalette(QColor("#efefef"))
    marker = _colours(pal)["marker"]
    assert contrast(marker, pal.color(QPalette.ColorRole.Window)) >= 4.5
    assert contrast(QColor(SVG_COLOURS["marker"]), QColor("white")) >= 4.5  # the reports'


def test_bars_are_no_verdicts_and_verdicts_look_alike_everywhere(qtbot, wizard):
    from PySide6.QtGui import QColor, QPalette

    from kernel_advisor.report.common import VERDICT_COLOURS
    from kernel_advisor.report.html import CSS
    from kernel_advisor.report.timeline import SVG_COLOURS

    def hue(c):
        return QColor(c).hslHue()

    for framework in ("kvm", "xen", "lguest"):
        h = hue(SVG_COLOURS[framework])
        assert not (h >= 330 or h <= 30), f"{framework}'s bar reads as red ('bad')"
        assert not 90 <= h <= 150, f"{framework}'s bar reads as green ('good')"
    for verdict, colour in VERDICT_COLOURS.items():
        assert f".{verdict}{{color:{colour}" in CSS  # the reports' (and the PDF's) badge
    w = wizard(snapshot=str(FIRECRACKER))
    w.next()
    qtbot.waitUntil(w.scan_page.isComplete, timeout=10000)
    w.next()
    w.next()
    for badge in (lb for lb in w.recommendation.findChildren(type(w.welcome.error))
                  if lb.objectName().startswith("verdict-")):
        verdict = badge.objectName().removeprefix("verdict-")
        shown = badge.palette().color(QPalette.ColorRole.WindowText)
        assert abs(shown.hslHue() - hue(VERDICT_COLOURS[verdict])) <= 3, verdict
