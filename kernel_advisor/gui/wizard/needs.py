"""Page 3: the user's needs — guests, purpose, stability or features. Its answers go to the
shared state, which re-ranks the analysis without a new scan."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QFormLayout, QGroupBox, QLabel, QRadioButton, QVBoxLayout

from kernel_advisor.gui.wizard.widgets import LazyPage
from kernel_advisor.model import Answers


class NeedsPage(LazyPage):
    def __init__(self, state):
        super().__init__(state, self.tr("The defaults suit most people; change what does not "
                                        "fit."))
        self.setTitle(self.tr("Your needs"))

    def build(self) -> None:
        d = self.state.answers
        lay = QVBoxLayout(self.content)
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
        # a choice as wide as its longest entry, not the window (950 px at 200 %)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        self.purpose = QComboBox()
        for key, text in (("learning", self.tr("Learning and experimenting")),
                          ("desktop", self.tr("Desktop virtual machines")),
                          ("servers", self.tr("Servers")),
                          ("kernel-dev", self.tr("Kernel development"))):
            self.purpose.addItem(text, key)
        self.purpose.setCurrentIndex(self.purpose.findData(d.purpose))
        self.purpose.setAccessibleName(self.tr("Purpose"))
        label = QLabel(self.tr("&Purpose:"))
        label.setBuddy(self.purpose)
        form.addRow(label, self.purpose)
        lay.addLayout(form)
        pref = QGroupBox(self.tr("What matters more?"))
        p = QVBoxLayout(pref)
        self.stability = QRadioButton(self.tr("A &stable base"))
        self.features = QRadioButton(self.tr("The newest fea&tures"))
        self.stability.setChecked(d.prefer == "stability")
        self.features.setChecked(d.prefer == "features")
        p.addWidget(self.stability)
        p.addWidget(self.features)
        lay.addWidget(pref)
        lay.addStretch(1)
        for b in (self.linux, self.any, self.stability, self.features):
            b.setAccessibleName(b.text().replace("&", ""))

    def answers(self) -> Answers:
        return Answers("any" if self.any.isChecked() else "linux",
                       "features" if self.features.isChecked() else "stability",
                       self.purpose.currentData())

    def validatePage(self) -> bool:
        self.state.set_answers(self.answers())
        return True
