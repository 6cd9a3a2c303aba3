"""Issue 29, classes 4 and 9: a write keeps what it replaces (owner, group, mode, hard links) or
refuses in one line; a write-protected file needs --force, for root too; root never follows
another user's symlink out of a folder others can write; the atomic writer's clean-up removes
only its own abandoned temporary files, under concurrency and next to look-alike names.

CI runs as root: the cases "as a user" run the real CLI with ``setpriv`` as a throw-away uid
(no account is needed to own files), from a copy of the app that any user can read."""

from __future__ import annotations

import fcntl
import json
import multiprocessing
import os
import shutil
import stat
import subprocess
import sys
import sysconfig
import time
from pathlib import Path

import pytest
from conftest import VIRT_WHAT

from kernel_advisor.atomic import STALE_AFTER, TargetError, write_output

ROOT = str(VIRT_WHAT / "baremetal" / "root")
APP = Path(__file__).resolve().parent.parent
USER, OTHER = 4242, 4343  # uids without accounts: owners of files, a process's identity
PYTHON = "/usr/bin/python3"
needs_root = pytest.mark.skipif(os.geteuid() != 0, reason="owns files as others: run as root")


def report(target, *extra, as_uid=None, app=None):
    """``report -f json -o TARGET`` by the real CLI, as root or as ``as_uid``."""
    root = ROOT if as_uid is None else str(app / "root")  # where that user can read it
    args = ["-m", "kernel_advisor", "report", "-f", "json", "-o", str(target), "--root", root,
            "--kernel", "6.1.0", "--offline", *extra]
    if as_uid is None:
        return subprocess.run([sys.executable, *args], capture_output=True, text=True,
                              timeout=60)
    cmd = ["setpriv", f"--reuid={as_uid}", f"--regid={as_uid}", "--clear-groups", "--",
           "env", "-i", f"PYTHONPATH={app}", "HOME=/nonexistent", "LANG=C.UTF-8", PYTHON, *args]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=60, cwd="/")


def refused(out, *words):
    assert out.returncode == 2, (out.stdout, out.stderr)
    assert out.stderr.count("\n") == 1 and "Traceback" not in out.stderr, out.stderr
    for word in words:
        assert word in out.stderr, out.stderr


