"""Issue 16 as a new user meets the wizard: explicit what-if input, where am I, plain words,
mnemonics, accessible names, the keyboard alone, the window on scaled screens, plain-text
labels, the save dialog's folder, and saving a snapshot of this computer — each driven through
the real widgets."""

from __future__ import annotations

import io
import re
import tarfile

import pytest

pytest.importorskip("PySide6")

from conftest import FIRECRACKER
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QCheckBox,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressBar,
    QTreeWidget,
)

from kernel_advisor.gui.wizard import AdvisorWizard, PageId
from kernel_advisor.hostfs import TarRoot


def scanned(qtbot, w):
    w.next()
    qtbot.waitUntil(w.scan_page.isComplete, timeout=10000)


def visible(page, kind):
    return [x for x in page.findChildren(kind) if x.isVisibleTo(page)]


# -- item 2: what-if input ---------------------------------------------------------------------
def test_typing_a_release_selects_what_if_and_is_checked_as_typed(qtbot, wizard):
    w = wizard()
    page = w.welcome
    assert page.this.isChecked()
    qtbot.keyClicks(page.kernel, "6.²")
    assert page.what_if.isChecked()  # typing chose it: nothing typed is ever ignored
    assert "is not a kernel release" in page.error.text() and not page.isComplete()
    w.next()
    assert w.currentId() == PageId.WELCOME  # Next does nothing with a bad release
    page.kernel.clear()
    assert "Type the kernel release" in page.error.text() and not page.isComplete()
    qtbot.keyClicks(page.kernel, "2.6.23")
    assert page.error.text() == "" and page.isComplete()
    scanned(qtbot, w)
    assert w.analysis.host.what_if == {"kernel": "2.6.23"}
    for _ in range(4):
        assert "What if this computer ran kernel 2.6.23" in w.currentPage().subTitle()
        w.next()


def test_every_page_and_report_says_it_is_a_snapshot_with_its_date(qtbot, wizard):
    w = wizard(snapshot=str(FIRECRACKER))
    scanned(qtbot, w)
    taken = TarRoot(str(FIRECRACKER)).live_record()["captured"]["time"][:10]
    for pid in (PageId.SCAN, PageId.NEEDS, PageId.RECOMMENDATION, PageId.STABILITY,
                PageId.REPORT):
        sub = w.currentPage().subTitle()
        assert f"Snapshot {FIRECRACKER.name}, taken {taken}" in sub, (pid, sub)
        w.next()
    from kernel_advisor import report

    for fmt in ("md", "html", "json"):
        assert f"taken {taken}" in report.render(w.analysis, fmt).decode()


# -- item 8: orientation -------------------------------------------------------------------
def test_step_n_of_m_follows_the_path_chosen(qtbot, wizard):
    w = wizard(snapshot=str(FIRECRACKER))
    assert "Step 1 of 6" in w.welcome.subTitle()
    w.welcome.take.setChecked(True)
    assert "Step 1 of 2" in w.welcome.subTitle()
    w.welcome.snap.setChecked(True)
    scanned(qtbot, w)
    assert w.scan_page.progress.value() == w.scan_page.progress.maximum() > 5
    seen = []
    while w.currentId() != PageId.REPORT:
        w.next()
        seen.append(re.search(r"Step (\d) of (\d)", w.currentPage().subTitle()).groups())
    assert seen == [("3", "6"), ("4", "6"), ("5", "6"), ("6", "6")]


def test_kernel_org_button_shows_busy_keeps_focus_and_says_the_outcome(qtbot, wizard):
    import socket

    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(1)  # accepts, never answers
    w = wizard(snapshot=str(FIRECRACKER),
               releases_url=f"http://127.0.0.1:{srv.getsockname()[1]}/releases.json")
    scanned(qtbot, w)
    for _ in range(3):
        w.next()
    page = w.stability
    page.check.setFocus()
    qtbot.keyClick(page.check, Qt.Key.Key_Space)
    assert "Checking" in page.check.text() and not page.check.isEnabled()
    assert page.cancel.hasFocus()  # not thrown back to the wizard's Back button
    qtbot.keyClick(page.cancel, Qt.Key.Key_Space)
    assert "cancelled" in page.outcome.text() and page.check.isEnabled()
    assert page.check.hasFocus()
    page.check.click()
    qtbot.waitUntil(page.check.isEnabled, timeout=10000)
    assert "could not be reached" in page.outcome.text()
    assert "no answer in time" in page.outcome.text()
    srv.close()


