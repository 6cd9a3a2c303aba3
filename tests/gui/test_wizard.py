"""The wizard, offscreen: every page against fixture hosts, keyboard-only, never blocking."""

from __future__ import annotations

import itertools
import os
import subprocess
import sys
import time

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from conftest import FIRECRACKER, VIRT_WHAT
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from kernel_advisor import APP_ID
from kernel_advisor.gui.wizard import PageId
from kernel_advisor.gui.wizard.state import ANALYSIS_PATH


def press_enter(qtbot, w):
    qtbot.keyClick(w.focusWidget() or w, Qt.Key.Key_Return)


def walk_with_enter(qtbot, w):
    seen = []
    for _ in range(12):
        pid = w.currentId()
        seen.append(PageId(pid))
        if pid == PageId.SCAN:
            qtbot.waitUntil(w.scan_page.isComplete, timeout=10000)
        if pid == PageId.REPORT:
            break
        press_enter(qtbot, w)
        qtbot.waitUntil(lambda p=pid: w.currentId() != p, timeout=5000)
    return seen


def test_enter_walks_every_page_to_finish(qtbot, wizard):
    w = wizard(snapshot=str(FIRECRACKER))
    assert w.windowTitle() == "Kernel Advisor"
    seen = walk_with_enter(qtbot, w)
    assert seen == list(ANALYSIS_PATH)
    with qtbot.waitSignal(w.finished, timeout=3000):
        press_enter(qtbot, w)
    assert w.result() == 1  # accepted: the app exits 0


def test_scan_rows_and_evidence(qtbot, wizard):
    w = wizard(snapshot=str(FIRECRACKER))
    w.next()
    qtbot.waitUntil(w.scan_page.isComplete, timeout=10000)
    tree = w.scan_page.tree
    rows = {tree.topLevelItem(i).text(1): tree.topLevelItem(i) for i in range(tree.topLevelItemCount())}
    usable = rows["KVM_CREATE_VM works"]
    assert usable.text(0) == "OK"  # words beside the icon, never colour alone
    assert "ioctl" in usable.child(0).text(2)  # the evidence, on demand
    assert rows["Hardware virtualization (VT-x/AMD-V)"].text(0) == "WARN"
    assert w.analysis.verdicts[0].framework == "kvm"


def test_recommendation_page_has_copy_buttons_with_names(qtbot, wizard):
    w = wizard(snapshot=str(FIRECRACKER))
    w.next()
    qtbot.waitUntil(w.scan_page.isComplete, timeout=10000)
    w.next()
    w.next()
    page = w.recommendation
    from PySide6.QtWidgets import QToolButton

    buttons = page.findChildren(QToolButton)
    assert buttons and all(b.accessibleName().startswith("Copy:") for b in buttons)
    buttons[0].click()
    assert QApplication.clipboard().text() in buttons[0].accessibleName()


def test_recommendation_is_a_checklist_whose_first_to_do_copies_its_command(qtbot, wizard,
                                                                          tmp_path):
    """A desktop user outside group kvm: KVM's first line is the to-do, with the usermod
    command; its copy button copies the command alone, never the sentence around it."""
    from PySide6.QtWidgets import QLabel, QToolButton
    from test_host_advice import INTEL, host, snapshot

    snapshot(tmp_path, distro="debian13", files={
        **host("6.12.57+deb13-amd64", cpuinfo=INTEL.format(extra="vmx")),
        "/etc/group": "root:x:0:\nkvm:x:36:\ndev:x:1000:\n",
        "/proc/modules": "kvm_intel 1 0 - Live 0x0\nkvm 1 1 kvm_intel, Live 0x0\n"},
        devices={"/dev/kvm": (10, 232, 0o660, 36)},
        live={"access": {"uid": 1000, "user": "dev", "groups": ["dev"], "gids": [1000],
                         "rw_access": False}})
    w = wizard(snapshot=str(tmp_path / "host.tar.gz"))
    w.next()
    qtbot.waitUntil(w.scan_page.isComplete, timeout=10000)
    w.next()
    qtbot.keyClick(w.focusWidget() or w, Qt.Key.Key_Return)  # on to the recommendation
    qtbot.waitUntil(lambda: w.currentId() == PageId.RECOMMENDATION, timeout=5000)
    box = w.recommendation.body_layout.itemAt(0).widget()
    assert box.title() == "1. KVM"
    states = [lb.text() for lb in box.findChildren(QLabel) if lb.objectName().startswith("state-")]
    assert states[0] == "to do" and "met" in states and "impossible" not in states
    copy = next(b for b in box.findChildren(QToolButton) if b.objectName() == "copy-command")
    QApplication.clipboard().clear()
    qtbot.mouseClick(copy, Qt.MouseButton.LeftButton)
    assert QApplication.clipboard().text() == "sudo usermod -aG kvm dev"


