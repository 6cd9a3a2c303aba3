"""The installed launcher (installer/write_launcher.py): a regular file that starts the CLI fast."""

from __future__ import annotations

import importlib.util
import os
import pathlib
import subprocess
import sys

import pytest

REPO = pathlib.Path(__file__).resolve().parent.parent
spec = importlib.util.spec_from_file_location("write_launcher", REPO / "installer" / "write_launcher.py")
write_launcher = importlib.util.module_from_spec(spec)
spec.loader.exec_module(write_launcher)


@pytest.mark.parametrize("folder", ["bin", "my apps/bin"])  # a space needs the sh trampoline
def test_launcher_runs_the_cli_isolated_and_without_site(tmp_path, folder):
    where = tmp_path / folder
    where.mkdir(parents=True)
    python = where / "python"
    python.symlink_to(sys.executable)
    launcher = tmp_path / "kernel-advisor"
    launcher.write_text(write_launcher.launcher_text(str(python), [str(REPO)]))
    launcher.chmod(0o755)
    probe = ("import sys; print(sys.flags.no_site, sys.flags.isolated, "
             "'re' in sys.modules, 'argparse' in sys.modules)")
    env = {**os.environ, "PYTHONPATH": "/nonexistent-should-be-ignored"}
    out = subprocess.run([str(launcher), "--version"], capture_output=True, text=True, env=env,
                         timeout=60)
    assert out.returncode == 0 and out.stdout.startswith("kernel-advisor "), out.stderr
    text = launcher.read_text()
    assert ("#!/bin/sh" in text) == (" " in folder)
    # the same interpreter flags, checked from inside: no site, isolated, nothing heavy imported
    flags = subprocess.run([str(python), "-IS", "-c", probe], capture_output=True, text=True,
                           timeout=60)
    assert flags.stdout.split() == ["1", "1", "False", "False"]


def test_check_imports_no_heavy_modules():
    """What `check --offline` loads: none of the modules the fast path was built to avoid."""
    code = ("import sys, io, contextlib\n"
            f"sys.path.insert(0, {str(REPO)!r})\n"
            "from advisor.cli import main\n"
            "with contextlib.redirect_stdout(io.StringIO()): main(['check', '--offline'])\n"
            "heavy = {'re', 'argparse', 'dataclasses', 'json', 'datetime', 'typing', 'inspect',"
            " 'packaging', 'tempfile', 'requests', 'PySide6', 'enum'}\n"
            "print(sorted(heavy & {m.split('.')[0] for m in sys.modules}))\n")
    out = subprocess.run([sys.executable, "-IS", "-c", code], capture_output=True, text=True,
                         timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"
