"""The wizard: Welcome → Scan → Your needs → Recommendation → Kernel stability → Report.

Pages are built in code; strings go through ``tr()``; colours come from the palette; the probe,
kernel.org and exports run through :func:`advisor.gui.tasks.run_in_background`, never on the GUI
thread. Enter on every page takes the defaults and walks to Finish.

Start-up time (``bench/RESULTS.md``): PySide6 builds a class's Python enums the first time the
class is looked up, and the ``Qt`` namespace alone takes ~20 ms, ``QStyle`` ~8 ms. So the classes
the welcome page needs are imported by name, and the expensive ones — ``Qt``, ``QStyle``,
``QTreeWidget``, ``QFont``, ``QMessageBox``, ``QFileDialog`` — are looked up through their
module (``QtCore.Qt``) where they are used, after the window is on screen. The welcome page uses
none of them, and the pages after it build their contents on first visit.
"""

from __future__ import annotations

import os
from enum import IntEnum

from PySide6 import QtCore, QtGui, QtWidgets
from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QButtonGroup, QCheckBox, QComboBox, QFormLayout, QGroupBox, QHBoxLayout, QLabel, QLineEdit,
    QPushButton, QRadioButton, QVBoxLayout, QWidget, QWizard, QWizardPage,
)

from advisor import APP_NAME
from advisor.gui.tasks import run_in_background


def _status_icon(style, status: str):
    pixmaps = QtWidgets.QStyle.StandardPixmap
    return style.standardIcon({
        "ok": pixmaps.SP_DialogApplyButton, "warn": pixmaps.SP_MessageBoxWarning,
        "fail": pixmaps.SP_MessageBoxCritical, "info": pixmaps.SP_MessageBoxInformation,
        "unknown": pixmaps.SP_MessageBoxQuestion}[status])


class PageId(IntEnum):
    WELCOME = 0
    SCAN = 1
    NEEDS = 2
    RECOMMENDATION = 3
    STABILITY = 4
    REPORT = 5


class Inputs:
    """What to analyse: this computer, a root or snapshot, or a what-if kernel."""

    __slots__ = ("root_dir", "snapshot", "kernel", "arch", "releases_url")

    def __init__(self, root_dir: str | None = None, snapshot: str | None = None,
                 kernel: str | None = None, arch: str | None = None,
                 releases_url: str | None = None) -> None:
        self.root_dir, self.snapshot, self.kernel, self.arch = root_dir, snapshot, kernel, arch
        self.releases_url = releases_url

    def __repr__(self) -> str:
        return "Inputs({})".format(", ".join(f"{k}={getattr(self, k)!r}" for k in self.__slots__
                                             if getattr(self, k) is not None))


def _button(text: str) -> QPushButton:
    b = QPushButton(text)
    b.setAutoDefault(False)  # Enter always means Next/Finish, never a page button
    b.setDefault(False)
    return b


def _plain(text: str = "") -> QLabel:
    """A word-wrapped label (the welcome page's: no ``Qt`` flags needed before first paint)."""
    label = QLabel(text)
    label.setWordWrap(True)
    return label


def _wrap(text: str = "") -> QLabel:
    """A word-wrapped label whose text can be selected and copied."""
    label = _plain(text)
    flags = QtCore.Qt.TextInteractionFlag
    label.setTextInteractionFlags(flags.TextSelectableByMouse | flags.TextSelectableByKeyboard)
    label.setFocusPolicy(QtCore.Qt.FocusPolicy.NoFocus)
    return label


def _scroll(inner: QWidget) -> QtWidgets.QScrollArea:
    area = QtWidgets.QScrollArea()
    area.setWidgetResizable(True)
    area.setFrameShape(QtWidgets.QFrame.Shape.NoFrame)
    area.setWidget(inner)
    return area


class _LazyPage(QWizardPage):
    """A page that builds its contents the first time it is shown (:meth:`build`), then
    fills them in each time it is shown (:meth:`refresh`)."""

    def __init__(self, wizard: "AdvisorWizard"):
        super().__init__()
        self.w = wizard
        self.built = False

    def ensure_built(self) -> None:
        if not self.built:
            self.built = True
            self.build()

    def build(self) -> None:
        raise NotImplementedError

    def refresh(self) -> None:
        """Fill the page in for the current analysis (after :meth:`build`); none by default."""

    def initializePage(self) -> None:  # noqa: N802
        self.ensure_built()
        self.refresh()


