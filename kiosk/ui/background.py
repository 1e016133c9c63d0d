"""The station's own work, that nobody clicks for: housekeeping and sync.

* Housekeeping (closing overdue slips, erasing old phone numbers, the
  scheduled backup) runs as a job on the database thread when the station
  opens and every HOUSEKEEPING_MS after.
* Sync rounds run as jobs on the Services network thread, scheduled here
  with QTimers in the GUI thread: soon after a local change (the outbox has
  something new), every SYNC_INTERVAL_S otherwise, and after a failure with
  the client's exponential backoff with full jitter.

Why the network thread of Services and not kiosk.sync.worker.SyncWorker:
the rounds then come back through the same queued signals, error
presenter and dead-widget checks as every other job; "sync now", enrolment
and the status read all go through one `Services.call`; and a restore can
close the network thread's connection, swap the file and reopen in order,
by chaining jobs. The network thread runs only network jobs, so a slow
server never holds up the desk's database work; its database connection is
its own. The backoff is the client's own `Backoff`.

There is one Background per desk window, a child of its Services
(`Background.of(services)`).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal

from kiosk.ui.errors import Failure
from kiosk.ui.services import Call, Services

if TYPE_CHECKING:  # the jobs, the database and the HTTP client load after the first frame
    from kiosk.sync.client import Backoff
    from kiosk.ui import manager_jobs

HOUSEKEEPING_MS = 10 * 60 * 1000
SYNC_INTERVAL_S = 60.0
WAKE_DELAY_MS = 1500  # a burst of desk work becomes one round
WAKE_TOPICS = frozenset({"stock", "requests", "profile"})  # changes that reach the outbox


class Background(QObject):
    sync_status = Signal(object)  # kiosk.sync.client.SyncStatus
    round_finished = Signal(object)  # manager_jobs.SyncRound
    housekeeping_done = Signal(object)  # kiosk.db.maintenance.Housekeeping
    last_backup = Signal(object)  # datetime (UTC) or None

    def __init__(self, services: Services) -> None:
        super().__init__(services)
        self.services = services
        self.status: Any = None
        self.last_backup_at: datetime | None = None
        self._stop = threading.Event()
        self._started = False
        self._paused = False
        self._round: Call | None = None
        self._again = False
        self._housekeeping: Call | None = None
        self._backoff: Backoff | None = None
        self.interval_s = SYNC_INTERVAL_S
        self._sync_timer = QTimer(self)
        self._sync_timer.setSingleShot(True)
        self._sync_timer.timeout.connect(self.sync_now)
        self._housekeeping_timer = QTimer(self)
        self._housekeeping_timer.setInterval(HOUSEKEEPING_MS)
        self._housekeeping_timer.timeout.connect(self.run_housekeeping)
        services.opened.connect(self.start)
        services.changed.connect(self._changed)
        app = QCoreApplication.instance()
        if app is not None:  # an app that quits without closing the window stops too
            app.aboutToQuit.connect(self.stop)

    @property
    def backoff(self) -> Backoff:
        if self._backoff is None:
            from kiosk.sync.client import Backoff

            self._backoff = Backoff()
        return self._backoff

    @staticmethod
    def _jobs() -> Any:
        from kiosk.ui import manager_jobs

        return manager_jobs

    @staticmethod
    def of(services: Services) -> Background:
        found = services.findChild(Background)
        if found is None:
            found = Background(services)
        return found

    # -- life ---------------------------------------------------------------------------

    def start(self, state: Any = None) -> None:
        """The station is open (again): housekeeping now and then regularly, sync if enrolled."""
        if state is not None and not getattr(state, "initialised", True):
            return
        self._started = True
        self._stop.clear()
        self._paused = False
        self.run_housekeeping()
        self._housekeeping_timer.start()
        self.refresh_status(schedule=True)

    def stop(self) -> None:
        """The app is closing: no new jobs, and a running sync round ends at its next request."""
        self._stop.set()
        self._started = False
        self._sync_timer.stop()
        self._housekeeping_timer.stop()
        if self._round is not None:
            self._round.cancel()

    @property
    def enrolled(self) -> bool:
        return bool(self.status is not None and self.status.enrolled)

    # -- housekeeping -------------------------------------------------------------------

    def run_housekeeping(self) -> None:
        if not self._started or self._paused:
            return
        if self._housekeeping is not None and self._housekeeping.pending:
            return
        # failures (a full disk) go to the banner: a backup that cannot be written matters
        self._housekeeping = self.services.call(self._jobs().housekeeping,
                                                on_done=self._housekept)

    def _housekept(self, done: Any) -> None:
        self.set_last_backup(done.last_backup)
        if done.expired_slips:
            for topic in ("stock", "requests"):
                self.services.changed.emit(topic)
        if done.backup is not None:
            self.services.changed.emit("backups")
        self.housekeeping_done.emit(done)

    def set_last_backup(self, moment: datetime | None) -> None:
        self.last_backup_at = moment
        self.last_backup.emit(moment)

    # -- sync ---------------------------------------------------------------------------

    def refresh_status(self, *, schedule: bool = False) -> None:
        """Read the sync state (outbox length, last error) on the database thread."""
        if self._paused:
            return

        def read(status: Any) -> None:
            self._set_status(status)
            if schedule and status.enrolled:
                self._schedule(0)

        self.services.call(self._jobs().sync_status, on_done=read)

    def _set_status(self, status: Any) -> None:
        self.status = status
        self.sync_status.emit(status)

    def _changed(self, topic: str) -> None:
        if topic not in WAKE_TOPICS or not self._started or self._paused:
            return
        self.refresh_status()
        # while backing off after failures, a change waits for the next try like the rest
        if self.enrolled and self.backoff.failures == 0:
            self._schedule(WAKE_DELAY_MS)

    def _schedule(self, ms: float) -> None:
        if not self._started or self._paused or self._stop.is_set():
            return
        ms = max(0, int(ms))
        if self._sync_timer.isActive() and self._sync_timer.remainingTime() <= ms:
            return
        self._sync_timer.start(ms)

    def sync_now(self) -> None:
        """One round now (the button, the timer); a second ask while one runs follows it."""
        if not self._started or self._paused:
            return
        if self._round is not None and self._round.pending:
            self._again = True
            return
        self._sync_timer.stop()
        self._again = False
        data_dir = self.services.data_dir
        self._round = self.services.call(
            self._jobs().sync_round, data_dir, self.services.clock, self._stop, network=True,
            on_done=self._round_done, on_error=self._round_failed)

    def _round_done(self, result: manager_jobs.SyncRound) -> None:
        self._set_status(result.status)
        if result.ok:
            self.backoff.reset()
            delay = 0.0 if self._again else self.interval_s
        else:
            delay = self.backoff.next_delay()
        self.round_finished.emit(result)
        if result.status.enrolled:
            self._schedule(delay * 1000)

    def _round_failed(self, failure: Failure) -> None:
        # not a network problem (those are results) but a bug: the banner shows it
        self._schedule(self.backoff.next_delay() * 1000)

    def enrol(self, url: str, code: str, *, on_done: Callable[[Any], None],
              on_error: Callable[[Failure], None]) -> Call:
        def enrolled(status: Any) -> None:
            self.backoff.reset()
            self._set_status(status)
            on_done(status)
            self.sync_now()

        return self.services.call(self._jobs().sync_enrol, self.services.data_dir, url, code,
                                  self._stop, network=True, on_done=enrolled,
                                  on_error=on_error)

    # -- restore ------------------------------------------------------------------------

    def restore(self, source: Any, *, on_done: Callable[[Any], None],
                on_error: Callable[[Failure], None], other_station: bool = False) -> None:
        """Close the network thread's connection, then verify and restore on the db thread.

        The desk signs out afterwards: the restored file may hold other accounts.
        """
        self._paused = True
        self._stop.set()  # a round under way ends at its next request
        self._sync_timer.stop()
        self._housekeeping_timer.stop()
        services = self.services

        def failed(failure: Failure) -> None:
            self._stop.clear()
            self._paused = False
            self._housekeeping_timer.start()
            self.refresh_status(schedule=True)
            on_error(failure)

        def restored(state: Any) -> None:
            services.set_account(None)
            services.state = state
            self._paused = False
            services.opened.emit(state)  # screens, sign-in list, and self.start()
            on_done(state)

        def closed(_: object) -> None:
            self._stop.clear()
            services.call(self._jobs().restore_backup, services.data_dir, source, services.clock,
                          services.demo, other_station, on_done=restored, on_error=failed)

        services.call(self._jobs().sync_close, network=True, on_done=closed, on_error=failed)
