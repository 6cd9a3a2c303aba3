"""The real app in a real X server (Xvfb): launched like the desktop entry, walked by keyboard."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time

import pytest
from conftest import FIRECRACKER

pytestmark = pytest.mark.xvfb
NEEDED = ("Xvfb", "xdotool")


@pytest.fixture
def xserver(tmp_path):
    missing = [t for t in NEEDED if shutil.which(t) is None]
    if missing:
        if os.environ.get("CI"):
            pytest.fail(f"CI must install {missing}")
        pytest.skip(f"{missing} not installed")
    number = os.getpid() % 400 + 100
    while os.path.exists(f"/tmp/.X11-unix/X{number}") or os.path.exists(f"/tmp/.X{number}-lock"):
        number += 1  # another X server has this display: take the next free one
    display = f":{number}"
    proc = subprocess.Popen(["Xvfb", display, "-screen", "0", "1280x900x24", "-nolisten", "tcp",
                             "-noreset"],  # a reset as the last client leaves refuses the next one
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(50):
        if os.path.exists(f"/tmp/.X11-unix/X{display[1:]}"):
            break
        time.sleep(0.1)
    yield display
    proc.terminate()
    proc.wait(10)


def _window(display, title="Kernel Advisor", timeout=20.0):
    env = {**os.environ, "DISPLAY": display}
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        out = subprocess.run(["xdotool", "search", "--onlyvisible", "--name", f"^{title}$"],
                             env=env, capture_output=True, text=True)
        if out.stdout.strip():
            return out.stdout.split()[0]
        time.sleep(0.2)
    return None


def test_real_window_keyboard_walk_exits_0(xserver, tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "QT_QPA_PLATFORM"}
    env.update(DISPLAY=xserver, XDG_STATE_HOME=str(tmp_path / "state"))
    app = subprocess.Popen([sys.executable, "-m", "kernel_advisor", "gui", "--snapshot", str(FIRECRACKER)],
                           env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        win = _window(xserver)
        assert win, "no 'Kernel Advisor' window appeared"
        xenv = {**os.environ, "DISPLAY": xserver}
        for _ in range(8):  # Enter on every page: Next ×5 (the scan finishes fast), then Finish
            time.sleep(0.8)
            subprocess.run(["xdotool", "windowactivate", "--sync", win], env=xenv,
                           capture_output=True)
            subprocess.run(["xdotool", "key", "--window", win, "Return"], env=xenv)
            if app.poll() is not None:
                break
        code = app.wait(timeout=20)
        assert code == 0, app.stderr.read()
    finally:
        if app.poll() is None:
            app.kill()
