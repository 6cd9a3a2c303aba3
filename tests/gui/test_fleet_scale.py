"""Issue 29, classes 8 and 4 in the wizard: the fleet page with thousands of machines. The model sorts and filters
itself (one key per row, one prepared string per row) and asks for the cells on screen only;
the selection follows its row through a sort; rows that stream in land where the order puts
them; and the app exits cleanly with a fleet still loading — the crash seen at exit was a
reference PySide6 6.12.0 drops on every signal emitted, which the constraints now exclude.
An export onto a write-protected file asks a second time (the wizard's ``--force``)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("PySide6")

from conftest import FIRECRACKER
from PySide6.QtCore import QCoreApplication, QItemSelectionModel, QObject, Qt, Signal
from PySide6.QtWidgets import QTableView

from kernel_advisor.fleet import Entry
from kernel_advisor.gui.wizard.fleet_model import FleetModel

APP = Path(__file__).resolve().parent.parent.parent


def entry(i: int, recommended: str) -> Entry:
    host = f"host-{i:05d}"
    return Entry(f"/fleet/{host}.tar.gz", host, {
        "host": host, "hostname": host, "system": "Debian 12, 6.1.0-27-amd64", "stability": "longterm",
        "eol": False, "vt": "VT-x", "vt_off": False, "layer": "bare metal", "vms": "vCPU ran",
        "recommended": recommended, "why_not": "", "needs_root": "",
        "user": "alice"})


class CountingModel(FleetModel):
    """The page's model, counting what the view asks of it."""

    def __init__(self):
        super().__init__()
        self.asked = 0

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        self.asked += 1
        return super().data(index, role)


def a_view(qtbot, model):
    view = QTableView()
    view.setModel(model)
    view.setSortingEnabled(True)
    view.sortByColumn(0, Qt.SortOrder.AscendingOrder)  # as the page does
    view.resize(800, 300)
    qtbot.addWidget(view)
    return view


def test_ten_thousand_rows_sort_and_filter_in_the_model(qtbot):
    model = CountingModel()
    view = a_view(qtbot, model)
    view.show()
    rows = [entry(i, "KVM" if i % 3 else "Xen") for i in range(10_000)]
    for start in range(0, len(rows), 500):  # as the worker streams them in
        model.add(rows[start:start + 500][::-1])  # out of order within a batch
    assert model.rowCount() == 10_000
    assert [model.index(r, 0).data() for r in range(3)] == ["host-00000", "host-00001",
                                                            "host-00002"]
    view.sortByColumn(0, Qt.SortOrder.DescendingOrder)
    assert model.index(0, 0).data() == "host-09999"
    qtbot.wait(50)  # painted
    model.asked = 0
    model.set_filter("XEN")
    view.repaint()
    assert model.rowCount() == 3334 and model.index(0, 0).data() == "host-09999"
    assert 0 < model.asked < 2_000  # the cells on screen, not 10,000 rows × 8 columns
    model.set_filter("")
    assert model.rowCount() == 10_000


def test_the_selection_follows_its_row_through_a_sort_and_new_rows(qtbot):
    model = FleetModel()
    view = a_view(qtbot, model)
    model.add([entry(i, "KVM") for i in (5, 1, 9)])
    row = next(r for r in range(3) if model.index(r, 0).data() == "host-00005")
    view.selectionModel().select(model.index(row, 0), QItemSelectionModel.SelectionFlag.Select
                                 | QItemSelectionModel.SelectionFlag.Rows)
    view.sortByColumn(0, Qt.SortOrder.DescendingOrder)
    model.add([entry(7, "KVM"), entry(3, "KVM")])
    assert [model.index(r, 0).data() for r in range(5)] == [
        "host-00009", "host-00007", "host-00005", "host-00003", "host-00001"]
    selected = view.selectionModel().selectedRows()
    assert [model.entry(i.row()).host for i in selected] == ["host-00005"]


class _Emitter(QObject):
    ping = Signal(object)


def test_emitting_a_signal_keeps_pythons_references():
    """PySide6 6.12.0's emit() returns True without a reference of its own: a few thousand
    emits (a fleet's progress) and Python 3.11 frees True and aborts. (On 3.12 and later True
    is immortal and its count does not move; this guards the constraint where it can.)"""
    assert QCoreApplication.instance() is not None or QCoreApplication([])
    emitter = _Emitter()
    emitter.ping.connect(lambda _x: None)
    before = sys.getrefcount(True), sys.getrefcount(None)
    for i in range(2_000):
        emitter.ping.emit(i)
    assert (sys.getrefcount(True), sys.getrefcount(None)) == before


