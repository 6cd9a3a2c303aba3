"""What the pages share: the input chosen on the welcome page (an
:class:`kernel_advisor.inputs.Inputs`,
the model the command line fills too), the answers of the needs page and the current analysis.
Pages read and write this object, never each other's widgets."""

from __future__ import annotations

from enum import IntEnum
from typing import Optional

from PySide6.QtCore import QCoreApplication, QObject, Signal

from kernel_advisor.inputs import Inputs


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


def subject(inputs: Inputs) -> str:
    """What is analysed, before the scan has said more (a snapshot's date, say)."""
    from kernel_advisor.hostfs import origin
    from kernel_advisor.report.common import subject as analysed_subject

    if inputs.take_snapshot:
        return QCoreApplication.translate("Inputs", "Saving a snapshot of this computer")
    if inputs.fleet_dir:
        return QCoreApplication.translate("Inputs", "Fleet: the snapshots in %s") \
            % inputs.fleet_dir
    return analysed_subject(origin(inputs.root_dir, inputs.snapshot), inputs.what_if)


class WizardState(QObject):
    """The wizard's model. ``generation`` grows with every new scan, so a background result
    that arrives for an older one can be recognised and dropped."""

    analysis_changed = Signal(object)

    def __init__(self, inputs: Inputs) -> None:
        super().__init__()
        self.inputs = inputs
        self.answers = inputs.answers  # the needs page changes them
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

    def set_answers(self, answers) -> None:
        """New answers re-rank the current analysis (no new scan: the host has not changed)."""
        self.answers = answers
        if self.analysis is not None and self.analysis.answers != answers:
            self.set_analysis(self.analysis.with_answers(answers))
