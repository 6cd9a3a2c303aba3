#!/usr/bin/env python3
"""Time and memory of `check --snapshot` on each hostile snapshot of issues 18 (class 2) and 29
(classes 1 and 2: a huge member behind a tiny bzip2, sparse members, chains of headers).

    .venv/bin/python bench/hostile.py

Each input is generated here (by the same builders as tests/test_hostile.py), then read by a
fresh `kernel-advisor check --snapshot … --offline`; the table gives the wall time, the child's
peak resident memory (``wait4``'s ``ru_maxrss``) and how it ended. Target: every one refused
(exit 2) well under 10 s and ~200 MB. Tests never time anything; this script reports.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path[:0] = [ROOT, os.path.join(ROOT, "tests")]

from test_hostile import CPUINFO, TOP, raw_header, streamed  # noqa: E402
from test_hostile_tar import (  # noqa: E402
    long_name_chain,
    old_gnu_sparse,
    pax_sparse,
    ustar,
)


def bz2_member(path: str, size: int) -> None:
    """One member of ``size`` zero bytes, bzip2'd: a few hundred bytes on disk."""
    import bz2

    packer = bz2.BZ2Compressor(9)
    with open(path, "wb") as fh:
        fh.write(packer.compress(ustar(f"{TOP}/big".encode(), size, b"0")))
        zeros = b"\0" * (1 << 20)
        for _ in range(size >> 20):
            fh.write(packer.compress(zeros))
        fh.write(packer.compress(b"\0" * 1024) + packer.flush())


def many_members(path: str, n: int) -> None:
    with tarfile.open(path, "w:gz") as tf:
        for i in range(n):
            tf.addfile(tarfile.TarInfo(f"{TOP}/d/{i}"), io.BytesIO(b""))


def deep(path: str, depth: int) -> None:
    with tarfile.open(path, "w:gz", format=tarfile.GNU_FORMAT) as tf:
        tf.addfile(tarfile.TarInfo(TOP + "/" + "a/" * depth + "f"), io.BytesIO(b""))


def dotdot(path: str, n: int) -> None:
    with tarfile.open(path, "w:gz", format=tarfile.GNU_FORMAT) as tf:
        for name, data in (("/proc/sys/kernel/osrelease", b"6.1.0\n"), ("/real/cpuinfo", CPUINFO)):
            info = tarfile.TarInfo(TOP + name)
            info.size = len(data)
            tf.addfile(info, io.BytesIO(data))
        info = tarfile.TarInfo(TOP + "/proc/cpuinfo")
        info.type, info.linkname = tarfile.SYMTYPE, "../" * n + "real/cpuinfo"
        tf.addfile(info)


CASES = [
    ("pax header, 300 MiB", lambda p: streamed(p, raw_header(b"PaxHeader/x", 300 << 20, b"x"),
                                              300 << 20)),
    ("GNU long name, 200 MiB", lambda p: streamed(p, raw_header(b"././@LongLink", 200 << 20,
                                                                b"L"), 200 << 20)),
    ("CVE-2024-6232 pax header, 1 MiB", lambda p: streamed(
        p, raw_header(b"PaxHeader/x", 1 << 20, b"x"), 1 << 20, fill=b"1")),
    ("name 30,000 folders deep", lambda p: deep(p, 30_000)),
    ("name 1,500 folders deep", lambda p: deep(p, 1_500)),
    ("link target of 300,000 ../", lambda p: dotdot(p, 300_000)),
    ("link target of 1,300 ../ (allowed)", lambda p: dotdot(p, 1_300)),
    ("one 250 MiB member, bzip2 (issue 29)", lambda p: bz2_member(p, 250 << 20)),
    ("old GNU sparse, 20,000 extension blocks", lambda p: old_gnu_sparse(Path(p), 20_000)),
    ("old GNU sparse, chain cut by EOF", lambda p: old_gnu_sparse(Path(p), 3, cut=True)),
    ("pax GNU.sparse 1.0, a million numbers", lambda p: pax_sparse(Path(p), "1.0", 1_000_000)),
    ("400 GNU long names in a row", lambda p: long_name_chain(Path(p), b"L", 400)),
    ("400 pax headers in a row", lambda p: long_name_chain(Path(p), b"x", 400)),
    ("100,000 members", lambda p: many_members(p, 100_000)),
    ("49,000 members (allowed)", lambda p: many_members(p, 49_000)),
]


def measure(path: str) -> tuple[float, float, int, str]:
    start = time.monotonic()
    proc = subprocess.Popen([sys.executable, "-m", "kernel_advisor", "check", "--snapshot", path,
                             "--offline"], cwd=ROOT, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    err = proc.stderr.read().decode(errors="replace").strip()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    took = time.monotonic() - start
    return took, usage.ru_maxrss / 1024, proc.returncode, err.splitlines()[-1] if err else ""


def main() -> int:
    print("| hostile snapshot | size | wall s | peak RSS MiB | exit | message |")
    print("|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        for name, build in CASES:
            path = os.path.join(tmp, "s.tar.gz")
            build(path)
            took, rss, code, msg = measure(path)
            print(f"| {name} | {os.path.getsize(path) // 1024} KiB | {took:.2f} | {rss:.0f} | "
                  f"{code} | {msg[:90]} |")
            os.unlink(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