# -- item 7 and "also expected": mnemonics, accessible names ----------------------------------
def mnemonics(w):
    page = w.currentPage()
    texts = [b.text() for b in visible(page, QAbstractButton)]
    texts += [lb.text() for lb in visible(page, QLabel) if lb.buddy() is not None]
    texts += [g.title() for g in visible(page, QGroupBox)]
    texts += [b.text() for b in (w.button(x) for x in (w.WizardButton.BackButton,
                                                       w.WizardButton.NextButton,
                                                       w.WizardButton.FinishButton,
                                                       w.WizardButton.CancelButton))
              if b.isVisible()]
    return [m.group(1).lower() for t in texts for m in [re.search(r"&(\w)", t)] if m]


def interactive_without_name(page):
    kinds = (QAbstractButton, QLineEdit, QComboBox, QTreeWidget, QProgressBar, QCheckBox)
    return [x for kind in kinds for x in visible(page, kind)
            if not x.accessibleName() and not (isinstance(x, QAbstractButton)
                                               and x.text().replace("&", "").strip())]


def test_every_page_has_unique_mnemonics_and_named_widgets(qtbot, wizard, monkeypatch):
    from kernel_advisor import snapshot

    monkeypatch.setattr(snapshot, "capture", lambda: (FIRECRACKER.read_bytes(), {}))
    w = wizard(snapshot=str(FIRECRACKER))
    pages = []
    while True:
        letters = mnemonics(w)
        assert len(letters) == len(set(letters)), (PageId(w.currentId()), letters)
        assert not interactive_without_name(w.currentPage()), PageId(w.currentId())
        pages.append(w.currentId())
        if w.currentId() == PageId.REPORT:
            break
        before = w.currentId()
        w.next()  # from page 1, on once the snapshot has been read
        qtbot.waitUntil(lambda before=before: w.currentId() != before, timeout=10000)
        if w.currentId() == PageId.SCAN:
            qtbot.waitUntil(w.scan_page.isComplete, timeout=10000)
    w.restart()
    w.welcome.take.setChecked(True)
    w.next()
    qtbot.waitUntil(w.take_snapshot.save.isEnabled, timeout=10000)
    letters = mnemonics(w)
    assert len(letters) == len(set(letters)) and not interactive_without_name(w.take_snapshot)
    assert len(pages) == 6


def test_the_keyboard_alone_asks_a_what_if_and_finishes(qtbot, wizard):
    w = wizard()
    with qtbot.waitActive(w):
        w.activateWindow()
    alt = Qt.KeyboardModifier.AltModifier

    def press(key, modifier=Qt.KeyboardModifier.NoModifier):  # as the keyboard would: to focus
        qtbot.keyClick(w.focusWidget() or w, key, modifier)

    press(Qt.Key.Key_W, alt)  # &What if… (a mnemonic clicks as an animation: ~100 ms)
    qtbot.waitUntil(w.welcome.what_if.isChecked, timeout=2000)
    press(Qt.Key.Key_K, alt)  # &Kernel release
    assert w.welcome.kernel.hasFocus()
    qtbot.keyClicks(w.welcome.kernel, "2.6.23")
    press(Qt.Key.Key_A, alt)  # &Architecture
    assert w.welcome.arch.hasFocus()
    qtbot.keyClick(w.welcome.arch, Qt.Key.Key_Down)
    qtbot.keyClick(w.welcome.kernel, Qt.Key.Key_Return)
    qtbot.waitUntil(w.scan_page.isComplete, timeout=10000)
    assert w.analysis.host.what_if == {"kernel": "2.6.23", "arch": "x86_64"}
    for _ in range(4):
        qtbot.keyClick(w.focusWidget() or w, Qt.Key.Key_Return)
    assert w.currentId() == PageId.REPORT
    with qtbot.waitSignal(w.finished, timeout=3000):
        qtbot.keyClick(w.focusWidget() or w, Qt.Key.Key_Return)


# -- item 6: the window fits scaled screens ----------------------------------------------------
@pytest.mark.parametrize("width, height, scale", [(1366, 768, 1.25), (1920, 1080, 2.0)])
def test_every_page_fits_a_scaled_screen(qtbot, wizard, width, height, scale):
    """What a page needs at least (its minimum size hint) fits the logical screen that a
    WIDTHxHEIGHT panel gives at SCALE, less a panel and the window frame."""
    w = wizard(snapshot=str(FIRECRACKER))
    room = (width / scale - 20, height / scale - 80)
    scanned(qtbot, w)
    while True:
        need = w.minimumSizeHint().expandedTo(w.minimumSize())
        assert need.width() <= room[0] and need.height() <= room[1], (PageId(w.currentId()),
                                                                       need, room)
        if w.currentId() == PageId.REPORT:
            break
        w.next()
    screen = w.screen().availableGeometry()
    assert w.width() <= screen.width() and w.height() <= screen.height()


