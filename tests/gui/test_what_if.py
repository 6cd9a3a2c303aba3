"""Issue 28, class 4 in the wizard: a what-if's scan shows the running kernel's facts as such
(the status "RUNNING", and the finding says whose it is), never as OK rows of the what-if."""

from __future__ import annotations

import pytest

pytest.importorskip("PySide6")

from conftest import FIRECRACKER


def rows(w):
    tree = w.scan_page.tree
    return {tree.topLevelItem(i).text(1): (tree.topLevelItem(i).text(0),
                                           tree.topLevelItem(i).text(2))
            for i in range(tree.topLevelItemCount())}


def test_the_scan_of_a_what_if_marks_the_running_kernels_facts(qtbot, wizard):
    w = wizard(snapshot=str(FIRECRACKER), kernel="2.6.23")
    w.next()
    qtbot.waitUntil(w.scan_page.isComplete, timeout=20000)
    found = rows(w)
    word, finding = found["KVM_CREATE_VM works"]
    assert word == "RUNNING" and "not the what-if kernel" in finding
    assert found["Kernel release"][0] == "OK"  # the imagined kernel's own fact
    assert found["CPU vendor"][0] != "RUNNING"  # the machine's


def test_without_a_what_if_nothing_is_marked(qtbot, wizard):
    w = wizard(snapshot=str(FIRECRACKER))
    w.next()
    qtbot.waitUntil(w.scan_page.isComplete, timeout=20000)
    assert not [k for k, (word, _f) in rows(w).items() if word == "RUNNING"]


def test_a_git_tag_typed_as_a_release_gets_a_suggestion(qtbot, wizard):
    w = wizard()
    w.welcome.what_if.setChecked(True)
    qtbot.keyClicks(w.welcome.kernel, "v6.1")
    assert not w.welcome.isComplete() and "did you mean 6.1?" in w.welcome.error.text()
