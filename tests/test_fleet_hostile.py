"""Issue 29, classes 3 and 8: one bad file cannot stall or break a fleet. Hostile files among
good ones are refused rows in plain words; a file past its deadline is refused and the others
are analysed; a worker that is killed, or stops answering, costs a rebuilt pool, never the
run; workers end with the fleet, even by ``kill -9``; where no worker can start, the files are
analysed one after another; ``-j`` takes 1 to 256.

Workers are found as what they are: the children of the forkserver this process (or the CLI's
process) started, read from /proc."""

from __future__ import annotations

import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import FIRECRACKER
from test_hostile_tar import HOSTILE

from kernel_advisor import fleet, releases
from kernel_advisor.model import Answers


def cli(*args, timeout=180, **kw):
    return subprocess.run([sys.executable, "-m", "kernel_advisor", *args], capture_output=True,
                          text=True, timeout=timeout, **kw)


def good_fleet(folder: Path, n: int) -> Path:
    folder.mkdir(exist_ok=True)
    for i in range(n):
        shutil.copy(FIRECRACKER, folder / f"good-{i:03}.tar.gz")
    return folder


def children(pid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry))
    return found


def descendants(pid: int) -> list[int]:
    out, todo = [], [pid]
    while todo:
        kids = children(todo.pop())
        out += kids
        todo += kids
    return out


def workers(pid: int) -> list[int]:
    """The fleet's workers: the forkserver's children, under ``pid``."""
    for kid in children(pid):
        try:
            cmdline = Path(f"/proc/{kid}/cmdline").read_bytes()
        except OSError:
            continue
        if b"forkserver" in cmdline:
            return children(kid)
    return []


def until(predicate, what, limit=60.0):
    """Wait for ``predicate`` (an outcome, not a speed: the limit only ends a broken test)."""
    end = time.monotonic() + limit
    while not predicate():
        assert time.monotonic() < end, f"never: {what}"
        time.sleep(0.05)


def run(folder, **kw):
    return fleet.analyse_fleet(str(folder), Answers(), releases.load(offline=True), **kw)


def test_hostile_files_among_good_ones_are_plain_refused_rows(tmp_path):
    folder = good_fleet(tmp_path / "fleet", 10)
    for make, _words in HOSTILE.values():
        made = make(tmp_path)
        made.rename(folder / f"bad-{made.name}")
    out = cli("fleet", str(folder), "--json", "--offline", "-j", "2")
    assert out.returncode == 2, out.stderr  # the contract: 2 when any file was refused
    hosts = json.loads(out.stdout)["hosts"]
    assert len(hosts) == 10 + len(HOSTILE)
    good = [h for h in hosts if h["file"].startswith("good-")]
    assert all(h["error"] is None and h["analysis"] for h in good)
    bad = {h["file"]: h["error"] for h in hosts if h["file"].startswith("bad-")}
    for _name, (_make, words) in HOSTILE.items():
        assert any(words in (e or "") for e in bad.values()), (words, bad)
    for error in bad.values():
        assert "Error" not in error and "Traceback" not in error, error


def test_past_its_deadline_a_file_is_a_refused_row_and_the_run_goes_on(tmp_path):
    """A deadline no analysis can meet: every file is refused by its worker's timer, in plain
    words, and the fleet ends."""
    folder = good_fleet(tmp_path / "fleet", 6)
    entries = list(run(folder, jobs=2, deadline=1e-6))
    assert [e.host for e in entries] == [f"good-{i:03}" for i in range(6)]
    assert {e.error for e in entries} == {fleet.overtime(1e-6)}