class WelcomePage(QWizardPage):
    def __init__(self, inputs: Inputs):
        super().__init__()
        self.setTitle(self.tr("Which hypervisor fits this machine?"))
        self.setSubTitle(self.tr("KVM, Xen or lguest — and is this kernel a stable base?"))
        lay = QVBoxLayout(self)
        lay.addWidget(_plain(self.tr(
            "Kernel Advisor reads the running kernel's release, the CPU's virtualization "
            "support (VT-x, AMD-V), /dev/kvm, kernel modules and configuration, and whether this "
            "machine is itself a virtual machine or container. It asks for no password and "
            "changes nothing.\n\nNothing leaves this computer, except an optional check of "
            "kernel.org's list of current releases, which you start yourself.")))
        box = QGroupBox(self.tr("What should be analysed?"))
        form = QVBoxLayout(box)
        self.this = QRadioButton(self.tr("&This computer"))
        self.snap = QRadioButton(self.tr("A &snapshot from another machine…"))
        self.what_if = QRadioButton(self.tr("&What if I ran kernel…"))
        self.group = QButtonGroup(self)
        for b in (self.this, self.snap, self.what_if):
            self.group.addButton(b)
        self.snap_path = QLineEdit(inputs.snapshot or "")
        self.snap_path.setPlaceholderText(self.tr("snapshot .tar.gz (kernel-advisor snapshot -o …)"))
        self.snap_path.setAccessibleName(self.tr("Snapshot file"))
        browse = _button(self.tr("&Browse…"))
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.snap_path)
        row.addWidget(browse)
        self.kernel = QLineEdit(inputs.kernel or "")
        self.kernel.setPlaceholderText("2.6.23, 6.8.0-45-generic, 2.6.18-8.el5xen …")
        self.kernel.setAccessibleName(self.tr("Kernel release"))
        self.arch = QComboBox()
        self.arch.addItems(["", "x86_64", "i686", "aarch64", "armv7l", "s390x", "ppc64le",
                            "riscv64", "loongarch64"])
        self.arch.setAccessibleName(self.tr("Architecture"))
        if inputs.arch:
            self.arch.setCurrentText(inputs.arch)
        kernel_label = QLabel(self.tr("&Kernel:"))
        kernel_label.setBuddy(self.kernel)
        arch_label = QLabel(self.tr("&Architecture:"))
        arch_label.setBuddy(self.arch)
        krow = QHBoxLayout()
        krow.addWidget(kernel_label)
        krow.addWidget(self.kernel, 1)
        krow.addWidget(arch_label)
        krow.addWidget(self.arch)
        form.addWidget(self.this)
        form.addWidget(self.snap)
        form.addLayout(row)
        form.addWidget(self.what_if)
        form.addLayout(krow)
        lay.addWidget(box)
        self.error = _plain()
        self.error.setAccessibleName(self.tr("Input problem"))
        lay.addWidget(self.error)
        lay.addStretch(1)
        if inputs.snapshot:
            self.snap.setChecked(True)
        elif inputs.kernel or inputs.arch:
            self.what_if.setChecked(True)
        else:
            self.this.setChecked(True)
        self.root_dir = inputs.root_dir

    def _browse(self) -> None:
        path, _ = QtWidgets.QFileDialog.getOpenFileName(self, self.tr("Open a snapshot"), "",
                                              self.tr("Snapshots (*.tar.gz *.tgz *.tar)"))
        if path:
            self.snap_path.setText(path)
            self.snap.setChecked(True)

    def inputs(self) -> Inputs:
        if self.snap.isChecked():
            return Inputs(snapshot=self.snap_path.text().strip() or None)
        if self.what_if.isChecked():
            return Inputs(root_dir=self.root_dir, kernel=self.kernel.text().strip() or None,
                          arch=self.arch.currentText() or None)
        return Inputs(root_dir=self.root_dir)

    def validatePage(self) -> bool:  # noqa: N802
        from advisor import kernel

        i = self.inputs()
        problem = None
        if self.snap.isChecked() and not (i.snapshot and os.path.isfile(i.snapshot)):
            problem = self.tr("Choose a snapshot file that exists.")
        if self.what_if.isChecked() and i.kernel and not kernel.parse(i.kernel).understood:
            problem = self.tr("'%s' is not a kernel release (e.g. 6.8.0-45-generic).") % i.kernel
        self.error.setText(problem or "")
        return problem is None


