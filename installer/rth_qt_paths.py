# PyInstaller run-time hook: Kernel Advisor's stand-in for PyInstaller's own pyi_rth_pyside6.
# That hook imports PySide6.QtCore at every start of the bundle (to register a qt.conf), which
# loads Qt's libraries — ~150 ms before even `--version`, for a command line that mostly never
# touches Qt. This one sets the same paths, importing nothing; the qt.conf is registered when
# Qt is first needed (kernel_advisor/gui/bundle.py). kernel-advisor.spec swaps them.


def _rthook():
    import os
    import sys

    qt = os.path.join(sys._MEIPASS, "PySide6", "Qt")
    os.environ["QT_PLUGIN_PATH"] = os.path.join(qt, "plugins")
    os.environ["QML2_IMPORT_PATH"] = os.path.join(qt, "qml")
    import _pyi_rth_utils.qt  # noqa: F401 - collected for kernel_advisor/gui/bundle.py


_rthook()
del _rthook
