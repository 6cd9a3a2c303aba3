"""The knowledge base (``advisor/data/kb.json``): dated facts with their sources, as data.

Loaded from :mod:`advisor._bundled`, the same data as Python literals (see
``tools/digest_data.py``), so no JSON parser runs at start-up.
"""

from __future__ import annotations


def load() -> dict:
    """The bundled knowledge base."""
    from advisor._bundled import KB

    if KB.get("schema") != 1:
        raise ValueError("advisor/data/kb.json: unknown schema")
    return KB


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
