"""Issue 29, classes 1, 2 and 12: tar members that would hang the reader. A huge member behind a
tiny compressed file meets the deadline inside the member; sparse members in every form are
refused before ``tarfile`` expands their maps; chains of extended headers are bounded; the member
cap is reached by counting, whatever the machine's speed. Every archive is built here, and the
refusals are checked on every Python from 3.8 to 3.13 that the machine has (``tarfile``'s hooks
are the same there; the collector runs on 3.8)."""

from __future__ import annotations

import bz2
import gzip
import io
import os
import subprocess
import tarfile
from pathlib import Path

import pytest
from test_hostile import TOP, check_snapshot, one_line_refusal, raw_header

from kernel_advisor.hostfs import InputError, TarRoot
from kernel_advisor.hostfs import tarroot as tarroot_module

APP = Path(__file__).resolve().parent.parent
PYENV = Path.home() / ".pyenv" / "versions"


def ustar(name: bytes, size: int, kind: bytes, tweak=None) -> bytes:
    """A header block (``raw_header``), with ``tweak(block)`` applied before the checksum."""
    block = bytearray(raw_header(name, size, kind))
    if tweak:
        tweak(block)
        block[148:156] = b" " * 8
        block[148:156] = b"%06o\0 " % sum(block)
    return bytes(block)


def padded(data: bytes) -> bytes:
    return data + b"\0" * (-len(data) % 512)


def gz(path: Path, *blocks: bytes, end: bool = True) -> Path:
    with gzip.open(path, "wb", compresslevel=1) as fh:
        for block in blocks:
            fh.write(block)
        if end:
            fh.write(b"\0" * 1024)
    return path


# --- the archives -----------------------------------------------------------------------------

def old_gnu_sparse(path: Path, extensions: int, cut: bool = False) -> Path:
    """An old-GNU sparse member ('S') whose header says 'extended' and is followed by
    ``extensions`` extension blocks, each saying 'one more' (cut short by EOF if ``cut``)."""
    def extended(block):
        block[482] = 1  # isextended
        block[483:495] = b"%011o\0" % (1 << 20)  # realsize
    header = ustar(f"{TOP}/sparse".encode(), 0, b"S", extended)
    ext = bytearray(512)
    ext[504] = 1  # this extension block is followed by another
    blocks = [header] + [bytes(ext)] * extensions
    return gz(path, *blocks, end=not cut)


