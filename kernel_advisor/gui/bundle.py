"""In the PyInstaller bundle, what Qt needs before its first application object.

PyInstaller's PySide6 run-time hook registers an embedded ``qt.conf`` that points Qt's prefix
at the bundled copy, and imports ``PySide6.QtCore`` at every start to do it. The bundle uses
a hook of its own that only sets the paths (``installer/rth_qt_paths.py``), and this registers
the ``qt.conf`` — with PyInstaller's own helper — when the wizard or the PDF report starts.
Outside the bundle it does nothing.
"""

from __future__ import annotations

import os
import sys


def prepare_qt() -> None:
    bundled = getattr(sys, "_MEIPASS", None)  # PyInstaller's folder of the bundle's files
    if not getattr(sys, "frozen", False) or bundled is None:
        return
    try:
        from _pyi_rth_utils import qt  # type: ignore[import-not-found]  # PyInstaller's
    except ImportError:  # a PyInstaller without the helper: Qt finds its prefix by itself
        return
    qt.create_embedded_qt_conf("PySide6", os.path.join(bundled, "PySide6", "Qt"))