def test_needs_change_the_answer(qtbot, wizard):
    w = wizard(root_dir=str(VIRT_WHAT / "baremetal" / "root"), kernel="2.6.30", arch="i686")
    w.next()
    qtbot.waitUntil(w.scan_page.isComplete, timeout=10000)
    w.next()
    assert w.analysis.verdicts[0].framework == "kvm"
    w.needs.any.setChecked(True)
    w.next()
    lg = next(v for v in w.analysis.verdicts if v.framework == "lguest")
    assert lg.verdict == "unavailable"


def test_bad_snapshot_is_caught_on_the_welcome_page(qtbot, wizard, tmp_path):
    w = wizard(snapshot=str(tmp_path / "missing.tar.gz"))
    w.next()
    assert w.currentId() == PageId.WELCOME
    assert "There is no file" in w.welcome.error.text() and not w.welcome.isComplete()


def test_an_unusable_snapshot_is_refused_on_the_welcome_page(qtbot, wizard, tmp_path):
    """Issue 28, class 8: the file is read on page 1, as the what-if field is checked there:
    a file that is not a tarball, and a tarball that is not a snapshot (no green rows first)."""
    import io
    import tarfile

    bad = tmp_path / "bad.tar.gz"
    bad.write_bytes(b"not a tarball")
    foreign = tmp_path / "photos.tar.gz"
    with tarfile.open(foreign, "w:gz") as tf:
        info = tarfile.TarInfo("photos/holiday.jpg")
        info.size = 4
        tf.addfile(info, io.BytesIO(b"JPEG"))
    for path, words in ((bad, "cannot be used"), (foreign, "not a Kernel Advisor snapshot")):
        w = wizard(snapshot=str(path))
        w.next()  # pressed while the file is read: it goes on only if the file is usable
        qtbot.waitUntil(lambda w=w, words=words: words in w.welcome.error.text(),
                        timeout=15000)
        assert w.currentId() == PageId.WELCOME and not w.welcome.isComplete()
        assert "--snapshot" not in w.welcome.error.text()
        w.close()


def test_a_usable_snapshot_goes_on_to_the_scan_once_read(qtbot, wizard):
    w = wizard(snapshot=str(FIRECRACKER))
    w.next()
    qtbot.waitUntil(lambda: w.currentId() == PageId.SCAN, timeout=15000)
    qtbot.waitUntil(w.scan_page.isComplete, timeout=15000)


