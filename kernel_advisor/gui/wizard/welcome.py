"""Page 1: what to analyse — this computer, a snapshot, or "what if I ran kernel …" — or take a
snapshot of this computer to analyse elsewhere.

The choice is always explicit: typing a kernel release selects "What if…", typing a path
selects the snapshot, and what is typed is checked as it is typed. Next stays disabled, with
the reason shown in plain words, until the input can be analysed exactly as typed."""

from __future__ import annotations

import os
from dataclasses import replace
from typing import Callable, Optional

from PySide6 import QtCore, QtWidgets
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from kernel_advisor import kernel
from kernel_advisor.gui.tasks import Task, run_in_background
from kernel_advisor.gui.wizard.state import Inputs, PageId, WizardState
from kernel_advisor.gui.wizard.widgets import Page, breakable, button, dialog_options, plain

#: the what-if architectures; "" keeps the analysed machine's own
ARCHES = ("", "x86_64", "i686", "aarch64", "armv7l", "s390x", "ppc64le", "riscv64", "loongarch64")


def _indented(*widgets: QWidget, grow: QWidget) -> QHBoxLayout:
    """A row under a choice, indented like its text; ``grow`` takes the width left."""
    row = QHBoxLayout()
    row.addSpacing(24)
    for widget in widgets:
        row.addWidget(widget, 1 if widget is grow else 0)
    return row


class SnapshotReader(QtCore.QObject):
    """Reads each snapshot path it is given once, in the background, with what the analysis
    would say of it (:func:`kernel_advisor.analysis.check_snapshot`); ``changed`` when a verdict
    arrives. Typing waits 250 ms for a pause (:meth:`later`)."""

    changed = QtCore.Signal()

    def __init__(self, parent: QtCore.QObject, kernel: Callable[[], Optional[str]]) -> None:
        super().__init__(parent)
        self.kernel = kernel  # the what-if kernel the command line gave, if any
        self.verdicts: dict = {}  # path → None (usable) or the plain reason it is not
        self.reading: Optional[str] = None
        self.task: Optional[Task] = None
        self.timer = QtCore.QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(250)
        self.typed = ""
        self.timer.timeout.connect(lambda: self.now(self.typed))

    def known(self, path: str) -> bool:
        return path in self.verdicts

    def reason(self, path: str) -> Optional[str]:
        return self.verdicts.get(path)

    def later(self, path: str) -> None:
        self.typed = path
        self.timer.start()

    def now(self, path: Optional[str]) -> None:

        if not path or path in self.verdicts or path == self.reading \
                or not os.path.isfile(path):
            return
        self.reading, kernel_release = path, self.kernel()

        def work():
            from kernel_advisor.analysis import check_snapshot
            from kernel_advisor.hostfs import InputError

            try:
                check_snapshot(path, kernel_release)
            except InputError as exc:
                return exc.plain
            return None

        def done(reason) -> None:
            self.verdicts[path] = reason
            if self.reading == path:
                self.reading = None
            self.changed.emit()

        self.task = run_in_background(work, done)

    def stop(self) -> None:
        task, self.task = self.task, None
        if task is not None:
            task.cancel()


