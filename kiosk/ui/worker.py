"""One worker thread per kind of I/O: jobs run there in order, results come back as signals.

The database worker owns the Store: it opens it, runs every job on it one
after another and closes it, so the connection is used from one thread only
and the GUI thread never waits on the disk. The network worker (for the sync
client) is the same class without a store.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QThread, Signal, Slot

from kiosk.errors import NotInitialised

if TYPE_CHECKING:
    from kiosk.db.store import Store

PROGRESS_EVERY = 0.05  # seconds between progress signals, so the GUI is not flooded


@dataclass
class Job:
    id: int
    fn: Callable[..., Any]
    args: tuple[Any, ...]
    label: str = ""
    cancel_event: threading.Event = field(default_factory=threading.Event)


class JobContext:
    """What a running job sees: the store, a throttled progress report, the cancel flag."""

    def __init__(self, worker: Worker, job: Job) -> None:
        self._worker = worker
        self._job = job
        self._last_progress = 0.0

    @property
    def store(self) -> Store:
        if self._worker.store is None:
            raise NotInitialised("The station database is not open yet.")
        return self._worker.store

    def adopt(self, store: Store | None) -> None:
        self._worker.store = store

    @property
    def cancelled(self) -> bool:
        return self._job.cancel_event.is_set()

    def progress(self, done: int, total: int, phase: str = "") -> None:
        now = time.monotonic()
        if done < total and now - self._last_progress < PROGRESS_EVERY:
            return
        self._last_progress = now
        self._worker.progressed.emit(self._job.id, done, total, phase)


class Worker(QObject):
    """Lives on its own QThread; `execute` runs one job at a time, in submission order."""

    started_job = Signal(int)
    done = Signal(int, object)
    failed = Signal(int, object)
    progressed = Signal(int, int, int, str)

    def __init__(self) -> None:
        super().__init__()
        self.store: Store | None = None

    @Slot(object)
    def execute(self, job: Job) -> None:
        if job.cancel_event.is_set():
            from kiosk.ui.jobs import Cancelled

            self.failed.emit(job.id, Cancelled())
            return
        self.started_job.emit(job.id)
        try:
            result = job.fn(JobContext(self, job), *job.args)
        except Exception as error:
            self.failed.emit(job.id, error)
        else:
            self.done.emit(job.id, result)

    @Slot()
    def finish(self) -> None:
        """Close the store and stop this thread's event loop (runs after every queued job)."""
        if self.store is not None:
            with contextlib.suppress(Exception):  # closing at exit must not stop the exit
                self.store.close()
            self.store = None
        thread = QThread.currentThread()
        thread.quit()


class WorkerThread(QObject):
    """A Worker on a started QThread, fed through a queued signal so order is kept."""

    submit = Signal(object)
    _finish = Signal()

    def __init__(self, name: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.qthread = QThread()
        self.qthread.setObjectName(name)
        self.worker = Worker()
        self.worker.moveToThread(self.qthread)
        self.submit.connect(self.worker.execute)
        self._finish.connect(self.worker.finish)
        self.qthread.start()
        self._running = True

    def stop(self, timeout_ms: int = 15_000) -> bool:
        """Let queued jobs finish, close the store, join the thread."""
        if not self._running:
            return True
        self._running = False
        self._finish.emit()
        return bool(self.qthread.wait(timeout_ms))

    @property
    def running(self) -> bool:
        return self._running
