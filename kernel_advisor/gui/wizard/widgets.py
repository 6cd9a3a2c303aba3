"""Small widgets and the lazy page base class every page uses."""

from __future__ import annotations

import os
from typing import Optional, Protocol, cast

from PySide6 import QtCore, QtWidgets
from PySide6.QtWidgets import QLabel, QPushButton, QWidget, QWizardPage


def number(n: int) -> str:
    """A count as the user's locale writes it (1.234 in German, 1,234 in English)."""
    return QtCore.QLocale().toString(n)


def date(iso: str) -> str:
    """An ISO date (2026-08-22) as the user's locale writes it in full; unchanged if not one."""
    day = QtCore.QDate.fromString(iso[:10], QtCore.Qt.DateFormat.ISODate)
    return QtCore.QLocale().toString(day, QtCore.QLocale.FormatType.LongFormat) \
        if day.isValid() else iso


def button(text: str) -> QPushButton:
    b = QPushButton(text)
    b.setAutoDefault(False)  # Enter always means Next/Finish, never a page button
    b.setDefault(False)
    return b


def breakable(text: str, run: int = 24) -> str:
    """``text`` with places a wrapped label may break a word longer than ``run`` characters (a
    path, a long typed value), which would otherwise be one word as wide as the window wants
    to become: a zero-width space after each ``/`` in it, and within what is still too long.
    Shorter words are left as they are."""
    import re

    def split(match: re.Match) -> str:
        parts = match.group(0).replace("/", "/\u200b").split("\u200b")
        return "\u200b".join(re.sub(f"(.{{{run}}})(?=.)", "\\1\u200b", p) for p in parts)

    return re.sub(f"\\S{{{run + 1},}}", split, text)


