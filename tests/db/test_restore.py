"""Restore when it matters: a damaged, missing, busy or newer live file; a candidate the
app cannot open; another station's backup; names that never collide."""

from __future__ import annotations

import contextlib
import hashlib
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.db import backup as backup_store
from kiosk.db import ledger, maintenance
from kiosk.db.backup import check_file
from kiosk.db.station import get, init, open_station
from kiosk.db.store import Store
from kiosk.db.verify import verify
from kiosk.errors import DataDirError, IntegrityError, InvalidInput
from tests.conftest import days, ledger_dump

IBU = "ibuprofen-200mg-tablet"
PARA = "paracetamol-500mg-tablet"


def folder_state(data_dir: Path) -> dict[str, str]:
    """Every file under the data folder and a hash of its bytes."""
    return {str(path.relative_to(data_dir)): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(data_dir.rglob("*")) if path.is_file()}


@pytest.fixture
def data_dir(station: Store, tmp_path: Path) -> Path:
    """A closed station with 10 ibuprofen in its backup and 7 paracetamol after it."""
    ledger.receive(station, IBU, 10, days(300))
    station.backup_to(tmp_path / "good.db")
    ledger.receive(station, PARA, 7, days(300))
    (station.data_dir() / "station.keys").write_bytes(b"phone keys: never touched")
    station.close()
    return station.data_dir()


@pytest.fixture
def good(tmp_path: Path, data_dir: Path) -> Path:
    return tmp_path / "good.db"


def items(data_dir: Path) -> list[str]:
    store = open_station(data_dir)
    try:
        assert verify(store) == []
        return sorted({str(row[0]) for row in store.conn.execute("SELECT item_id FROM lot")})
    finally:
        store.close()


def refused(data_dir: Path, source: Path, error: type[Exception], match: str,
            **options: bool) -> None:
    dump = ledger_dump(data_dir / "station.db")  # first: it leaves an empty -wal and -shm
    before = folder_state(data_dir)
    with pytest.raises(error, match=match) as raised:
        maintenance.restore(data_dir, source, **options)
    assert "\n" not in str(raised.value)
    assert folder_state(data_dir) == before
    assert ledger_dump(data_dir / "station.db") == dump


def replaced(data_dir: Path) -> list[Path]:
    return sorted(path for path in data_dir.glob("station.db.replaced-*")
                  if not path.name.endswith(("-wal", "-shm")))


# -- the live file in trouble ---------------------------------------------------------------


@pytest.mark.parametrize("damage", ["garbage", "truncated", "schema", "missing"])
def test_restore_works_whatever_state_the_live_file_is_in(data_dir: Path, good: Path,
                                                          damage: str) -> None:
    live = data_dir / "station.db"
    if damage == "garbage":
        live.write_bytes(b"\x00garbage\xff" * 5000)
    elif damage == "truncated":
        live.write_bytes(live.read_bytes()[: live.stat().st_size // 3])
    elif damage == "schema":
        conn = sqlite3.connect(live)
        conn.execute("PRAGMA writable_schema = ON")
        conn.execute("UPDATE sqlite_master SET sql = 'CREATE TABLE lot (oops' WHERE name = 'lot'")
        conn.commit()
        conn.close()
    else:
        live.unlink()
    damaged = live.read_bytes() if live.exists() else None
    done = maintenance.restore(data_dir, good)
    assert items(data_dir) == [IBU]
    if damaged is None:
        assert done.replaced is None and replaced(data_dir) == []
    else:
        assert done.replaced is not None and done.replaced.read_bytes() == damaged
    assert (data_dir / "station.keys").read_bytes() == b"phone keys: never touched"
    assert not list(data_dir.glob(".restoring-*"))


@contextlib.contextmanager
def held_open(path: Path) -> Iterator[None]:
    """Another process with the station open, as an idle desk has it."""
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); "
         "c.execute('SELECT count(*) FROM lot').fetchone(); print('open', flush=True); "
         "sys.stdin.read()", str(path)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "open\n"
        yield
    finally:
        holder.communicate("")


def test_a_live_file_in_use_elsewhere_is_left_alone(data_dir: Path, good: Path) -> None:
    with held_open(data_dir / "station.db"):
        refused(data_dir, good, DataDirError, "open in another program.*close it first")
    maintenance.restore(data_dir, good)  # once it is closed, the restore goes ahead
    assert items(data_dir) == [IBU]


def _set_version(path: Path, version: int) -> None:
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {version}")
    conn.commit()
    conn.close()


def test_a_live_file_from_a_newer_version_is_replaced_only_when_asked(data_dir: Path,
                                                                      good: Path) -> None:
    _set_version(data_dir / "station.db", 99)
    refused(data_dir, good, DataDirError, "newer version of MedShare.*--replace-newer")
    done = maintenance.restore(data_dir, good, replace_newer=True)
    assert items(data_dir) == [IBU]
    assert done.replaced is not None


# -- the candidate ----------------------------------------------------------------------------


def test_a_backup_from_a_newer_version_is_refused(data_dir: Path, good: Path) -> None:
    _set_version(good, 99)
    refused(data_dir, good, IntegrityError, "newer version of MedShare")


def test_a_backup_that_passes_the_checks_but_the_app_cannot_open_is_refused(
        data_dir: Path, good: Path) -> None:
    conn = sqlite3.connect(good)
    conn.execute("PRAGMA writable_schema = ON")
    conn.execute("UPDATE sqlite_master SET sql = 'CREATE TABLE setting (k TEXT PRIMARY KEY, "
                 "v TEXT NOT NULL)' WHERE name = 'setting'")
    conn.commit()
    conn.close()
    assert check_file(good) == []  # the file check alone would let it through
    refused(data_dir, good, IntegrityError, "the app could not open it")
    assert items(data_dir) == [IBU, PARA]


def test_a_damaged_backup_is_refused(data_dir: Path, tmp_path: Path) -> None:
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"SQLite format 3\x00" + b"\x00" * 4000)
    refused(data_dir, junk, IntegrityError, "not restored")


