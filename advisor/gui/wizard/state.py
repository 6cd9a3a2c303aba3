"""What the pages share: the input chosen on the welcome page, the answers of the needs page
and the current analysis. Pages read and write this object, never each other's widgets."""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum
from typing import Optional

from PySide6.QtCore import QCoreApplication, QObject, Signal

from advisor.model import Answers


class PageId(IntEnum):
    WELCOME = 0
    SCAN = 1
    NEEDS = 2
    RECOMMENDATION = 3
    STABILITY = 4
    REPORT = 5
    TAKE_SNAPSHOT = 6
    FLEET = 7


#: the pages each choice on the welcome page walks through ("Step N of M")
ANALYSIS_PATH = (PageId.WELCOME, PageId.SCAN, PageId.NEEDS, PageId.RECOMMENDATION,
                 PageId.STABILITY, PageId.REPORT)
SNAPSHOT_PATH = (PageId.WELCOME, PageId.TAKE_SNAPSHOT)
FLEET_PATH = (PageId.WELCOME, PageId.FLEET)


@dataclass(frozen=True)
class Inputs:
    """What to analyse: this computer, a root or snapshot, or a what-if kernel — or, with
    ``take_snapshot``, nothing: a snapshot of this computer is to be saved."""

    root_dir: Optional[str] = None
    snapshot: Optional[str] = None
    kernel: Optional[str] = None
    arch: Optional[str] = None
    releases_url: Optional[str] = None
    take_snapshot: bool = False
    fleet_dir: Optional[str] = None  #: a folder of snapshots: the fleet page

    def subject(self) -> str:
        """What is analysed, before the scan has said more (a snapshot's date, say)."""
        from advisor.hostfs import origin
        from advisor.report.common import subject

        if self.take_snapshot:
            return QCoreApplication.translate("Inputs", "Saving a snapshot of this computer")
        if self.fleet_dir:
            return QCoreApplication.translate("Inputs", "Fleet: the snapshots in %s") \
                % self.fleet_dir
        what_if = {k: v for k, v in (("kernel", self.kernel), ("arch", self.arch)) if v}
        return subject(origin(self.root_dir, self.snapshot), what_if)


class WizardState(QObject):
    """The wizard's model. ``generation`` grows with every new scan, so a background result
    that arrives for an older one can be recognised and dropped."""

    analysis_changed = Signal(object)

    def __init__(self, inputs: Inputs) -> None:
        super().__init__()
        self.inputs = inputs
        self.answers = Answers()
        self.analysis = None
        self.generation = 0
        self.last_error: Optional[str] = None

    def new_generation(self) -> int:
        self.generation += 1
        self.analysis = None
        return self.generation

    def set_analysis(self, analysis) -> None:
        self.analysis = analysis
        self.analysis_changed.emit(analysis)

    def set_answers(self, answers: Answers) -> None:
        """New answers re-rank the current analysis (no new scan: the host has not changed)."""
        self.answers = answers
        if self.analysis is not None and self.analysis.answers != answers:
            self.set_analysis(self.analysis.with_answers(answers))
