"""One helper runs blocking work off the GUI thread (Anki's taskman shape).

``run_in_background(fn, on_done, on_error)`` runs ``fn`` on the global QThreadPool and delivers
its result, or its exception, on the GUI thread through queued signals. Workers never touch
widgets; ``progress`` callbacks given to ``fn`` are forwarded by signal too.

Python's cyclic garbage collector runs on whichever thread happens to allocate when a threshold
is crossed — a worker included — and collecting a Qt widget that sits in a reference cycle off the
GUI thread crashes the process. So once workers exist, automatic collection is switched off and a
timer on the GUI thread collects instead (:func:`collect_on_gui_thread`).
"""

from __future__ import annotations

import gc
import traceback
from typing import Any, Callable

from PySide6.QtCore import QCoreApplication, QObject, QRunnable, QThreadPool, QTimer, Signal

GC_INTERVAL_MS = 250
_gc_timer: QTimer | None = None


def collect_on_gui_thread() -> None:
    """Move cyclic garbage collection to the GUI thread (idempotent; call on the GUI thread)."""
    global _gc_timer
    app = QCoreApplication.instance()
    if _gc_timer is not None or app is None:
        return
    gc.disable()

    def collect() -> None:  # the same generational thresholds the automatic collector uses
        limits, counts = gc.get_threshold(), gc.get_count()
        if counts[0] > limits[0]:
            gen = 2 if counts[2] > limits[2] else 1 if counts[1] > limits[1] else 0
            gc.collect(gen)

    _gc_timer = QTimer(app)
    _gc_timer.setInterval(GC_INTERVAL_MS)
    _gc_timer.timeout.connect(collect)
    _gc_timer.start()


class _Carrier(QObject):
    done = Signal(object)
    failed = Signal(object, str)
    progress = Signal(object)


class Task(QRunnable):
    def __init__(self, fn: Callable[..., Any], with_progress: bool):
        super().__init__()
        self.fn, self.with_progress = fn, with_progress
        self.carrier = _Carrier()
        self.cancelled = False
        self.setAutoDelete(False)

    def run(self) -> None:  # worker thread
        try:
            if self.with_progress:
                result = self.fn(self.carrier.progress.emit)
            else:
                result = self.fn()
        except Exception as exc:  # delivered to the GUI thread, never swallowed
            self.carrier.failed.emit(exc, traceback.format_exc())
            return
        self.carrier.done.emit(result)

    def cancel(self) -> None:
        """Ignore the result when it comes (the work itself ends by its own deadline)."""
        self.cancelled = True


_running: set[Task] = set()  # keep Python references until each task has reported


def run_in_background(fn: Callable[..., Any], on_done: Callable[[Any], None],
                      on_error: Callable[[Exception, str], None] | None = None,
                      on_progress: Callable[[Any], None] | None = None) -> Task:
    collect_on_gui_thread()
    task = Task(fn, on_progress is not None)

    def finish(result: Any) -> None:
        _running.discard(task)
        if not task.cancelled:
            on_done(result)

    def fail(exc: Exception, tb: str) -> None:
        _running.discard(task)
        if not task.cancelled:
            if on_error is None:
                raise exc
            on_error(exc, tb)

    task.carrier.done.connect(finish)
    task.carrier.failed.connect(fail)
    if on_progress is not None:
        task.carrier.progress.connect(lambda item: None if task.cancelled else on_progress(item))
    _running.add(task)
    QThreadPool.globalInstance().start(task)
    return task


def wait_for_all(timeout_ms: int = 30_000) -> bool:
    """At exit, after every page was told to stop: wait for the tasks still running (each ends
    by its own deadline or stop flag), so that none runs on while Python finalizes — which
    crashes it. False if some did not end in time."""
    for task in list(_running):
        task.cancel()
    return QThreadPool.globalInstance().waitForDone(timeout_ms)