def is_report(path):
    return json.loads(Path(path).read_text())["schema"] == "kernel-advisor/1"


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    """The app and its one dependency where any user can read them."""
    if os.geteuid() != 0 or shutil.which("setpriv") is None or not os.path.exists(PYTHON):
        pytest.skip("running as another user needs root, setpriv and /usr/bin/python3")
    top = tmp_path_factory.mktemp("app")
    shutil.copytree(APP / "kernel_advisor", top / "kernel_advisor", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(Path(sysconfig.get_paths()["purelib"]) / "packaging", top / "packaging")
    shutil.copytree(ROOT, top / "root")  # the checkout may be in a folder only root can enter
    for path in [top, *top.parents, *top.rglob("*")]:
        if path == Path("/"):
            continue
        path.chmod(path.stat().st_mode | (0o555 if path.is_dir() else 0o444))
    return top


def a_folder_of(tmp_path, uid, mode=0o755):
    folder = tmp_path / f"home-{uid}"
    folder.mkdir()
    os.chown(folder, uid, uid)
    folder.chmod(mode)
    tmp_path.chmod(0o755)
    return folder


# --- write-protected files ---------------------------------------------------------------------

def test_a_write_protected_file_is_refused_without_force_and_replaced_with_it(tmp_path):
    out_file = tmp_path / "r.json"
    out_file.write_text("keep me")
    out_file.chmod(0o444)
    refused(report(out_file), "write-protected", "--force")
    assert out_file.read_text() == "keep me"
    assert report(out_file, "--force").returncode == 0
    assert is_report(out_file) and stat.S_IMODE(out_file.stat().st_mode) == 0o444


def test_write_protection_is_checked_on_the_file_opened_not_only_before(tmp_path):
    """The early check can be raced; write_output asks again, on what it opens."""
    target = tmp_path / "r.json"
    target.write_text("keep me")
    target.chmod(0o400)
    with pytest.raises(TargetError, match="--force") as caught:
        write_output(str(target), b"new")
    assert caught.value.needs_force and target.read_text() == "keep me"
    link = tmp_path / "link.json"
    link.symlink_to(target)
    with pytest.raises(TargetError, match="--force"):
        write_output(str(link), b"new")  # through a link: the file it leads to decides
    assert target.read_text() == "keep me"


@pytest.mark.users  # runs the CLI as another uid (setpriv)
def test_a_user_is_refused_their_own_write_protected_file_too(tmp_path, app):
    home = a_folder_of(tmp_path, USER)
    target = home / "r.json"
    target.write_text("keep me")
    os.chown(target, USER, USER)
    target.chmod(0o444)
    refused(report(target, as_uid=USER, app=app), "write-protected", "--force")
    assert target.read_text() == "keep me"
    out = report(target, "--force", as_uid=USER, app=app)
    assert out.returncode == 0, out.stderr
    assert is_report(target) and target.stat().st_uid == USER


# --- what an existing file keeps ---------------------------------------------------------------

def test_a_file_with_a_second_hard_link_keeps_it(tmp_path):
    target, other = tmp_path / "r.json", tmp_path / "same-file.json"
    target.write_text("old")
    os.link(target, other)
    assert report(target).returncode == 0
    assert target.stat().st_ino == other.stat().st_ino and target.stat().st_nlink == 2
    assert is_report(other)  # the other name sees the new report, not the old content


@needs_root
def test_root_writing_into_a_users_folder_keeps_the_users_file_theirs(tmp_path):
    home = a_folder_of(tmp_path, USER)
    target = home / "r.json"
    target.write_text("old")
    os.chown(target, USER, OTHER)
    target.chmod(0o640)
    assert report(target).returncode == 0
    st = target.stat()
    assert (st.st_uid, st.st_gid, stat.S_IMODE(st.st_mode)) == (USER, OTHER, 0o640)
    assert is_report(target)
    assert [p.name for p in home.iterdir()] == ["r.json"]


@pytest.mark.users  # runs the CLI as another uid (setpriv)
def test_a_user_writing_another_users_file_in_a_shared_folder_leaves_it_theirs(tmp_path, app):
    shared = a_folder_of(tmp_path, 0, 0o777)
    target = shared / "team.json"
    target.write_text("old")
    os.chown(target, OTHER, OTHER)
    target.chmod(0o666)
    out = report(target, as_uid=USER, app=app)
    assert out.returncode == 0, out.stderr
    assert target.stat().st_uid == OTHER and is_report(target)  # written in place


# --- symbolic links ----------------------------------------------------------------------------

@needs_root
@pytest.mark.parametrize("mode", [0o1777, 0o777, 0o775])
def test_root_does_not_follow_another_users_link_out_of_a_folder_others_can_write(tmp_path,
                                                                                   mode):
    victim = tmp_path / "victim"
    victim.write_text("precious")
    drop = a_folder_of(tmp_path, 0, mode)
    trap = drop / "report.json"
    trap.symlink_to(victim)  # what the other user plants, predicting root's file name
    os.chown(trap, USER, USER, follow_symlinks=False)
    refused(report(trap), "symbolic link", "not followed")
    assert victim.read_text() == "precious" and trap.is_symlink()


@needs_root
def test_nor_a_linked_folder_on_the_way(tmp_path):
    victims = tmp_path / "etc"
    victims.mkdir()
    (victims / "report.json").write_text("precious")
    drop = a_folder_of(tmp_path, 0, 0o1777)
    (drop / "d").symlink_to(victims)
    os.chown(drop / "d", USER, USER, follow_symlinks=False)
    refused(report(drop / "d" / "report.json"), "not followed")
    assert (victims / "report.json").read_text() == "precious"


@pytest.mark.users  # runs the CLI as another uid (setpriv)
@needs_root
def test_a_users_link_in_their_own_folder_is_followed_for_them(tmp_path, app):
    home = a_folder_of(tmp_path, USER)
    real = home / "real.json"
    real.write_text("old")
    os.chown(real, USER, USER)
    (home / "link.json").symlink_to(real)
    os.chown(home / "link.json", USER, USER, follow_symlinks=False)
    out = report(home / "link.json", as_uid=USER, app=app)
    assert out.returncode == 0, out.stderr
    assert (home / "link.json").is_symlink() and is_report(real)


@needs_root
def test_roots_own_link_in_tmp_is_followed(tmp_path):
    real = tmp_path / "real.json"
    drop = a_folder_of(tmp_path, 0, 0o1777)
    (drop / "link.json").symlink_to(real)
    real.write_text("old")
    assert report(drop / "link.json").returncode == 0 and is_report(real)


# --- the atomic writer: concurrency and clean-up -----------------------------------------------

def _write_one(args):
    path, n = args
    try:
        write_output(path, json.dumps({"writer": n, "pad": "x" * 20_000}).encode())
    except Exception as exc:  # reported to the test, which fails on it
        return f"{type(exc).__name__}: {exc}"
    return None


def test_ninety_six_writers_to_one_file_all_succeed_and_one_wins_whole(tmp_path):
    folder = tmp_path / "out"
    folder.mkdir()
    target = str(folder / "r.json")
    with multiprocessing.get_context("spawn").Pool(16) as pool:
        errors = [e for e in pool.map(_write_one, [(target, n) for n in range(96)]) if e]
    assert errors == []
    assert json.loads(Path(target).read_text())["writer"] in range(96)
    assert [p.name for p in folder.iterdir()] == ["r.json"]


def ours(folder, target, age):
    """A temporary file by our pattern for ``target``, last touched ``age`` seconds ago."""
    from kernel_advisor.atomic import TMP_PREFIX, TMP_SUFFIX, _tag

    path = folder / f"{TMP_PREFIX}{_tag(target)}-abcd1234{TMP_SUFFIX}"
    path.write_bytes(b"x" * 1000)
    then = time.time() - age
    os.utime(path, (then, then))
    return path


def test_clean_up_removes_only_our_abandoned_temporary_files(tmp_path):
    target = tmp_path / "notes-report.html"
    look_alikes = [tmp_path / ".tmp-notes-report.html", tmp_path / ".tmp-abcd1234-notes-report.html",
                   tmp_path / ".kernel-advisor-notes.tmp"]
    for path in look_alikes:  # the user's own files, named like earlier versions' or ours
        path.write_text("mine")
        os.utime(path, (0, 0))
    abandoned = ours(tmp_path, str(target), STALE_AFTER * 10)
    young = ours(tmp_path, str(target).replace("notes", "other"), 0)  # another target's
    write_output(str(target), b"<p>report</p>")
    assert not abandoned.exists()
    assert young.exists() and all(p.read_text() == "mine" for p in look_alikes)


def test_a_young_or_locked_temporary_file_is_left_to_its_writer(tmp_path):
    target = tmp_path / "r.json"
    young = ours(tmp_path, str(target), 0)  # created, not yet locked: a writer's first moment
    write_output(str(target), b"{}")
    assert young.exists()
    young.unlink()
    busy = ours(tmp_path, str(target), STALE_AFTER * 10)
    with open(busy, "rb") as held:  # an old writer still at work holds its lock
        fcntl.flock(held, fcntl.LOCK_EX)
        write_output(str(target), b"{}")
    assert busy.exists()


@needs_root
def test_another_users_temporary_file_is_never_removed(tmp_path):
    target = tmp_path / "r.json"
    theirs = ours(tmp_path, str(target), STALE_AFTER * 10)
    os.chown(theirs, USER, USER)
    write_output(str(target), b"{}")
    assert theirs.exists()


@pytest.mark.parametrize("length", [245, 250, 255])
def test_the_longest_names_the_filesystem_takes_can_be_written(tmp_path, length):
    target = tmp_path / ("r" * (length - 5) + ".json")
    assert report(target).returncode == 0
    assert is_report(target)
    (tmp_path / target.name).write_text("old")
    assert report(target).returncode == 0 and is_report(target)
