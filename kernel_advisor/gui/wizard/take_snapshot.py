"""Save a snapshot of this computer, to analyse elsewhere (``kernel-advisor snapshot``): it is
collected in a worker, shown file by file before anything is saved, then written by the same
rule as every export."""

from __future__ import annotations

import os
import time

from PySide6 import QtWidgets
from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout

from kernel_advisor.atomic import write_output
from kernel_advisor.gui.tasks import run_in_background
from kernel_advisor.gui.wizard import widgets
from kernel_advisor.gui.wizard.widgets import LazyPage, button, dialog_options, force_for, wrap


class TakeSnapshotPage(LazyPage):
    def __init__(self, state):
        super().__init__(state, self.tr("Everything Kernel Advisor reads here, in one file: "
                                        "look through it, then save it."))
        self.setTitle(self.tr("Save a snapshot of this computer"))
        self.setFinalPage(True)
        self.data = None
        self.task = None

    def nextId(self) -> int:
        return -1

    def build(self) -> None:
        lay = QVBoxLayout(self.content)
        self.summary = wrap()
        self.summary.setAccessibleName(self.tr("What the snapshot holds"))
        lay.addWidget(self.summary)
        self.files = QtWidgets.QTreeWidget()
        self.files.setColumnCount(3)
        self.files.setHeaderLabels([self.tr("Path"), self.tr("Kind"), self.tr("Bytes")])
        self.files.setRootIsDecorated(False)
        self.files.setAccessibleName(self.tr("Files in the snapshot"))
        self.files.setMinimumHeight(160)
        lay.addWidget(self.files, 1)
        row = QHBoxLayout()
        self.save = button(self.tr("&Save snapshot…"))
        self.save.setAccessibleName(self.tr("Save the snapshot to a file"))
        self.save.setEnabled(False)
        self.save.clicked.connect(self.choose_and_save)
        row.addWidget(self.save)
        row.addStretch(1)
        lay.addLayout(row)
        self.status = wrap()
        self.status.setAccessibleName(self.tr("Snapshot status"))
        lay.addWidget(self.status)

    def refresh(self) -> None:
        if self.data is not None or self.task is not None:
            return  # collected already: the preview stays as it was seen

        def work():
            from kernel_advisor.snapshot import capture, contents

            data, _ = capture()
            return data, contents(data)

        self.summary.setText(self.tr("Collecting what Kernel Advisor reads on this computer…"))
        self.task = run_in_background(work, self._collected, self._failed)

    def stop(self) -> None:
        if self.task is not None:
            self.task.cancel()
            self.task = None

    def _collected(self, result) -> None:
        self.task = None
        self.data, members = result
        for path, kind, size in members:
            item = QtWidgets.QTreeWidgetItem([path, kind, str(size) if kind == "file" else ""])
            self.files.addTopLevelItem(item)
        self.files.resizeColumnToContents(0)
        self.summary.setText(self.tr(
            "%s files and device entries, %s KB compressed. Nothing secret goes in: the kernel "
            "command line keeps only the options that matter here, /etc/group only the line of "
            "/dev/kvm's group, the mount table only / and /dev.") % (
            widgets.number(len(members)), widgets.number(max(1, len(self.data) // 1024))))
        self.save.setEnabled(True)
        self.save.setFocus()

    def _failed(self, exc, tb) -> None:
        self.task = None
        self.summary.setText(self.tr("The snapshot could not be collected: %s") % exc)
        self.state.last_error = tb

    def choose_and_save(self) -> None:
        name = f"{os.uname().nodename}-{time.strftime('%Y%m%d')}.tar.gz"
        path, _ = QtWidgets.QFileDialog.getSaveFileName(
            self, self.tr("Save snapshot"), os.path.join(os.path.expanduser("~"), name),
            self.tr("Snapshots (*.tar.gz)"), options=dialog_options())
        if path:
            self.save_to(path)

    def save_to(self, path: str) -> None:
        force = force_for(self, path)
        if force is None:
            return
        data = self.data
        self.save.setEnabled(False)
        self.status.setText(self.tr("Writing %s…") % path)

        def work() -> str:
            write_output(path, data, force)
            return path

        run_in_background(work, self._saved, self._save_failed)

    def _saved(self, path: str) -> None:
        self.save.setEnabled(True)
        self.status.setText(self.tr("Saved %s. On the other machine, open it with “A snapshot "
                                    "from another machine”, or run: kernel-advisor check "
                                    "--snapshot %s") % (path, os.path.basename(path)))

    def _save_failed(self, exc, tb) -> None:
        self.save.setEnabled(True)
        self.status.setText(self.tr("Nothing was saved: %s") % (getattr(exc, "strerror", None)
                                                                 or exc))
