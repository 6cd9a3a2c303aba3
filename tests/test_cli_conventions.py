"""Command-line conventions every command follows: -q (the exit status only), -v (what was read
and why), ``--``, exit statuses in --help, install-desktop/uninstall-desktop, and what a missing
GUI extra says."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys

import pytest
from conftest import FIRECRACKER, needs_qt

from kernel_advisor import data
from kernel_advisor.cli import build_parser
from kernel_advisor.commands import EXIT_STATUS
from kernel_advisor.install_kind import gui_hint

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
                "fish/vendor_completions.d/kernel-advisor.fish",
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
        # the hint for this interpreter's install (tests/test_install_hints.py has each kind)
        assert gui_hint() in out.stderr and out.stderr.count("\n") == 1
        assert "Traceback" not in out.stderr
    assert not list(tmp_path.iterdir())  # nothing written
    out = cli("report", "-f", "html", "-o", str(tmp_path / "r.html"), "--offline", code=NO_QT)
    assert out.returncode == 0 and (tmp_path / "r.html").stat().st_size > 0


def completion_home(tmp_path):
    """A stand-in ``kernel-advisor`` on PATH (fish loads a command's completion only for a
    command it can find) and an empty HOME."""
    bindir = tmp_path / "shell-bin"
    bindir.mkdir()
    (bindir / "kernel-advisor").write_text("#!/bin/sh\n")
    (bindir / "kernel-advisor").chmod(0o755)
    (tmp_path / "shell-home").mkdir()
    return {"PATH": f"{bindir}{os.pathsep}{os.environ['PATH']}",
            "HOME": str(tmp_path / "shell-home"),
            "LANG": "C.UTF-8"}


@pytest.mark.skipif(shutil.which("fish") is None, reason="fish is not installed (tools/test.sh)")
def test_fish_completes_commands_options_and_values(tmp_path):
    """Issue 30, class 6: the fish completion, where install-desktop puts it (a folder on
    fish's own path, test_install_and_uninstall_desktop), completes the commands, a command's
    options and an option's values."""
    share = tmp_path / "share"
    target = share / "fish" / "vendor_completions.d" / "kernel-advisor.fish"
    target.parent.mkdir(parents=True)
    shutil.copy(data.path("completion") / "kernel-advisor.fish", target)
    env = {**completion_home(tmp_path), "XDG_DATA_HOME": str(share)}

    def complete(line):
        out = subprocess.run(["fish", "-c", f"complete -C {shlex.quote(line)}"],
                             capture_output=True, text=True, timeout=60, env=env)
        assert out.returncode == 0, out.stderr
        return [row.split("\t")[0] for row in out.stdout.splitlines()]

    assert {"check", "collector"} <= set(complete("kernel-advisor c"))
    assert "fleet" in complete("kernel-advisor f")
    assert "--json" in complete("kernel-advisor check --j")
    assert complete("kernel-advisor check --color ") == ["always", "auto", "never"]
    assert "--playbook" in complete("kernel-advisor collector --pl")
    assert "--json" not in complete("kernel-advisor collector --j")  # check's, not collector's


def test_bash_completes_commands_and_options(tmp_path):
    script = data.path("completion") / "kernel-advisor.bash"
    probe = (f"source {shlex.quote(str(script))}\n"
             "COMP_WORDS=(kernel-advisor che); COMP_CWORD=1; COMP_LINE='kernel-advisor che'\n"
             "COMP_POINT=${#COMP_LINE}; _shtab_kernel_advisor; echo \"${COMPREPLY[@]}\"\n"
             "COMP_WORDS=(kernel-advisor check --js); COMP_CWORD=2\n"
             "COMP_LINE='kernel-advisor check --js'; COMP_POINT=${#COMP_LINE}\n"
             "_shtab_kernel_advisor; echo \"${COMPREPLY[@]}\"\n")
    out = subprocess.run(["bash", "--norc", "--noprofile", "-c", probe], capture_output=True,
                         text=True, timeout=60, env=completion_home(tmp_path))
    assert out.returncode == 0, out.stderr
    assert [line.split() for line in out.stdout.splitlines()] == [["check"], ["--json"]]


def on_a_terminal(env_extra):
    """``check`` with its standard output on a real pseudo-terminal, as a person runs it."""
    import pty

    main, tty = pty.openpty()
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "TERM")}
    proc = subprocess.Popen([sys.executable, "-m", "kernel_advisor", "check", "--snapshot",
                             str(FIRECRACKER), "--offline"], stdout=tty, stderr=subprocess.PIPE,
                            env={**env, **env_extra})
    os.close(tty)
    chunks = []
    while True:
        try:
            chunk = os.read(main, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    proc.wait(60)
    os.close(main)
    return b"".join(chunks).decode("utf-8", "replace")


@pytest.mark.parametrize("env, coloured", [({"TERM": "xterm-256color"}, True),
                                           ({"TERM": "dumb"}, False),
                                           ({"TERM": "xterm-256color", "NO_COLOR": "1"}, False)])
def test_colour_on_a_terminal_unless_dumb_or_no_color(env, coloured):
    out = on_a_terminal(env)
    assert "Stability:" in out
    assert ("\033[" in out) is coloured


def test_the_man_page_names_itself_briefly_and_has_examples():
    page = data.path("man/kernel-advisor.1").read_text(encoding="utf-8")
    name = page.split(".SH NAME\n", 1)[1].split("\n", 1)[0]
    assert name.startswith("kernel\\-advisor \\- ") and len(name.replace("\\", "")) < 80, name
    examples = page.split(".SH EXAMPLES\n", 1)[1].split("\n.SH ", 1)[0]
    for command in ("check", "check \\-\\-kernel", "snapshot", "collector", "fleet", "report"):
        assert f".B kernel\\-advisor {command}" in examples, command
