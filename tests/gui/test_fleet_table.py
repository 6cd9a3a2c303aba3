"""Issue 28, class 6: the fleet table fits the screen (a long reason cannot push "Recommended"
off it; Host stays in view), refused files are marked, headings are whole while loading, sorting
has a keyboard path, and Export writes the rows shown — after a Stop, through the filter, in the
table's order — without analysing the folder again."""

from __future__ import annotations

import csv
import shutil

import pytest

pytest.importorskip("PySide6")

from conftest import FIRECRACKER, LSCPU
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLabel

from kernel_advisor.fleet_row import COLUMNS
from kernel_advisor.gui.wizard import PageId
from kernel_advisor.gui.wizard.fleet_model import fit


def test_fit_shares_the_room_fairly_and_keeps_headings():
    # a 2000-pixel reason, two narrow columns: the narrow ones get all they want
    assert fit([80, 60, 2000], [40, 40, 40], 600) == [80, 60, 460]
    # everything fits: everything as wanted
    assert fit([80, 60, 200], [40, 40, 40], 600) == [80, 60, 200]
    # not even the headings fit: headings, and the table scrolls
    assert fit([300, 300], [200, 200], 300) == [200, 200]
    # two wide columns split what is left evenly
    widths = fit([100, 1000, 1000], [50, 50, 50], 700)
    assert widths[0] == 100 and abs(widths[1] - widths[2]) <= 1 and sum(widths) <= 700


@pytest.fixture
def fleet(qtbot, wizard, tmp_path):
    """Three real captures and one file that is no snapshot (refused), in a wizard at a
    laptop's width."""
    folder = tmp_path / "fleet"
    folder.mkdir()
    for src in [FIRECRACKER, *sorted(LSCPU.glob("x86_64*.tar.gz"))[:2]]:
        shutil.copy(src, folder / src.name)
    (folder / "broken.tar.gz").write_bytes(b"not a tarball at all\n" * 10)
    w = wizard(fleet_dir=str(folder))
    w.resize(760, 560)
    w.welcome.fleet.setChecked(True)
    w.next()
    assert w.currentId() == PageId.FLEET
    qtbot.waitUntil(w.fleet.export.isEnabled, timeout=30000)
    return w, folder


def test_every_column_is_on_screen_with_the_whole_text_as_tooltip(qtbot, fleet):
    w, _folder = fleet
    table, model = w.fleet.table, w.fleet.model
    header = table.horizontalHeader()
    assert header.sectionViewportPosition(0) == 0  # Host first, in view
    right = header.sectionViewportPosition(model.columnCount() - 1) \
        + header.sectionSize(model.columnCount() - 1)
    assert right <= table.viewport().width()  # no column pushed off the screen
    # a cell cut short says all of itself as its tooltip
    refused = next(r for r in range(model.rowCount()) if model.entry(r).error)
    reason = model.index(refused, model.shown_at.index([k for k, _h in COLUMNS].index("why_not")))
    assert model.data(reason, Qt.ItemDataRole.ToolTipRole) == model.entry(refused).error
    # the headings were whole while rows loaded: at least as wide as their text
    for i in range(model.columnCount()):
        assert header.sectionSize(i) >= min(header.sectionSizeFromContents(i).width(),
                                             table.viewport().width() // model.columnCount())


def test_refused_files_are_marked(qtbot, fleet):
    w, _folder = fleet
    model = w.fleet.model
    marks = {model.entry(r).host: model.data(model.index(r, 0), Qt.ItemDataRole.DecorationRole)
             for r in range(model.rowCount())}
    assert marks["broken"] is not None and not marks["broken"].isNull()
    assert all(icon is None for host, icon in marks.items() if host != "broken")
    row = next(r for r in range(model.rowCount()) if model.entry(r).host == "broken")
    assert "refused" in model.data(model.index(row, 0), Qt.ItemDataRole.AccessibleTextRole)


def test_sorting_from_the_keyboard(qtbot, fleet):
    w, _folder = fleet
    page, model = w.fleet, w.fleet.model
    label = next(lb for lb in page.findChildren(QLabel) if lb.buddy() is page.sort_by)
    assert label.text() == "&Sort by:"  # Alt+S reaches it
    page.sort_by.setFocus()
    QTest.keyClick(page.sort_by, Qt.Key.Key_Down)  # Host → Distribution and kernel
    column = page.sort_by.currentIndex()
    assert column == 1
    keys = [model.rows[model._source(r)][1].casefold() for r in range(model.rowCount())]
    assert keys == sorted(keys)
    QTest.keyClick(page.descending, Qt.Key.Key_Space)
    assert page.descending.isChecked()
    keys = [model.rows[model._source(r)][1].casefold() for r in range(model.rowCount())]
    assert keys == sorted(keys, reverse=True)
    # a heading clicked says so in the keys too
    header = page.table.horizontalHeader()
    QTest.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                     QPoint(header.sectionViewportPosition(0) + 5, header.height() // 2))
    assert page.sort_by.currentIndex() == 0


def test_export_writes_the_rows_shown_in_their_order_without_reading_the_folder_again(
        qtbot, fleet, tmp_path):
    w, folder = fleet
    page, model = w.fleet, w.fleet.model
    page.filter.setFocus()
    QTest.keyClicks(page.filter, "x86_64")  # the two lscpu captures
    page.sort_by.setCurrentIndex(0)
    page.descending.setChecked(True)
    shown = [model.entry(r).host for r in range(model.rowCount())]
    assert len(shown) == 2 and shown == sorted(shown, reverse=True)
    shutil.rmtree(folder)  # the table's rows are what is written: the folder is not read again
    out = tmp_path / "fleet.csv"
    page.export_to(str(out), "csv")
    qtbot.waitUntil(lambda: page.export.isEnabled() and out.exists(), timeout=20000)
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert [r["host"] for r in rows] == shown
    assert "Wrote" in page.status.text()
