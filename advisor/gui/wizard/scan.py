"""Page 2: the probe runs in a worker through the same ``analyse()`` as the CLI; each check
appears as it completes, with its evidence one click away."""

from __future__ import annotations

from PySide6 import QtCore, QtWidgets
from PySide6.QtCore import Signal
from PySide6.QtWidgets import QVBoxLayout

from advisor.gui.tasks import run_in_background
from advisor.gui.wizard.widgets import LazyPage, status_icon, wrap
from advisor.model import STATUS_WORDS


class ScanPage(LazyPage):
    finished = Signal()

    def __init__(self, state):
        super().__init__(state)
        self.setTitle(self.tr("Scanning"))
        self.setSubTitle(self.tr("Each check appears as it completes. Expand a row for its "
                                 "evidence: the file read and what it said."))
        self.done = False
        self.task = None

    def build(self) -> None:
        lay = QVBoxLayout(self)
        self.tree = QtWidgets.QTreeWidget()
        self.tree.setColumnCount(3)
        self.tree.setHeaderLabels([self.tr("Status"), self.tr("Check"), self.tr("Finding")])
        self.tree.setAccessibleName(self.tr("Checks and their results"))
        self.tree.setRootIsDecorated(True)
        self.tree.setWordWrap(True)
        self.tree.setUniformRowHeights(False)
        lay.addWidget(self.tree)
        self.status = wrap()
        lay.addWidget(self.status)

    def refresh(self) -> None:
        """Start a scan of what the welcome page chose. Results of an earlier scan that are
        still on their way carry an older generation and are dropped."""
        if self.task is not None:
            self.task.cancel()
        self.tree.clear()
        self.done = False
        self.status.setText(self.tr("Scanning…"))
        self.completeChanged.emit()
        gen = self.state.new_generation()
        inputs, answers = self.state.inputs, self.state.answers

        def work(progress):  # worker thread: the core loads here, after the window is up
            from advisor import analysis, releases

            return analysis.analyse(root_dir=inputs.root_dir, snapshot=inputs.snapshot,
                           kernel_release=inputs.kernel, arch=inputs.arch, answers=answers,
                           releases=releases.load(offline=True), on_step=progress)

        self.task = run_in_background(
            work, lambda a: self._done(gen, a), lambda exc, tb: self._failed(gen, exc, tb),
            lambda facts: self._add_facts(gen, facts))

    def _current(self, gen: int) -> bool:
        return gen == self.state.generation

    def _add_facts(self, gen: int, facts) -> None:
        if not self._current(gen):
            return
        style = self.style()
        for f in facts:
            word = STATUS_WORDS[f.status]
            item = QtWidgets.QTreeWidgetItem([word, f.label, f.summary])
            item.setIcon(0, status_icon(style, f.status))
            item.setToolTip(2, f.summary)
            item.setData(0, QtCore.Qt.ItemDataRole.AccessibleTextRole, f"{word}: {f.label}")
            detail = self.tr("Source: %s") % (f.source or "—") + ("\n" + f.raw if f.raw else "")
            if f.reason:
                detail += "\n" + self.tr("Unknown because: %s") % f.reason
            item.addChild(QtWidgets.QTreeWidgetItem(["", self.tr("Evidence"), detail]))
            self.tree.addTopLevelItem(item)
        self.tree.resizeColumnToContents(0)
        self.tree.setColumnWidth(1, 250)

    def _done(self, gen: int, analysis) -> None:
        if not self._current(gen):
            return
        self.task = None
        self.state.set_analysis(analysis)
        n = len(analysis.host.facts)
        self.status.setText(self.tr("%d checks done. Next: a few questions about your needs.") % n
                            + ("" if analysis.top else
                               " " + self.tr("No framework fits as things stand.")))
        self.done = True
        self.completeChanged.emit()
        self.finished.emit()

    def _failed(self, gen: int, exc, tb) -> None:
        if not self._current(gen):
            return
        self.task = None
        self.status.setText(self.tr("Could not analyse: %s — go Back and choose other input.")
                            % exc)
        self.state.last_error = tb

    def isComplete(self) -> bool:  # noqa: N802
        return self.done
