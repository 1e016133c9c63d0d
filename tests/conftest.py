"""Shared fixtures: real station databases in temporary folders, a fixed clock."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from kiosk.clock import Clock
from kiosk.db.station import init
from kiosk.db.store import Store

NOW = datetime(2026, 11, 21, 10, 0, tzinfo=UTC)
# Zones the ledger, slip and report suites also run in (their `station_zone`
# fixture): UTC+8; UTC-5 with daylight saving; UTC+13 (Auckland's summer: NOW
# is 23:00 there, a day boundary an hour away); UTC-11 (NOW is still 20 Nov)
STATION_ZONES = ("UTC", "Asia/Shanghai", "America/New_York", "Pacific/Auckland",
                 "Pacific/Pago_Pago")


def days(n: int) -> str:
    """An ISO date n days after the fixed test clock's today."""
    return (NOW.date() + timedelta(days=n)).isoformat()


@pytest.fixture(autouse=True, scope="session")
def computer_in_utc() -> Iterator[None]:
    """A station made without a time zone takes the computer's (TZ first): pin it to UTC
    so the suite means the same on every machine (CLI subprocesses inherit it)."""
    import os

    before = os.environ.get("TZ")
    os.environ["TZ"] = "UTC"
    yield
    if before is None:
        os.environ.pop("TZ", None)
    else:
        os.environ["TZ"] = before


@pytest.fixture
def clock() -> Clock:
    return Clock(NOW)


@pytest.fixture
def station_zone() -> str:
    """The station's time zone; a test module parametrises it to run in other zones."""
    return "UTC"


@pytest.fixture
def station(tmp_path: Path, clock: Clock, station_zone: str) -> Iterator[Store]:
    store = init(tmp_path / "station", "TEST1", "Test Station", "1 Test Road", 31.2, 121.4,
                 timezone=station_zone)
    store.clock = clock
    yield store
    store.close()


def local_days(store: Store, n: int) -> str:
    """An ISO date n days after the station's own (station-local) today."""
    return (store.today() + timedelta(days=n)).isoformat()


def shown(store: Store, moment: datetime, language: str = "en") -> str:
    """A moment as the station tells it (its wall clock), e.g. 'Sat 21 Nov 2026, 18:00'."""
    from kiosk.slips import format_moment

    return format_moment(moment, language, store.zone)


def ledger_dump(path: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table, to prove that a refused action changed nothing."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        tables = [
            row[0]
            for row in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
            )
        ]
        return {
            table: sorted(conn.execute(f'SELECT * FROM "{table}"').fetchall(), key=repr)
            for table in tables
        }
    finally:
        conn.close()


# for a station made in code on the real clock: a real station refuses MEDSHARE_NOW
REAL_CLOCK = {"MEDSHARE_NOW": ""}


def run_medshare(*args: str, env: dict[str, str] | None = None,
                 timeout: float = 60) -> subprocess.CompletedProcess[str]:
    import os

    full_env = {**os.environ, "MEDSHARE_NOW": NOW.isoformat(), **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "kiosk", *training_init(args, full_env)],
        capture_output=True, text=True, env=full_env, timeout=timeout,
    )


def training_init(args: tuple[str, ...] | list[str], env: dict[str, str]) -> list[str]:
    """`init` makes a training station while the clock is pinned: only a training station
    honours MEDSHARE_NOW, and the suite moves the clock. A test that means a plain `init`
    with the clock pinned passes `--real`, which this drops."""
    words = list(args)
    if words[:1] == ["init"] and env.get("MEDSHARE_NOW") and "--training" not in words:
        if "--real" in words:
            words.remove("--real")
        else:
            words.append("--training")
    return words


def today() -> date:
    return NOW.date()
