"""Issue 28, classes 1 and 2: the fleet page under real keys and clicks, and one input model for
the command line and the wizard. Return in the filter box or on a row never reaches Finish; a
double-click opens one window, and keeps doing so after a machine's window was closed; every
option ``gui`` takes reaches the analysis, and ``gui --fleet DIR`` opens on the fleet page."""

from __future__ import annotations

import shutil

import pytest

pytest.importorskip("PySide6")

from conftest import FIRECRACKER, LSCPU
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from kernel_advisor.cli import build_parser
from kernel_advisor.gui.wizard import AdvisorWizard, PageId
from kernel_advisor.inputs import Inputs
from kernel_advisor.model import Answers


@pytest.fixture
def fleet_page(qtbot, wizard, tmp_path):
    folder = tmp_path / "fleet"
    folder.mkdir()
    for src in [FIRECRACKER, *sorted(LSCPU.glob("x86_64*.tar.gz"))[:2]]:
        shutil.copy(src, folder / src.name)
    w = wizard(fleet_dir=str(folder))
    w.welcome.fleet.setChecked(True)
    w.next()
    assert w.currentId() == PageId.FLEET
    qtbot.waitUntil(w.fleet.export.isEnabled, timeout=30000)
    return w


def machine_windows(before):
    return [x for x in QApplication.topLevelWidgets() if x not in before
            and isinstance(x, AdvisorWizard) and x.isVisible()]


def double_click_row(table, row):
    """What a real double-click delivers: a click, then the double-click event (QTest's
    mouseDClick alone sends only the second half, which an item view takes for a press)."""
    where = table.visualRect(table.model().index(row, 0)).center()
    for send in (QTest.mouseClick, QTest.mouseDClick):
        send(table.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, where)


def test_return_in_the_filter_box_moves_to_the_table_and_closes_nothing(qtbot, fleet_page):
    f = fleet_page.fleet
    f.filter.setFocus()
    QTest.keyClicks(f.filter, "firecracker")
    QTest.keyClick(f.filter, Qt.Key.Key_Return)
    assert fleet_page.isVisible() and fleet_page.result() == 0
    assert f.model.rowCount() == 1


def test_return_on_a_row_opens_the_machine_and_the_fleet_stays(qtbot, fleet_page):
    f = fleet_page.fleet
    before = set(QApplication.topLevelWidgets())
    f.table.setFocus()
    f.table.setCurrentIndex(f.model.index(0, 0))
    QTest.keyClick(f.table, Qt.Key.Key_Return)
    opened = machine_windows(before)
    assert len(opened) == 1 and fleet_page.isVisible()
    opened[0].close()


def test_a_double_click_opens_one_window_again_and_again(qtbot, fleet_page):
    f = fleet_page.fleet
    for _round in range(3):
        before = set(QApplication.topLevelWidgets())
        double_click_row(f.table, 0)
        opened = machine_windows(before)
        assert len(opened) == 1
        qtbot.waitUntil(opened[0].scan_page.isComplete, timeout=20000)
        opened[0].close()  # deleted on close: the page must not ask it anything again
        qtbot.wait(50)
        QApplication.sendPostedEvents(None, 0)  # the deferred delete happens here
    assert f.windows == [] or all(x.isVisible() for x in f.windows)


def test_every_gui_option_is_an_input_and_reaches_the_analysis(qtbot, wizard):
    parser = build_parser()
    args = parser.parse_args(["gui", "--snapshot", str(FIRECRACKER), "--guests", "any",
                              "--prefer", "features", "--purpose", "servers",
                              "--distro", "rhel:5", "--kernel", "2.6.18-8.el5xen"])
    inputs = Inputs.from_args(args)
    assert inputs.answers == Answers("any", "features", "servers")
    w = wizard(**{k: getattr(inputs, k) for k in ("snapshot", "kernel", "distro", "answers")})
    w.next()
    qtbot.waitUntil(w.scan_page.isComplete, timeout=20000)
    a = w.analysis
    assert a.answers == Answers("any", "features", "servers")
    assert a.host.what_if == {"kernel": "2.6.18-8.el5xen", "distro": "rhel:5"}
