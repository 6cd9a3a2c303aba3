"""The fleet page: every snapshot of a folder in one sortable, filterable table.

The table is a :class:`QAbstractTableModel` over the rows :func:`kernel_advisor.fleet.analyse_fleet`
streams back from a worker (not a widget per cell), which sorts and filters itself.
Loading shows its progress and can be cancelled; double-clicking a host opens its full
single-host analysis in a wizard of its own; Export writes the fleet report like
``kernel-advisor fleet -f FMT -o FILE``.
"""

from __future__ import annotations

import functools
import os
import threading

from PySide6 import QtWidgets
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QLineEdit, QVBoxLayout

from kernel_advisor.gui.tasks import run_in_background
from kernel_advisor.gui.wizard.fleet_model import FleetModel, SortKeys, fit_columns, write_report
from kernel_advisor.gui.wizard.widgets import LazyPage, button, dialog_options, force_for, wrap

EXPORT_FORMATS = (("html", "HTML"), ("csv", "CSV"), ("md", "Markdown"), ("json", "JSON"))


class _KeepsReturn(QLineEdit):
    """The filter box: Return ends the typing and moves to the table, and stops there — a line
    edit lets Return through to the dialog, whose default button (Finish) would close the app."""

    def keyPressEvent(self, event) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            event.accept()
            self.focusNextChild()
            return
        super().keyPressEvent(event)


class _Machines(QtWidgets.QTableView):
    """The table: Return or Enter opens the current machine (``activated``) and stops there —
    an item view lets it through to the dialog's default button too."""

    def keyPressEvent(self, event) -> None:
        super().keyPressEvent(event)
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            event.accept()