def test_stopped_workers_are_killed_after_the_grace_and_the_rest_is_analysed(tmp_path,
                                                                              monkeypatch):
    """Workers that stop answering (SIGSTOP: their own timers cannot fire) hold the files they
    were given past the deadline and the grace; those files are refused, the pool is rebuilt,
    and every other file is analysed."""
    monkeypatch.setattr(fleet, "KILL_GRACE", 0.5)
    folder = good_fleet(tmp_path / "fleet", 24)
    entries = run(folder, jobs=2, deadline=2.0)
    first = next(entries)
    stuck = workers(os.getpid())
    assert stuck
    for pid in stuck:
        os.kill(pid, signal.SIGSTOP)
    rest = list(entries)
    rows = [first, *rest]
    assert len(rows) == 24 and len({e.file for e in rows}) == 24
    late = [e for e in rows if e.error]
    assert 1 <= len(late) <= 2 and {e.error for e in late} == {fleet.overtime(2.0)}
    assert all(e.row.get("recommended") for e in rows if not e.error)
    until(lambda: not any(os.path.exists(f"/proc/{p}") and "T" not in
                          Path(f"/proc/{p}/stat").read_text().split()[2] for p in stuck),
          "the stopped workers are gone")


def test_a_worker_killed_mid_run_costs_a_rebuilt_pool_not_a_row(tmp_path):
    folder = good_fleet(tmp_path / "fleet", 24)
    entries = run(folder, jobs=2)
    first = next(entries)
    victims = workers(os.getpid())
    assert victims
    os.kill(victims[0], signal.SIGKILL)
    rows = [first, *entries]
    assert len(rows) == 24 and all(e.error is None for e in rows), [e.error for e in rows]


def test_a_worker_killed_between_two_submissions_costs_no_row(tmp_path):
    """The pool is found broken when the next file is submitted, not while waiting (the kill
    lands while the caller reads a row): that file goes on in a rebuilt pool."""
    folder = good_fleet(tmp_path / "fleet", 24)
    entries = run(folder, jobs=2)
    first = next(entries)
    victim = workers(os.getpid())[0]
    os.kill(victim, signal.SIGKILL)
    until(lambda: not os.path.exists(f"/proc/{victim}"), "the killed worker is gone")
    time.sleep(0.5)  # the executor's manager thread marks the pool broken meanwhile
    rows = [first, *entries]
    assert len(rows) == 24 and all(e.error is None for e in rows), [e.error for e in rows]


def test_the_workers_end_with_the_fleet_even_by_kill_9(tmp_path):
    folder = good_fleet(tmp_path / "fleet", 400)
    proc = subprocess.Popen([sys.executable, "-m", "kernel_advisor", "fleet", str(folder), "-j", "2",
                             "--offline"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    until(lambda: workers(proc.pid), "the fleet has workers")
    left = descendants(proc.pid)
    proc.kill()
    proc.wait()
    until(lambda: not any(os.path.exists(f"/proc/{p}") for p in left),
          "the forkserver and the workers end with the fleet")


def test_where_no_worker_can_start_the_files_are_analysed_one_by_one(tmp_path):
    folder = good_fleet(tmp_path / "fleet", 4)

    def few_descriptors():
        resource.setrlimit(resource.RLIMIT_NOFILE, (12, 12))

    out = cli("fleet", str(folder), "--offline", "-j", "2", "-v", preexec_fn=few_descriptors)
    assert out.returncode == 0, out.stderr
    assert "cannot start worker processes" in out.stderr
    assert out.stdout.count("good-") == 4 and "cannot write the output" not in out.stderr


@pytest.mark.parametrize("value", ["-1", "0", "257", "many"])
def test_jobs_must_be_1_to_256(tmp_path, value):
    out = cli("fleet", str(good_fleet(tmp_path / "fleet", 1)), "-j", value, "--offline")
    assert out.returncode == 2 and out.stderr.count("\n") == 1, out.stderr
    assert "-j" in out.stderr and "Traceback" not in out.stderr


def test_a_bug_of_ours_is_a_row_that_says_how_to_see_it_not_an_exception_name(tmp_path,
                                                                              monkeypatch):
    import kernel_advisor.analysis

    def broken(**_kw):
        raise ValueError("an internal detail")

    monkeypatch.setattr(kernel_advisor.analysis, "analyse", broken)
    entries = list(run(good_fleet(tmp_path / "fleet", 1), jobs=1))
    assert "an error in Kernel Advisor" in entries[0].error
    assert "check --snapshot good-000.tar.gz" in entries[0].error
    assert "ValueError" not in entries[0].error and "internal detail" not in entries[0].error
