"""The background sync loop: runs on its own thread, never the GUI's.

It syncs when woken (a change was made), otherwise every `interval`
seconds while online; after a failure it waits with exponential backoff and
full jitter, so a station offline for days keeps trying without hammering
the server when it comes back. It opens its own database connection.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

from kiosk.db.station import open_station
from kiosk.errors import MedShareError
from kiosk.sync.client import Backoff, SyncClient, SyncStatus, status


class SyncWorker(threading.Thread):
    def __init__(self, data_dir: Path, *, interval: float = 60.0,
                 on_status: Callable[[SyncStatus], None] | None = None,
                 backoff: Backoff | None = None) -> None:
        super().__init__(name="medshare-sync", daemon=True)
        self.data_dir = Path(data_dir)
        self.interval = interval
        self.on_status = on_status
        self.backoff = backoff or Backoff()
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self.rounds = 0
        self.failures = 0

    def wake(self) -> None:
        """Sync soon: something changed that others should see."""
        self._wake.set()

    def stop(self, timeout: float | None = 10.0) -> None:
        self._stopping.set()
        self._wake.set()
        if self.is_alive():
            self.join(timeout)

    def run(self) -> None:
        store = open_station(self.data_dir)
        client = SyncClient(store)
        try:
            while not self._stopping.is_set():
                self._wake.clear()
                delay = self.interval
                if status(store).enrolled:
                    try:
                        client.sync_once()
                        self.backoff.reset()
                    except MedShareError:
                        self.failures += 1
                        delay = self.backoff.next_delay()
                    self.rounds += 1
                if self.on_status is not None:
                    self.on_status(status(store))
                self._wake.wait(delay)
        finally:
            store.close()
