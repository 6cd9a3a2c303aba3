"""``kernel-advisor collector``: the snapshot capture as one file that runs with ``python3`` alone.

:func:`build` packs the installed capture modules — the very code ``kernel-advisor snapshot``
runs, not a copy kept beside it — and ``packaging`` (pure Python, which the release parser uses)
into a zipapp with :func:`zipapp.create_archive`. On a target with Python ≥ 3.8 and nothing else,
``python3 kernel-advisor-collect.pyz -o host.tar.gz`` writes the same tarball ``snapshot`` writes,
redacted the same way. :func:`main` is the zipapp's entry point.

The Ansible playbook that copies the collector to every host of an inventory, runs it and
fetches the snapshots is ``kernel_advisor/data/ansible/collect.yml`` (``collector --playbook DIR``).
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import shutil
import sys
import tempfile
import zipapp
from typing import List, Optional

#: the modules the capture needs (tests/test_architecture.py keeps them Python 3.8-clean)
CAPTURE_FILES = ("__init__.py", "atomic.py", "i18n.py", "kernel.py", "live.py", "model.py",
                 "snapshot.py", "textsafe.py", "verbose.py", "collector.py", "hostfs", "probe")
#: the zipapp's entry point: zipapp's generated __main__ calls it and drops what it returns, so
#: it is :func:`run`, which exits with :func:`main`'s status
ENTRY = "kernel_advisor.collector:run"
#: where a frozen (PyInstaller) app keeps the capture modules' sources (installer/*.spec)
FROZEN_SOURCES = "collector-sources"
PLAYBOOK = "collect.yml"


def build(target: str, force: bool = False) -> None:
    """Write the collector zipapp to ``target`` (atomically, by the output rules; ``force``
    replaces a write-protected file)."""
    from kernel_advisor.atomic import write_output

    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:  # the bundle's bytecode cannot be packed: its copy of the sources can
        package = os.path.join(frozen, FROZEN_SOURCES, "kernel_advisor")
        packaging_dir = os.path.join(frozen, FROZEN_SOURCES, "packaging")
    else:
        package = os.path.dirname(os.path.abspath(__file__))
        spec = importlib.util.find_spec("packaging")  # a dependency: always there
        assert spec is not None and spec.origin is not None
        packaging_dir = os.path.dirname(spec.origin)
    with tempfile.TemporaryDirectory(prefix="kernel-advisor-collector-") as tmp:
        src = os.path.join(tmp, "src")
        ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
        os.makedirs(os.path.join(src, "kernel_advisor"))
        for name in CAPTURE_FILES:
            path = os.path.join(package, name)
            if os.path.isdir(path):
                shutil.copytree(path, os.path.join(src, "kernel_advisor", name), ignore=ignore)
            else:
                shutil.copy2(path, os.path.join(src, "kernel_advisor", name))
        shutil.copytree(packaging_dir, os.path.join(src, "packaging"), ignore=ignore)
        archive = os.path.join(tmp, "collector.pyz")
        zipapp.create_archive(src, archive, interpreter="/usr/bin/env python3", main=ENTRY,
                              compressed=True)
        with open(archive, "rb") as fh:
            write_output(target, fh.read(), force)


def main(argv: Optional[List[str]] = None) -> int:
    """``python3 kernel-advisor-collect.pyz -o FILE.tar.gz [--hostname]``."""
    parser = argparse.ArgumentParser(
        prog="kernel-advisor-collect",
        description="Capture what Kernel Advisor reads on this machine into a snapshot, to "
                    "analyse elsewhere with 'kernel-advisor check --snapshot' or 'fleet'.")
    parser.add_argument("-o", "--output", required=True, metavar="FILE.tar.gz",
                        help="where to write the snapshot ('-' for standard output)")
    parser.add_argument("--force", action="store_true",
                        help="replace the output file even if it is write-protected")
    parser.add_argument("--hostname", action="store_true",
                        help="record this machine's host name (left out by default)")
    args = parser.parse_args(argv)
    from kernel_advisor.atomic import TargetError, write_output
    from kernel_advisor.snapshot import capture

    data, _ = capture(hostname=args.hostname)
    try:
        if args.output == "-":
            sys.stdout.buffer.write(data)
            sys.stdout.flush()
        else:
            write_output(args.output, data, args.force)
    except (OSError, TargetError) as exc:
        print(f"kernel-advisor-collect: -o {args.output}: cannot write "
              f"({getattr(exc, 'strerror', None) or exc})", file=sys.stderr)
        return 2
    return 0


def run() -> None:
    """The zipapp's entry point: :func:`main`, its status the process's exit status."""
    sys.exit(main())
