#!/usr/bin/env python3
"""Write the files generated from the code into kernel_advisor/data (package data, committed), or
check that the committed ones are current (``--check``; tests/test_packaging.py runs it):

- ``man/kernel-advisor.1``: the man page, from ``kernel_advisor.cli.build_parser`` by
argparse-manpage,
  plus every command's exit status (``cli.EXIT_STATUS``) and ``docs/manpage.include``
  (environment, files, see also); dated by NEWS.md's newest
  release, so the same code gives the same bytes;
- ``completion/kernel-advisor.bash`` and ``completion/_kernel-advisor`` (zsh): by shtab, from
  the same parser, with file and folder completion where an option takes one.

Run it after changing the command line:  .venv/bin/python tools/generate.py
"""

from __future__ import annotations

import argparse
import datetime
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DATA = ROOT / "kernel_advisor" / "data"


def release_date() -> str:
    news = (ROOT / "NEWS.md").read_text(encoding="utf-8")
    return re.search(r"^## \S+ — (\d{4}-\d\d-\d\d)", news, re.M).group(1)


def manpage() -> bytes:
    from kernel_advisor import __version__
    from kernel_advisor.cli import DESCRIPTION, EXIT_STATUS

    epoch = datetime.datetime.fromisoformat(release_date()).replace(
        tzinfo=datetime.timezone.utc).timestamp()
    def roff(text: str) -> str:
        return text.replace("\\", "\\e").replace("-", "\\-")

    status = "".join(f".TP\n.B {roff(name or 'kernel-advisor')}\n{roff(text)}\n"
                     for name, text in EXIT_STATUS.items())
    with tempfile.TemporaryDirectory() as tmp:
        include = Path(tmp) / "include"
        include.write_text("[EXIT STATUS]\n" + status + "\n"
                           + (ROOT / "docs" / "manpage.include").read_text(encoding="utf-8"),
                           encoding="utf-8")
        out = Path(tmp) / "kernel-advisor.1"
        subprocess.run(
            [sys.executable, "-c", "from argparse_manpage.cli import main; main()",
             "--module", "kernel_advisor.cli",
             "--function", "build_parser", "--project-name", "kernel-advisor",
             "--version", __version__, "--description", DESCRIPTION,
             "--manual-title", "Kernel Advisor", "--url",
             "https://github.com/kerneladvisor/kernel-advisor",
             "--include", str(include), "--output", str(out)],
            check=True, cwd=ROOT, env={**os.environ, "SOURCE_DATE_EPOCH": str(int(epoch)),
                                       "PYTHONPATH": str(ROOT), "COLUMNS": "80"})
        return out.read_bytes()


def completions() -> dict:
    import shtab

    from kernel_advisor.cli import build_parser

    parser = build_parser()
    stack = [parser]
    while stack:  # files and folders where an option takes one (shtab's FILE and DIR)
        p = stack.pop()
        for action in p._actions:
            if isinstance(action, argparse._SubParsersAction):
                stack.extend(action.choices.values())
            elif action.metavar and "DIR" in str(action.metavar):
                action.complete = shtab.DIRECTORY
            elif action.metavar and ("FILE" in str(action.metavar) or action.metavar == "PATH"):
                action.complete = shtab.FILE
    return {"kernel-advisor.bash": shtab.complete(parser, "bash").encode(),
            "_kernel-advisor": shtab.complete(parser, "zsh").encode()}


def generated() -> dict:
    files = {Path("man/kernel-advisor.1"): manpage()}
    files.update({Path("completion") / name: text for name, text in completions().items()})
    return files


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--check", action="store_true",
                    help="change nothing; exit 1 if a committed file is not current")
    args = ap.parse_args(argv)
    stale = []
    for rel, content in generated().items():
        target = DATA / rel
        current = target.read_bytes() if target.exists() else None
        if current == content:
            continue
        if args.check:
            stale.append(str(target.relative_to(ROOT)))
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)
            print(f"wrote {target.relative_to(ROOT)}")
    if stale:
        print("not current (run tools/generate.py): " + ", ".join(stale), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
