"""The core's language: GNU gettext, the standard library's own, for every sentence the core
writes (reasons, next steps, stability notes, check summaries, report headings, knowledge-base
texts, command-line messages). The wizard's own words go through Qt Linguist
(``kernel_advisor/gui/i18n.py``); both follow the same environment (``LANGUAGE``, ``LC_ALL``,
``LC_MESSAGES``, ``LANG``), so one setting gives one language everywhere.

Catalogues: ``kernel_advisor/data/locale/LANG/LC_MESSAGES/kernel-advisor.mo``, compiled from
``po/LANG.po`` by ``tools/i18n.py`` (which also extracts the messages, the knowledge base's
texts included). No catalogue for the language, or none at all (the fleet collector ships
none): English, unchanged.

Only human sentences are translated; identifiers, enumerated values and JSON keys never are.
A message with values is a template: ``_("Kernel {release} is too old").format(release=r)``.
"""

from __future__ import annotations

import gettext
import os
from typing import Optional, Sequence

DOMAIN = "kernel-advisor"
LOCALE_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data", "locale")

_translation: Optional[gettext.NullTranslations] = None


def setup(languages: Optional[Sequence[str]] = None) -> gettext.NullTranslations:
    """Choose the catalogue: ``languages`` (e.g. ``["de"]``), else the environment's."""
    global _translation
    _translation = gettext.translation(DOMAIN, LOCALE_DIR, languages=languages, fallback=True)
    return _translation


def _(message: str) -> str:
    """``message`` in the user's language (English when there is no translation)."""
    return (_translation or setup()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return (_translation or setup()).ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Mark ``message`` for extraction only; it is translated where it is shown."""
    return message


def language() -> str:
    """The catalogue's language (``"de"``), or ``"en"`` when none applies."""
    info = (_translation or setup()).info()
    return (info.get("language") or "en").split("_")[0] if info else "en"
