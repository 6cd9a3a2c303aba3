#!/usr/bin/env python3
"""Regenerate docs/screenshots/: every wizard page and a report page, under a real X server.

    xvfb-run -a -s "-screen 0 1280x900x24" python3 tools/screenshots.py [--snapshot FILE]

Walks the wizard as a person would (Next on each page), grabbing the window after each step.
With ``--fit``, grabs the whole screen instead, at the window's own size, to see that the
window and its buttons fit (run under ``QT_SCALE_FACTOR=1.25`` on a 1366x768 screen, say):

    QT_SCALE_FACTOR=2 xvfb-run -a -s "-screen 0 1920x1080x24" python3 tools/screenshots.py \
        --fit --out /tmp/fit
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, ROOT)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--snapshot",
                    default=os.path.join(ROOT, "tests/fixtures/hosts/firecracker-pvm.tar.gz"))
    ap.add_argument("--out", default=os.path.join(ROOT, "docs/screenshots"))
    ap.add_argument("--fleet", metavar="DIR", help="grab the fleet page for DIR's snapshots "
                    "(docs/screenshots/8-fleet.png) instead")
    ap.add_argument("--fit", action="store_true", help="grab the whole screen at the window's "
                    "own size, and say whether the window fits")
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)

    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    from kernel_advisor import APP_ID
    from kernel_advisor.gui.app import app_icon
    from kernel_advisor.gui.wizard import AdvisorWizard, Inputs, PageId

    QApplication.setDesktopFileName(APP_ID)
    app = QApplication(["kernel-advisor"])
    from kernel_advisor.gui import i18n

    i18n.install(app)  # as the app does: the environment's language
    app.setWindowIcon(app_icon())
    if args.fleet:
        w = AdvisorWizard(Inputs(fleet_dir=args.fleet))
        w.resize(1000, 640)
        w.show()
        w.next()
        loop = QEventLoop()
        for _ in range(300):
            if w.fleet.export.isEnabled():
                break
            QTimer.singleShot(100, loop.quit)
            loop.exec()
        QTimer.singleShot(300, loop.quit)
        loop.exec()
        path = os.path.join(args.out, "8-fleet.png")
        w.grab().save(path)
        print("wrote", path)
        w.close()
        return 0
    w = AdvisorWizard(Inputs(snapshot=args.snapshot))
    if not args.fit:
        w.resize(900, 720)
    w.show()

    def settle(ms=300):
        loop = QEventLoop()
        QTimer.singleShot(ms, loop.quit)
        loop.exec()

    names = {PageId.WELCOME: "1-welcome", PageId.SCAN: "2-scan", PageId.NEEDS: "3-needs",
             PageId.RECOMMENDATION: "4-recommendation", PageId.STABILITY: "5-stability",
             PageId.REPORT: "6-report"}
    settle(500)
    while True:
        pid = PageId(w.currentId())
        if pid == PageId.SCAN:
            for _ in range(100):
                if w.scan_page.isComplete():
                    break
                settle(100)
            w.scan_page.tree.topLevelItem(0).setExpanded(True)
        settle(300)
        path = os.path.join(args.out, names[pid] + ".png")
        if args.fit:
            screen = w.screen()
            frame, area = w.frameGeometry(), screen.availableGeometry()
            fits = area.contains(frame)
            print(f"{names[pid]}: window {frame.width()}x{frame.height()} at "
                  f"{frame.x()},{frame.y()}; screen {area.width()}x{area.height()} "
                  f"(scale {screen.devicePixelRatio():g}): {'fits' if fits else 'DOES NOT FIT'}")
            screen.grabWindow(0).save(path)
        else:
            w.grab().save(path)
        print("wrote", path)
        if pid == PageId.REPORT:
            break
        w.next()
    if args.fit:
        w.close()
        return 0
    # a report page, rendered from the PDF the app writes
    with tempfile.TemporaryDirectory() as tmp:
        pdf = os.path.join(tmp, "r.pdf")
        subprocess.run([sys.executable, "-m", "kernel_advisor", "report", "-f", "pdf", "-o", pdf,
                        "--snapshot", args.snapshot], check=True, cwd=ROOT)
        subprocess.run(["pdftoppm", "-png", "-r", "70", "-f", "1", "-l", "1", pdf,
                        os.path.join(tmp, "page")], check=True)
        page = [f for f in os.listdir(tmp) if f.startswith("page")][0]
        os.replace(os.path.join(tmp, page), os.path.join(args.out, "7-report-pdf.png"))
        print("wrote", os.path.join(args.out, "7-report-pdf.png"))
    w.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