DRIVER = """
import sys
from PySide6.QtCore import QTimer
from kernel_advisor.gui import app
from kernel_advisor.gui.wizard import AdvisorWizard

def show(self, _show=AdvisorWizard.show):
    _show(self)
    QTimer.singleShot(100, self.next)
    def close_when_loading():
        model = getattr(self.fleet, "model", None)
        if model is not None and model.rowCount() >= 40:
            self.close()
        else:
            QTimer.singleShot(50, close_when_loading)
    QTimer.singleShot(200, close_when_loading)

if __name__ == "__main__":
    AdvisorWizard.show = show
    import argparse
    sys.exit(app.main(argparse.Namespace(root=None, snapshot=None, kernel=None, arch=None,
                                         releases_url=None, fleet=sys.argv[1])))
"""


def test_closing_the_window_while_a_fleet_loads_exits_cleanly(tmp_path):
    fleet = tmp_path / "fleet"
    fleet.mkdir()
    for i in range(1_500):
        (fleet / f"h{i:05d}.tar.gz").symlink_to(FIRECRACKER)
    driver = tmp_path / "driver.py"
    driver.write_text(DRIVER)
    out = subprocess.run([sys.executable, str(driver), str(fleet)], capture_output=True,
                         text=True, timeout=300, cwd=str(APP),
                         env={**os.environ, "QT_QPA_PLATFORM": "offscreen",
                              "PYTHONPATH": str(APP)})
    assert out.returncode == 0, out.stderr[-2000:]
    assert "Traceback" not in out.stderr and "Fatal" not in out.stderr, out.stderr[-2000:]


@pytest.mark.parametrize("answer", ["Yes", "No"])
def test_the_wizard_asks_before_replacing_a_write_protected_file(qtbot, wizard, tmp_path,
                                                                 monkeypatch, answer):
    """The wizard's --force: a second question, for a write-protected file only."""
    from PySide6.QtWidgets import QMessageBox

    asked = []

    def question(parent, title, text, *args):
        asked.append(text)
        return getattr(QMessageBox.StandardButton, answer)

    monkeypatch.setattr(QMessageBox, "question", question)
    w = wizard()
    w.next()
    qtbot.waitUntil(w.scan_page.isComplete, timeout=10000)
    target = tmp_path / "r.json"
    target.write_text("keep me")
    target.chmod(0o444)
    report = w.report
    started = report.export_to(str(target), "json", confirm=False)
    assert asked and "write-protected" in asked[-1]
    if answer == "No":
        assert not started and target.read_text() == "keep me"
    else:
        qtbot.waitUntil(lambda: "Wrote" in report.status.text(), timeout=30000)
        assert '"schema"' in target.read_text() and oct(target.stat().st_mode)[-3:] == "444"


def test_what_a_machine_calls_itself_and_who_collected_it_are_the_host_cells_tooltip(qtbot):
    """Issue 30: the fleet's Host is the inventory name; the OS host name and "Collected as"
    go into the exports as columns and into the table as the Host cell's detail (ten columns
    do not fit a window), and the filter finds a machine by either."""
    model = FleetModel()
    first, second = entry(1, "KVM"), entry(2, "KVM")
    first.row.update(hostname="vm", user="root, for alice")
    second.row.update(hostname="vm", user="")
    model.add([first, second])
    assert model.columnCount() == len(model.headings) == 9
    assert "Host name" not in model.headings and "Collected as" not in model.headings
    assert "What VMs get" in model.headings  # issue 27: the one summary column of the evidence
    tip = model.data(model.index(0, 0), Qt.ItemDataRole.ToolTipRole)
    assert tip == "host-00001\nHost name: vm\nCollected as: root, for alice"
    assert model.data(model.index(1, 0), Qt.ItemDataRole.ToolTipRole) == "host-00002\nHost name: vm"
    assert model.data(model.index(0, 0)) == "host-00001"
    model.set_filter("alice")
    assert model.rowCount() == 1 and model.entry(0) is first