class WelcomePage(Page):
    def __init__(self, state: WizardState):
        super().__init__(state, self.tr("Choose what to analyse."))
        inputs = state.inputs
        self.setTitle(self.tr("Which hypervisor fits this machine?"))
        lay = QVBoxLayout(self.content)
        lay.addWidget(plain(self.tr(
            "Kernel Advisor reads the running kernel's release, the CPU's virtualization "
            "support (VT-x, AMD-V), /dev/kvm, kernel modules and configuration, and whether this "
            "machine is itself a virtual machine or container. It asks for no password and "
            "changes nothing.\n\nNothing leaves this computer, except an optional check of "
            "kernel.org's list of current releases, which you start yourself.")))
        box = QGroupBox(self.tr("What should be analysed?"))
        form = QVBoxLayout(box)
        self.this = QRadioButton(self.tr("&This computer"))
        self.snap = QRadioButton(self.tr("A &snapshot from another machine"))
        self.what_if = QRadioButton(self.tr("&What if this computer ran another kernel"))
        self.take = QRadioButton(self.tr("Save a snapshot of this &computer, to analyse "
                                         "elsewhere"))
        self.fleet = QRadioButton(self.tr("A folder of snapshots (a f&leet)"))
        self.group = QButtonGroup(self)
        for b in (self.this, self.snap, self.what_if, self.take, self.fleet):
            self.group.addButton(b)
            b.setAccessibleName(b.text().replace("&", ""))
        self.snap_path = QLineEdit(inputs.snapshot or "")
        self.snap_path.setPlaceholderText(self.tr("a .tar.gz made by 'kernel-advisor snapshot', "
                                                  "or the folder it was unpacked into"))
        self.snap_path.setAccessibleName(self.tr("Snapshot file or unpacked folder"))
        self.browse = button(self.tr("Br&owse…"))
        self.browse.setAccessibleName(self.tr("Browse for a snapshot file"))
        self.browse.clicked.connect(self._browse)
        self.browse_root = button(self.tr("Fol&der…"))
        self.browse_root.setAccessibleName(self.tr("Choose an unpacked snapshot or a mounted "
                                                   "root folder"))
        self.browse_root.clicked.connect(self._browse_root)
        row = _indented(self.snap_path, self.browse, self.browse_root, grow=self.snap_path)
        self.kernel = QLineEdit(inputs.kernel or "")
        self.kernel.setPlaceholderText("2.6.23, 6.8.0-45-generic, 2.6.18-8.el5xen …")
        self.kernel.setAccessibleName(self.tr("Kernel release"))
        self.arch = QComboBox()
        self.arch.addItem(self.tr("this computer's"), "")
        for arch in ARCHES[1:]:
            self.arch.addItem(arch, arch)
        self.arch.setAccessibleName(self.tr("Architecture"))
        if inputs.arch:
            self.arch.setCurrentIndex(max(self.arch.findData(inputs.arch), 0))
        self.fleet_dir = QLineEdit(inputs.fleet_dir or "")
        self.fleet_dir.setPlaceholderText(self.tr("a folder of .tar.gz snapshots (the "
                                                  "playbook's snapshots/)"))
        self.fleet_dir.setAccessibleName(self.tr("Folder of snapshots"))
        self.browse_dir = button(self.tr("Choose &folder…"))
        self.browse_dir.setAccessibleName(self.tr("Choose the folder of snapshots"))
        self.browse_dir.clicked.connect(self._browse_dir)
        frow = _indented(self.fleet_dir, self.browse_dir, grow=self.fleet_dir)
        kernel_label = QLabel(self.tr("&Kernel release:"))
        kernel_label.setBuddy(self.kernel)
        arch_label = QLabel(self.tr("&Architecture:"))
        arch_label.setBuddy(self.arch)
        krow = _indented(kernel_label, self.kernel, arch_label, self.arch, grow=self.kernel)
        form.addWidget(self.this)
        form.addWidget(self.snap)
        form.addLayout(row)
        form.addWidget(self.what_if)
        form.addLayout(krow)
        form.addWidget(self.take)
        form.addWidget(self.fleet)
        form.addLayout(frow)
        lay.addWidget(box)
        self.error = plain()
        self.error.setAccessibleName(self.tr("Input problem"))
        lay.addWidget(self.error)
        lay.addStretch(1)
        (self.fleet if inputs.fleet_dir else self.snap if inputs.snapshot else
         self.what_if if inputs.kernel or inputs.arch else self.this).setChecked(True)
        # typing selects what is typed for; every change is checked at once
        self.snap_path.textEdited.connect(lambda _: self.snap.setChecked(True))
        self.fleet_dir.textEdited.connect(lambda _: self.fleet.setChecked(True))
        self.kernel.textEdited.connect(lambda _: self.what_if.setChecked(True))
        self.arch.activated.connect(lambda _: self.what_if.setChecked(True))
        for signal in (self.snap_path.textChanged, self.kernel.textChanged,
                       self.fleet_dir.textChanged,
                       self.arch.currentIndexChanged, self.group.buttonToggled):
            signal.connect(self._check)
        # a snapshot is read as soon as it is named, off the GUI thread (a hostile one takes
        # up to its 10 s deadline): its verdict decides whether Next goes on
        self.reader = SnapshotReader(self, lambda: self.state.inputs.kernel)
        self.reader.changed.connect(self._read_done)
        self.snap_path.textChanged.connect(lambda text: self.reader.later(text.strip()))
        self.advance_when_ready = False  # go on once the named input is known to be usable
        self._check()
        if inputs.snapshot:
            self.reader.now(inputs.snapshot)

    def _browse(self) -> None:
        path, _ = QtWidgets.QFileDialog.getOpenFileName(
            self, self.tr("Open a snapshot"), "", self.tr("Snapshots (*.tar.gz *.tgz *.tar)"),
            options=dialog_options())
        self._picked(path, self.snap_path, self.snap)

    def _browse_root(self) -> None:
        self._picked(pick_folder(self, self.tr("Choose an unpacked snapshot or a machine's "
                                               "root folder")), self.snap_path, self.snap)

    def _browse_dir(self) -> None:
        self._picked(pick_folder(self, self.tr("Choose a folder of snapshots")),
                     self.fleet_dir, self.fleet)

    @staticmethod
    def _picked(path: str, field: QLineEdit, choice: QRadioButton) -> None:
        if path:
            field.setText(path)
            choice.setChecked(True)

    def chosen(self) -> Inputs:
        """The input the widgets describe now (the root, distribution, answers and release
        data options come from the command line and stay)."""
        base = replace(self.state.inputs, snapshot=None, kernel=None, arch=None,
                       take_snapshot=False, fleet_dir=None)
        if self.snap.isChecked():  # a what-if the command line gave applies to it too
            given, typed = self.state.inputs, self.snap_path.text().strip() or None
            if typed and os.path.isdir(typed):  # an unpacked snapshot, a mounted root: --root
                return replace(base, root_dir=typed, kernel=given.kernel, arch=given.arch)
            return replace(base, root_dir=None, snapshot=typed, kernel=given.kernel,
                           arch=given.arch)
        if self.what_if.isChecked():
            return replace(base, kernel=self.kernel.text().strip() or None,
                           arch=self.arch.currentData() or None)
        if self.take.isChecked():
            return replace(base, root_dir=None, take_snapshot=True)
        if self.fleet.isChecked():
            return replace(base, root_dir=None, fleet_dir=self.fleet_dir.text().strip() or None)
        return base

    def problem(self) -> str | None:
        """Why the chosen input cannot be analysed as typed, in plain words; None if it can."""
        chosen = self.chosen()
        if self.snap.isChecked():
            return snapshot_problem(chosen, self.reader.reason)
        if self.fleet.isChecked():
            return fleet_problem(chosen.fleet_dir)
        if self.what_if.isChecked():
            return what_if_problem(self.kernel.text().strip(), chosen.arch)
        return None

    def _read_done(self) -> None:
        self._check()
        wizard = self.wizard()
        if self.advance_when_ready and self.isComplete() and not self.pending() \
                and wizard is not None and wizard.currentPage() is self:
            self.advance_when_ready = False
            wizard.next()

    def stop(self) -> None:
        """The window closes: a read still running reports to nobody."""
        self.reader.stop()

    def pending(self) -> bool:
        """Whether the chosen snapshot is still being read (Next then waits for it)."""
        chosen = self.chosen()
        return bool(self.snap.isChecked() and chosen.snapshot
                    and os.path.isfile(chosen.snapshot) and not self.reader.known(chosen.snapshot))

    def notice(self) -> str:
        """What is worth saying about an input that can be analysed: a what-if release far
        beyond the data (``99.99.99``), which may be a typo."""
        if self.what_if.isChecked() and kernel.is_release(self.kernel.text().strip()):
            from kernel_advisor.stability import far_ahead

            return far_ahead(self.kernel.text().strip()) or ""
        return ""

    def _check(self, *_) -> None:
        self.error.setText(breakable(self.problem()
                                     or (self.tr("Reading the snapshot…") if self.pending()
                                         else "")
                                     or self.notice()))
        self.completeChanged.emit()
        self.show_where()  # the number of steps follows the choice

    def isComplete(self) -> bool:
        return self.problem() is None

    def nextId(self) -> int:
        if self.take.isChecked():
            return int(PageId.TAKE_SNAPSHOT)
        return int(PageId.FLEET if self.fleet.isChecked() else PageId.SCAN)

    def initializePage(self) -> None:
        self.show_where()

    def validatePage(self) -> bool:
        if self.problem() is not None:
            return False
        if self.pending():  # Next pressed while the snapshot is read: go on when it is
            self.advance_when_ready = True
            self.reader.now(self.chosen().snapshot)
            return False
        self.state.inputs = self.chosen()
        return True


