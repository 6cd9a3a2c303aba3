"""The knowledge base (``advisor/data/kb.json``): dated facts with their sources, as data."""

from __future__ import annotations

import json
from functools import lru_cache

from advisor import data_text


@lru_cache(maxsize=1)
def load() -> dict:
    """The bundled knowledge base, parsed once per process."""
    text = data_text("kb.json")
    kb = json.loads(text)
    if kb.get("schema") != 1:
        raise ValueError("advisor/data/kb.json: unknown schema")
    return kb


def fact(fid: str) -> dict:
    return load()["facts"][fid]


def cite(fid: str) -> str:
    """The fact's text, worded cautiously when the fact sheet labels it UNVERIFIED."""
    f = fact(fid)
    if f["status"] == "UNVERIFIED":
        return f"Unverified (our fact sheet could not confirm it): {f['text']}"
    return f["text"]


def source_of(fid: str) -> dict:
    f = fact(fid)
    return {"id": fid, "source": f["source"], "status": f["status"]}


def ranges(framework: str, family: str, prefix: str = "") -> list[tuple[str, dict]]:
    """Facts of ``framework`` that give a version range for an architecture family."""
    return [
        (fid, f) for fid, f in load()["facts"].items()
        if f.get("framework") == framework and family in f.get("arch", ())
        and "since" in f and fid.startswith(prefix or framework)
    ]
