"""The wizard: Welcome → Scan → Your needs → Recommendation → Kernel stability → Report, or
Welcome → Save a snapshot, or Welcome → Fleet (a folder of snapshots).

One module per page; the pages share one :class:`~kernel_advisor.gui.wizard.state.WizardState` and
never reach into each other's widgets. Pages are built in code, strings go through ``tr()``,
colours come from the palette, and the probe, kernel.org and exports run through
:func:`kernel_advisor.gui.tasks.run_in_background`, never on the GUI thread. Enter on every page
takes
the defaults and walks to Finish. Pages after the first build their contents on first visit;
every page's contents scroll inside it, and the window is sized from the screen it is on.
"""

from __future__ import annotations

from typing import Optional

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton, QWizard

from kernel_advisor import APP_NAME
from kernel_advisor.gui.wizard.fleet import FleetPage
from kernel_advisor.gui.wizard.needs import NeedsPage
from kernel_advisor.gui.wizard.recommendation import RecommendationPage
from kernel_advisor.gui.wizard.report import ReportPage
from kernel_advisor.gui.wizard.scan import ScanPage
from kernel_advisor.gui.wizard.stability import StabilityPage
from kernel_advisor.gui.wizard.state import (
    ANALYSIS_PATH,
    FLEET_PATH,
    SNAPSHOT_PATH,
    Inputs,
    PageId,
    WizardState,
    subject,
)
from kernel_advisor.gui.wizard.take_snapshot import TakeSnapshotPage
from kernel_advisor.gui.wizard.welcome import WelcomePage

__all__ = ["AdvisorWizard", "Inputs", "PageId"]

PREFERRED_SIZE = (860, 680)  #: at 100 %; never more than the screen's available area
MINIMUM_SIZE = (520, 400)


class AdvisorWizard(QWizard):
    def __init__(self, inputs: Optional[Inputs] = None):
        super().__init__()
        self.state = WizardState(inputs or Inputs())
        self.setWindowTitle(APP_NAME)
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setTitleFormat(Qt.TextFormat.PlainText)  # subtitles name snapshots: never markup
        self.setSubTitleFormat(Qt.TextFormat.PlainText)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        self.setOption(QWizard.WizardOption.HaveFinishButtonOnEarlyPages, False)
        # About, at the left of the buttons (where GNOME and KDE dialogs keep Help)
        self.setOption(QWizard.WizardOption.HaveCustomButton1, True)
        self.setButtonText(QWizard.WizardButton.CustomButton1, self.tr("Abo&ut"))
        about = self.button(QWizard.WizardButton.CustomButton1)
        if isinstance(about, QPushButton):
            about.setAutoDefault(False)  # Enter still means Next
        self.setButtonLayout([QWizard.WizardButton.CustomButton1, QWizard.WizardButton.Stretch,
                              QWizard.WizardButton.BackButton, QWizard.WizardButton.NextButton,
                              QWizard.WizardButton.CommitButton,
                              QWizard.WizardButton.FinishButton,
                              QWizard.WizardButton.CancelButton])
        self.customButtonClicked.connect(self.about)
        self.welcome = WelcomePage(self.state)
        self.scan_page = ScanPage(self.state)
        self.needs = NeedsPage(self.state)
        self.recommendation = RecommendationPage(self.state)
        self.stability = StabilityPage(self.state)
        self.report = ReportPage(self.state)
        self.take_snapshot = TakeSnapshotPage(self.state)
        self.fleet = FleetPage(self.state)
        for pid, page in ((PageId.WELCOME, self.welcome), (PageId.SCAN, self.scan_page),
                          (PageId.NEEDS, self.needs), (PageId.RECOMMENDATION, self.recommendation),
                          (PageId.STABILITY, self.stability), (PageId.REPORT, self.report),
                          (PageId.TAKE_SNAPSHOT, self.take_snapshot), (PageId.FLEET, self.fleet)):
            self.setPage(pid, page)
        self.fit_screen()

    def about(self, *_button) -> None:
        from kernel_advisor.gui.about import show_about

        show_about(self)  # the window owns it (its parent)

    def fit_screen(self) -> None:
        """The preferred size, clamped to the available area of the screen the window is on
        (what is left at 125 % or 200 % scaling), with room for the window frame."""
        area = self.screen().availableGeometry()
        room = (area.width() - 40, area.height() - 60)
        self.setMinimumSize(min(MINIMUM_SIZE[0], room[0]), min(MINIMUM_SIZE[1], room[1]))
        self.resize(max(min(PREFERRED_SIZE[0], room[0]), self.minimumWidth()),
                    max(min(PREFERRED_SIZE[1], room[1]), self.minimumHeight()))

    def path(self) -> tuple:
        """The pages the current choice walks through."""
        if self.welcome.take.isChecked():
            return SNAPSHOT_PATH
        return FLEET_PATH if self.welcome.fleet.isChecked() else ANALYSIS_PATH

    def step_of(self, page) -> tuple[int, int]:
        """("Step N of M"): the page's place on the current path, and the path's length."""
        path = self.path()
        pid = next((p for p in PageId if self.page(p) is page), PageId.WELCOME)
        return (path.index(pid) + 1 if pid in path else 1), len(path)

    def subject(self) -> str:
        """What is being analysed, said plainly (the core's words once a scan has finished)."""
        if self.currentId() in (PageId.WELCOME, -1):
            return ""
        if self.state.analysis is not None:
            from kernel_advisor.report.common import analysed

            return analysed(self.state.analysis)
        return subject(self.state.inputs)

    def go_to_input(self) -> None:
        """Past the first page to what the inputs name (``gui --snapshot FILE``, a machine of
        the fleet): at once, or as soon as the named snapshot has been read and found usable
        (an unusable one stays on the first page, which says why)."""
        if self.currentId() == PageId.WELCOME:
            self.next()  # the welcome page waits for a snapshot still being read

    def done(self, result: int) -> None:
        for page in (self.welcome, self.scan_page, self.stability, self.take_snapshot,
                     self.fleet):
            page.stop()
        super().done(result)

    @property
    def analysis(self):
        """The current analysis (None until a scan has finished)."""
        return self.state.analysis

    @property
    def last_error(self) -> Optional[str]:
        return self.state.last_error
