"""Issue 28, classes 5 and 7: what a page is for wraps inside the page (QWizard's header cut a
German subtitle off at the window's edge), the answer comes before the timeline, a page shown
again starts at its top, and the scan's evidence has its whole text as a tooltip and copies as
text from the keyboard."""

from __future__ import annotations

import pytest

pytest.importorskip("PySide6")

from conftest import FIRECRACKER
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QGroupBox

from kernel_advisor.gui.wizard import PageId


def to_recommendation(qtbot, w):
    w.next()
    qtbot.waitUntil(w.scan_page.isComplete, timeout=10000)
    w.next()
    w.next()
    assert w.currentId() == PageId.RECOMMENDATION


def test_the_page_says_what_it_is_for_in_a_wrapped_line_not_the_header(qtbot, wizard):
    w = wizard(snapshot=str(FIRECRACKER))
    w.resize(560, 480)  # narrow: the sentence must wrap, never run past the edge
    w.show()
    w.next()
    page = w.scan_page
    qtbot.waitUntil(page.isComplete, timeout=10000)
    assert page.intro.text() == page.description and page.intro.wordWrap()
    assert page.description not in page.subTitle()
    assert page.subTitle().startswith("Step 2 of 6 · Snapshot firecracker-pvm.tar.gz")
    qtbot.waitUntil(lambda: page.intro.width() > 0, timeout=2000)
    assert page.intro.width() <= page.width()
    line = page.intro.fontMetrics().height()
    assert page.intro.heightForWidth(page.intro.width()) > line  # it wraps: two lines or more


def test_the_answer_comes_before_the_timeline_and_a_new_visit_starts_at_the_top(qtbot, wizard):
    w = wizard(snapshot=str(FIRECRACKER))
    w.resize(700, 480)
    w.show()
    to_recommendation(qtbot, w)
    page = w.recommendation
    first = page.body_layout.itemAt(0).widget()
    assert isinstance(first, QGroupBox) and first.title() == "1. KVM"
    assert first.mapTo(page.content, first.rect().topLeft()).y() < page.timeline.y()
    bar = page.scroll_area.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0, timeout=2000)
    bar.setValue(bar.maximum())
    w.back()  # a new choice on the needs page, then the recommendation again
    w.needs.any.setChecked(True)
    w.next()
    assert w.currentId() == PageId.RECOMMENDATION and bar.value() == bar.minimum()


def test_scan_evidence_has_tooltips_and_copies_with_ctrl_c(qtbot, wizard):
    w = wizard(snapshot=str(FIRECRACKER))
    w.show()
    w.next()
    qtbot.waitUntil(w.scan_page.isComplete, timeout=10000)
    tree = w.scan_page.tree
    config = next(tree.topLevelItem(i) for i in range(tree.topLevelItemCount())
                  if tree.topLevelItem(i).text(1) == "Kernel configuration")
    assert config.toolTip(1) == "Kernel configuration"
    assert config.toolTip(2) == config.text(2)
    evidence = config.child(0)
    assert evidence.toolTip(2) == evidence.text(2) and "/proc/config.gz" in evidence.text(2)
    tree.setFocus()
    tree.setCurrentItem(config)
    QApplication.clipboard().clear()
    qtbot.keyClick(tree, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    copied = QApplication.clipboard().text()
    assert copied.startswith("INFO  Kernel configuration: CONFIG_XEN=n")
    assert "    Read from: /proc/config.gz" in copied
    # the bar counts a share, the status the checks: no two different "N of M" counts
    assert "%" in w.scan_page.progress.text() and "of" not in w.scan_page.progress.text()
