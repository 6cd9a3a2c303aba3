"""Command-line conventions every command follows: -q (the exit status only), -v (what was read
and why), ``--``, exit statuses in --help, install-desktop/uninstall-desktop, and what a missing
GUI extra says."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest
from conftest import FIRECRACKER, needs_qt

from kernel_advisor.cli import build_parser
from kernel_advisor.commands import EXIT_STATUS

APP_ID = "io.github.kerneladvisor.KernelAdvisor"
NO_QT = "import sys; sys.modules['PySide6'] = None; from kernel_advisor.cli import main; sys.exit(main())"


def cli(*args, env=None, code=None):
    argv = [sys.executable, "-c", code, *args] if code else [sys.executable, "-m", "kernel_advisor", *args]
    return subprocess.run(argv, capture_output=True, text=True, timeout=120,
                          env={**os.environ, **(env or {})})


def commands():
    sub = next(a for a in build_parser()._actions if a.dest == "command")
    return sub.choices


def test_every_command_lists_its_exit_status_in_help():
    assert set(commands()) | {None} == set(EXIT_STATUS)
    for name in commands():
        out = cli(name, "--help")
        assert out.returncode == 0 and "Exit status: " in out.stdout, name
        assert " ".join(EXIT_STATUS[name].split()) in " ".join(out.stdout.split())
    assert "Exit status: " in cli("--help").stdout


@pytest.mark.parametrize("where", ["before", "after"])
def test_quiet_check_answers_by_exit_status_only(where):
    args = ["-q", "check"] if where == "before" else ["check", "-q"]
    usable = cli(*args, "--offline", "--snapshot", str(FIRECRACKER))
    none = cli(*args, "--offline", "--kernel", "2.6.12", "--arch", "i686")
    assert (usable.returncode, none.returncode) == (0, 1)
    assert usable.stdout == usable.stderr == none.stdout == none.stderr == ""
    assert cli(*args, "--json", "--offline").stdout == ""  # -q wins over --json


def test_quiet_writers_say_nothing_but_still_write(tmp_path):
    for args, target in ((["report", "-f", "md"], tmp_path / "r.md"),
                         (["snapshot"], tmp_path / "s.tar.gz"),
                         (["collector"], tmp_path / "c.pyz")):
        out = cli(*args, "-q", "-o", str(target), *(["--offline"] if args[0] == "report" else []))
        assert out.returncode == 0 and out.stdout == out.stderr == "", args
        assert target.stat().st_size > 0
    loud = cli("report", "-f", "md", "-o", str(tmp_path / "r2.md"), "--offline")
    assert loud.stderr.startswith("wrote ")


def test_quiet_fleet_prints_nothing_and_keeps_the_exit_status(tmp_path):
    shutil.copy(FIRECRACKER, tmp_path / "a.tar.gz")
    assert cli("fleet", "-q", str(tmp_path), "--offline").returncode == 0
    (tmp_path / "b.tar.gz").write_bytes(b"broken")
    out = cli("fleet", "-q", str(tmp_path), "--offline")
    assert out.returncode == 2 and out.stdout == ""


def test_errors_still_reach_stderr_under_quiet():
    out = cli("check", "-q", "--snapshot", "/nonexistent.tar.gz")
    assert out.returncode == 2 and out.stderr.count("\n") == 1 and "nonexistent" in out.stderr


def test_verbose_says_what_was_read_and_why():
    quiet = cli("check", "--offline", "--snapshot", str(FIRECRACKER))
    one = cli("check", "-v", "--offline", "--snapshot", str(FIRECRACKER))
    two = cli("-vv", "check", "--offline", "--snapshot", str(FIRECRACKER))
    assert one.stdout == quiet.stdout and quiet.stderr == ""  # stdout is the same document
    assert "Kernel release: " in one.stderr and "(from /proc/sys/kernel/osrelease)" in one.stderr
    assert "release data: bundled" in one.stderr
    assert "read /proc/cpuinfo" not in one.stderr and "read /proc/cpuinfo (" in two.stderr
    assert "not read (" in two.stderr  # a missing file says why
    assert all(line.startswith("kernel-advisor: ") for line in two.stderr.splitlines())


def test_double_dash_ends_the_options(tmp_path):
    odd = tmp_path / "-snapshots"
    odd.mkdir()
    shutil.copy(FIRECRACKER, odd / "a.tar.gz")
    os.chdir(tmp_path)
    try:
        out = cli("fleet", "--offline", "--", "-snapshots")
        assert out.returncode == 0 and "a" in out.stdout, out.stderr
        assert cli("fleet", "--offline", "-snapshots").returncode == 2  # taken as an option
    finally:
        os.chdir("/")


@needs_qt
def test_install_and_uninstall_desktop(tmp_path):
    env = {"XDG_DATA_HOME": str(tmp_path / "share")}
    launcher = tmp_path / "bin" / "kernel-advisor"
    out = cli("install-desktop", "--exec", str(launcher), env=env)
    assert out.returncode == 0, out.stderr
    share = tmp_path / "share"
    entry = share / "applications" / f"{APP_ID}.desktop"
    assert f"Exec={launcher}\n" in entry.read_text() and f"TryExec={launcher}\n" in entry.read_text()
    for rel in (f"metainfo/{APP_ID}.metainfo.xml", "man/man1/kernel-advisor.1",
                "bash-completion/completions/kernel-advisor", "zsh/site-functions/_kernel-advisor",
                f"icons/hicolor/scalable/apps/{APP_ID}.svg",
                f"icons/hicolor/48x48/apps/{APP_ID}.png"):
        assert (share / rel).is_file(), rel
    if shutil.which("desktop-file-validate"):
        assert subprocess.run(["desktop-file-validate", str(entry)], capture_output=True,
                              text=True).stdout == ""
    assert cli("install-desktop", "--exec", str(launcher), env=env).returncode == 0  # again
    (share / "applications" / "mine.desktop").write_text("[Desktop Entry]\n")  # not ours
    out = cli("uninstall-desktop", env=env)
    assert out.returncode == 0 and "removed the menu entry" in out.stderr
    left = sorted(str(p.relative_to(share)) for p in share.rglob("*") if p.is_file())
    assert [p for p in left if not p.endswith(".cache") and "icon-theme" not in p] == \
        ["applications/mine.desktop"]
    assert not (share / "kernel-advisor").exists() and not (share / "man").exists()
    assert "nothing to remove" in cli("uninstall-desktop", env=env).stderr


@needs_qt
def test_a_path_with_spaces_is_quoted_in_exec(tmp_path):
    env = {"XDG_DATA_HOME": str(tmp_path / "share")}
    launcher = tmp_path / "my apps" / "kernel-advisor"
    assert cli("install-desktop", "--exec", str(launcher), env=env).returncode == 0
    entry = (tmp_path / "share" / "applications" / f"{APP_ID}.desktop").read_text()
    assert f'Exec="{launcher}"\n' in entry


def test_without_the_gui_extra_the_wizard_and_desktop_say_what_to_install(tmp_path):
    tmp_path = tmp_path / "out"
    tmp_path.mkdir()
    for args in ([], ["gui"], ["install-desktop"], ["report", "-f", "pdf", "-o", str(tmp_path / "r.pdf")]):
        out = cli(*args, code=NO_QT, env={"XDG_DATA_HOME": str(tmp_path)})
        assert out.returncode == 2, args
        assert "pip install 'kernel-advisor[gui]'" in out.stderr and out.stderr.count("\n") == 1
        assert "Traceback" not in out.stderr
    assert not list(tmp_path.iterdir())  # nothing written
    out = cli("report", "-f", "html", "-o", str(tmp_path / "r.html"), "--offline", code=NO_QT)
    assert out.returncode == 0 and (tmp_path / "r.html").stat().st_size > 0
