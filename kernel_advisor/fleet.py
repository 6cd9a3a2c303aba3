"""``kernel-advisor fleet DIR``: every snapshot in a folder, analysed in parallel, as one table.

Each snapshot is analysed by the same :func:`~kernel_advisor.analysis.analyse` as ``check
--snapshot``,
in a pool of worker processes (one per core: the probe is CPU-bound Python). Results stream back
in file-name order, a bounded window of files at a time, and each is reduced at once to its row
of the table and, for ``--json``, its single-host document, so memory stays flat as the fleet
grows. A file that cannot be analysed is a row with its one-line reason, never the end of the
run, and one file cannot stall the others:

- every file has :data:`FILE_DEADLINE` seconds, kept by a timer in its worker's main thread
  (``SIGALRM``: the analysis is pure Python, so the timer interrupts it anywhere); a worker whose
  timer cannot fire (stuck in C) is killed :data:`KILL_GRACE` seconds later and the pool rebuilt,
  as it is when a worker dies (a killed worker breaks a ``ProcessPoolExecutor``): the files that
  were in flight run again, and a file that breaks a pool while it runs alone is refused;
- the workers end when the process that started them does, even by ``kill -9`` (each watches
  it through a pidfd);
- where no worker can be started (no writable temporary folder, no file descriptors left), the
  files are analysed one after another in this process, under the same deadline.
"""

from __future__ import annotations

import collections
import multiprocessing
import os
import signal
import threading
import time
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Deque, Dict, Iterator, List, Optional, Tuple

from kernel_advisor import verbose
from kernel_advisor.fleet_row import row
from kernel_advisor.model import Answers

if TYPE_CHECKING:
    from kernel_advisor.stability import ReleaseData

SCHEMA = "kernel-advisor-fleet/1"
#: seconds one file may take, in its worker (the snapshot's read has its own 10 s inside this)
FILE_DEADLINE = 10.0
#: after a file's deadline, how long its worker's own timer is waited for before it is killed
KILL_GRACE = 5.0
#: ``-j`` at most
MAX_JOBS = 256
KILLED = "ended the process analysing it (out of memory, or killed)"
SUFFIXES = (".tar.gz", ".tgz")
#: the table's columns: (key, heading); CSV uses the keys as its header (docs/cli-contract.md)
def snapshot_files(directory: str) -> List[str]:
    """The snapshots in ``directory`` (``*.tar.gz``, ``*.tgz``), sorted by name."""
    names = sorted(n for n in os.listdir(directory) if n.endswith(SUFFIXES))
    return [os.path.join(directory, n) for n in names]


def stem(path: str) -> str:
    name = os.path.basename(path)
    for suffix in SUFFIXES:
        if name.endswith(suffix):
            return name[:-len(suffix)]
    return name


@dataclass
class Entry:
    """One file of the fleet: its table row, and its check document (``--json`` only)."""

    file: str
    host: str
    row: Dict[str, Any] = field(default_factory=dict)
    document: Optional[Dict[str, Any]] = None
    error: Optional[str] = None

    def to_json(self) -> Dict[str, Any]:
        return {"file": os.path.basename(self.file), "host": self.host,
                "analysis": self.document, "error": self.error}


# -- one host, in a worker process -------------------------------------------------------------
_WORKER: Dict[str, Any] = {}


class _Overtime(BaseException):
    """Raised by the file's timer. A BaseException, so that no ``except Exception`` in the
    analysis takes it for an error of its own and goes on."""


def overtime(seconds: float) -> str:
    return f"took longer than {seconds:g} s to analyse"


def _init(answers: Answers, releases: ReleaseData, documents: bool,
          deadline: float = FILE_DEADLINE, parent: Optional[int] = None) -> None:
    _WORKER.update(answers=answers, releases=releases, documents=documents, deadline=deadline)
    if parent is not None:
        threading.Thread(target=_end_with, args=(parent,), daemon=True,
                         name="parent-watch").start()


def _end_with(pid: int) -> None:
    """End this worker when process ``pid`` (the fleet's) ends: a pidfd becomes readable then.
    Without this, workers outlive a ``kill -9`` of the fleet: each holds its own task queue's
    write end and the forkserver's alive pipe, so neither ever sees an end."""
    import select

    try:
        fd = os.pidfd_open(pid)
    except ProcessLookupError:
        os._exit(1)
    except (AttributeError, OSError):  # no pidfd (Linux < 5.3): ask now and then
        while True:
            time.sleep(2.0)
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                os._exit(1)
            except OSError:
                pass
    select.select([fd], [], [])
    os._exit(1)


