"""The About box: the version, how old the data behind the answers is, the licence and where
the project lives — plain text, built from the package and its data, never from a host."""

from __future__ import annotations

import platform

from PySide6 import QtCore, QtWidgets

from kernel_advisor import APP_NAME, __version__

HOMEPAGE = "https://github.com/kerneladvisor/kernel-advisor"
LICENCE = "GPL-3.0-or-later"


def about_text() -> str:
    from kernel_advisor.gui.wizard.widgets import date
    from kernel_advisor.stability import bundled_table

    return "\n\n".join([
        QtCore.QCoreApplication.translate(
            "About", "Which virtualization framework fits this machine — lguest, KVM or Xen — "
                     "and how stable is its kernel."),
        QtCore.QCoreApplication.translate("About", "Version %1").replace("%1", __version__),
        QtCore.QCoreApplication.translate(
            "About", "Kernel release data bundled with this version: as of %1. The Kernel "
                     "stability page can ask kernel.org for today's.")
        .replace("%1", date(bundled_table()["data_as_of"])),
        QtCore.QCoreApplication.translate("About", "Licence: %1. Source, issues and help: %2")
        .replace("%1", LICENCE)
        .replace("%2", HOMEPAGE),
        QtCore.QCoreApplication.translate("About", "Python %1, Qt %2")
        .replace("%1", platform.python_version()).replace("%2", QtCore.qVersion()),
    ])


def show_about(parent: QtWidgets.QWidget) -> QtWidgets.QMessageBox:
    box = QtWidgets.QMessageBox(parent)
    box.setWindowTitle(QtCore.QCoreApplication.translate("About", "About %1")
                       .replace("%1", APP_NAME))
    box.setIconPixmap(parent.windowIcon().pixmap(64, 64))
    box.setTextFormat(QtCore.Qt.TextFormat.PlainText)
    box.setText(APP_NAME)
    box.setInformativeText(about_text())
    box.setStandardButtons(QtWidgets.QMessageBox.StandardButton.Close)
    box.setObjectName("about")
    box.open()
    return box
