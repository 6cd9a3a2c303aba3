"""``kernel-advisor collector``: the snapshot capture as one file that runs with ``python3`` alone.

:func:`build` packs the installed capture modules — the very code ``kernel-advisor snapshot``
runs, not a copy kept beside it — into a zipapp with :func:`zipapp.create_archive`. On a target
with Python ≥ 3.8 and nothing else, ``python3 kernel-advisor-collect.pyz -o host.tar.gz`` writes
the same tarball ``snapshot`` writes, redacted the same way.

The design: the capture records raw evidence — the files as read and the live record — and
everything that interprets it (the knowledge base's version ranges through ``packaging``, the
distribution data, the rules) runs where the snapshot is analysed. So the capture code is the
standard library only (tests/test_architecture.py), the zipapp carries no third-party code, and
it runs on the oldest Python a fleet has, whatever is installed where it was built.
:mod:`kernel_advisor.collector_main` is its entry point, which tells an older Python so in one line.

The Ansible role that copies the collector to every host of an inventory, runs it and fetches
the snapshots is ``kernel_advisor.fleet.collect``, in the collection under
``kernel_advisor/data/ansible/collection`` with its example playbook (``collector --playbook
DIR`` writes both).
"""
from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import zipapp
from typing import List, Optional, Tuple

#: the modules the capture needs (tests/test_architecture.py keeps them Python 3.8 and standard
#: library only)
CAPTURE_FILES = ("__init__.py", "collector_main.py", "atomic.py", "i18n.py", "kernel.py",
                 "live.py", "model.py", "snapshot.py", "textsafe.py", "vcpu.py", "verbose.py",
                 "collector.py", "hostfs", "probe")
#: the zipapp's entry point: zipapp's generated __main__ calls it (and drops what it returns);
#: it checks the Python version, then calls :func:`run`, which exits with :func:`main`'s status
ENTRY = "kernel_advisor.collector_main:run"
#: where a frozen (PyInstaller) app keeps the capture modules' sources (installer/*.spec)
FROZEN_SOURCES = "collector-sources"
PLAYBOOK = "collect.yml"
#: the Ansible collection kernel_advisor.fleet (its role ``collect``; the playbook is its
#: example), in the package data, and where ``--playbook DIR`` puts it: beside the playbook,
#: where Ansible looks first (``collections/ansible_collections/NAMESPACE/NAME``)
COLLECTION = "ansible/collection"
COLLECTION_DIR = os.path.join("collections", "ansible_collections", "kernel_advisor", "fleet")


def playbook_files() -> List[Tuple[str, str]]:
    """What ``--playbook DIR`` writes: (source in the package data, path under DIR), the
    playbook first."""
    top = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data", COLLECTION)
    files = [(os.path.join(top, "playbooks", PLAYBOOK), PLAYBOOK)]
    for folder, dirs, names in os.walk(top):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(names):
            src = os.path.join(folder, name)
            files.append((src, os.path.join(COLLECTION_DIR, os.path.relpath(src, top))))
    return files


def build(target: str, force: bool = False) -> None:
    """Write the collector zipapp to ``target`` (atomically, by the output rules; ``force``
    replaces a write-protected file)."""
    from kernel_advisor.atomic import write_output

    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:  # the bundle's bytecode cannot be packed: its copy of the sources can
        package = os.path.join(frozen, FROZEN_SOURCES, "kernel_advisor")
    else:
        package = os.path.dirname(os.path.abspath(__file__))
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
    parser.add_argument("--inventory-name", metavar="NAME",
                        help="record the name this machine has in an inventory (the fleet "
                             "table's Host; the Ansible role passes inventory_hostname)")
    parser.add_argument("--login-user", metavar="NAME",
                        help="who asked for the capture, when it runs as root (default: "
                             "SUDO_USER); the fleet table then says 'root, for NAME'")
    args = parser.parse_args(argv)
    from kernel_advisor.atomic import TargetError, write_output
    from kernel_advisor.snapshot import capture

    login = args.login_user or (os.environ.get("SUDO_USER") if os.geteuid() == 0 else None)
    data, _ = capture(hostname=args.hostname, inventory=args.inventory_name or None,
                      login=login or None)
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