def test_kernel_org_check_never_freezes_and_times_out(qtbot, wizard):
    import socket
    import threading

    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(1)  # accepts, never answers
    port = srv.getsockname()[1]
    w = wizard(snapshot=str(FIRECRACKER), releases_url=f"http://127.0.0.1:{port}/releases.json")
    w.next()
    qtbot.waitUntil(w.scan_page.isComplete, timeout=10000)
    for _ in range(3):
        w.next()
    page = w.stability
    ticks = []
    timer_start = time.monotonic()
    from PySide6.QtCore import QTimer

    t = QTimer()
    t.timeout.connect(lambda: ticks.append(time.monotonic()))
    t.start(20)
    page.check.click()
    assert not page.check.isEnabled() and page.cancel.isEnabled()
    qtbot.waitUntil(lambda: page.check.isEnabled(), timeout=10000)
    t.stop()
    gaps = [b - a for a, b in itertools.pairwise(ticks)]
    assert max(gaps) < 0.25, "the GUI thread stalled while kernel.org did not answer"
    assert time.monotonic() - timer_start < 8
    assert w.analysis.stability.source == "bundled"
    assert "no answer in time" in " ".join(w.analysis.stability.notes)
    srv.close()
    threading.Event().wait(0)


def test_export_each_format_and_overwrite_question(qtbot, wizard, tmp_path, monkeypatch):
    w = wizard(snapshot=str(FIRECRACKER))
    w.next()
    qtbot.waitUntil(w.scan_page.isComplete, timeout=10000)
    page = w.report
    for fmt in ("html", "md", "json", "pdf"):
        target = tmp_path / f"r.{fmt}"
        with qtbot.waitSignal(page.exported, timeout=20000) as sig:
            page.export_to(str(target), fmt)
        assert sig.args == [str(target)] and target.stat().st_size > 500
    target = tmp_path / "r.html"
    before = target.read_bytes()
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.No)
    assert page.export_to(str(target), "html") is False
    assert target.read_bytes() == before


def test_export_failure_shows_dialog_and_keeps_file(qtbot, wizard, tmp_path):
    w = wizard(snapshot=str(FIRECRACKER))
    w.next()
    qtbot.waitUntil(w.scan_page.isComplete, timeout=10000)
    page = w.report
    ro = tmp_path / "ro"
    ro.mkdir()
    (ro / "r.json").write_text("keep me")
    ro.chmod(0o500)
    try:
        if os.access(ro, os.W_OK):
            pytest.skip("running as root: a read-only directory is still writable")
        with qtbot.waitSignal(page.exported, timeout=10000) as sig:
            page.export_to(str(ro / "r.json"), "json", confirm=False)
        assert sig.args == [""]
        assert (ro / "r.json").read_text() == "keep me"
        boxes = [b for b in QApplication.topLevelWidgets() if isinstance(b, QMessageBox)]
        assert boxes and boxes[-1].detailedText()
    finally:
        ro.chmod(0o700)


def test_export_over_a_directory_fails_with_dialog_and_loses_nothing(qtbot, wizard, tmp_path):
    w = wizard(snapshot=str(FIRECRACKER))
    w.next()
    qtbot.waitUntil(w.scan_page.isComplete, timeout=10000)
    target = tmp_path / "adir"
    target.mkdir()
    (target / "keep.txt").write_text("keep me")
    with qtbot.waitSignal(w.report.exported, timeout=10000) as sig:
        w.report.export_to(str(target), "json", confirm=False)
    assert sig.args == [""]
    assert (target / "keep.txt").read_text() == "keep me"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".kernel-advisor-")]  # none left behind
    boxes = [b for b in QApplication.topLevelWidgets() if isinstance(b, QMessageBox)]
    assert boxes and "Traceback" in boxes[-1].detailedText()


def test_export_to_missing_directory_fails_cleanly(qtbot, wizard, tmp_path):
    w = wizard(snapshot=str(FIRECRACKER))
    w.next()
    qtbot.waitUntil(w.scan_page.isComplete, timeout=10000)
    with qtbot.waitSignal(w.report.exported, timeout=10000) as sig:
        w.report.export_to(str(tmp_path / "nope" / "r.html"), "html", confirm=False)
    assert sig.args == [""]
    assert not (tmp_path / "nope").exists()
    assert "Nothing was written" in w.report.status.text()


def test_app_identity_matches_desktop_entry():
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    assert os.path.exists(os.path.join(root, "resources", f"{APP_ID}.desktop"))


