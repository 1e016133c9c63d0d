"""The GUI thread never waits on the database: a 100,000-row import leaves it responsive."""

from __future__ import annotations

import csv
import time
from pathlib import Path
from typing import Any

from PySide6.QtCore import QThread, QTimer
from pytestqt.qtbot import QtBot

from kiosk.db import ledger
from kiosk.db.store import Store
from kiosk.ui.mainwindow import MainWindow
from kiosk.ui.screens.dropoff import DropOffScreen
from tests.ui.conftest import MANAGER, idle

ROWS = 100_000
ITEMS = ("ibuprofen-200mg-tablet", "paracetamol-500mg-tablet", "antigen-test-kit")


def big_csv(folder: Path, rows: int = ROWS) -> Path:
    path = folder / "lots.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["item", "units", "expiry", "lot", "source"])
        for number in range(rows):
            writer.writerow([ITEMS[number % 3], 1 + number % 40,
                             f"2027-{1 + number % 12:02d}-15", f"L{number}", "donation"])
    return path


class Heartbeat:
    """A GUI-thread timer that notes the longest gap between its ticks."""

    def __init__(self, interval_ms: int = 5) -> None:
        self.timer = QTimer()
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self._tick)
        self.last = 0.0
        self.longest = 0.0
        self.ticks = 0

    def start(self) -> None:
        self.last = time.monotonic()
        self.timer.start()

    def _tick(self) -> None:
        now = time.monotonic()
        self.longest = max(self.longest, now - self.last)
        self.last = now
        self.ticks += 1

    def stop(self) -> None:
        self.timer.stop()


def dropoff(desk: MainWindow) -> DropOffScreen:
    screen = desk.show_screen("dropoff")
    assert isinstance(screen, DropOffScreen)
    return screen


def test_the_event_loop_keeps_turning_during_a_100000_row_import(
        qtbot: QtBot, desk: MainWindow, store: Store, tmp_path: Path) -> None:
    path = big_csv(tmp_path)
    screen = dropoff(desk)
    beat = Heartbeat()
    progress: list[tuple[int, int, str]] = []
    beat.start()
    call = screen.start_import(path)
    original = desk.services._pending[call.id].on_progress
    assert original is not None

    def spy(done: int, total: int, phase: str) -> None:
        progress.append((done, total, phase))
        original(done, total, phase)

    desk.services._pending[call.id].on_progress = spy
    assert screen.progress.isVisible() and screen.cancel_import.isEnabled()
    qtbot.waitUntil(lambda: not screen.importing, timeout=60_000)
    beat.stop()
    assert screen.import_message.text() == f"✔ Imported {ROWS:,} lots of 3 items.".replace(
        ",", "")
    assert beat.ticks > 50
    assert beat.longest < 0.100, f"the GUI thread stalled for {beat.longest * 1000:.0f} ms"
    assert ("saving" in {phase for _, _, phase in progress})
    assert not screen.progress.isVisible()
    count, units = store.conn.execute("SELECT count(*), sum(on_hand) FROM lot").fetchone()
    assert count == ROWS
    assert units == sum(1 + number % 40 for number in range(ROWS))
    assert ledger.movements(store.conn, limit=1)[0]["staff"] == MANAGER


def test_cancelling_an_import_while_it_saves_leaves_nothing_behind(
        qtbot: QtBot, desk: MainWindow, store: Store, tmp_path: Path) -> None:
    path = big_csv(tmp_path)
    screen = dropoff(desk)
    screen.start_import(path)
    qtbot.waitUntil(lambda: screen._phase == "saving", timeout=30_000)
    screen.cancel_import.click()
    qtbot.waitUntil(lambda: not screen.importing, timeout=30_000)
    assert screen.import_message.text() == "✖ Cancelled: Cancelled; nothing was saved."
    assert store.conn.execute("SELECT count(*) FROM lot").fetchone()[0] == 0
    assert store.conn.execute("SELECT count(*) FROM movement").fetchone()[0] == 0
    # the station works on as before
    assert screen.import_button.isEnabled()


def test_a_bad_row_names_the_line_and_imports_nothing(qtbot: QtBot, desk: MainWindow,
                                                     store: Store, tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("item,units,expiry\nibuprofen-200mg-tablet,5,2027-01-01\n"
                    "ibuprofen-200mg-tablet,five,2027-01-01\n", encoding="utf-8")
    screen = dropoff(desk)
    screen.start_import(path)
    qtbot.waitUntil(lambda: not screen.importing)
    assert screen.import_message.text().startswith("✖ Please check: Row 3 of bad.csv")
    assert ledger.lots(store.conn) == []


def test_jobs_run_in_order_on_the_one_database_thread(qtbot: QtBot, desk: MainWindow) -> None:
    services = desk.services
    seen: list[tuple[int, Any]] = []

    def job(ctx: Any, number: int) -> tuple[int, Any]:
        time.sleep(0.002 * (5 - number))  # later jobs are quicker, order must hold anyway
        return number, QThread.currentThread()

    for number in range(5):
        services.call(job, number, on_done=seen.append)
    idle(qtbot, desk)
    assert [number for number, _ in seen] == [0, 1, 2, 3, 4]
    threads = {id(thread) for _, thread in seen}
    assert len(threads) == 1
    assert seen[0][1] is not QThread.currentThread()
    assert seen[0][1] is services._db.qthread  # type: ignore[union-attr]
