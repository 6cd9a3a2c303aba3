#!/usr/bin/env python3
"""Write the files generated from the code into kernel_advisor/data (package data, committed), or
check that the committed ones are current (``--check``; tests/test_packaging.py runs it):

- ``man/kernel-advisor.1``: the man page, from ``kernel_advisor.cli.build_parser`` by
argparse-manpage,
  plus every command's exit status (``cli.EXIT_STATUS``) and ``docs/manpage.include``
  (environment, files, see also); dated by NEWS.md's newest
  release, so the same code gives the same bytes;
- ``completion/kernel-advisor.bash`` and ``completion/_kernel-advisor`` (zsh): by shtab, from
  the same parser, with file and folder completion where an option takes one;
  ``completion/kernel-advisor.fish``: written here from the same parser (shtab has no fish).

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
    from kernel_advisor.cli import EXIT_STATUS, SUMMARY

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
             "--version", __version__, "--description", SUMMARY,
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
            "_kernel-advisor": shtab.complete(parser, "zsh").encode(),
            "kernel-advisor.fish": fish(parser).encode()}


def _fish_quote(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _fish_option(action: argparse.Action, condition: str) -> str:
    """One ``complete`` line for an option: its short and long names, what its value is
    (files, folders or a fixed set), and its help as the description."""
    import shtab

    bits = ["complete -c kernel-advisor", f"-n {_fish_quote(condition)}"]
    for flag in action.option_strings:
        bits.append(f"-l {flag[2:]}" if flag.startswith("--") else f"-s {flag[1:]}")
    takes_value = action.nargs != 0 and not isinstance(
        action, (argparse._StoreTrueAction, argparse._StoreFalseAction,
                 argparse._VersionAction, argparse._HelpAction, argparse._CountAction))
    complete = getattr(action, "complete", None)
    if takes_value:
        if action.choices:
            bits.append("-x -a " + _fish_quote(" ".join(map(str, action.choices))))
        elif complete is shtab.DIRECTORY:
            bits.append("-x -a '(__fish_complete_directories)'")
        elif complete is shtab.FILE:
            bits.append("-r -F")
        else:
            bits.append("-x")
    if action.help and action.help != argparse.SUPPRESS:
        help_text = (action.help % {"default": action.default}) if "%(" in action.help \
            else action.help
        bits.append("-d " + _fish_quote(help_text))
    return " ".join(bits)


def fish(parser: argparse.ArgumentParser) -> str:
    """fish's completion, written from the parser (shtab has no fish): the commands after
    ``kernel-advisor``, each command's options after it, file and folder values as above."""
    import shtab

    lines = ["# fish completion for kernel-advisor (generated by tools/generate.py; do not edit)",
             "complete -c kernel-advisor -f"]
    commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    helps = {c.dest: c.help for c in commands._choices_actions}
    for action in parser._actions:
        if action.option_strings:
            lines.append(_fish_option(action, "__fish_use_subcommand"))
    for name in commands.choices:
        lines.append("complete -c kernel-advisor -n __fish_use_subcommand -a " + name
                     + (" -d " + _fish_quote(helps[name]) if helps.get(name) else ""))
    for name, sub in commands.choices.items():
        condition = f"__fish_seen_subcommand_from {name}"
        for action in sub._actions:
            if action.option_strings:
                lines.append(_fish_option(action, condition))
            elif getattr(action, "complete", None) is not None:  # a positional path
                lines.append(f"complete -c kernel-advisor -n {_fish_quote(condition)} "
                             + ("-a '(__fish_complete_directories)'"
                                if action.complete is shtab.DIRECTORY else "-F"))
    return "\n".join(lines) + "\n"


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
