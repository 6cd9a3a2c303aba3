#!/usr/bin/env python3
"""`kernel-advisor fleet` on fleets of 10, 100 and 1,000 snapshots made from the real captures.

    .venv/bin/python bench/fleet.py [--sizes 10,100,1000]

Reports, in one run: wall time and peak memory (the largest process, from ``wait4``) of
`fleet DIR --json --offline` per size, the per-host wall time, and its ratio to one
`check --snapshot` process (median of 5). Targets (issue 17): per host ≤ 0.1× a check process,
linear cost, peak memory at 1,000 hosts ≤ 1.5× that at 10.
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


def run(args: list) -> tuple:
    start = time.monotonic()
    proc = subprocess.Popen([sys.executable, "-m", "advisor", *args], cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    return time.monotonic() - start, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="10,100,1000")
    sizes = [int(s) for s in ap.parse_args().sizes.split(",")]
    for title, sources in (("our own snapshots (the Firecracker capture, as the collector "
                            "writes them)", captures()[:1]),
                           ("the mix of every real capture (lscpu dumps of up to 6,435 files)",
                            captures())):
        singles = [statistics.median(run(["check", "--snapshot", src, "--offline"])[0]
                                     for _ in range(3)) for src in sources]
        single = statistics.mean(singles)
        print(f"\n### {title}\n\none `check --snapshot` process over the same files: "
              f"{single * 1000:.0f} ms (mean of their medians of 3); {os.cpu_count()} CPUs\n")
        print("| hosts | wall s | per host ms | per host ÷ one check | peak RSS MiB | exit |")
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
