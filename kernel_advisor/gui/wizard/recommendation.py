"""Page 4: the three frameworks ranked, each with its reasons and copyable next steps, under a
timeline of where each exists in mainline Linux."""

from __future__ import annotations

from PySide6 import QtCore, QtGui, QtWidgets
from PySide6.QtWidgets import QGroupBox, QHBoxLayout, QVBoxLayout, QWidget

from kernel_advisor.gui.wizard.widgets import LazyPage, links, plain, readable, wrap
from kernel_advisor.i18n import _
from kernel_advisor.model import STATE_WORDS, VERDICT_WORDS, F, State
from kernel_advisor.report.common import (
    STATE_COLOURS,
    VERDICT_COLOURS,
    checklist,
    extra_command,
    vm_evidence,
    who_label,
)

#: each requirement state's icon: the standard pixmap of the check status it resembles
STATE_ICONS = {State.MET: "SP_DialogApplyButton", State.FIXABLE: "SP_ArrowRight",
               State.IMPOSSIBLE: "SP_MessageBoxCritical", State.UNKNOWN: "SP_MessageBoxQuestion"}


class RecommendationPage(LazyPage):
    def __init__(self, state):
        super().__init__(state, self.tr("The three frameworks, best first, with the evidence "
                                        "behind each verdict and what to do next."))
        self.setTitle(self.tr("Recommendation"))

    def build(self) -> None:
        # on first visit: the timeline looks up Qt's enums, which PySide6 builds when first
        # asked for (~20 ms), so the window does not wait for it at start-up
        from kernel_advisor.gui.timeline_widget import TimelineWidget

        outer = QVBoxLayout(self.content)
        self.headline = wrap()
        self.headline.setAccessibleName(self.tr("The answer in one sentence"))
        font = QtGui.QFont(self.headline.font())
        font.setBold(True)
        self.headline.setFont(font)
        outer.addWidget(self.headline)
        self.body = QWidget()  # the answer first: the verdicts, then the history around them
        self.body_layout = QVBoxLayout(self.body)
        self.body_layout.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.body)
        self.timeline = TimelineWidget()
        outer.addWidget(self.timeline)
        outer.addStretch(1)

    def refresh(self) -> None:
        a = self.state.analysis
        self.headline.setText(a.headline)
        self.timeline.set_release(a.host.value(F.KERNEL_RELEASE))
        while self.body_layout.count():
            item = self.body_layout.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        for rank, v in enumerate(a.verdicts, 1):
            self.body_layout.addWidget(self._verdict_box(rank, v))
        for note in a.notes:
            self.body_layout.addWidget(wrap(note))
        evidence = vm_evidence(a)
        if evidence:
            box = QGroupBox(self.tr("What your virtual machines will get"))
            box.setObjectName("vm-evidence")
            lay = QVBoxLayout(box)
            for label, text in evidence:
                lay.addWidget(wrap(self.tr("%1: %2").replace("%1", label).replace("%2", text)))
            self.body_layout.addWidget(box)

    def _verdict_box(self, rank: int, v) -> QGroupBox:
        word = _(VERDICT_WORDS[v.verdict])
        box = QGroupBox(f"{rank}. {v.name}")
        box.setAccessibleName(f"{v.name}: {word}")
        lay = QVBoxLayout(box)
        top = QHBoxLayout()
        badge = plain(word)
        badge.setObjectName(f"verdict-{v.verdict}")
        font = QtGui.QFont(badge.font())
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        badge.setFont(font)
        self._paint(badge, VERDICT_COLOURS[v.verdict])
        top.addWidget(badge, 1)
        copy = QtWidgets.QPushButton(self.tr("Copy"))
        copy.setAutoDefault(False)
        copy.setToolTip(self.tr("Copy this verdict with its requirements and steps, as text"))
        copy.setAccessibleName(self.tr("Copy the verdict on %s") % v.name)
        copy.setObjectName("copy-verdict")
        copy.clicked.connect(lambda _=False, v=v: self._copy_verdict(v))
        top.addWidget(copy, 0, QtCore.Qt.AlignmentFlag.AlignTop)
        lay.addLayout(top)
        items = checklist(v)
        grid = QtWidgets.QGridLayout()
        grid.setColumnStretch(2, 1)
        for row, item in enumerate(items.items):
            grid.addWidget(self._state_icon(item.state), row, 0,
                           QtCore.Qt.AlignmentFlag.AlignTop)
            state = plain(_(STATE_WORDS[item.state]))
            state.setWordWrap(False)
            state.setObjectName(f"state-{item.state}")
            self._paint(state, STATE_COLOURS[item.state])
            grid.addWidget(state, row, 1, QtCore.Qt.AlignmentFlag.AlignTop)
            cell = QVBoxLayout()
            text = wrap(item.text)
            text.setAccessibleName(f"{_(STATE_WORDS[item.state])}: {item.text}")
            cell.addWidget(text)
            for s in item.steps:
                cell.addLayout(self._step_row(s))
            grid.addLayout(cell, row, 2)
        lay.addLayout(grid)
        for note in items.notes:
            lay.addWidget(wrap("• " + note))
        if v.unknowns:
            lay.addWidget(wrap(self.tr("Could not be known here: %s") % ", ".join(v.unknowns)))
        if items.after:
            lay.addWidget(plain(self.tr("Then:")))
            for s in items.after:
                lay.addLayout(self._step_row(s))
        if v.sources:
            lay.addWidget(plain(self.tr("Sources:")))
            sources = links((f"{s['source']} ({s['status']})", s.get("source_url", ""))
                            for s in v.sources)
            sources.setAccessibleName(self.tr("Sources for %s") % v.name)
            lay.addWidget(sources)
        return box

    def _paint(self, label: QtWidgets.QLabel, colour: str) -> None:
        """The reports' colour for a verdict or a state, made legible on this window."""
        pal = label.palette()
        roles = QtGui.QPalette.ColorRole
        pal.setColor(roles.WindowText, readable(QtGui.QColor(colour),
                                                self.palette().color(roles.Window)))
        label.setPalette(pal)

    @staticmethod
    def _copy_verdict(v) -> None:
        from kernel_advisor.report.text import verdict_text

        QtGui.QGuiApplication.clipboard().setText(verdict_text(v))

    def _state_icon(self, state: State) -> QtWidgets.QLabel:
        icon = self.style().standardIcon(getattr(QtWidgets.QStyle.StandardPixmap,
                                                 STATE_ICONS[state]))
        size = self.style().pixelMetric(QtWidgets.QStyle.PixelMetric.PM_SmallIconSize)
        label = QtWidgets.QLabel()
        label.setPixmap(icon.pixmap(size, size))
        label.setAccessibleName(_(STATE_WORDS[state]))
        return label

    def _step_row(self, step) -> QHBoxLayout:
        """A step: its sentence (and who does it), the command to copy, and a button that
        copies the command alone — never the sentence around it."""
        row = QHBoxLayout()
        who = who_label(step)
        command = extra_command(step)
        words = "→ " + step.text + (f" ({who})" if who else "")
        text = wrap(words + (f"\n$ {command}" if command else ""))
        if step.command == step.text:  # the step is the command itself
            text.setFont(QtGui.QFontDatabase.systemFont(QtGui.QFontDatabase.SystemFont.FixedFont))
        row.addWidget(text, 1)
        if step.command:
            copy = QtWidgets.QToolButton()
            copy.setIcon(QtGui.QIcon.fromTheme("edit-copy", self.style().standardIcon(
                QtWidgets.QStyle.StandardPixmap.SP_FileDialogDetailedView)))
            copy.setToolTip(self.tr("Copy the command"))
            copy.setAccessibleName(self.tr("Copy: %s") % step.command)
            copy.setObjectName("copy-command")
            copy.clicked.connect(lambda _=False, c=step.command:
                                 QtGui.QGuiApplication.clipboard().setText(c))
            row.addWidget(copy, 0, QtCore.Qt.AlignmentFlag.AlignTop)
        return row
