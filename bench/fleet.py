#!/usr/bin/env python3
"""`kernel-advisor fleet` on fleets of 10, 100 and 1,000 snapshots made from the real captures.

    .venv/bin/python bench/fleet.py [--sizes 10,100,1000]

    .venv/bin/python bench/fleet.py --hostile [--sizes 100,2000]

Reports, in one run: wall time and peak memory (the whole process tree, sampled) of
`fleet DIR --json --offline` per size, the per-host wall time, and its ratio to one
`check --snapshot` process (median of 5). Targets (issue 17): per host ≤ 0.1× a check process,
linear cost, peak memory at 1,000 hosts ≤ 1.5× that at 10.

``--hostile`` (issue 29): fleets of our own snapshots, all good and then with every 20th file
(5 %) one of the hostile archives of tests/test_hostile_tar.py or a 250 MiB member behind a
tiny bzip2; target: about the time of the good ones plus at most one deadline per bad file,
and flat memory.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
HOSTS = os.path.join(ROOT, "tests", "fixtures", "hosts")


def captures() -> list:
    lscpu = os.path.join(HOSTS, "lscpu")
    found = [os.path.join(lscpu, n) for n in sorted(os.listdir(lscpu)) if n.endswith(".tar.gz")]
    return [os.path.join(HOSTS, "firecracker-pvm.tar.gz")] + found


def tree_rss(root: int) -> int:
    """Resident KiB of ``root`` and every process below it (the fleet's workers run under a
    forkserver, not as direct children), from /proc."""
    parent, rss = {}, {}
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/status") as fh:
                fields = dict(line.split(":", 1) for line in fh if ":" in line)
        except OSError:
            continue
        parent[int(pid)] = int(fields.get("PPid", "0"))
        rss[int(pid)] = int(fields.get("VmRSS", "0 kB").split()[0])
    total = 0
    for pid in rss:
        p = pid
        while p and p != root:
            p = parent.get(p, 0)
        total += rss[pid] if p == root else 0
    return total


def run(args: list) -> tuple:
    """Wall time, peak resident memory of the whole process tree (MiB, sampled every 20 ms)
    and exit status."""
    start = time.monotonic()
    proc = subprocess.Popen([sys.executable, "-m", "kernel_advisor", *args], cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    peak = 0
    while proc.poll() is None:
        peak = max(peak, tree_rss(proc.pid))
        time.sleep(0.02)
    return time.monotonic() - start, peak / 1024, proc.returncode


def hostile(sizes: list) -> None:
    sys.path[:0] = [ROOT, os.path.join(ROOT, "tests"), os.path.join(ROOT, "bench")]
    from pathlib import Path

    from hostile import bz2_member
    from test_hostile_tar import HOSTILE

    good = captures()[0]
    with tempfile.TemporaryDirectory() as bombs:
        bad = [str(make(Path(bombs))) for make, _words in HOSTILE.values()]
        bad.append(os.path.join(bombs, "bz2.tar.bz2"))
        bz2_member(bad[-1], 250 << 20)
        print("\n### 5 % hostile files among our own snapshots (issue 29)\n")
        print(f"hostile kinds: {len(bad)} (cycled); {os.cpu_count()} CPUs\n")
        print("| hosts | hostile | wall s (all good) | wall s (5 % hostile) | ratio | "
              "peak RSS MiB (good / hostile) | exit (good / hostile) |")
        print("|---|---|---|---|---|---|---|")
        for n in sizes:
            results = []
            for every in (0, 20):
                with tempfile.TemporaryDirectory() as tmp:
                    for i in range(n):
                        src = bad[(i // 20) % len(bad)] if every and i % every == 0 else good
                        os.symlink(src, os.path.join(tmp, f"h{i:05d}.tar.gz"))
                    results.append(run(["fleet", tmp, "--json", "--offline"]))
            (t0, m0, c0), (t1, m1, c1) = results
            print(f"| {n} | {n // 20} | {t0:.2f} | {t1:.2f} | {t1 / t0:.2f}× | {m0:.0f} / "
                  f"{m1:.0f} | {c0} / {c1} |")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default=None)
    ap.add_argument("--hostile", action="store_true")
    opts = ap.parse_args()
    if opts.hostile:
        hostile([int(s) for s in (opts.sizes or "100,2000").split(",")])
        return 0
    sizes = [int(s) for s in (opts.sizes or "10,100,1000").split(",")]
    for title, sources in (("our own snapshots (the Firecracker capture, as the collector "
                            "writes them)", captures()[:1]),
                           ("the mix of every real capture (lscpu dumps of up to 6,435 files)",
                            captures())):
        singles = [statistics.median(run(["check", "--snapshot", src, "--offline"])[0]
                                     for _ in range(3)) for src in sources]
        single = statistics.mean(singles)
        print(f"\n### {title}\n\none `check --snapshot` process over the same files: "
              f"{single * 1000:.0f} ms (mean of their medians of 3); {os.cpu_count()} CPUs\n")
        print("| hosts | wall s | per host ms | per host ÷ one check | peak RSS MiB (all "
              "processes) | exit |")
        print("|---|---|---|---|---|---|")
        for n in sizes:
            with tempfile.TemporaryDirectory() as tmp:
                for i in range(n):
                    os.symlink(sources[i % len(sources)], os.path.join(tmp, f"h{i:05d}.tar.gz"))
                took, rss, code = run(["fleet", tmp, "--json", "--offline"])
            per = took / n
            print(f"| {n} | {took:.2f} | {per * 1000:.1f} | {per / single:.3f}× | {rss:.0f} | "
                  f"{code} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
