import sqlite3
from pathlib import Path

import pytest

from kiosk.db import ledger
from kiosk.db.allocation import allocate
from kiosk.db.backup import backup, check_file
from kiosk.db.maintenance import restore
from kiosk.db.requests import create
from kiosk.db.station import open_station
from kiosk.db.store import Store
from kiosk.db.verify import verify
from kiosk.errors import IntegrityError
from tests.conftest import days

IBU = "ibuprofen-200mg-tablet"


def busy(store: Store) -> None:
    for n in range(3):
        ledger.receive(store, IBU, 10 + n, days(100 + n))
    allocate(store, create(store, IBU, 5).id)


def tamper(store: Store, sql: str) -> None:
    """What someone with a hex editor could do: bypass the append-only triggers."""
    conn = sqlite3.connect(store.path)
    conn.execute("DROP TRIGGER movement_is_append_only_update")
    conn.execute("DROP TRIGGER movement_is_append_only_delete")
    conn.execute(sql)
    conn.commit()
    conn.close()


def test_a_sound_ledger_verifies(station: Store) -> None:
    busy(station)
    assert verify(station) == []


def test_verify_finds_an_edited_movement(station: Store) -> None:
    busy(station)
    tamper(station, "UPDATE movement SET units = 99 WHERE id = 2")
    assert verify(station) == ["movement 2 was changed after it was written"]


def test_verify_finds_a_deleted_movement(station: Store) -> None:
    busy(station)
    tamper(station, "DELETE FROM movement WHERE id = 2")
    found = verify(station)
    assert "movement 2 is missing (the next one is 3)" in found
    assert any("lot 2" in problem for problem in found)


def test_verify_finds_a_balance_that_disagrees_with_the_movements(station: Store) -> None:
    busy(station)
    station.conn.execute("UPDATE lot SET on_hand = on_hand + 1 WHERE id = 1")
    assert verify(station) == [
        "lot 1: the balance says 11 on hand / 5 reserved, the movements add up to 10 / 5"
    ]


def test_backup_and_restore_round_trip(station: Store, tmp_path: Path) -> None:
    busy(station)
    copy = backup(station, tmp_path / "copy.db")
    assert check_file(copy) == []
    ledger.receive(station, IBU, 7, days(50))
    station.close()
    restore(station.data_dir(), copy)
    again = open_station(station.data_dir())
    assert sum(line.on_hand for line in ledger.stock(again)) == 33
    assert verify(again) == []
    assert list(station.data_dir().glob("station.db.replaced-*"))
    again.close()


def test_restore_refuses_a_file_that_fails_verify_and_keeps_the_live_one(
    station: Store, tmp_path: Path
) -> None:
    busy(station)
    bad = backup(station, tmp_path / "bad.db")
    conn = sqlite3.connect(bad)
    conn.execute("UPDATE lot SET on_hand = 1000 WHERE id = 1")
    conn.commit()
    conn.close()
    live_before = station.path.read_bytes()
    with pytest.raises(IntegrityError, match="was not restored: lot 1"):
        restore(station.data_dir(), bad)
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not a database at all" * 100)
    with pytest.raises(IntegrityError, match="not"):
        restore(station.data_dir(), junk)
    assert station.path.read_bytes() == live_before


def test_automatic_backups_rotate(station: Store) -> None:
    from datetime import timedelta

    for _ in range(5):
        backup(station, keep=3)
        station.clock.advance(timedelta(days=1))
    assert len(list((station.data_dir() / "backups").glob("station-*.db"))) == 3
