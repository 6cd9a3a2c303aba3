"""Issue 18, class 1: writing where the user asked never destroys what is there. One rule per kind
of target, the same for `report -o`, `snapshot -o` and the wizard's export (kernel_advisor.atomic)."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys

import pytest
from conftest import VIRT_WHAT

from kernel_advisor.atomic import TargetError, write_output

ROOT = str(VIRT_WHAT / "baremetal" / "root")
needs_root = pytest.mark.skipif(os.geteuid() != 0, reason="making a device node needs root")


def report(target, umask=None):
    cmd = [sys.executable, "-m", "kernel_advisor", "report", "-f", "json", "-o", str(target),
           "--root", ROOT, "--kernel", "6.1.0", "--offline"]
    pre = (lambda: os.umask(umask)) if umask is not None else None
    return subprocess.run(cmd, capture_output=True, text=True, timeout=60, preexec_fn=pre)


def test_new_file_honours_the_umask(tmp_path):
    out = tmp_path / "r.json"
    assert report(out, umask=0o077).returncode == 0
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert json.loads(out.read_text())["schema"] == "kernel-advisor/1"


def test_existing_file_keeps_its_mode_and_is_replaced_whole(tmp_path):
    out = tmp_path / "r.json"
    out.write_text("old")
    out.chmod(0o640)
    assert report(out).returncode == 0
    assert stat.S_IMODE(out.stat().st_mode) == 0o640
    assert json.loads(out.read_text())["schema"]
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".kernel-advisor-")]  # none left


def test_symlink_stays_a_link_and_its_target_gets_the_data(tmp_path):
    real = tmp_path / "real.json"
    real.write_text("old")
    link = tmp_path / "link.json"
    link.symlink_to(real)
    assert report(link).returncode == 0
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert json.loads(real.read_text())["schema"]


@needs_root
def test_character_device_is_written_into_not_replaced(tmp_path):
    null = tmp_path / "null"
    os.mknod(null, stat.S_IFCHR | 0o666, os.makedev(1, 3))  # a private /dev/null
    result = report(null)
    assert result.returncode == 0, result.stderr
    assert stat.S_ISCHR(os.lstat(null).st_mode)
    assert os.major(os.lstat(null).st_rdev) == 1


@pytest.mark.parametrize("make, word", [
    (lambda p: os.mkfifo(p), "a FIFO"),
    (lambda p: p.mkdir(), "a directory"),
])
def test_fifo_and_directory_are_refused_in_one_line(tmp_path, make, word):
    target = tmp_path / "target"
    make(target)
    result = report(target)  # a FIFO is never opened, so this cannot hang
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert "directory" in result.stderr or word in result.stderr


@needs_root
def test_block_device_is_refused(tmp_path):
    blk = tmp_path / "blk"
    os.mknod(blk, stat.S_IFBLK | 0o600, os.makedev(7, 200))
    with pytest.raises(TargetError, match="block device"):
        write_output(str(blk), b"x")
    assert stat.S_ISBLK(os.lstat(blk).st_mode)


def test_dash_is_standard_output():
    result = subprocess.run([sys.executable, "-m", "kernel_advisor", "report", "-f", "json", "-o", "-",
                             "--root", ROOT, "--kernel", "6.1.0", "--offline"],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0
    assert json.loads(result.stdout)["schema"] == "kernel-advisor/1"
    assert not os.path.exists("-")
