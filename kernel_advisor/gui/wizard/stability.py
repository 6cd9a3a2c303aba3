"""Page 5: the kernel's release channel, the odd/even truth, how old the release data is, and
a cancellable "check kernel.org now" whose outcome shows next to its button.

The core's release modules are imported where used: by then the scan has loaded them, and the
window need not wait for them at start-up."""

from __future__ import annotations

from PySide6 import QtCore, QtGui
from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout

from kernel_advisor.gui.tasks import run_in_background
from kernel_advisor.gui.wizard import widgets
from kernel_advisor.gui.wizard.widgets import LazyPage, button, wrap
from kernel_advisor.model import F


class StabilityPage(LazyPage):
    def __init__(self, state):
        super().__init__(state, self.tr("Odd and even numbers, release channels, and how old "
                                        "our data is."))
        self.setTitle(self.tr("Kernel stability"))
        self.task = None
        self.attempt = None

    def build(self) -> None:
        lay = QVBoxLayout(self.content)
        self.headline = wrap()
        self.headline.setAccessibleName(self.tr("The kernel's support status"))
        font = QtGui.QFont(self.headline.font())
        font.setBold(True)
        self.headline.setFont(font)
        lay.addWidget(self.headline)
        self.notes = wrap()
        self.notes.setAccessibleName(self.tr("Notes on this kernel's stability"))
        align = QtCore.Qt.AlignmentFlag
        self.notes.setAlignment(align.AlignLeft | align.AlignTop)
        lay.addWidget(self.notes, 1)
        self.source = wrap()
        self.source.setAccessibleName(self.tr("Where the release data comes from"))
        lay.addWidget(self.source)
        row = QHBoxLayout()
        self.check = button(self.tr("Check &kernel.org now"))
        self.check.setAccessibleName(self.tr("Check kernel.org now"))
        self.check.clicked.connect(self.check_now)
        self.cancel = button(self.tr("&Cancel check"))
        self.cancel.setAccessibleName(self.tr("Cancel the kernel.org check"))
        self.cancel.setEnabled(False)
        self.cancel.clicked.connect(self.cancel_check)
        self.outcome = wrap()
        self.outcome.setAccessibleName(self.tr("Outcome of the kernel.org check"))
        row.addWidget(self.check)
        row.addWidget(self.cancel)
        row.addWidget(self.outcome, 1)
        lay.addLayout(row)

    def refresh(self) -> None:
        from kernel_advisor.stability import days_between, headline, today_iso

        a = self.state.analysis
        st = a.stability
        sentence = headline(st, a.host.value(F.KERNEL_RELEASE))
        self.headline.setText(sentence[:1].upper() + sentence[1:] + ".")
        shown = self.headline.text().lower()  # the headline's sentence is not repeated below
        self.notes.setText("\n\n".join("• " + n for n in st.notes
                                        if n.rstrip(".").lower() not in shown))
        try:
            age = self.tr(" (%s days old)") % widgets.number(days_between(st.data_as_of,
                                                                          today_iso()))
        except ValueError:
            age = ""
        words = {"online": self.tr("fetched from kernel.org just now"),
                 "cache": self.tr("kernel.org's, cached on this computer"),
                 "bundled": self.tr("bundled with the app")}
        if any(st.data_as_of in n for n in st.notes):  # its date and age are said above
            text = self.tr("Release data: %s.") % words.get(st.source, st.source)
        else:
            text = self.tr("Release data: %s, as of %s%s.") % (
                words.get(st.source, st.source), widgets.date(st.data_as_of), age)
        if st.vendor_support:
            from kernel_advisor.stability import bundled_table

            text += " " + self.tr("Lifecycle dates: endoflife.date (%s), bundled, as of %s.") % (
                st.vendor_support["data_url"], widgets.date(bundled_table()["data_as_of"]))
        self.source.setText(text)

    def check_now(self) -> None:
        """Ask kernel.org in a worker: the button shows it is busy, the focus moves to Cancel
        (not back to the wizard's buttons), and the outcome appears beside them."""
        from kernel_advisor import releases

        url = self.state.inputs.releases_url or releases.DEFAULT_URL
        from kernel_advisor.download import Attempt

        self.attempt = attempt = Attempt(releases.DEADLINE)
        self.check.setText(self.tr("Checking kernel.org…"))
        self.cancel.setEnabled(True)
        self.cancel.setFocus()
        self.check.setEnabled(False)
        self.outcome.setText(self.tr("Asking kernel.org (gives up after %d seconds)…")
                             % round(attempt.deadline))
        gen = self.state.generation
        self.task = run_in_background(lambda: releases.load(url=url, attempt=attempt),
                                      lambda data: self._fetched(gen, data), self._fetch_failed)

    def _idle(self) -> None:
        """No check running: the check button is back (with the focus), Cancel is grey."""
        self.task = self.attempt = None
        self.check.setText(self.tr("Check &kernel.org now"))
        self.check.setEnabled(True)
        if self.cancel.hasFocus() or self.check.hasFocus():
            self.check.setFocus()
        self.cancel.setEnabled(False)

    def stop(self) -> None:
        """Cut a running check short: its connection is shut, so nothing is left running."""
        if self.attempt is not None:
            self.attempt.cancel()
        if self.task is not None:
            self.task.cancel()

    def cancel_check(self) -> None:
        self.stop()
        self._idle()
        self.outcome.setText(self.tr("Check cancelled; the release data above is unchanged."))

    def _fetched(self, gen: int, data) -> None:
        self._idle()
        if gen != self.state.generation or self.state.analysis is None:
            return  # a new scan started meanwhile: it will use the fresh cache
        self.state.set_analysis(self.state.analysis.with_releases(data))
        self.refresh()
        if data.source == "online":
            self.outcome.setText(self.tr("kernel.org answered: the data above is current.")
                                 + (" " + data.problem if data.problem else ""))
        else:
            self.outcome.setText(self.tr("kernel.org could not be reached: %s")
                                 % (data.problem or self.tr("no answer")))

    def _fetch_failed(self, exc, tb) -> None:
        self._idle()
        self.outcome.setText(self.tr("kernel.org check failed: %s") % exc)