class _Deadline:
    """``SIGALRM`` after ``seconds``, raising :class:`_Overtime` where the code is; only in the
    main thread (where Python runs signal handlers), else nothing."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.armed = threading.current_thread() is threading.main_thread()

    def __enter__(self) -> None:
        if self.armed:
            self.old = signal.signal(signal.SIGALRM, self._fire)
            signal.setitimer(signal.ITIMER_REAL, self.seconds)

    def __exit__(self, *exc: object) -> None:
        if self.armed:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, self.old)

    @staticmethod
    def _fire(_signum: int, _frame: object) -> None:
        raise _Overtime


def analyse_file(path: str) -> Entry:
    """Analyse one snapshot (in a worker) within its deadline (:data:`FILE_DEADLINE`); never
    raises for a bad file: what it cannot analyse is an entry with a plain reason."""
    seconds = _WORKER["deadline"]
    try:
        with _Deadline(seconds):
            return _analyse(path)
    except _Overtime:
        return refused(path, overtime(seconds))


def refused(path: str, reason: str) -> Entry:
    return Entry(path, stem(path), {"host": stem(path)}, None, reason)


def _analyse(path: str) -> Entry:
    from kernel_advisor.analysis import analyse
    from kernel_advisor.hostfs import InputError

    try:
        a = analyse(snapshot=path, answers=_WORKER["answers"], releases=_WORKER["releases"])
    except InputError as exc:
        return refused(path, _reason(str(exc), path))
    except RecursionError:
        return refused(path, "nested too deeply to analyse (a hostile file?)")
    except MemoryError:
        return refused(path, "needs more memory to analyse than there is")
    except Exception:  # a bug of ours: the row says how to see it, the run goes on
        return refused(path, "could not be analysed (an error in Kernel Advisor: "
                             f"'kernel-advisor check --snapshot {os.path.basename(path)}' "
                             "shows it)")
    # the inventory's name (recorded by the collector, else the file's, which the playbook
    # names after it): two machines both called "vm" stay two rows; the OS name is a column
    host = a.host.inventory_name or stem(path)
    document = None
    if _WORKER["documents"]:
        from kernel_advisor.report.jsondoc import document as check_document

        document = check_document(a)
    return Entry(path, host, row(a, host), document)


def _reason(message: str, path: str) -> str:
    """The CLI's message without the option and path it starts with (the table names the file)."""
    for prefix in (f"--snapshot {path}: ", f"snapshot {os.path.basename(path)}: "):
        if message.startswith(prefix):
            return message[len(prefix):]
    return message


# -- the fleet ----------------------------------------------------------------------------------
def analyse_fleet(directory: str, answers: Answers, releases: ReleaseData,
                  documents: bool = False, jobs: Optional[int] = None,
                  deadline: float = FILE_DEADLINE) -> Iterator[Entry]:
    """Every snapshot of ``directory``, analysed across ``jobs`` processes (default: the
    cores), each within ``deadline`` seconds, yielded in file-name order as each is ready."""
    yield from analyse_files(snapshot_files(directory), answers, releases, documents, jobs,
                             deadline)


def analyse_files(files: List[str], answers: Answers, releases: ReleaseData,
                  documents: bool = False, jobs: Optional[int] = None,
                  deadline: float = FILE_DEADLINE) -> Iterator[Entry]:
    """:func:`analyse_fleet` over ``files``, yielded in their order (the wizard's export of
    the rows it shows, in the order it shows them)."""
    if not files:
        return
    jobs = min(jobs or os.cpu_count() or 1, len(files), MAX_JOBS)
    in_main = threading.current_thread() is threading.main_thread()
    if jobs == 1 and in_main:
        yield from _serial(files, (answers, releases, documents, deadline))
        return
    pool = _Pool(max(jobs, 1), (answers, releases, documents, deadline, os.getpid()))
    try:
        pool.start()
    except OSError as exc:  # no temporary folder to write, no descriptors left…
        verbose.info(__name__, "cannot start worker processes (%s): one file at a time",
                     exc.strerror or exc)
        yield from _serial(files, (answers, releases, documents, deadline))
        return
    finished = False
    try:
        yield from pool.run(files)
        finished = True
    finally:  # a reader that stops early (the wizard's Stop, its window closed) kills the rest
        pool.stop(kill=not finished)


def _serial(files: List[str], initargs: Tuple[Any, ...]) -> Iterator[Entry]:
    _init(*initargs)
    yield from map(analyse_file, files)