# -- names --------------------------------------------------------------------------------------


def test_two_restores_in_the_same_second_keep_both_replaced_files(data_dir: Path,
                                                                  good: Path) -> None:
    original = (data_dir / "station.db").read_bytes()
    first = maintenance.restore(data_dir, good)
    second = maintenance.restore(data_dir, good)
    assert first.replaced is not None and second.replaced is not None
    assert first.replaced != second.replaced
    assert first.replaced.read_bytes() == original
    assert replaced(data_dir) == sorted([first.replaced, second.replaced])
    assert first.replaced.name.startswith("station.db.replaced-")
    assert first.replaced.name.removeprefix("station.db.replaced-")[8] == "T"


def test_25_backups_in_a_tight_loop_leave_25_files(station: Store) -> None:
    written = {backup_store.backup(station) for _ in range(25)}
    assert len(written) == 25
    assert len(maintenance.backups(station.data_dir())) == 25
    assert {f.path for f in maintenance.backups(station.data_dir())} == written


def test_rotation_keeps_the_newest_by_time_and_counter(station: Store) -> None:
    paths = [backup_store.backup(station, keep=3) for _ in range(5)]
    assert backup_store.automatic_backups(station.data_dir() / "backups") == paths[:-4:-1]


def test_a_backup_holds_only_the_database(station: Store) -> None:
    (station.data_dir() / "station.keys").write_bytes(b"keys")
    taken = maintenance.back_up(station)
    assert sorted(p.name for p in taken.path.parent.iterdir()) == [taken.path.name]


# -- another station's backup -----------------------------------------------------------------


@pytest.fixture
def harbour(tmp_path: Path) -> Iterator[Path]:
    store = init(tmp_path / "harbour", "HX02", "Harbour")
    ledger.receive(store, PARA, 3, days(200))
    with store.write() as conn:
        conn.execute("INSERT INTO sync_state(key, value) VALUES ('station_id', 'st-hx02'), "
                     "('token', 'harbour-token'), ('server_url', 'http://central')")
    copy = store.backup_to(tmp_path / "harbour.db")
    store.close()
    yield copy


def test_another_stations_backup_needs_consent_and_keeps_its_own_enrolment(
        data_dir: Path, harbour: Path) -> None:
    live = open_station(data_dir)
    with live.write() as conn:
        conn.execute("INSERT INTO sync_state(key, value) VALUES ('station_id', 'st-test1'), "
                     "('token', 'test-token')")
    live.close()
    refused(data_dir, harbour, InvalidInput,
            "backup is of the station HX02 Harbour, but this is the station TEST1 Test "
            "Station.*--other-station")
    done = maintenance.restore(data_dir, harbour, other_station=True)
    assert done.station == "HX02 Harbour" and done.replaced_station == "TEST1 Test Station"
    assert "backup's own enrolment" in done.enrolment
    store = open_station(data_dir)
    try:
        assert get(store).code == "HX02"
        state = dict(store.conn.execute("SELECT key, value FROM sync_state").fetchall())
        assert state["station_id"] == "st-hx02" and state["token"] == "harbour-token"
    finally:
        store.close()
    assert done.replaced is not None
    kept = sqlite3.connect(done.replaced)
    try:  # this station's enrolment is in the kept file, for a restore back
        assert kept.execute("SELECT value FROM sync_state WHERE key = 'token'").fetchone() == (
            "test-token",)
    finally:
        kept.close()