class FleetPage(LazyPage):
    def __init__(self, state):
        super().__init__(state, self.tr("One row per machine. Type to filter, click a heading "
                                        "to sort, double-click a machine for its full "
                                        "analysis."))
        self.setTitle(self.tr("Fleet"))
        self.setFinalPage(True)
        self.task = None
        self.stop_event = None
        self.windows: list = []

    def nextId(self) -> int:
        return -1

    def build(self) -> None:
        lay = QVBoxLayout(self.content)
        top = QHBoxLayout()
        self.filter = _KeepsReturn()
        self.filter.setPlaceholderText(self.tr("e.g. KVM, off in firmware, eol, web"))
        self.filter.setAccessibleName(self.tr("Filter the machines"))
        label = QLabel(self.tr("F&ilter:"))
        label.setBuddy(self.filter)
        top.addWidget(label)
        top.addWidget(self.filter, 1)
        self.progress = QtWidgets.QProgressBar()
        self.progress.setAccessibleName(self.tr("Snapshots analysed"))
        self.progress.setFormat(self.tr("%v of %m snapshots"))
        self.progress.setMinimumWidth(self.fontMetrics().horizontalAdvance(
            self.tr("%v of %m snapshots").replace("%v", "0000").replace("%m", "0000")) + 32)
        top.addWidget(self.progress)
        self.cancel = button(self.tr("Sto&p"))
        self.cancel.setAccessibleName(self.tr("Stop analysing the snapshots"))
        self.cancel.clicked.connect(self.stop)
        top.addWidget(self.cancel)
        lay.addLayout(top)
        self.model = FleetModel()
        self.filter.textChanged.connect(self.model.set_filter)
        self.table = _Machines()
        self.table.setModel(self.model)
        self.table.setSortingEnabled(True)
        corner = self.table.findChild(QtWidgets.QAbstractButton)  # the "select all" corner
        if corner is not None:
            corner.setAccessibleName(self.tr("Select all machines"))
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        keys = SortKeys(self.table, self.model.headings)
        self.sort_by, self.descending = keys.column, keys.descending
        lay.addLayout(keys.row)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.setHorizontalScrollMode(
            QtWidgets.QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.table.setSelectionBehavior(QtWidgets.QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QtWidgets.QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAccessibleName(self.tr("Machines of the fleet"))
        self.table.setMinimumHeight(160)
        # activated: a double-click (or a single click, where the style says so) and Enter;
        # doubleClicked as well would open every machine twice
        self.table.activated.connect(self.open_host)
        lay.addWidget(self.table, 1)
        self.summary = wrap()
        self.summary.setAccessibleName(self.tr("Fleet summary"))
        lay.addWidget(self.summary)
        row = QHBoxLayout()
        self.format = QComboBox()
        for key, name in EXPORT_FORMATS:
            self.format.addItem(name, key)
        self.format.setAccessibleName(self.tr("Fleet report format"))
        flabel = QLabel(self.tr("F&ormat:"))
        flabel.setBuddy(self.format)
        self.export = button(self.tr("&Export…"))
        self.export.setAccessibleName(self.tr("Export the fleet report to a file"))
        self.export.clicked.connect(self.choose_and_export)
        row.addWidget(flabel)
        row.addWidget(self.format)
        row.addWidget(self.export)
        row.addStretch(1)
        lay.addLayout(row)
        self.status = wrap()
        self.status.setAccessibleName(self.tr("Export status"))
        lay.addWidget(self.status)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if self.built:
            fit_columns(self.table)

    def refresh(self) -> None:
        """Analyse the folder the welcome page chose, streaming rows into the table."""
        from kernel_advisor import fleet, releases

        self.stop()
        self.model.clear()
        folder, answers = self.state.inputs.fleet_dir, self.state.answers
        try:
            total = len(fleet.snapshot_files(folder))
        except OSError as exc:
            self.summary.setText(self.tr("The folder cannot be read: %s") % exc.strerror)
            return
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(0)
        self.cancel.setEnabled(True)
        self.export.setEnabled(False)
        self.summary.setText(self.tr("Analysing %n snapshot(s)…", "", total))
        fit_columns(self.table)  # the headings whole while the rows come in
        stop = self.stop_event = threading.Event()
        summary = fleet.Summary()

        def work(progress):
            batch = []
            entries = fleet.analyse_fleet(folder, answers, releases.load(offline=True))
            try:
                for entry in entries:
                    summary.add(entry)
                    batch.append(entry)
                    if len(batch) >= 8 or stop.is_set():
                        progress(batch)
                        batch = []
                    if stop.is_set():
                        break
            finally:
                entries.close()  # shuts the worker processes down
            if batch:
                progress(batch)
            return summary

        self.task = run_in_background(work, self._done, self._failed, self._rows)

    def _rows(self, entries) -> None:
        self.model.add(entries)
        self.progress.setValue(self.progress.value() + len(entries))
        if self.progress.value() <= 64:  # the first screenful sets the columns
            fit_columns(self.table)

    def _done(self, summary) -> None:
        from kernel_advisor.report.fleet import summary_sentence

        self.task = None
        self.cancel.setEnabled(False)
        self.export.setEnabled(summary.hosts > 0)
        stopped = self.stop_event is not None and self.stop_event.is_set()
        self.summary.setText((self.tr("Stopped. ") if stopped else "")
                             + summary_sentence(summary) if summary.hosts else
                             self.tr("This folder holds no snapshots (*.tar.gz)."))
        fit_columns(self.table)

    def _failed(self, exc, tb) -> None:
        self.task = None
        self.cancel.setEnabled(False)
        self.summary.setText(self.tr("The fleet could not be analysed: %s") % exc)
        self.state.last_error = tb

    def stop(self) -> None:
        if self.stop_event is not None:
            self.stop_event.set()

    def open_host(self, index) -> None:
        """A machine's full analysis, in a wizard of its own (a refused file says why there)."""
        from kernel_advisor.gui.wizard import AdvisorWizard, Inputs

        entry = self.model.entry(index.row())
        w = AdvisorWizard(Inputs(snapshot=entry.file, answers=self.state.answers))
        w.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        w.setWindowTitle(self.tr("%s — Kernel Advisor") % entry.host)
        # a closed window is deleted (WA_DeleteOnClose): forget it then, never ask it again
        w.destroyed.connect(functools.partial(self._forget, w))
        self.windows.append(w)
        w.show()
        w.go_to_input()

    def _forget(self, window, *_destroyed) -> None:
        self.windows = [x for x in self.windows if x is not window]

    def choose_and_export(self) -> None:
        fmt = self.format.currentData()
        path, _ = QtWidgets.QFileDialog.getSaveFileName(
            self, self.tr("Export fleet report"),
            os.path.join(os.path.expanduser("~"), f"kernel-advisor-fleet.{fmt}"),
            options=dialog_options())
        if path:
            self.export_to(path, fmt)

    def export_to(self, path: str, fmt: str) -> None:
        """Write the fleet report of the rows shown — those a Stop left, those the filter
        keeps, in the table's order — in a worker (:func:`write_report`)."""
        force = force_for(self, path)
        if force is None:
            return
        shown, answers = self.model.shown_entries(), self.state.answers
        self.export.setEnabled(False)
        self.status.setText(self.tr("Writing %s…") % path)
        run_in_background(lambda: write_report(path, fmt, shown, answers, force),
                          self._exported, self._export_failed)

    def _exported(self, path: str) -> None:
        self.export.setEnabled(True)
        self.status.setText(self.tr("Wrote %s.") % path)

    def _export_failed(self, exc, tb) -> None:
        self.export.setEnabled(True)
        self.status.setText(self.tr("Nothing was written: %s") % (getattr(exc, "strerror", None)
                                                                   or exc))