class ScanPage(_LazyPage):
    """Runs the probe in a worker; each check appears as it completes."""

    finished = Signal()

    def __init__(self, wizard: "AdvisorWizard"):
        super().__init__(wizard)
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
        self.status = _wrap()
        lay.addWidget(self.status)

    def refresh(self) -> None:
        self.tree.clear()
        self.done = False
        self.status.setText(self.tr("Scanning…"))
        self.completeChanged.emit()
        inputs = self.w.welcome.inputs()
        inputs.releases_url = self.w.inputs.releases_url
        self.w.inputs = inputs
        answers = self.w.needs.answers()  # read widgets here, on the GUI thread
        self.task = run_in_background(lambda progress: self.w.scan(inputs, answers, progress),
                                      self._done, self._failed, self._add_facts)

    def _add_facts(self, facts) -> None:
        style = self.style()
        from advisor.facts import STATUS_WORDS

        for f in facts:
            item = QtWidgets.QTreeWidgetItem([STATUS_WORDS[f.status], f.label, f.summary])
            item.setIcon(0, _status_icon(style, f.status))
            item.setToolTip(2, f.summary)
            item.setData(0, QtCore.Qt.ItemDataRole.AccessibleTextRole,
                         f"{STATUS_WORDS[f.status]}: {f.label}")
            detail = QtWidgets.QTreeWidgetItem(["", self.tr("Evidence"),
                                      self.tr("Source: %s") % (f.source or "—")
                                      + ("\n" + f.raw if f.raw else "")
                                      + (("\n" + self.tr("Unknown because: %s") % f.reason)
                                         if f.reason else "")])
            item.addChild(detail)
            self.tree.addTopLevelItem(item)
        self.tree.resizeColumnToContents(0)
        self.tree.setColumnWidth(1, 250)

    def _done(self, analysis) -> None:
        self.w.set_analysis(analysis)
        n = len(analysis.host.facts)
        top = analysis.top
        self.status.setText(self.tr("%d checks done. Next: a few questions about your needs.") % n
                            + ("" if top else " " + self.tr("No framework fits as things stand.")))
        self.done = True
        self.completeChanged.emit()
        self.finished.emit()

    def _failed(self, exc, tb) -> None:
        self.status.setText(self.tr("Could not analyse: %s — go Back and choose other input.")
                            % exc)
        self.w.last_error = tb

    def isComplete(self) -> bool:  # noqa: N802
        return self.done


