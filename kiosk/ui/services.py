"""The GUI-side facade over the worker threads: what widgets call instead of the database.

A screen calls a method such as `receive(...)` with an `on_done` callback;
the work runs on the database thread; the callback runs later in the GUI
thread. Errors go to `on_error` when the screen wants to show them itself
(as a Failure, already turned into words by the ErrorPresenter), and to the
presenter's banner otherwise. Nothing here blocks the GUI thread.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal

from kiosk.ui.errors import ErrorPresenter, Failure
from kiosk.ui.worker import Job, WorkerThread

if TYPE_CHECKING:  # the jobs (and the database code under them) load on first use
    from kiosk.clock import Clock
    from kiosk.ui import jobs

Done = Callable[[Any], None]
Failed = Callable[[Failure], None]
Progress = Callable[[int, int, str], None]


@dataclass
class _Pending:
    on_done: Done | None
    on_error: Failed | None
    on_progress: Progress | None
    changes: tuple[str, ...]


class Call:
    """A submitted job: cancel it, or ask whether it is still waiting or running."""

    def __init__(self, services: Services, job: Job) -> None:
        self._services = services
        self.job = job

    @property
    def id(self) -> int:
        return self.job.id

    def cancel(self) -> None:
        self.job.cancel_event.set()

    @property
    def pending(self) -> bool:
        return self.job.id in self._services._pending


def _alive(callback: Callable[..., Any] | None) -> bool:
    """False for a bound method of a Qt object that has been deleted meanwhile."""
    owner = getattr(callback, "__self__", None)
    if isinstance(owner, QObject):
        import shiboken6

        return bool(shiboken6.isValid(owner))
    return callback is not None


class Services(QObject):
    """One per window: the database worker, the network worker, the signed-in account."""

    opened = Signal(object)  # jobs.StationState
    account_changed = Signal(object)  # Account or None
    changed = Signal(str)  # "stock" or "requests": data that screens show has changed
    busy_changed = Signal(bool)

    def __init__(self, data_dir: Path, presenter: ErrorPresenter, *, clock: Clock | None = None,
                 demo: bool = False, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.data_dir = Path(data_dir)
        self.presenter = presenter
        self.clock = clock
        self.demo = demo
        self.state: jobs.StationState | None = None
        self.account: Any = None
        self._pending: dict[int, _Pending] = {}
        self._next_id = 0
        self._db: WorkerThread | None = None
        self._net: WorkerThread | None = None

    # -- the machinery -------------------------------------------------------------------

    def start(self) -> None:
        """Start the database thread and open the station there."""
        self._db = self._thread("medshare-db")
        self._job("open_station", self.data_dir, self.clock, self.demo,
                  on_done=self._opened)

    def _thread(self, name: str) -> WorkerThread:
        thread = WorkerThread(name, self)
        thread.worker.done.connect(self._done)
        thread.worker.failed.connect(self._failed)
        thread.worker.progressed.connect(self._progressed)
        return thread

    def call(self, fn: Callable[..., Any], *args: Any, on_done: Done | None = None,
             on_error: Failed | None = None, on_progress: Progress | None = None,
             changes: tuple[str, ...] = (), network: bool = False) -> Call:
        """Run fn(ctx, *args) on the database thread (or the network thread)."""
        self._next_id += 1
        job = Job(self._next_id, fn, args, getattr(fn, "__name__", ""))
        self._pending[job.id] = _Pending(on_done, on_error, on_progress, changes)
        if len(self._pending) == 1:
            self.busy_changed.emit(True)
        if network:
            if self._net is None:
                self._net = self._thread("medshare-net")
            self._net.submit.emit(job)
        else:
            if self._db is None:
                raise RuntimeError("Services.start() was not called")
            self._db.submit.emit(job)
        return Call(self, job)

    def _job(self, name: str, *args: Any, **options: Any) -> Call:
        """Run the function `name` of kiosk.ui.jobs, imported when first needed."""
        from kiosk.ui import jobs

        return self.call(getattr(jobs, name), *args, **options)

    @property
    def busy(self) -> bool:
        return bool(self._pending)

    def _finish(self, job_id: int) -> _Pending | None:
        pending = self._pending.pop(job_id, None)
        if not self._pending:
            self.busy_changed.emit(False)
        return pending

    def _done(self, job_id: int, result: object) -> None:
        pending = self._finish(job_id)
        if pending is None:
            return
        for topic in pending.changes:
            self.changed.emit(topic)
        if pending.on_done is not None and _alive(pending.on_done):
            try:
                pending.on_done(result)
            except Exception as error:  # a bug in a screen: log it, keep going
                self.presenter.report(error)

    def _failed(self, job_id: int, error: BaseException) -> None:
        pending = self._finish(job_id)
        if pending is None:
            return
        failure = self.presenter.failure(error)
        if pending.on_error is not None and _alive(pending.on_error):
            try:
                pending.on_error(failure)
            except Exception as bug:
                self.presenter.report(bug)
            if failure.is_bug:  # the screen shows it, the banner points at the log too
                self.presenter.shown.emit(failure)
        else:
            self.presenter.shown.emit(failure)

    def _progressed(self, job_id: int, done: int, total: int, phase: str) -> None:
        pending = self._pending.get(job_id)
        if pending is not None and pending.on_progress is not None and _alive(
                pending.on_progress):
            pending.on_progress(done, total, phase)

    def shutdown(self) -> None:
        """Drop callbacks, cancel what waits, let the threads close the store and stop."""
        for pending_id in list(self._pending):
            self._pending[pending_id] = _Pending(None, None, None, ())
        for thread in (self._db, self._net):
            if thread is not None:
                thread.stop()
        self._pending.clear()

    # -- the station and who is signed in --------------------------------------------------

    def _opened(self, state: jobs.StationState) -> None:
        self.state = state
        self.opened.emit(state)

    @property
    def catalog(self) -> Any:
        return self.state.catalog if self.state is not None else None

    @property
    def staff_name(self) -> str:
        return str(self.account.name) if self.account is not None else ""

    def init_station(self, code: str, name: str, address: str, timezone: str | None = None,
                     opening_hours: str = "", *, on_done: Done | None = None,
                     on_error: Failed | None = None) -> Call:
        def initialised(state: jobs.StationState) -> None:
            self._opened(state)
            if on_done is not None:
                on_done(state)

        return self._job("init_station", self.data_dir, self.clock, code, name, address,
                         timezone, opening_hours, on_done=initialised, on_error=on_error)

    def create_account(self, name: str, role: str, pin: str, again: str, *,
                       on_done: Done | None = None, on_error: Failed | None = None) -> Call:
        return self._job("create_account", name, role, pin, again, on_done=on_done,
                         on_error=on_error)

    def refresh_accounts(self, on_done: Done) -> Call:
        return self._job("accounts", on_done=on_done)

    def sign_in(self, name: str, pin: str, *, on_done: Done | None = None,
                on_error: Failed | None = None) -> Call:
        def signed_in(account: Any) -> None:
            self.set_account(account)
            if on_done is not None:
                on_done(account)

        return self._job("sign_in", name, pin, on_done=signed_in, on_error=on_error)

    def set_account(self, account: Any) -> None:
        self.account = account
        self.account_changed.emit(account)

    def sign_out(self) -> None:
        self.set_account(None)

    # -- the desk ---------------------------------------------------------------------------

    def receive(self, item_id: str, units: int, expiry: date, lot_number: str, source: str,
                **callbacks: Any) -> Call:
        return self._job("receive", item_id, units, expiry, lot_number, source,
                         self.staff_name, changes=("stock",), **callbacks)

    def import_lots(self, path: Path, **callbacks: Any) -> Call:
        return self._job("import_lots", Path(path), self.staff_name, changes=("stock",),
                         **callbacks)

    def log_request(self, item_id: str, units: int, priority: str, household: int, phone: str,
                    language: str, override_reason: str = "", **callbacks: Any) -> Call:
        return self._job("log_request", item_id, units, priority, household, phone, language,
                         override_reason, self.staff_name, changes=("requests",), **callbacks)

    def queue(self, **callbacks: Any) -> Call:
        return self._job("queue", **callbacks)

    def reveal_phone(self, request_id: int, **callbacks: Any) -> Call:
        return self._job("reveal_phone", request_id, self.staff_name, **callbacks)

    def cancel_request(self, request_id: int, **callbacks: Any) -> Call:
        return self._job("cancel_request", request_id, self.staff_name,
                         changes=("requests", "stock"), **callbacks)

    def allocate_next(self, **callbacks: Any) -> Call:
        return self._job("allocate", None, self.staff_name, changes=("requests", "stock"),
                         **callbacks)

    def allocate_all(self, **callbacks: Any) -> Call:
        return self._job("allocate_all", self.staff_name, changes=("requests", "stock"),
                         **callbacks)

    def waiting_for_pickup(self, **callbacks: Any) -> Call:
        return self._job("waiting_for_pickup", **callbacks)

    def slip_view(self, text: str, **callbacks: Any) -> Call:
        return self._job("slip_view", text, **callbacks)

    def redeem(self, text: str, source: str = "scanner", **callbacks: Any) -> Call:
        return self._job("redeem", text, source, self.staff_name,
                         changes=("requests", "stock"), **callbacks)

    def stock(self, **callbacks: Any) -> Call:
        return self._job("stock", **callbacks)

    def lots(self, item_id: str, **callbacks: Any) -> Call:
        return self._job("lots", item_id, **callbacks)

    def dispose(self, lot_id: int, units: int, reason: str, **callbacks: Any) -> Call:
        return self._job("dispose", lot_id, units, reason, self.staff_name,
                         changes=("stock",), **callbacks)

    def count_lot(self, lot_id: int, counted: int, **callbacks: Any) -> Call:
        return self._job("count_lot", lot_id, counted, self.staff_name, changes=("stock",),
                         **callbacks)

    def expire(self, **callbacks: Any) -> Call:
        return self._job("expire", self.staff_name, changes=("stock", "requests"),
                         **callbacks)
