"""Reports from the one analysis model, one module per format.

``text`` is what ``check`` prints (and the wizard's "copy summary"), ``markdown``, ``html`` and
``jsondoc`` (the ``kernel-advisor/1`` contract) are the exports. PDF is drawn by Qt from the
HTML, so it lives in the GUI layer (:mod:`kernel_advisor.gui.pdf`); this package never imports Qt.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Optional

if TYPE_CHECKING:
    from kernel_advisor.analysis import Analysis

#: every export format, as ``report -f`` and the wizard offer them
FORMATS = ("html", "pdf", "md", "json")
FORMAT_NAMES = {"html": "HTML", "pdf": "PDF", "md": "Markdown", "json": "JSON"}
SUFFIXES = {"html": ".html", "pdf": ".pdf", "md": ".md", "json": ".json"}
#: format → the module that renders it, imported when that format is asked for
_RENDERERS = {"html": "kernel_advisor.report.html", "md": "kernel_advisor.report.markdown",
              "json": "kernel_advisor.report.jsondoc"}


def render(a: Analysis, fmt: str) -> bytes:
    """The report in a text format (``html``, ``md``, ``json``) as UTF-8 bytes."""
    if fmt == "pdf":
        raise ValueError("PDF is drawn by Qt: use kernel_advisor.gui.pdf.render_pdf")
    if fmt not in _RENDERERS:
        raise ValueError(f"unknown format {fmt!r} (use {', '.join(FORMATS)})")
    text: str = import_module(_RENDERERS[fmt]).render(a)
    return text.encode()


def format_for_path(path: str) -> Optional[str]:
    """The format a file name asks for by its suffix (``.htm`` too), or None."""
    lower = path.lower()
    if lower.endswith(".htm"):
        return "html"
    if lower.endswith(".markdown"):
        return "md"
    return next((fmt for fmt, suffix in SUFFIXES.items() if lower.endswith(suffix)), None)