class _Pool:
    """A ``ProcessPoolExecutor`` that is rebuilt when a worker must be killed or has died, with
    at most ``jobs`` files in flight (each then has a worker of its own, so its clock runs from
    its submission) and results handed on in file-name order."""

    def __init__(self, jobs: int, initargs: Tuple[Any, ...]) -> None:
        self.jobs, self.initargs, self.deadline = jobs, initargs, initargs[3]
        self.executor: Optional[ProcessPoolExecutor] = None

    def start(self) -> None:
        # "forkserver": workers are not forked from this process, which may have threads (the
        # wizard's): a fork would copy their locks in whatever state they are
        self.executor = ProcessPoolExecutor(
            max_workers=self.jobs, mp_context=multiprocessing.get_context("forkserver"),
            initializer=_init, initargs=self.initargs)
        try:  # workers start on demand: have one start now, so that failing to is said here
            self.executor.submit(os.getpid).result()
        except BrokenProcessPool as exc:
            self.stop(kill=True)
            raise OSError("a worker process ended as it started") from exc
        except OSError:
            self.stop(kill=True)
            raise

    def stop(self, kill: bool = False) -> None:
        """Shut the pool down; ``kill``: its workers at once, else those that do not end
        within :data:`KILL_GRACE` (a stopped or stuck one)."""
        executor, self.executor = self.executor, None
        if executor is None:
            return
        # the processes: the one way to end a running task (Python 3.14 adds kill_workers())
        processes = list((getattr(executor, "_processes", None) or {}).values())
        if kill:
            for process in processes:
                process.kill()
        executor.shutdown(wait=False, cancel_futures=True)
        for process in processes:
            process.join(KILL_GRACE)
            if process.is_alive():
                process.kill()
                process.join()

    def run(self, files: List[str]) -> Iterator[Entry]:
        todo: Deque[str] = collections.deque(files)
        alone: Deque[str] = collections.deque()  # in flight when a pool broke: rerun singly
        flight: Dict[str, Tuple[Future[Entry], float, bool]] = {}
        ready: Dict[str, Entry] = {}
        head = 0  # files[head] is the next to hand on
        while head < len(files):
            width = 1 if alone else self.jobs
            while (len(flight) < width and (alone or todo)
                   and (len(flight) + len(ready) < 4 * self.jobs or not flight)):
                single = bool(alone)
                path = alone.popleft() if single else todo.popleft()
                assert self.executor is not None
                try:
                    future = self.executor.submit(analyse_file, path)
                except BrokenProcessPool:  # a worker died since the last wait (kill -9)
                    (alone if single else todo).appendleft(path)
                    if flight:
                        break  # _wait finds their futures broken and rebuilds the pool
                    self.stop(kill=True)
                    self.start()
                    continue
                except OSError as exc:  # one more worker cannot start: the rest, here
                    verbose.info(__name__, "cannot start more worker processes (%s): the "
                                 "rest one file at a time", exc.strerror or exc)
                    self.stop(kill=True)
                    _init(*self.initargs[:4])
                    for name in files[head:]:
                        yield ready.pop(name) if name in ready else analyse_file(name)
                    return
                flight[path] = (future, time.monotonic(), single)
            if files[head] not in ready and flight:
                self._wait(flight, ready, todo, alone)
            while head < len(files) and files[head] in ready:
                yield ready.pop(files[head])
                head += 1

    def _wait(self, flight: Dict[str, Tuple[Future[Entry], float, bool]],
              ready: Dict[str, Entry], todo: Deque[str], alone: Deque[str]) -> None:
        """Wait for a file to finish or to run out of time; rebuild the pool where needed."""
        limit = self.deadline + KILL_GRACE
        soonest = min(started for _f, started, _s in flight.values()) + limit
        wait([f for f, _t, _s in flight.values()], timeout=max(soonest - time.monotonic(), 0),
             return_when=FIRST_COMPLETED)
        broken, overdue, now = [], [], time.monotonic()
        for path, (future, started, single) in list(flight.items()):
            if future.done():
                del flight[path]
                try:
                    ready[path] = future.result()
                except BrokenProcessPool:
                    broken.append((path, single))
            elif now - started > limit:
                del flight[path]
                overdue.append(path)
        if not broken and not overdue:
            return
        for path in overdue:
            ready[path] = refused(path, overtime(self.deadline))
        for path, single in broken:
            if single:  # it broke a pool on its own: it is the one that kills its worker
                ready[path] = refused(path, KILLED)
            else:
                alone.append(path)
        for path in list(flight):  # the others in flight: again, as if never started
            (alone if broken else todo).appendleft(path)
        flight.clear()
        verbose.info(__name__, "restarting the worker processes (%s)",
                     "a file ran past its deadline" if overdue else "a worker died")
        self.stop(kill=True)
        self.start()


class Summary:
    """Counts for the fleet's summary, kept as entries stream past (nothing else is kept):
    hosts per recommended framework, kernels past end of life, VT off in firmware, refusals."""

    def __init__(self) -> None:
        self.hosts = self.refused = self.end_of_life = self.vt_off = 0
        self.recommended: Dict[str, int] = {}

    def add(self, e: Entry) -> None:
        self.hosts += 1
        if e.error is not None:
            self.refused += 1
            return
        name = e.row["recommended"]
        self.recommended[name] = self.recommended.get(name, 0) + 1
        self.end_of_life += bool(e.row["eol"])
        self.vt_off += bool(e.row["vt_off"])

    def to_json(self) -> Dict[str, Any]:
        return {"hosts": self.hosts, "analysed": self.hosts - self.refused,
                "refused": self.refused, "recommended": dict(sorted(self.recommended.items())),
                "end_of_life": self.end_of_life, "vt_off_in_firmware": self.vt_off}