def snapshot_problem(chosen: Inputs, reason: Callable[[str], Optional[str]]) -> Optional[str]:
    """What is wrong with the snapshot (or unpacked root) chosen, as the page says it."""
    if chosen.root_dir:
        if not any(os.path.isdir(os.path.join(chosen.root_dir, top))
                   for top in ("proc", "etc", "sys")):
            return QtCore.QCoreApplication.translate(
                "WelcomePage", "%s is a folder, but not a machine's root or an unpacked "
                "snapshot (it has no proc, etc or sys folder): choose the folder that has "
                "them, or a snapshot file.") % chosen.root_dir
        return None
    if not chosen.snapshot:
        return QtCore.QCoreApplication.translate(
            "WelcomePage", "Type or browse for the snapshot file to analyse.")
    if not os.path.isfile(chosen.snapshot):
        return QtCore.QCoreApplication.translate("WelcomePage", "There is no file %s.") \
            % chosen.snapshot
    return reason(chosen.snapshot)


def fleet_problem(folder: Optional[str]) -> Optional[str]:
    if not folder:
        return QtCore.QCoreApplication.translate(
            "WelcomePage", "Type or choose the folder that holds the snapshots.")
    if not os.path.isdir(folder):
        return QtCore.QCoreApplication.translate("WelcomePage", "There is no folder %s.") \
            % folder
    return None


def what_if_problem(typed: str, arch: Optional[str]) -> Optional[str]:
    if not typed and not arch:
        return QtCore.QCoreApplication.translate(
            "WelcomePage", "Type the kernel release to ask about, such as 2.6.23 or "
            "6.8.0-45-generic, or pick an architecture.")
    if typed and not kernel.is_release(typed):
        meant = kernel.suggestion(typed)
        if meant:
            return QtCore.QCoreApplication.translate(
                "WelcomePage", "“%s” is not a kernel release: did you mean %s?") % (typed, meant)
        return QtCore.QCoreApplication.translate(
            "WelcomePage", "“%s” is not a kernel release: it should look like 2.6.23 or "
            "6.8.0-45-generic.") % typed
    return None


def pick_folder(parent: QWidget, title: str) -> str:
    dialogs = QtWidgets.QFileDialog
    return dialogs.getExistingDirectory(parent, title, "",
                                        dialogs.Option.ShowDirsOnly | dialog_options())