def pax_sparse(path: Path, version: str, numbers: int = 10) -> Path:
    """A member with GNU.sparse pax records of format ``version`` (0.0, 0.1 or 1.0); 1.0 puts a
    map of ``numbers`` numbers in the member's data."""
    info = tarfile.TarInfo(f"{TOP}/GNUSparseFile.0/sparse")
    data = b""
    if version == "1.0":
        info.pax_headers = {"GNU.sparse.major": "1", "GNU.sparse.minor": "0",
                            "GNU.sparse.name": f"{TOP}/sparse", "GNU.sparse.realsize": "1024"}
        data = padded(b"%d\n" % (numbers // 2) + b"0\n" * numbers)
    elif version == "0.1":
        info.pax_headers = {"GNU.sparse.size": "1024", "GNU.sparse.numblocks": "1",
                            "GNU.sparse.map": "0,512"}
    else:
        info.pax_headers = {"GNU.sparse.size": "1024", "GNU.sparse.numblocks": "1",
                            "GNU.sparse.offset": "0", "GNU.sparse.numbytes": "512"}
    info.size = len(data)
    with tarfile.open(path, "w:gz", format=tarfile.PAX_FORMAT) as tf:
        tf.addfile(info, io.BytesIO(data))
    return path


def long_name_chain(path: Path, kind: bytes, length: int) -> Path:
    """``length`` GNU long-name ('L') or pax ('x') headers in a row, each small, then a file."""
    blocks = []
    for i in range(length):
        if kind == b"L":
            body = f"{TOP}/name-{i}\0".encode()
            blocks += [ustar(b"././@LongLink", len(body), b"L"), padded(body)]
        else:
            record = f"path={TOP}/name-{i}\n"
            record = f"{len(record) + 3} {record}"  # "NN path=...\n", NN counting itself
            blocks += [ustar(b"PaxHeader/x", len(record), b"x"), padded(record.encode())]
    blocks.append(ustar(f"{TOP}/f".encode(), 0, b"0"))
    return gz(path, *blocks)


HOSTILE = {
    "old GNU sparse, a long extension chain": (
        lambda p: old_gnu_sparse(p / "s1.tar.gz", 20_000), "sparse member"),
    "old GNU sparse, the chain cut by EOF": (
        lambda p: old_gnu_sparse(p / "s2.tar.gz", 3, cut=True), "sparse member"),
    "pax GNU.sparse 1.0, a map of a million numbers": (
        lambda p: pax_sparse(p / "s3.tar.gz", "1.0", 1_000_000), "sparse member"),
    "pax GNU.sparse 0.1": (lambda p: pax_sparse(p / "s4.tar.gz", "0.1"), "sparse member"),
    "pax GNU.sparse 0.0": (lambda p: pax_sparse(p / "s5.tar.gz", "0.0"), "sparse member"),
    "400 GNU long names in a row": (
        lambda p: long_name_chain(p / "l1.tar.gz", b"L", 400), "extended headers in a row"),
    "400 pax headers in a row": (
        lambda p: long_name_chain(p / "l2.tar.gz", b"x", 400), "extended headers in a row"),
}


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    top = tmp_path_factory.mktemp("hostile-tar")
    return {name: (make(top), words) for name, (make, words) in HOSTILE.items()}


@pytest.mark.parametrize("name", list(HOSTILE))
def test_each_hostile_archive_is_refused_in_one_line_by_the_cli(hostile, name):
    path, words = hostile[name]
    one_line_refusal(check_snapshot(path), words)


@pytest.mark.parametrize("name", list(HOSTILE))
def test_the_reader_refuses_it_in_its_own_words_not_pythons(hostile, name):
    path, words = hostile[name]
    with pytest.raises(InputError) as caught:
        TarRoot(str(path))
    message = str(caught.value)
    assert words in message
    assert "Error" not in message and "tarfile" not in message  # no exception names


def test_a_short_chain_of_real_headers_is_read(tmp_path):
    """What real archives hold (a global and a member pax header, GNU long names) is fine."""
    path = tmp_path / "real.tar.gz"
    long_name = f"{TOP}/proc/sys/kernel/" + "d" * 150 + "/../osrelease"
    with tarfile.open(path, "w:gz", format=tarfile.PAX_FORMAT,
                      pax_headers={"comment": "global"}) as tf:
        for name, data in ((f"{TOP}/proc/sys/kernel/osrelease", b"6.1.0\n"),
                           (long_name.replace("/../osrelease", "/x"), b"y")):
            info = tarfile.TarInfo(name)
            info.size, info.pax_headers = len(data), {"comment": "é" * 10}
            tf.addfile(info, io.BytesIO(data))
    root = TarRoot(str(path))
    assert root.read("/proc/sys/kernel/osrelease").data == b"6.1.0\n"


def test_damaged_compressed_data_is_one_plain_sentence(tmp_path):
    good = io.BytesIO()
    with tarfile.open(fileobj=good, mode="w:bz2") as tf:
        info = tarfile.TarInfo(f"{TOP}/proc/cpuinfo")
        info.size = 4096
        tf.addfile(info, io.BytesIO(os.urandom(4096)))
    raw = good.getvalue()
    for name, data in (("cut.tar.bz2", raw[: len(raw) // 2]),
                       ("flipped.tar.bz2", raw[:40] + bytes(b ^ 0xFF for b in raw[40:80])
                        + raw[80:]),
                       ("cut.tar.gz", gzip.compress(raw)[:30])):
        (tmp_path / name).write_bytes(data)
        with pytest.raises(InputError, match="not a readable tar archive"):
            TarRoot(str(tmp_path / name))


def test_the_deadline_holds_inside_one_member(tmp_path, monkeypatch):
    """A 300-byte bzip2 of one 250 MiB member: the clock is asked on every block read, so the
    deadline stops the read in the member. A clock that moves a second per question makes this
    independent of the machine's speed."""
    path = tmp_path / "bomb.tar.bz2"
    size = 250 << 20
    packer = bz2.BZ2Compressor(9)
    parts = [packer.compress(ustar(f"{TOP}/big".encode(), size, b"0"))]
    zeros = b"\0" * (1 << 20)
    parts += [packer.compress(zeros) for _ in range(size >> 20)]
    parts += [packer.compress(b"\0" * 1024), packer.flush()]
    path.write_bytes(b"".join(parts))
    assert path.stat().st_size < 1024
    ticks = iter(range(10**9))
    monkeypatch.setattr(tarroot_module, "_clock", lambda: float(next(ticks)))
    with pytest.raises(InputError, match="took longer than 10 s"):
        TarRoot(str(path))
    assert next(ticks) < 100  # stopped after a few dozen blocks, not after the member


def test_the_member_cap_is_reached_by_counting_whatever_the_clock(tmp_path, monkeypatch):
    """Issue 29, class 12: with a clock that never moves, the member cap still refuses."""
    path = tmp_path / "many.tar.gz"
    cap = tarroot_module.SNAPSHOT_MAX_MEMBERS
    header = [ustar(f"{TOP}/d/{i}".encode(), 0, b"0") for i in range(cap + 1)]
    gz(path, *header)
    monkeypatch.setattr(tarroot_module, "_clock", lambda: 0.0)
    with pytest.raises(InputError, match=f"more than {cap:,} members"):
        TarRoot(str(path))


def pythons():
    found = sorted(PYENV.glob("3.*/bin/python3"), key=lambda p: tuple(
        int(x) for x in p.parent.parent.name.split(".")[:2]))
    return [p for p in found if (3, 8) <= tuple(int(x) for x in
                                                 p.parent.parent.name.split(".")[:2])]


@pytest.mark.skipif(not pythons(), reason="no pyenv Pythons on this machine")
def test_the_refusals_hold_on_every_python_we_support(hostile):
    script = ("import sys; sys.path.insert(0, sys.argv[1])\n"
              "from kernel_advisor.hostfs.tarroot import TarRoot\n"
              "from kernel_advisor.hostfs.base import InputError\n"
              "for path in sys.argv[2:]:\n"
              "    try:\n        TarRoot(path); print('READ')\n"
              "    except InputError as exc:\n        print(str(exc).replace('\\n', ' '))\n")
    paths = [str(path) for path, _words in hostile.values()]
    for python in pythons():
        out = subprocess.run([str(python), "-c", script, str(APP), *paths], capture_output=True,
                             text=True, timeout=120)
        assert out.returncode == 0, (python, out.stderr)
        lines = out.stdout.splitlines()
        assert len(lines) == len(hostile), (python, lines)
        for line, (_path, words) in zip(lines, hostile.values(), strict=True):
            assert words in line, (python, line)