class NeedsPage(_LazyPage):
    def __init__(self, wizard: "AdvisorWizard"):
        super().__init__(wizard)
        self.setTitle(self.tr("Your needs"))
        self.setSubTitle(self.tr("The defaults suit most people; change what does not fit."))

    def build(self) -> None:
        from advisor.rules import Answers

        d = Answers()
        lay = QVBoxLayout(self)
        guests = QGroupBox(self.tr("Which systems will run as guests?"))
        g = QVBoxLayout(guests)
        self.linux = QRadioButton(self.tr("&Linux only"))
        self.any = QRadioButton(self.tr("Any system, &Windows or BSD too"))
        self.linux.setChecked(d.guests == "linux")
        self.any.setChecked(d.guests == "any")
        g.addWidget(self.linux)
        g.addWidget(self.any)
        lay.addWidget(guests)
        form = QFormLayout()
        self.purpose = QComboBox()
        for key, text in (("learning", self.tr("Learning and experimenting")),
                          ("desktop", self.tr("Desktop virtual machines")),
                          ("servers", self.tr("Servers")),
                          ("kernel-dev", self.tr("Kernel development"))):
            self.purpose.addItem(text, key)
        self.purpose.setCurrentIndex(self.purpose.findData(d.purpose))
        label = QLabel(self.tr("&Purpose:"))
        label.setBuddy(self.purpose)
        form.addRow(label, self.purpose)
        lay.addLayout(form)
        pref = QGroupBox(self.tr("What matters more?"))
        p = QVBoxLayout(pref)
        self.stability = QRadioButton(self.tr("A &stable base"))
        self.features = QRadioButton(self.tr("The &newest features"))
        self.stability.setChecked(d.prefer == "stability")
        self.features.setChecked(d.prefer == "features")
        p.addWidget(self.stability)
        p.addWidget(self.features)
        lay.addWidget(pref)
        lay.addStretch(1)

    def answers(self):
        from advisor.rules import Answers

        self.ensure_built()  # the scan asks before this page was ever shown: the defaults
        return Answers("any" if self.any.isChecked() else "linux",
                       "features" if self.features.isChecked() else "stability",
                       self.purpose.currentData())

    def validatePage(self) -> bool:  # noqa: N802
        if self.w.analysis is not None:
            self.w.set_analysis(self.w.analysis.with_answers(self.answers()))
        return True


class RecommendationPage(_LazyPage):
    def __init__(self, wizard: "AdvisorWizard"):
        super().__init__(wizard)
        self.setTitle(self.tr("Recommendation"))
        self.setSubTitle(self.tr("The three frameworks, best first, with the evidence behind "
                                 "each verdict and what to do next."))

    def build(self) -> None:
        from advisor.gui.timeline_widget import TimelineWidget

        outer = QVBoxLayout(self)
        self.timeline = TimelineWidget()
        outer.addWidget(self.timeline)
        self.body = QWidget()
        self.body_layout = QVBoxLayout(self.body)
        outer.addWidget(_scroll(self.body), 1)

    def refresh(self) -> None:
        a = self.w.analysis
        self.timeline.set_release(a.host.value("kernel.release"))
        while self.body_layout.count():
            item = self.body_layout.takeAt(0)
            if item.widget():
                item.widget().deleteLater()
        from advisor.report import VERDICT_WORDS

        for rank, v in enumerate(a.verdicts, 1):
            box = QGroupBox(f"{rank}. {v.name}")
            box.setAccessibleName(f"{v.name}: {VERDICT_WORDS[v.verdict]}")
            lay = QVBoxLayout(box)
            badge = QLabel(VERDICT_WORDS[v.verdict])
            font = QtGui.QFont(badge.font())
            font.setBold(True)
            font.setPointSizeF(font.pointSizeF() * 1.15)
            badge.setFont(font)
            pal = badge.palette()
            roles = QtGui.QPalette.ColorRole
            role = {"recommended": roles.Highlight, "possible": roles.WindowText,
                    "unavailable": roles.PlaceholderText}[v.verdict]
            pal.setColor(roles.WindowText, self.palette().color(role))
            badge.setPalette(pal)
            lay.addWidget(badge)
            for reason in v.reasons:
                lay.addWidget(_wrap("• " + reason))
            if v.unknowns:
                lay.addWidget(_wrap(self.tr("Could not be known here: %s") % ", ".join(v.unknowns)))
            if v.next_steps:
                lay.addWidget(QLabel(self.tr("Next steps:")))
                for step in v.next_steps:
                    row = QHBoxLayout()
                    text = _wrap(step)
                    row.addWidget(text, 1)
                    copy = QtWidgets.QToolButton()
                    copy.setIcon(self.style().standardIcon(
                        QtWidgets.QStyle.StandardPixmap.SP_FileDialogDetailedView))
                    copy.setToolTip(self.tr("Copy this step"))
                    copy.setAccessibleName(self.tr("Copy: %s") % step)
                    copy.clicked.connect(lambda _=False, s=step: QtGui.QGuiApplication
                                         .clipboard().setText(s))
                    row.addWidget(copy)
                    lay.addLayout(row)
            self.body_layout.addWidget(box)
        for note in a.notes:
            self.body_layout.addWidget(_wrap(note))
        self.body_layout.addStretch(1)


