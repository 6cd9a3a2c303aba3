#!/usr/bin/env python3
"""Write installer/constraints.txt: the exact versions of kernel-advisor[gui]'s run-time
dependencies (and theirs) as installed in the running venv — the one the tests passed in.

tools/test.sh installs the test venv with these constraints and runs this script after the
suite passed, so the installer pins what was tested; when a dependency is upgraded on purpose,
run it in the upgraded, tested venv and commit the result:

    .venv/bin/python tools/freeze-constraints.py
"""

from __future__ import annotations

import sys
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / "installer" / "constraints.txt"


def closure(name: str, extras: set) -> dict:
    """{distribution: version} of ``name`` with ``extras``, and everything it needs here."""
    seen, todo = {}, [(name, frozenset(extras))]
    while todo:
        dist_name, wanted = todo.pop()
        dist = metadata.distribution(dist_name)
        key = canonicalize_name(dist.metadata["Name"])
        if key != "kernel-advisor":
            seen[key] = dist.version
        for spec in dist.requires or []:
            req = Requirement(spec)
            if req.marker is None or any(req.marker.evaluate({"extra": e})
                                         for e in set(wanted) | {""}):
                if canonicalize_name(req.name) not in seen:
                    todo.append((req.name, frozenset(req.extras)))
    return seen


def render() -> str:
    pins = closure("kernel-advisor", {"gui"})
    lines = [f"{name}=={version}" for name, version in sorted(pins.items())]
    return ("# The versions installer/install.sh installs: kernel-advisor[gui]'s run-time\n"
            "# dependencies as the tests passed with them. Written by\n"
            "# tools/freeze-constraints.py; do not edit by hand.\n" + "\n".join(lines) + "\n")


if __name__ == "__main__":
    check = "--check" in sys.argv
    text = render()
    if check:
        sys.exit(0 if TARGET.read_text() == text else 1)
    TARGET.write_text(text)
    print(f"wrote {TARGET.relative_to(ROOT)}:")
    print(text)
