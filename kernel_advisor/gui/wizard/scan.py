"""Page 2: the probe runs in a worker through the same ``analyse()`` as the CLI; each check
appears as it completes, with its evidence one click away, under an overall progress bar."""

from __future__ import annotations

from PySide6 import QtCore, QtGui, QtWidgets
from PySide6.QtCore import Signal
from PySide6.QtWidgets import QVBoxLayout

from kernel_advisor.gui.tasks import run_in_background
from kernel_advisor.gui.wizard import widgets
from kernel_advisor.gui.wizard.widgets import LazyPage, status_icon, wrap


class ScanPage(LazyPage):
    finished = Signal()

    def __init__(self, state):
        super().__init__(state, self.tr("Each check appears as it completes. Expand a row for "
                                        "its evidence: the file read and what it said."))
        self.setTitle(self.tr("Scanning"))
        self.done = False
        self.task = None

    def build(self) -> None:
        from kernel_advisor.probe import DETECTORS

        lay = QVBoxLayout(self.content)
        self.progress = QtWidgets.QProgressBar()
        self.progress.setRange(0, len(DETECTORS))  # one step per detector (on_step)
        self.progress.setAccessibleName(self.tr("Scan progress"))
        # a share, not a count: the bar counts the probe's steps, the table its findings
        # ("14 of 14 steps" over "35 checks done" read as two different numbers of checks)
        self.progress.setFormat(self.tr("%p%"))
        lay.addWidget(self.progress)
        self.tree = QtWidgets.QTreeWidget()
        self.tree.setColumnCount(3)
        self.tree.setHeaderLabels([self.tr("Status"), self.tr("Check"), self.tr("Finding")])
        self.tree.setAccessibleName(self.tr("Checks and their results"))
        self.tree.setRootIsDecorated(True)
        self.tree.setWordWrap(True)
        self.tree.setUniformRowHeights(False)
        self.tree.setMinimumHeight(160)
        self.tree.setSelectionMode(QtWidgets.QAbstractItemView.SelectionMode.ExtendedSelection)
        # Ctrl+C (and the context menu's Copy) copies the selected checks with their evidence,
        # as text: what users paste into a ticket
        copy = QtGui.QAction(self.tr("&Copy"), self.tree)
        copy.setShortcut(QtGui.QKeySequence.StandardKey.Copy)
        copy.setShortcutContext(QtCore.Qt.ShortcutContext.WidgetShortcut)
        copy.triggered.connect(self.copy_selected)
        self.tree.addAction(copy)
        self.tree.setContextMenuPolicy(QtCore.Qt.ContextMenuPolicy.ActionsContextMenu)
        lay.addWidget(self.tree, 1)
        self.status = wrap()
        self.status.setAccessibleName(self.tr("Scan status"))
        lay.addWidget(self.status)

    def refresh(self) -> None:
        """Start a scan of what the welcome page chose. Results of an earlier scan that are
        still on their way carry an older generation and are dropped."""
        self.stop()
        self.tree.clear()
        self.progress.setValue(0)
        self.done = False
        self.status.setText(self.tr("Scanning…"))
        self.completeChanged.emit()
        gen = self.state.new_generation()
        inputs, answers = self.state.inputs, self.state.answers

        def work(progress):  # worker thread: the core loads here, after the window is up
            from kernel_advisor import releases

            # the stability page asks kernel.org when the user says so: the scan is offline
            return inputs.analyse(releases=releases.load(offline=True, url=inputs.releases_url),
                                  answers=answers, on_step=progress)

        self.task = run_in_background(
            work, lambda a: self._done(gen, a), lambda exc, tb: self._failed(gen, exc, tb),
            lambda facts: self._add_facts(gen, facts))

    def stop(self) -> None:
        if self.task is not None:
            self.task.cancel()
            self.task = None

    def _current(self, gen: int) -> bool:
        return gen == self.state.generation

    def _add_facts(self, gen: int, facts) -> None:
        if not self._current(gen):
            return
        self.progress.setValue(self.progress.value() + 1)
        from kernel_advisor.report.common import fact_status, fact_summary, fact_word

        style = self.style()
        what_if = self.state.inputs.what_if  # the analysis's own, before it exists
        snapshot = self.state.inputs.snapshot is not None
        for f in facts:
            word, summary = fact_word(what_if, f), fact_summary(what_if, f, snapshot)
            item = QtWidgets.QTreeWidgetItem([word, f.label, summary])
            item.setIcon(0, status_icon(style, fact_status(what_if, f)))
            item.setToolTip(1, f.label)  # whole, where the column elides it
            item.setToolTip(2, summary)
            item.setData(0, QtCore.Qt.ItemDataRole.AccessibleTextRole, f"{word}: {f.label}")
            detail = self.tr("Read from: %s") % (f.source or "—") + ("\n" + f.raw if f.raw
                                                                      else "")
            if f.reason:
                detail += "\n" + self.tr("Not known because: %s") % f.reason
            evidence = QtWidgets.QTreeWidgetItem(["", self.tr("Evidence"), detail])
            evidence.setToolTip(2, detail)
            item.addChild(evidence)
            self.tree.addTopLevelItem(item)
        self.tree.resizeColumnToContents(0)
        self.tree.resizeColumnToContents(1)  # the check's name whole, up to a third of the row
        self.tree.setColumnWidth(1, min(self.tree.columnWidth(1),
                                        self.tree.viewport().width() // 3))

    def copy_selected(self) -> None:
        """The selected checks (a check's evidence row copies its check) as text."""
        items = []
        for item in self.tree.selectedItems():
            top = item.parent() or item
            if top not in items:
                items.append(top)
        items.sort(key=self.tree.indexOfTopLevelItem)
        lines = []
        for top in items:
            lines.append(f"{top.text(0)}  {top.text(1)}: {top.text(2)}")
            children = (top.child(c) for c in range(top.childCount()))
            lines += ["    " + line for child in children if child is not None
                      for line in child.text(2).splitlines()]
        if lines:
            QtGui.QGuiApplication.clipboard().setText("\n".join(lines) + "\n")

    def _done(self, gen: int, analysis) -> None:
        if not self._current(gen):
            return
        self.task = None
        self.progress.setValue(self.progress.maximum())
        self.state.set_analysis(analysis)
        n = len(analysis.host.facts)
        self.status.setText(self.tr("%s checks done. Next: a few questions about your needs.")
                            % widgets.number(n)
                            + ("" if analysis.top else
                               " " + self.tr("No framework fits as things stand.")))
        self.show_where()  # now with what the scan learnt (a snapshot's date)
        self.done = True
        self.completeChanged.emit()
        self.finished.emit()

    def _failed(self, gen: int, exc, tb) -> None:
        if not self._current(gen):
            return
        self.task = None
        plain = getattr(exc, "plain", None)
        if plain:  # unusable input: said plainly, with what to do
            self.status.setText(plain + " " + self.tr("Go Back to choose something else."))
        else:
            self.status.setText(self.tr("The analysis stopped on an unexpected error: %s. Go "
                                        "Back to try again.") % exc)
        self.state.last_error = tb

    def isComplete(self) -> bool:
        return self.done