class StabilityPage(_LazyPage):
    def __init__(self, wizard: "AdvisorWizard"):
        super().__init__(wizard)
        self.setTitle(self.tr("Kernel stability"))
        self.setSubTitle(self.tr("Odd and even numbers, release channels, and how old our "
                                 "data is."))
        self.task = None

    def build(self) -> None:
        lay = QVBoxLayout(self)
        self.headline = _wrap()
        font = QtGui.QFont(self.headline.font())
        font.setBold(True)
        self.headline.setFont(font)
        lay.addWidget(self.headline)
        self.notes = _wrap()
        align = QtCore.Qt.AlignmentFlag
        self.notes.setAlignment(align.AlignLeft | align.AlignTop)
        lay.addWidget(_scroll(self.notes), 1)
        row = QHBoxLayout()
        self.check = _button(self.tr("Check &kernel.org now"))
        self.check.clicked.connect(self.check_now)
        self.cancel = _button(self.tr("&Cancel check"))
        self.cancel.setEnabled(False)
        self.cancel.clicked.connect(self.cancel_check)
        row.addWidget(self.check)
        row.addWidget(self.cancel)
        row.addStretch(1)
        lay.addLayout(row)
        self.source = _wrap()
        lay.addWidget(self.source)

    def refresh(self) -> None:
        from advisor.report import CHANNEL_WORDS

        a = self.w.analysis
        st = a.stability
        release = a.host.value("kernel.release") or self.tr("unknown")
        self.headline.setText(self.tr("Kernel %s: %s") % (release, CHANNEL_WORDS[st.channel])
                              + (self.tr(" — vendor kernel (%s)") % st.vendor if st.vendor else ""))
        self.notes.setText("\n\n".join("• " + n for n in st.notes))
        from advisor.stability import day_number, today_iso

        age = ""
        try:
            days = day_number(today_iso()) - day_number(st.data_as_of)
            age = self.tr(" (%d days old)") % days
        except ValueError:
            pass
        words = {"online": self.tr("fetched from kernel.org just now"),
                 "cache": self.tr("kernel.org's, cached on this computer"),
                 "bundled": self.tr("bundled with the app")}
        self.source.setText(self.tr("Release data: %s, as of %s%s.")
                            % (words.get(st.source, st.source), st.data_as_of, age))

    def check_now(self) -> None:
        from advisor import releases

        url = self.w.inputs.releases_url or releases.DEFAULT_URL
        self.check.setEnabled(False)
        self.cancel.setEnabled(True)
        self.source.setText(self.tr("Asking kernel.org… (gives up after a few seconds)"))
        self.task = run_in_background(lambda: releases.load(url=url), self._fetched,
                                      self._fetch_failed)

    def _idle(self) -> None:
        """No check running: the check button is back, the cancel button gone grey."""
        self.task = None
        self.check.setEnabled(True)
        self.cancel.setEnabled(False)

    def cancel_check(self) -> None:
        if self.task is not None:
            self.task.cancel()
        self._idle()
        self.refresh()
        self.source.setText(self.source.text() + " " + self.tr("Check cancelled."))

    def _fetched(self, data) -> None:
        self._idle()
        self.w.set_analysis(self.w.analysis.with_releases(data))
        self.refresh()

    def _fetch_failed(self, exc, tb) -> None:
        self._idle()
        self.source.setText(self.tr("kernel.org check failed: %s") % exc)


