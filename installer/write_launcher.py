"""Write the ``kernel-advisor`` launcher for a per-user install (run by install.sh).

    VENV/bin/python -I installer/write_launcher.py TARGET

Not pip's console script: that one imports ``re`` (5 ms) to tidy ``argv[0]``. This one runs the
venv's Python with ``-I -S``: isolated (no PYTHONPATH, no user site-packages, no script directory
on ``sys.path``) and without ``site``, whose start-up work (finding site-packages, running .pth
hooks) is replaced by the two paths written in below. Start-up time is a feature
(``bench/RESULTS.md``). The file is written atomically and is always a regular file.
"""

from __future__ import annotations

import os
import sys
import sysconfig


def launcher_text(python: str, paths: list[str]) -> str:
    if any(c.isspace() for c in python):  # a shebang cannot quote: let sh exec Python
        head = f"#!/bin/sh\n'''exec' {python!r} -IS \"$0\" \"$@\"\n' '''"
    else:
        head = f"#!{python} -IS"
    return (f"{head}\n"
            "# Kernel Advisor launcher, written by installer/install.sh (write_launcher.py)\n"
            "import sys\n"
            f"sys.path[0:0] = {paths!r}\n"
            "from advisor.cli import main\n"
            "sys.exit(main())\n")


def main(argv: list[str]) -> int:
    (target,) = argv
    paths = list(dict.fromkeys([sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]]))
    text = launcher_text(sys.executable, paths)
    tmp = f"{target}.tmp"
    with open(tmp, "w", encoding="utf-8") as fh:
        fh.write(text)
    os.chmod(tmp, 0o755)
    os.replace(tmp, target)  # replaces a symlink left by an older install, not what it points to
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
