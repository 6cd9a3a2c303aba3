"""Page 5: the kernel's release channel, the odd/even truth, how old the release data is, and
a cancellable "check kernel.org now".

The core's release modules are imported where used: by then the scan has loaded them, and the
window need not wait for them at start-up."""

from __future__ import annotations

from PySide6 import QtCore, QtGui
from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout

from advisor.gui.tasks import run_in_background
from advisor.gui.wizard.widgets import LazyPage, button, scroll, wrap
from advisor.model import CHANNEL_WORDS, F


class StabilityPage(LazyPage):
    def __init__(self, state):
        super().__init__(state)
        self.setTitle(self.tr("Kernel stability"))
        self.setSubTitle(self.tr("Odd and even numbers, release channels, and how old our "
                                 "data is."))
        self.task = None

    def build(self) -> None:
        lay = QVBoxLayout(self)
        self.headline = wrap()
        font = QtGui.QFont(self.headline.font())
        font.setBold(True)
        self.headline.setFont(font)
        lay.addWidget(self.headline)
        self.notes = wrap()
        align = QtCore.Qt.AlignmentFlag
        self.notes.setAlignment(align.AlignLeft | align.AlignTop)
        lay.addWidget(scroll(self.notes), 1)
        row = QHBoxLayout()
        self.check = button(self.tr("Check &kernel.org now"))
        self.check.clicked.connect(self.check_now)
        self.cancel = button(self.tr("&Cancel check"))
        self.cancel.setEnabled(False)
        self.cancel.clicked.connect(self.cancel_check)
        row.addWidget(self.check)
        row.addWidget(self.cancel)
        row.addStretch(1)
        lay.addLayout(row)
        self.source = wrap()
        lay.addWidget(self.source)

    def refresh(self) -> None:
        from advisor.stability import days_between, headline, today_iso

        a = self.state.analysis
        st = a.stability
        sentence = headline(st, a.host.value(F.KERNEL_RELEASE))
        upstream = (self.tr("  (Upstream channel: %s.)") % CHANNEL_WORDS[st.channel]
                    if st.vendor_support else "")
        self.headline.setText(sentence[:1].upper() + sentence[1:] + "." + upstream)
        shown = self.headline.text().lower()  # the headline's sentence is not repeated below
        self.notes.setText("\n\n".join("• " + n for n in st.notes
                                        if n.rstrip(".").lower() not in shown))
        try:
            age = self.tr(" (%d days old)") % days_between(st.data_as_of, today_iso())
        except ValueError:
            age = ""
        words = {"online": self.tr("fetched from kernel.org just now"),
                 "cache": self.tr("kernel.org's, cached on this computer"),
                 "bundled": self.tr("bundled with the app")}
        text = self.tr("Release data: %s, as of %s%s.") % (words.get(st.source, st.source),
                                                           st.data_as_of, age)
        if st.vendor_support:
            from advisor.stability import bundled_table

            text += " " + self.tr("Lifecycle dates: endoflife.date (%s), bundled, as of %s.") % (
                st.vendor_support["data_url"], bundled_table()["data_as_of"])
        self.source.setText(text)

    def check_now(self) -> None:
        from advisor import releases

        url = self.state.inputs.releases_url or releases.DEFAULT_URL
        self.check.setEnabled(False)
        self.cancel.setEnabled(True)
        self.source.setText(self.tr("Asking kernel.org… (gives up after a few seconds)"))
        gen = self.state.generation
        self.task = run_in_background(lambda: releases.load(url=url),
                                      lambda data: self._fetched(gen, data), self._fetch_failed)

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

    def _fetched(self, gen: int, data) -> None:
        self._idle()
        if gen != self.state.generation or self.state.analysis is None:
            return  # a new scan started meanwhile: it will use the fresh cache
        self.state.set_analysis(self.state.analysis.with_releases(data))
        self.refresh()

    def _fetch_failed(self, exc, tb) -> None:
        self._idle()
        self.source.setText(self.tr("kernel.org check failed: %s") % exc)