# -- issue 18 class 6 in the wizard: labels show data as plain text ---------------------------
def test_a_snapshot_cannot_paint_markup_into_the_wizard(qtbot, wizard, tmp_path):
    fake = '6.1.0-<font color="green">KVM: SAFE</font>'
    snap = tmp_path / "markup.tar.gz"
    with tarfile.open(snap, "w:gz") as tf:
        for name, data in (("/proc/sys/kernel/osrelease", fake.encode() + b"\n"),
                           ("/proc/cpuinfo", b"processor\t: 0\nflags\t\t: fpu vmx lm\n")):
            info = tarfile.TarInfo("s" + name)
            info.size = len(data)
            tf.addfile(info, io.BytesIO(data))
    w = wizard(snapshot=str(snap))
    scanned(qtbot, w)
    for _ in range(3):
        w.next()
        for label in w.currentPage().findChildren(QLabel):
            if label.textFormat() != Qt.TextFormat.PlainText:
                assert "<font" not in label.text() and "KVM: SAFE" not in label.text(), \
                    label.text()
    assert w.titleFormat() == w.subTitleFormat() == Qt.TextFormat.PlainText


# -- item 4: the save dialog's folder ------------------------------------------------------------
def test_exporting_into_a_pseudo_filesystem_is_refused_plainly(qtbot, wizard):
    w = wizard(snapshot=str(FIRECRACKER))
    scanned(qtbot, w)
    page = w.report
    with qtbot.waitSignal(page.exported, timeout=20000) as sig:
        page.export_to("/proc/kernel-advisor-report.pdf", "pdf", confirm=False)
    assert sig.args == [""]
    box = next(b for b in page.findChildren(QMessageBox) if b.isVisible())
    assert "pseudo-filesystem" in box.text() and box.textFormat() == Qt.TextFormat.PlainText
    box.close()


# -- "also expected": take a snapshot of this computer -------------------------------------
def test_save_a_snapshot_of_this_computer_with_a_preview(qtbot, wizard, tmp_path):
    w = wizard()
    w.welcome.take.setChecked(True)
    w.next()
    page = w.take_snapshot
    assert w.currentId() == PageId.TAKE_SNAPSHOT and "Step 2 of 2" in page.subTitle()
    qtbot.waitUntil(page.save.isEnabled, timeout=20000)
    paths = [page.files.topLevelItem(i).text(0) for i in range(page.files.topLevelItemCount())]
    assert "/proc/cpuinfo" in paths and "/.kernel-advisor/live.json" in paths
    assert "Nothing secret" in page.summary.text()
    target = tmp_path / "this.tar.gz"
    page.save_to(str(target))
    qtbot.waitUntil(lambda: "Saved" in page.status.text(), timeout=10000)
    root = TarRoot(str(target))
    assert root.read("/proc/cpuinfo").data and root.live_record()["captured"]["time"]
    assert w.button(w.WizardButton.FinishButton).isVisible()


# -- issue 17: the wizard knows fleets -------------------------------------------------------
def test_the_fleet_page_loads_sorts_filters_opens_and_exports(qtbot, wizard, tmp_path):
    import json
    import shutil

    from conftest import LSCPU
    from PySide6.QtWidgets import QApplication

    fleet = tmp_path / "fleet"
    fleet.mkdir()
    for src in [FIRECRACKER, *sorted(LSCPU.glob("x86_64*.tar.gz"))]:
        shutil.copy(src, fleet / src.name)
    (fleet / "broken.tar.gz").write_bytes(b"junk")
    w = wizard()
    page = w.welcome
    qtbot.keyClicks(page.fleet_dir, str(fleet))  # typing chose the fleet
    assert page.fleet.isChecked() and page.isComplete()
    assert "Step 1 of 2" in page.subTitle()
    w.next()
    f = w.fleet
    assert w.currentId() == PageId.FLEET and "Step 2 of 2" in f.subTitle()
    qtbot.waitUntil(f.export.isEnabled, timeout=30000)
    assert f.model.rowCount() == 5 and f.progress.value() == 5
    assert "1 refused" in f.summary.text()
    hosts = [f.model.index(r, 0).data() for r in range(f.model.rowCount())]
    assert hosts == sorted(hosts)
    f.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)
    assert f.model.index(0, 0).data() == max(hosts)
    qtbot.keyClicks(f.filter, "refused")
    assert f.model.rowCount() == 1 and f.model.index(0, 0).data() == "broken"
    f.filter.clear()
    row = next(r for r in range(f.model.rowCount())
               if f.model.index(r, 0).data() == "firecracker-pvm")
    before = set(QApplication.topLevelWidgets())
    f.open_host(f.model.index(row, 0))
    opened = [x for x in QApplication.topLevelWidgets() if x not in before
              and isinstance(x, AdvisorWizard)]
    assert opened  # on to the scan once its snapshot has been read
    qtbot.waitUntil(lambda: opened[0].currentId() == PageId.SCAN, timeout=10000)
    qtbot.waitUntil(opened[0].scan_page.isComplete, timeout=10000)
    assert opened[0].analysis.host.origin == "snapshot firecracker-pvm.tar.gz"
    opened[0].close()
    target = tmp_path / "fleet.json"
    f.export_to(str(target), "json")
    qtbot.waitUntil(lambda: "Wrote" in f.status.text(), timeout=30000)
    doc = json.loads(target.read_text())
    assert doc["schema"] == "kernel-advisor-fleet/1" and len(doc["hosts"]) == 5
    letters = mnemonics(w)
    assert len(letters) == len(set(letters)) and not interactive_without_name(f)


