"""The bundled data files in ``kernel_advisor/data/``, read with :mod:`json` once per process.

Read from the package folder (``Path(__file__).parent / "data"``), which works for wheels,
editable installs and the PyInstaller bundle alike; ``importlib.resources`` would cost more to
import than the whole probe takes. Each file's fields are checked as it is loaded
(:mod:`kernel_advisor.datacheck`): a broken copy is one :class:`DataError` line, never a wrong
command later. ``tests/test_data.py`` validates each file against its full JSON Schema
(``docs/schema/data``).
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict

DATA_DIR = Path(__file__).resolve().parent / "data"


def path(name: str) -> Path:
    """A bundled data file (``kernel_advisor/data/NAME``)."""
    return DATA_DIR / name


class DataError(Exception):
    """A bundled data file that is missing, not JSON, or lacks what the code reads: one line
    naming the file and the field (the command line exits 2 with it)."""


@lru_cache(maxsize=None)
def load(name: str) -> Dict[str, Any]:
    """A bundled JSON file (``kb.json``, ``releases.json``), parsed and checked once. Treat it
    as read-only: every caller shares the same objects."""
    from kernel_advisor import datacheck

    where = f"kernel_advisor/data/{name}"
    try:
        with open(path(name), encoding="utf-8") as fh:
            doc = json.load(fh)
    except (OSError, ValueError) as exc:
        raise DataError(f"{where}: {getattr(exc, 'strerror', None) or exc}") from None
    if not isinstance(doc, dict):
        raise DataError(f"{where}: expected a JSON object")
    check = datacheck.CHECKS.get(name)
    try:
        if check is not None:
            check(doc)
    except datacheck.Problem as exc:
        raise DataError(f"{where}: {exc}") from None
    return doc
