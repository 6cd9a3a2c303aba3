"""Start the wizard: app identity, icon, error dialog, no-display handling.

``kernel-advisor`` with no arguments (what the desktop launcher runs) lands here, as does
``kernel-advisor gui --root/--snapshot/--kernel/--arch``.
"""

from __future__ import annotations

import faulthandler
import os
import socket
import sys
import traceback

from PySide6.QtCore import QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from kernel_advisor import APP_ID, APP_NAME, __version__, data
from kernel_advisor.gui import i18n
from kernel_advisor.gui.wizard import AdvisorWizard, Inputs


def _state_dir() -> str:
    base = os.environ.get("XDG_STATE_HOME") or os.path.join(os.path.expanduser("~"), ".local",
                                                             "state")
    return os.path.join(base, "kernel-advisor")


def log_path() -> str:
    return os.path.join(_state_dir(), "kernel-advisor.log")


def log_error(text: str) -> str | None:
    """Append ``text`` to the rotating error log; its path, or None if it cannot be written.

    The log is set up on the first error: a normal run writes nothing, and does not wait for
    ``logging.handlers`` (which pulls in ``socket`` and ``pickle``) before its window shows.
    """
    import logging.handlers

    log = logging.getLogger("kernel-advisor")
    try:
        if not log.handlers:
            os.makedirs(_state_dir(), exist_ok=True)
            handler = logging.handlers.RotatingFileHandler(log_path(), maxBytes=512 * 1024,
                                                           backupCount=2)
            handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: "
                                                   "%(message)s"))
            log.addHandler(handler)
            log.setLevel(logging.INFO)
        log.error("unexpected error\n%s", text)
        return log_path()
    except OSError:
        return None


def _display_problem() -> str | None:
    """Why no window can be shown, or None. Qt aborts the process (a core dump, no message)
    when its display does not answer, so a stale ``DISPLAY`` is tried here first."""
    platform = os.environ.get("QT_QPA_PLATFORM", "")
    if platform and not platform.startswith(("xcb", "wayland")):
        return None  # offscreen, vnc, eglfs…: the user asked for it
    wayland, x11 = os.environ.get("WAYLAND_DISPLAY"), os.environ.get("DISPLAY")
    if not wayland and not x11:
        return "no display (DISPLAY and WAYLAND_DISPLAY are unset)"
    if wayland and _answers(_wayland_address(wayland)):
        return None
    if x11 and _answers(_x11_address(x11)):
        return None
    shown = ", ".join(f"{k}={v}" for k, v in (("WAYLAND_DISPLAY", wayland), ("DISPLAY", x11)) if v)
    return f"no display answers ({shown})"


def _wayland_address(name: str):
    runtime = os.environ.get("XDG_RUNTIME_DIR", f"/run/user/{os.getuid()}")
    return (socket.AF_UNIX, name if name.startswith("/") else os.path.join(runtime, name))


def _x11_address(display: str):
    """The socket of an X display name: ``:N`` (local), ``unix:N``, ``host:N`` (TCP 6000+N)."""
    host, _, rest = display.rpartition(":")
    number = rest.split(".")[0]
    if not number.isdigit():
        return None
    if host in ("", "unix") or host.startswith("/"):
        if host.startswith("/"):  # launchd-style paths: the socket is the name itself
            return (socket.AF_UNIX, display)
        return (socket.AF_UNIX, "\0/tmp/.X11-unix/X" + number, f"/tmp/.X11-unix/X{number}")
    return (socket.AF_INET, (host, 6000 + int(number)))


def _answers(address) -> bool:
    """Whether a server accepts connections at ``address`` (tried for a second at most)."""
    if address is None:
        return False
    family, *targets = address
    for target in targets:
        with socket.socket(family, socket.SOCK_STREAM) as sock:
            sock.settimeout(1.0)
            try:
                sock.connect(target)
                return True
            except OSError:
                continue
    return False


def app_icon() -> QIcon:
    # a PNG fallback: decoding it needs no SVG plugin at start-up (the theme may offer the SVG)
    return QIcon.fromTheme(APP_ID, QIcon(str(data.path(
        f"desktop/icons/hicolor/128x128/apps/{APP_ID}.png"))))


def _install_excepthook() -> None:
    def hook(exc_type, exc, tb):
        text = "".join(traceback.format_exception(exc_type, exc, tb))
        where = log_error(text)
        if sys.__stderr__ is not None:
            sys.__stderr__.write(text)
        if QApplication.instance() is None:
            return
        box = QMessageBox(QMessageBox.Icon.Critical, APP_NAME,
                          QApplication.translate("app", "Something went wrong: %s") % exc)
        box.setInformativeText(QApplication.translate(
            "app", "The details below can be copied into a bug report.")
            + (f"\n{where}" if where else ""))
        box.setDetailedText(f"{APP_NAME} {__version__}\n{text}")
        box.setTextInteractionFlags(box.textInteractionFlags())
        box.exec()

    sys.excepthook = hook


def main(args=None) -> int:
    if sys.__stderr__ is not None:
        try:
            faulthandler.enable()
        except (ValueError, OSError):
            pass
    problem = _display_problem()
    if problem:
        print(f"kernel-advisor: {problem}; use 'kernel-advisor check' in a terminal",
              file=sys.stderr)
        return 2
    QApplication.setApplicationName("kernel-advisor")
    QApplication.setApplicationDisplayName(APP_NAME)
    QApplication.setApplicationVersion(__version__)
    QApplication.setDesktopFileName(APP_ID)
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        from kernel_advisor.gui.bundle import prepare_qt

        prepare_qt()
        app = QApplication(sys.argv[:1])
    i18n.install(app)
    app.setWindowIcon(app_icon())
    _install_excepthook()
    inputs = Inputs.from_args(args)
    wizard = AdvisorWizard(inputs)
    wizard.show()
    if inputs.named:  # gui --snapshot FILE, --fleet DIR…: what the command line asked, at once
        QTimer.singleShot(0, wizard.go_to_input)
    result = app.exec()
    from kernel_advisor.gui.tasks import wait_for_all

    code = 0 if result in (0, 1) else result
    if not wait_for_all():  # a task that will not end: leave without finalizing under it
        sys.stderr.flush()
        os._exit(code)
    return code
