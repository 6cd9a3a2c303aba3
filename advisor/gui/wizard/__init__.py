"""The wizard: Welcome → Scan → Your needs → Recommendation → Kernel stability → Report.

One module per page; the pages share one :class:`~advisor.gui.wizard.state.WizardState` and
never reach into each other's widgets. Pages are built in code, strings go through ``tr()``,
colours come from the palette, and the probe, kernel.org and exports run through
:func:`advisor.gui.tasks.run_in_background`, never on the GUI thread. Enter on every page takes
the defaults and walks to Finish. Pages after the first build their contents on first visit.
"""

from __future__ import annotations

from enum import IntEnum
from typing import Optional

from PySide6.QtWidgets import QWizard

from advisor import APP_NAME
from advisor.gui.wizard.needs import NeedsPage
from advisor.gui.wizard.recommendation import RecommendationPage
from advisor.gui.wizard.report import ReportPage
from advisor.gui.wizard.scan import ScanPage
from advisor.gui.wizard.stability import StabilityPage
from advisor.gui.wizard.state import Inputs, WizardState
from advisor.gui.wizard.welcome import WelcomePage

__all__ = ["AdvisorWizard", "Inputs", "PageId"]


class PageId(IntEnum):
    WELCOME = 0
    SCAN = 1
    NEEDS = 2
    RECOMMENDATION = 3
    STABILITY = 4
    REPORT = 5


class AdvisorWizard(QWizard):
    def __init__(self, inputs: Optional[Inputs] = None):
        super().__init__()
        self.state = WizardState(inputs or Inputs())
        self.setWindowTitle(APP_NAME)
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        self.setOption(QWizard.WizardOption.HaveFinishButtonOnEarlyPages, False)
        self.welcome = WelcomePage(self.state)
        self.scan_page = ScanPage(self.state)
        self.needs = NeedsPage(self.state)
        self.recommendation = RecommendationPage(self.state)
        self.stability = StabilityPage(self.state)
        self.report = ReportPage(self.state)
        for pid, page in ((PageId.WELCOME, self.welcome), (PageId.SCAN, self.scan_page),
                          (PageId.NEEDS, self.needs), (PageId.RECOMMENDATION, self.recommendation),
                          (PageId.STABILITY, self.stability), (PageId.REPORT, self.report)):
            self.setPage(pid, page)
        self.resize(860, 680)

    @property
    def analysis(self):
        """The current analysis (None until a scan has finished)."""
        return self.state.analysis

    @property
    def last_error(self) -> Optional[str]:
        return self.state.last_error
