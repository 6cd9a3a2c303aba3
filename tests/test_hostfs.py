"""The one reader: stays inside its root, caps reads, turns hostile input into reasons or exit 2."""

from __future__ import annotations

import gzip
import io
import os
import subprocess
import sys
import tarfile
import time

import pytest
from conftest import FIRECRACKER, LSCPU

from kernel_advisor.hostfs import DirRoot, InputError, TarRoot, open_root
from kernel_advisor.probe import probe


def make_tar(path, members, top="host", gz=True):
    """members: list of (name, kind, payload) with kind file|dir|sym|hard|chr|fifo."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w") as tf:
        for name, kind, payload in members:
            full = name if name.startswith(("/", "..")) else f"{top}/{name}"
            info = tarfile.TarInfo(full)
            if kind == "file":
                info.size = len(payload)
                tf.addfile(info, io.BytesIO(payload))
                continue
            if kind == "dir":
                info.type = tarfile.DIRTYPE
            elif kind == "sym":
                info.type, info.linkname = tarfile.SYMTYPE, payload
            elif kind == "hard":
                info.type, info.linkname = tarfile.LNKTYPE, payload
            elif kind == "chr":
                info.type, info.devmajor, info.devminor = tarfile.CHRTYPE, 1, 5
            elif kind == "fifo":
                info.type = tarfile.FIFOTYPE
            tf.addfile(info)
    data = buf.getvalue()
    path.write_bytes(gzip.compress(data) if gz else data)
    return path


def test_dir_root_symlink_out_of_root_is_resolved_inside(tmp_path):
    root = tmp_path / "root"
    (root / "proc").mkdir(parents=True)
    secret = tmp_path / "secret"
    secret.write_text("outside")
    os.symlink(str(secret), root / "proc" / "cpuinfo")  # absolute: must resolve under root
    os.symlink("../../../secret", root / "proc" / "version")  # .. must stop at the root
    r = DirRoot(str(root))
    got = r.read("/proc/cpuinfo")
    assert got.data is None and got.reason == "does not exist"
    assert r.read("/proc/version").data is None


def test_dir_root_never_reads_devices_or_fifos(tmp_path):
    root = tmp_path / "root"
    (root / "proc").mkdir(parents=True)
    (root / "dev").mkdir()
    os.symlink("/dev/zero", root / "proc" / "cpuinfo")
    os.mkfifo(root / "proc" / "version")
    os.symlink("/dev/zero", root / "dev" / "zero")  # even a root holding /dev/zero
    r = DirRoot(str(root))
    start = time.monotonic()
    assert r.read("/proc/version").reason.startswith("not a regular file (fifo)")
    assert r.read("/proc/cpuinfo").data is None
    assert time.monotonic() - start < 2


def test_dir_root_device_node_refused(tmp_path):
    r = DirRoot("/")
    got = r.read("/dev/zero")
    assert got.data is None and "not a regular file" in got.reason


def test_caps_huge_and_binary_files(tmp_path):
    root = tmp_path / "root"
    (root / "proc").mkdir(parents=True)
    (root / "proc" / "cpuinfo").write_bytes(b"\x00\xff" * (3 << 20))
    r = DirRoot(str(root))
    got = r.read("/proc/cpuinfo", cap=1 << 20)
    assert got.truncated and len(got.data) == 1 << 20
    facts = probe(r)  # binary garbage: unknowns, no traceback
    assert facts.value("cpu.virtualization") is None
    assert facts.get("kernel.release").status == "unknown"


def test_corrupt_config_gz_is_an_unknown_with_reason(tmp_path):
    root = tmp_path / "root"
    (root / "proc").mkdir(parents=True)
    (root / "proc" / "config.gz").write_bytes(b"\x1f\x8b\x08\x00garbage" * 10)
    facts = probe(DirRoot(str(root)))
    cfg = facts.get("kernel.config")
    assert cfg.status == "unknown" and "corrupt" in cfg.reason


def test_missing_root_and_snapshot_are_input_errors(tmp_path):
    with pytest.raises(InputError, match="not a directory"):
        DirRoot(str(tmp_path / "nope"))
    with pytest.raises(InputError, match="no such file"):
        TarRoot(str(tmp_path / "nope.tar.gz"))
    (tmp_path / "junk.tar.gz").write_bytes(b"this is not a tarball")
    with pytest.raises(InputError, match="not a readable tar archive"):
        TarRoot(str(tmp_path / "junk.tar.gz"))
    with pytest.raises(InputError):
        open_root(str(tmp_path), str(tmp_path / "x"))


def test_tar_members_with_dotdot_absolute_and_symlinks_stay_inside(tmp_path):
    snap = make_tar(tmp_path / "evil.tar.gz", [
        ("proc", "dir", None),
        ("proc/sys/kernel/osrelease", "file", b"6.1.0-26-amd64\n"),
        ("/etc/passwd", "file", b"root:x:0:0"),
        ("../escape", "file", b"x"),
        ("proc/cpuinfo", "sym", "/../../../../etc/passwd"),
        ("proc/version", "sym", "/dev/zero"),
        ("dev/zero", "chr", None),
        ("proc/modules", "fifo", None),
        ("proc/cmdline", "hard", "host/proc/sys/kernel/osrelease"),
    ])
    r = TarRoot(str(snap))
    assert r.read("/proc/sys/kernel/osrelease").text.strip() == "6.1.0-26-amd64"
    assert r.read("/etc/passwd").data is None
    assert r.read("/proc/cpuinfo").data is None  # resolves to /etc/passwd inside: absent
    assert "not a regular file" in r.read("/proc/version").reason
    assert "not a regular file" in r.read("/proc/modules").reason
    assert r.read("/proc/cmdline").text.strip() == "6.1.0-26-amd64"
    facts = probe(r)
    assert facts.value("kernel.release") == "6.1.0-26-amd64"


def test_symlink_loop_is_a_reason(tmp_path):
    snap = make_tar(tmp_path / "loop.tar.gz", [("a", "sym", "/b"), ("b", "sym", "/a")])
    assert "symbolic links" in TarRoot(str(snap)).read("/a/x").reason


def test_decompression_bomb_refused_without_unpacking(tmp_path):
    # a member that declares 1 GiB: refused from its header, before any data is inflated
    bomb = tmp_path / "bomb.tar.gz"
    with gzip.open(bomb, "wb", compresslevel=9) as gz:
        info = tarfile.TarInfo("host/proc/cpuinfo")
        info.size = 1 << 30
        gz.write(info.tobuf())
        chunk = b"\0" * (1 << 20)
        for _ in range(8):
            gz.write(chunk)
    start = time.monotonic()
    with pytest.raises(InputError, match="decompression bomb"):
        TarRoot(str(bomb))
    assert time.monotonic() - start < 5


def test_two_top_level_folders_refused(tmp_path):
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as tf:
        for name in ("a/proc/cpuinfo", "b/proc/cpuinfo"):
            info = tarfile.TarInfo(name)
            tf.addfile(info, io.BytesIO(b""))
    (tmp_path / "two.tar.gz").write_bytes(buf.getvalue())
    with pytest.raises(InputError, match="more than one top-level folder"):
        TarRoot(str(tmp_path / "two.tar.gz"))


def test_lscpu_dumps_open_as_snapshots():
    for tarball in sorted(LSCPU.glob("*.tar.gz")):
        r = TarRoot(str(tarball))
        assert r.read("/proc/cpuinfo").ok, tarball.name


def test_unreadable_member_is_permission_denied(tmp_path):
    r = TarRoot(str(FIRECRACKER))
    got = r.read("/proc/1/environ")
    assert got.data is None and "permission denied" in got.reason


@pytest.mark.parametrize("args, needle", [
    (["check", "--snapshot", "/nonexistent/x.tar.gz"], "--snapshot /nonexistent/x.tar.gz"),
    (["check", "--root", "/nonexistent"], "--root /nonexistent: not a directory"),
    (["check", "--kernel", "banana"], "--kernel: 'banana' is not a kernel release"),
    (["check", "--arch", "vax11"], "--arch: 'vax11': unknown architecture"),
    (["check", "--bogus"], "unrecognized arguments"),
])
def test_cli_bad_input_is_one_line_and_exit_2(args, needle):
    proc = subprocess.run([sys.executable, "-m", "kernel_advisor", *args], capture_output=True,
                          text=True, timeout=60)
    assert proc.returncode == 2
    assert needle in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1
    assert "Traceback" not in proc.stderr