def plain(text: str = "") -> QLabel:
    """A word-wrapped label of plain text: whatever it shows — a host's kernel release, a
    snapshot's name — is never taken as rich text (Qt would otherwise guess, and a string
    like ``<font color=green>KVM: SAFE</font>`` would be painted)."""
    label = QLabel(text)
    label.setTextFormat(QtCore.Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    return label


def wrap(text: str = "") -> QLabel:
    """A word-wrapped label whose text can be selected and copied: with the mouse, or from the
    keyboard once clicked (Shift with the arrows selects, Ctrl+C copies). It is no Tab stop —
    a page of reasons would put dozens of stops before the wizard's buttons; what users paste
    into tickets has a Copy button of its own (a verdict, a check's evidence), and a screen
    reader reads the label from the accessibility tree."""
    label = plain(text)
    flags = QtCore.Qt.TextInteractionFlag
    label.setTextInteractionFlags(flags.TextSelectableByMouse | flags.TextSelectableByKeyboard)
    label.setFocusPolicy(QtCore.Qt.FocusPolicy.ClickFocus)
    return label


def links(items) -> QLabel:
    """Sources as links (``(text, url)`` pairs), opened in the user's browser by Qt through
    QDesktopServices: the one rich-text label, built only from the knowledge base's own
    citations and URLs (never from host strings), all of it escaped."""
    from html import escape

    parts = [f'<a href="{escape(url)}">{escape(text)}</a>' if url.startswith(("https://",
                                                                                "http://"))
             else escape(text) for text, url in items]
    label = QLabel("; ".join(parts))
    label.setTextFormat(QtCore.Qt.TextFormat.RichText)
    label.setWordWrap(True)
    label.setOpenExternalLinks(True)
    flags = QtCore.Qt.TextInteractionFlag
    label.setTextInteractionFlags(flags.LinksAccessibleByMouse | flags.LinksAccessibleByKeyboard)
    return label


def dialog_options():
    """What every file dialog of the wizard is told: Qt's own dialog, not resolving links and
    not looking inside files for their type or icon (probing ``/proc`` or a FIFO can block);
    where a file is then written, :func:`kernel_advisor.atomic.write_output` checks it again."""
    option = QtWidgets.QFileDialog.Option
    return (option.DontUseNativeDialog | option.DontResolveSymlinks
            | option.DontUseCustomDirectoryIcons)


def force_for(parent: QWidget, path: str) -> bool | None:
    """Whether writing ``path`` needs ``force`` (it is a write-protected file, and the user says
    to replace it anyway: the wizard's ``--force``), or None where the user says no."""
    import stat

    try:
        st = os.stat(path)
    except OSError:
        return False
    if not stat.S_ISREG(st.st_mode) or st.st_mode & stat.S_IWUSR:
        return False
    boxes = QtWidgets.QMessageBox
    title = QtCore.QCoreApplication.translate("Export", "Replace a write-protected file?")
    text = QtCore.QCoreApplication.translate("Export",
                                             "%s is write-protected. Replace it anyway?")
    answer = boxes.question(parent, title, text % path)
    return True if answer == boxes.StandardButton.Yes else None


def scroll(inner: QWidget) -> QtWidgets.QScrollArea:
    area = QtWidgets.QScrollArea()
    area.setWidgetResizable(True)
    area.setFrameShape(QtWidgets.QFrame.Shape.NoFrame)
    area.setFocusPolicy(QtCore.Qt.FocusPolicy.NoFocus)  # Tab goes to what is inside
    area.setWidget(inner)
    return area


def contrast(a, b) -> float:
    """WCAG 2 contrast ratio of two QColors (1 to 21)."""
    def luminance(c) -> float:
        def channel(v: float) -> float:
            return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4
        return 0.2126 * channel(c.redF()) + 0.7152 * channel(c.greenF()) \
            + 0.0722 * channel(c.blueF())
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def readable(colour, background, ratio: float = 4.5):
    """``colour``, darkened on a light background or lightened on a dark one until it meets
    WCAG AA (4.5:1) against ``background``: the palette's hue, always legible."""
    from PySide6.QtGui import QColor

    c = QColor(colour)
    dark_bg = background.lightnessF() < 0.5
    for _ in range(40):
        if contrast(c, background) >= ratio:
            break
        c = c.lighter(112) if dark_bg else c.darker(112)
        if dark_bg and c.lightness() >= 250:
            c = QColor("white")
        elif not dark_bg and c.lightness() <= 5:
            c = QColor("black")
    return c


def status_icon(style, status: str):
    pixmaps = QtWidgets.QStyle.StandardPixmap
    return style.standardIcon({
        "ok": pixmaps.SP_DialogApplyButton, "warn": pixmaps.SP_MessageBoxWarning,
        "fail": pixmaps.SP_MessageBoxCritical, "info": pixmaps.SP_MessageBoxInformation,
        "unknown": pixmaps.SP_MessageBoxQuestion}[status])


class Steps(Protocol):
    """What a page asks of the wizard it is on
    (:class:`kernel_advisor.gui.wizard.AdvisorWizard`)."""

    def step_of(self, page: QWizardPage) -> tuple[int, int]: ...

    def subject(self) -> str: ...


class Page(QWizardPage):
    """A wizard page whose contents (``self.content``) scroll inside it, so a long page or a
    large font never pushes the wizard's buttons off the screen. The subtitle says where the
    user is ("Step 2 of 6 · Snapshot host.tar.gz, taken …"); what the page is for opens the
    page itself, word-wrapped (QWizard's header does not wrap a subtitle it has laid out: a
    German sentence was cut off at the window's edge)."""

    def __init__(self, state, description: str = ""):
        super().__init__()
        self.state = state
        self.description = description
        outer = QtWidgets.QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        inner = QWidget()
        column = QtWidgets.QVBoxLayout(inner)
        column.setContentsMargins(0, 0, 0, 0)
        self.intro = plain(description)
        self.intro.setObjectName("page-intro")
        self.intro.setVisible(bool(description))
        metric = self.style().pixelMetric
        pm = QtWidgets.QStyle.PixelMetric
        around = QtWidgets.QVBoxLayout()  # aligned with the contents' own layout margins
        around.setContentsMargins(metric(pm.PM_LayoutLeftMargin), metric(pm.PM_LayoutTopMargin),
                                  metric(pm.PM_LayoutRightMargin), 0)
        around.addWidget(self.intro)
        column.addLayout(around)
        self.content = QWidget()
        column.addWidget(self.content, 1)
        self.scroll_area = scroll(inner)
        outer.addWidget(self.scroll_area)

    def show_where(self) -> None:
        wizard = cast(Optional["Steps"], self.wizard())
        if wizard is None:
            return
        step, steps = wizard.step_of(self)
        where = self.tr("Step %1 of %2").replace("%1", str(step)).replace("%2", str(steps))
        subject = wizard.subject()
        self.setSubTitle(f"{where} · {subject}" if subject else where)

    def to_top(self) -> None:
        """Show the page from its start (its contents are new: a new analysis, a new choice)."""
        bar = self.scroll_area.verticalScrollBar()
        bar.setValue(bar.minimum())

    def stop(self) -> None:
        """Stop what the page has running (the wizard is closing); none by default."""


class LazyPage(Page):
    """A page that builds its contents the first time it is shown (:meth:`build`), then fills
    them in from the shared state each time it is shown (:meth:`refresh`). Building on first
    visit keeps the wizard's start as quick as a bare QWizard's (``bench/RESULTS.md``)."""

    def __init__(self, state, description: str = ""):
        super().__init__(state, description)
        self.built = False

    def ensure_built(self) -> None:
        if not self.built:
            self.built = True
            self.build()

    def build(self) -> None:
        raise NotImplementedError

    def refresh(self) -> None:
        """Fill the page in for the current analysis (after :meth:`build`); none by default."""

    def initializePage(self) -> None:
        self.ensure_built()
        self.refresh()
        self.to_top()
        self.show_where()
