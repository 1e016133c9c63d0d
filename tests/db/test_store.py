import sqlite3
from pathlib import Path

import pytest

from kiosk.db import migrations
from kiosk.db.station import init, open_station
from kiosk.db.store import Store
from kiosk.errors import DatabaseTooNew, InvalidInput, NotInitialised


def test_database_is_durable_wal_and_at_latest_schema(station: Store) -> None:
    conn = station.conn
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert conn.execute("PRAGMA user_version").fetchone()[0] == migrations.LATEST_VERSION
    applied = conn.execute("SELECT name FROM _sqlite_migrations ORDER BY id").fetchall()
    assert [row[0] for row in applied] == [name for name, _ in migrations._STEPS]


def test_database_from_a_newer_version_is_refused_and_left_alone(station: Store) -> None:
    path = station.path
    station.conn.execute(f"PRAGMA user_version = {migrations.LATEST_VERSION + 5}")
    station.close()
    before = path.read_bytes()
    with pytest.raises(DatabaseTooNew, match="newer version of MedShare"):
        Store.open(path.parent)
    assert path.read_bytes() == before


def test_a_copy_is_taken_before_a_migration(station: Store, monkeypatch: pytest.MonkeyPatch)\
        -> None:
    path = station.path
    station.close()
    steps = [*migrations._STEPS, ("m999_test_column", "ALTER TABLE lot ADD COLUMN shelf TEXT;")]
    monkeypatch.setattr(migrations, "_STEPS", steps)
    monkeypatch.setattr(migrations, "LATEST_VERSION", len(steps))
    store = Store.open(path.parent)
    backups = list(path.parent.glob("station.db.before-v*.bak"))
    assert len(backups) == 1
    old = sqlite3.connect(backups[0])
    assert old.execute("PRAGMA user_version").fetchone()[0] == len(steps) - 1
    old.close()
    store.conn.execute("SELECT shelf FROM lot")
    assert store.conn.execute("PRAGMA user_version").fetchone()[0] == len(steps)
    store.close()


def test_a_failing_migration_changes_nothing(station: Store, monkeypatch: pytest.MonkeyPatch)\
        -> None:
    path = station.path
    station.close()
    steps = [*migrations._STEPS,
             ("m999_broken", "ALTER TABLE lot ADD COLUMN x TEXT;\nSELECT * FROM no_such_table;")]
    monkeypatch.setattr(migrations, "_STEPS", steps)
    monkeypatch.setattr(migrations, "LATEST_VERSION", len(steps))
    with pytest.raises(Exception, match="no_such_table"):
        Store.open(path.parent)
    conn = sqlite3.connect(path)
    columns = [row[1] for row in conn.execute("PRAGMA table_info(lot)")]
    assert "x" not in columns
    assert conn.execute("PRAGMA user_version").fetchone()[0] == len(steps) - 1
    conn.close()


def test_opening_a_folder_without_a_station_says_how_to_set_one_up(tmp_path: Path) -> None:
    with pytest.raises(NotInitialised, match="medshare init"):
        open_station(tmp_path / "nowhere")
    assert not (tmp_path / "nowhere").exists()


def test_init_refuses_a_second_station_in_the_same_folder(station: Store) -> None:
    with pytest.raises(InvalidInput, match="already holds a station"):
        init(station.data_dir(), "OTHER", "Other")


@pytest.mark.parametrize(
    ("code", "name", "lat", "lon", "reason"),
    [("x", "Name", None, None, "station code"), ("AB12", "", None, None, "name is required"),
     ("AB12", "N", "91", "0", "latitude"), ("AB12", "N", "1", None, "both"),
     ("AB12", "N", "north", "1", "latitude")],
)
def test_init_checks_its_input_before_creating_anything(
    tmp_path: Path, code: str, name: str, lat: str | None, lon: str | None, reason: str
) -> None:
    with pytest.raises(InvalidInput, match=reason):
        init(tmp_path / "s", code, name, lat=lat, lon=lon)
    assert not (tmp_path / "s" / "station.db").exists()
