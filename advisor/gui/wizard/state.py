"""What the pages share: the input chosen on the welcome page, the answers of the needs page
and the current analysis. Pages read and write this object, never each other's widgets."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from PySide6.QtCore import QObject, Signal

from advisor.model import Answers


@dataclass(frozen=True)
class Inputs:
    """What to analyse: this computer, a root or snapshot, or a what-if kernel."""

    root_dir: Optional[str] = None
    snapshot: Optional[str] = None
    kernel: Optional[str] = None
    arch: Optional[str] = None
    releases_url: Optional[str] = None


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