class ReportPage(_LazyPage):
    exported = Signal(str)

    def __init__(self, wizard: "AdvisorWizard"):
        super().__init__(wizard)
        self.setTitle(self.tr("Report"))
        self.setSubTitle(self.tr("Keep the answer: export a report, or copy a summary."))
        self.setFinalPage(True)

    def build(self) -> None:
        lay = QVBoxLayout(self)
        form = QFormLayout()
        self.format = QComboBox()
        for key, text in (("html", "HTML"), ("pdf", "PDF"), ("md", "Markdown"), ("json", "JSON")):
            self.format.addItem(text, key)
        label = QLabel(self.tr("&Format:"))
        label.setBuddy(self.format)
        form.addRow(label, self.format)
        self.hostname = QCheckBox(self.tr("Include this computer's &host name"))
        form.addRow("", self.hostname)
        lay.addLayout(form)
        row = QHBoxLayout()
        self.export = _button(self.tr("&Export…"))
        self.export.clicked.connect(self.choose_and_export)
        self.copy = _button(self.tr("Copy &summary"))
        self.copy.clicked.connect(self.copy_summary)
        row.addWidget(self.export)
        row.addWidget(self.copy)
        row.addStretch(1)
        lay.addLayout(row)
        self.status = _wrap()
        lay.addWidget(self.status)
        lay.addStretch(1)

    def copy_summary(self) -> None:
        from advisor.report import summary_lines

        QtGui.QGuiApplication.clipboard().setText("\n".join(summary_lines(self.w.analysis)))
        self.status.setText(self.tr("Summary copied to the clipboard."))

    def choose_and_export(self) -> None:
        fmt = self.format.currentData()
        suffix = {"md": "md"}.get(fmt, fmt)
        dialogs = QtWidgets.QFileDialog
        path, _ = dialogs.getSaveFileName(
            self, self.tr("Export report"),
            os.path.join(os.path.expanduser("~"), f"kernel-advisor-report.{suffix}"),
            options=dialogs.Option.DontConfirmOverwrite)
        if path:
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
        a = self.w.analysis
        a.hostname = os.uname().nodename if self.hostname.isChecked() else None
        self.export.setEnabled(False)
        self.status.setText(self.tr("Writing %s…") % path)

        def work() -> str:
            from advisor.atomic import write_atomic
            from advisor.report import render

            write_atomic(path, render(a, fmt))
            return path

        run_in_background(work, self._exported, self._export_failed)
        return True

    def _exported(self, path: str) -> None:
        self.export.setEnabled(True)
        self.status.setText(self.tr("Wrote %s.") % path)
        self.exported.emit(path)

    def _export_failed(self, exc, tb) -> None:
        self.export.setEnabled(True)
        self.status.setText(self.tr("Nothing was written."))
        boxes = QtWidgets.QMessageBox
        box = boxes(boxes.Icon.Critical, self.tr("Export failed"),
                    self.tr("The report could not be written: %s\nAny existing file was "
                            "left untouched.") % (getattr(exc, "strerror", None) or exc),
                    boxes.StandardButton.Ok, self)
        box.setDetailedText(tb)
        box.open()
        self.w.last_error = tb
        self.exported.emit("")


class AdvisorWizard(QWizard):
    analysis_ready = Signal(object)

    def __init__(self, inputs: Inputs | None = None):
        super().__init__()
        self.inputs = inputs or Inputs()
        self.analysis = None
        self.last_error: str | None = None
        self.setWindowTitle(APP_NAME)
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        self.setOption(QWizard.WizardOption.HaveFinishButtonOnEarlyPages, False)
        self.welcome = WelcomePage(self.inputs)
        self.scan_page = ScanPage(self)
        self.needs = NeedsPage(self)
        self.recommendation = RecommendationPage(self)
        self.stability = StabilityPage(self)
        self.report = ReportPage(self)
        for pid, page in ((PageId.WELCOME, self.welcome), (PageId.SCAN, self.scan_page),
                          (PageId.NEEDS, self.needs), (PageId.RECOMMENDATION, self.recommendation),
                          (PageId.STABILITY, self.stability), (PageId.REPORT, self.report)):
            self.setPage(pid, page)
        self.resize(860, 680)

    def scan(self, inputs: Inputs, answers, progress):
        """Worker thread: probe step by step (each step's facts go to ``progress``)."""
        from advisor.analysis import analyse
        from advisor.hostfs import open_root
        from advisor.probe import Probe

        root = open_root(inputs.root_dir, inputs.snapshot)
        probe = Probe(root, inputs.kernel, inputs.arch)
        probe.on_step = progress
        host = probe.run()
        from advisor import releases

        data = releases.load(offline=True)
        return analyse(root, answers=answers, releases=data, host=host)

    def set_analysis(self, analysis) -> None:
        self.analysis = analysis
        self.analysis_ready.emit(analysis)
