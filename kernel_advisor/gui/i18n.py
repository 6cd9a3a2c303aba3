"""The wizard's language, with Qt's own machinery: a ``QTranslator`` for the wizard's ``tr()``
texts (``kernel_advisor/data/i18n/kernel-advisor_LANG.qm``, from Qt Linguist ``.ts`` files in
``po/qt``)
and one for Qt's standard texts — ``&Next >``, ``Cancel``, the file dialog — from the
``qtbase_LANG.qm`` that PySide6 ships. The language is ``QLocale()``'s, which follows the same
environment as the core's gettext (:mod:`kernel_advisor.i18n`), so wizard and analysis agree.
"""

from __future__ import annotations

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtWidgets import QApplication

from kernel_advisor import data

_installed: list = []

def install(app: QApplication, locale: QLocale | None = None) -> list[QTranslator]:
    """Install the translators that exist for ``locale`` (default: the system's); returns them
    (kept on ``app`` too: a translator that is garbage-collected stops translating)."""
    locale = locale or QLocale()
    installed = []
    for name, folder in (("qtbase", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)),
                         ("kernel-advisor", str(data.path("i18n")))):
        translator = QTranslator(app)
        if translator.load(locale, name, "_", folder):
            app.installTranslator(translator)
            installed.append(translator)
    _installed[:] = installed  # their Python wrappers live as long as the app
    return installed
