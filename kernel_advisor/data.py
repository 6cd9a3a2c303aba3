"""The bundled data files in ``kernel_advisor/data/``, read with :mod:`json` once per process.

Read from the package folder (``Path(__file__).parent / "data"``), which works for wheels,
editable installs and the PyInstaller bundle alike; ``importlib.resources`` would cost more to
import than the whole probe takes. ``tests/test_data.py`` checks each file against its schema.
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


@lru_cache(maxsize=None)
def load(name: str) -> Dict[str, Any]:
    """A bundled JSON file (``kb.json``, ``releases.json``), parsed once. Treat it as read-only:
    every caller shares the same objects."""
    with open(path(name), encoding="utf-8") as fh:
        doc: Dict[str, Any] = json.load(fh)
        return doc
