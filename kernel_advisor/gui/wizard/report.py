"""Page 6: keep the answer — export a report (HTML, PDF, Markdown, JSON) or copy a summary.
Rendering and writing run in a worker; an existing file is replaced only after asking, and
atomically."""

from __future__ import annotations

import os

from PySide6 import QtCore, QtGui, QtWidgets
from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QComboBox, QFormLayout, QHBoxLayout, QLabel, QVBoxLayout

from kernel_advisor import report
from kernel_advisor.atomic import write_output
from kernel_advisor.gui.tasks import run_in_background
from kernel_advisor.gui.wizard.widgets import LazyPage, button, dialog_options, force_for, wrap
from kernel_advisor.report import text


def render(a, fmt: str) -> bytes:
    """Any format, in the export worker; Qt's PDF writer is loaded when a PDF is asked for."""
    if fmt == "pdf":
        from kernel_advisor.gui.pdf import render_pdf

        return render_pdf(a)
    return report.render(a, fmt)


class ReportPage(LazyPage):
    exported = Signal(str)

    def __init__(self, state):
        super().__init__(state, self.tr("Keep the answer: export a report, or copy a summary."))
        self.setTitle(self.tr("Report"))
        self.setFinalPage(True)

    def nextId(self) -> int:
        return -1

    def build(self) -> None:
        lay = QVBoxLayout(self.content)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        self.format = QComboBox()
        for key in report.FORMATS:
            self.format.addItem(report.FORMAT_NAMES[key], key)
        self.format.setAccessibleName(self.tr("Report format"))
        label = QLabel(self.tr("F&ormat:"))
        label.setBuddy(self.format)
        form.addRow(label, self.format)
        self.hostname = QCheckBox(self.tr("Include the analysed machine's &host name"))
        self.hostname.setAccessibleName(self.tr("Include the analysed machine's host name"))
        form.addRow("", self.hostname)
        lay.addLayout(form)
        row = QHBoxLayout()
        self.export = button(self.tr("&Export…"))
        self.export.clicked.connect(self.choose_and_export)
        self.export.setAccessibleName(self.tr("Export the report to a file"))
        self.copy = button(self.tr("Copy &summary"))
        self.copy.setAccessibleName(self.tr("Copy a summary to the clipboard"))
        self.copy.clicked.connect(self.copy_summary)
        row.addWidget(self.export)
        row.addWidget(self.copy)
        row.addStretch(1)
        lay.addLayout(row)
        self.status = wrap()
        self.status.setAccessibleName(self.tr("Export status"))
        lay.addWidget(self.status)
        # once a report is written: open it on Finish, as installers offer to start the app
        self.open_after = QCheckBox(self.tr("&Open the report when I click Finish"))
        self.open_after.setVisible(False)
        lay.addWidget(self.open_after)
        self.written: str | None = None
        lay.addStretch(1)

    def copy_summary(self) -> None:
        QtGui.QGuiApplication.clipboard().setText(text.summary(self.state.analysis))
        self.status.setText(self.tr("Summary copied to the clipboard."))

    def choose_and_export(self) -> None:
        fmt = self.format.currentData()
        dialogs = QtWidgets.QFileDialog
        path, _ = dialogs.getSaveFileName(
            self, self.tr("Export report"),
            os.path.join(os.path.expanduser("~"), "kernel-advisor-report" + report.SUFFIXES[fmt]),
            options=dialogs.Option.DontConfirmOverwrite | dialog_options())
        if path:
            # the name the user typed decides the format; the combo box follows it
            fmt = report.format_for_path(path) or fmt
            self.format.setCurrentIndex(self.format.findData(fmt))
            self.export_to(path, fmt)

    def export_to(self, path: str, fmt: str, confirm: bool = True) -> bool:
        """Render and write in a worker; asks before overwriting; a failure shows a dialog."""
        self.ensure_built()
        boxes = QtWidgets.QMessageBox
        if confirm and os.path.exists(path):
            answer = boxes.question(self, self.tr("Replace file?"),
                                    self.tr("%s exists. Replace it?") % path)
            if answer != boxes.StandardButton.Yes:
                return False
        force = force_for(self, path)
        if force is None:
            return False
        a = self.state.analysis
        a.hostname = a.machine_name() if self.hostname.isChecked() else None
        self.export.setEnabled(False)
        self.status.setText(self.tr("Writing %s…") % path)

        def work() -> str:
            write_output(path, render(a, fmt), force)
            return path

        run_in_background(work, self._exported, self._export_failed)
        return True

    def _exported(self, path: str) -> None:
        self.export.setEnabled(True)
        self.status.setText(self.tr("Wrote %s.") % path)
        self.written = path
        self.open_after.setVisible(True)
        self.open_after.setChecked(True)
        self.exported.emit(path)

    def validatePage(self) -> bool:
        """Finish: open the report just written, where the user left that ticked."""
        if self.written and self.open_after.isVisible() and self.open_after.isChecked():
            QtGui.QDesktopServices.openUrl(QtCore.QUrl.fromLocalFile(self.written))
        return True

    def _export_failed(self, exc, tb) -> None:
        self.export.setEnabled(True)
        self.status.setText(self.tr("Nothing was written."))
        boxes = QtWidgets.QMessageBox
        box = boxes(boxes.Icon.Critical, self.tr("Export failed"),
                    self.tr("The report could not be written: %s\nAny existing file was "
                            "left untouched.") % (getattr(exc, "strerror", None) or exc),
                    boxes.StandardButton.Ok, self)
        box.setTextFormat(QtCore.Qt.TextFormat.PlainText)
        box.setDetailedText(tb)
        box.open()
        self.state.last_error = tb
        self.exported.emit("")