# -- issue 19 item 12: verdicts legible in light and dark palettes ----------------------------
@pytest.mark.parametrize("dark", [False, True])
def test_verdict_words_meet_wcag_aa_in_light_and_dark_palettes(qtbot, wizard, dark):
    from PySide6.QtGui import QColor, QPalette

    from kernel_advisor.gui.wizard.widgets import contrast

    app = QApplication.instance()
    before = app.palette()
    if dark:
        pal = QPalette(QColor("#2b2b2b"))  # Qt derives a whole dark palette from one colour
        pal.setColor(QPalette.ColorRole.WindowText, QColor("#e6e6e6"))
        pal.setColor(QPalette.ColorRole.PlaceholderText, QColor("#5a5a5a"))
        app.setPalette(pal)
    try:
        w = wizard(snapshot=str(FIRECRACKER))
        scanned(qtbot, w)
        w.next()
        w.next()
        badges = [lb for lb in w.recommendation.findChildren(QLabel)
                  if lb.objectName().startswith("verdict-")]
        assert {b.objectName() for b in badges} >= {"verdict-recommended", "verdict-unavailable"}
        background = w.recommendation.palette().color(QPalette.ColorRole.Window)
        for b in badges:
            ratio = contrast(b.palette().color(QPalette.ColorRole.WindowText), background)
            assert ratio >= 4.5, (b.objectName(), round(ratio, 2))
    finally:
        app.setPalette(before)


def test_reasons_are_no_tab_stops_and_each_verdict_copies_whole(qtbot, wizard):
    """Issue 28 §12: ~40 Tab stops stood before the buttons, one per sentence. The sentences
    are selected with the mouse (then the keyboard); Tab goes from one verdict's Copy and
    command buttons to the next, and Copy gives the verdict as ``check`` prints it."""
    from PySide6.QtWidgets import QApplication, QPushButton

    from kernel_advisor.report.text import verdict_text

    w = wizard(snapshot=str(FIRECRACKER))
    w.next()
    qtbot.waitUntil(w.scan_page.isComplete, timeout=10000)
    w.next()
    w.next()
    assert w.currentId() == PageId.RECOMMENDATION
    page = w.currentPage()
    reasons = [lab for lab in page.findChildren(QLabel) if lab.text().startswith("• ")]
    assert reasons
    flags = Qt.TextInteractionFlag
    for label in reasons:
        assert not label.focusPolicy() & Qt.FocusPolicy.TabFocus
        assert label.textInteractionFlags() & flags.TextSelectableByKeyboard
    qtbot.mouseClick(reasons[0], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(reasons[0].hasFocus, timeout=2000)
    qtbot.keyClick(reasons[0], Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    assert reasons[0].selectedText() == reasons[0].text()  # then Ctrl+C copies it
    # the Tab chain of the page: buttons and links, a few per verdict, not a stop per sentence
    stops, widget = [], page.nextInFocusChain()
    while widget is not page and len(stops) < 200:
        if widget.isVisible() and widget.focusPolicy() & Qt.FocusPolicy.TabFocus \
                and page.isAncestorOf(widget):
            stops.append(widget)
        widget = widget.nextInFocusChain()
    assert 3 <= len(stops) <= 15, [type(x).__name__ for x in stops]
    copies = [b for b in page.findChildren(QPushButton) if b.objectName() == "copy-verdict"]
    assert len(copies) == 3
    QApplication.clipboard().clear()
    qtbot.mouseClick(copies[0], Qt.MouseButton.LeftButton)
    text = QApplication.clipboard().text()
    assert text == verdict_text(w.analysis.verdicts[0])
    assert text.startswith("RECOMMENDED  KVM") and "KVM_CREATE_VM" in text