def test_no_display_is_one_line_and_exit_2():
    env = {k: v for k, v in os.environ.items()
           if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    out = subprocess.run([sys.executable, "-m", "kernel_advisor"], env=env, capture_output=True,
                         text=True, timeout=60)
    assert out.returncode == 2
    assert len(out.stderr.strip().splitlines()) == 1 and "no display" in out.stderr


def test_garbage_is_collected_on_the_gui_thread_once_workers_run(qtbot):
    """Qt objects in reference cycles must never be destroyed by a worker thread's GC run."""
    import gc
    import threading
    import weakref

    from kernel_advisor.gui.tasks import run_in_background

    done = []
    run_in_background(lambda: threading.get_ident(), done.append)
    qtbot.waitUntil(lambda: bool(done), timeout=3000)
    assert done[0] != threading.get_ident()
    assert not gc.isenabled()  # no automatic collection in whatever thread allocates

    class Cycle:
        pass

    collected_on = []
    for _ in range(gc.get_threshold()[0] + 10):  # enough garbage to cross the threshold
        a, b = Cycle(), Cycle()
        a.b, b.a = b, a
    probe = Cycle()
    probe.self = probe
    weakref.finalize(probe, lambda: collected_on.append(threading.get_ident()))
    del probe, a, b
    qtbot.waitUntil(lambda: bool(collected_on), timeout=5000)
    assert collected_on == [threading.get_ident()]  # the GUI thread, via the timer


def test_pages_after_the_first_are_built_on_first_visit(qtbot, wizard):
    """Start-up does only what the first page needs; each later page builds when shown."""
    w = wizard(snapshot=str(FIRECRACKER))
    later = [w.scan_page, w.needs, w.recommendation, w.stability, w.report]
    assert not any(p.built for p in later)
    press_enter(qtbot, w)
    qtbot.waitUntil(w.scan_page.isComplete, timeout=10000)
    # the scan read the answers from the shared state, not from the needs page's widgets
    assert w.scan_page.built and not w.needs.built
    assert not (w.recommendation.built or w.stability.built or w.report.built)
    press_enter(qtbot, w)
    press_enter(qtbot, w)
    qtbot.waitUntil(lambda: w.currentId() == PageId.RECOMMENDATION, timeout=5000)
    assert w.recommendation.built and w.recommendation.body_layout.count() >= 3  # three verdicts, then notes


def test_a_stale_scan_never_overwrites_a_newer_one(qtbot, wizard, monkeypatch):
    """Start a scan, go Back, choose other input, go Next: only the second scan's rows and
    analysis appear, however late the first one's results arrive."""
    import threading

    from kernel_advisor import analysis

    release = threading.Event()
    real = analysis.analyse

    def slow_first(**kw):  # the first scan (the snapshot) waits until the second is done
        if kw.get("snapshot"):
            release.wait(10)
        return real(**kw)

    monkeypatch.setattr(analysis, "analyse", slow_first)
    w = wizard(snapshot=str(FIRECRACKER))
    w.next()  # on once the snapshot is read (page 1 reads it)
    qtbot.waitUntil(lambda: w.currentId() == PageId.SCAN, timeout=10000)
    assert not w.scan_page.isComplete()
    w.back()
    w.welcome.what_if.setChecked(True)
    w.welcome.kernel.setText("2.6.23")
    w.welcome.arch.setCurrentText("i686")
    w.next()
    qtbot.waitUntil(w.scan_page.isComplete, timeout=10000)
    rows = w.scan_page.tree.topLevelItemCount()
    release.set()  # now the first scan finishes, late
    qtbot.wait(500)
    assert w.scan_page.tree.topLevelItemCount() == rows
    assert w.analysis.host.what_if == {"kernel": "2.6.23", "arch": "i686"}
    assert w.analysis.verdicts[0].framework == "lguest"


def test_an_unexpected_error_is_logged_where_the_dialog_says(tmp_path, monkeypatch):
    from kernel_advisor.gui import app

    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    try:
        where = app.log_error("Traceback: boom")
        assert where == str(tmp_path / "state" / "kernel-advisor" / "kernel-advisor.log")
        assert "boom" in open(where, encoding="utf-8").read()
    finally:  # the handler points into tmp_path: do not leave it to later tests
        import logging

        log = logging.getLogger("kernel-advisor")
        for handler in log.handlers[:]:
            log.removeHandler(handler)
            handler.close()


def test_recommendation_page_shows_the_headline_and_sources_as_links(qtbot, wizard):
    from PySide6.QtWidgets import QLabel

    w = wizard(root_dir=str(VIRT_WHAT / "rhel5-xen-dom0" / "root"), kernel="2.6.18-8.el5xen",
               arch="x86_64")
    w.next()
    qtbot.waitUntil(w.scan_page.isComplete, timeout=10000)
    w.next()
    w.next()
    page = w.recommendation
    assert page.headline.text() == w.analysis.headline
    assert "RHEL 5 reached its end of life" in page.headline.text()
    linked = [lb for lb in page.findChildren(QLabel) if 'href="https://' in lb.text()]
    assert linked and all(lb.openExternalLinks() for lb in linked)
    assert "<script" not in "".join(lb.text() for lb in linked)


def test_unrelated_tarball_gets_no_verdict(qtbot, wizard, tmp_path):
    import io
    import tarfile

    photos = tmp_path / "photos.tar.gz"
    with tarfile.open(photos, "w:gz") as tf:
        info = tarfile.TarInfo("holiday/beach.jpg")
        info.size = 4
        tf.addfile(info, io.BytesIO(b"\xff\xd8\xff\xe0"))
    w = wizard(snapshot=str(photos))
    w.next()  # refused on the first page now (issue 28, class 8), in the same words
    qtbot.waitUntil(lambda: "not a Kernel Advisor snapshot" in w.welcome.error.text(),
                    timeout=5000)
    assert "no kernel release" in w.welcome.error.text()
    assert "no proc/cpuinfo" in w.welcome.error.text()
    assert w.currentId() == PageId.WELCOME and w.analysis is None


def test_the_recommendation_says_what_the_virtual_machines_will_get(qtbot, wizard, tmp_path):
    """Issue 27: the vCPU that ran, what guests are offered, the devices to pass — one section
    under the verdicts, as the reports have it."""
    from PySide6.QtWidgets import QGroupBox, QLabel, QWizard
    from test_host_advice import INTEL, host, snapshot

    snapshot(tmp_path, distro="debian13", files=host("6.12.57+deb13-amd64", cpuinfo=INTEL.format(
        extra="vmx")), devices={"/dev/kvm": (10, 232, 0o660, 36)},
        live={"kvm": {"opened": True, "create_vm": "ok", "api_version": 12, "vcpu_ran": True,
                      "vcpu_exit": "KVM_EXIT_HLT", "vcpu_detail": "OUT 0x4b to port 0x10, then HLT",
                      "guest_vmx": True, "guest_svm": False, "vm_types": 1},
              "access": {"uid": 1000, "user": "dev", "groups": ["kvm"], "gids": [36],
                         "rw_access": True}})
    w = wizard(snapshot=str(tmp_path / "host.tar.gz"))
    walk_with_enter(qtbot, w)  # Enter on every page, as a keyboard user goes
    back = w.button(QWizard.WizardButton.BackButton)
    for _ in range(2):  # from the report and the stability page back to the recommendation
        qtbot.mouseClick(back, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: w.currentId() == PageId.RECOMMENDATION, timeout=5000)
    box = w.recommendation.body.findChild(QGroupBox, "vm-evidence")
    assert box is not None and box.title() == "What your virtual machines will get"
    said = " ".join(lb.text() for lb in box.findChildren(QLabel))
    assert "a vCPU ran guest code to HLT through KVM_RUN" in said
    assert "guests are offered VMX" in said
