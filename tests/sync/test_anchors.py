"""Ledger anchors: the chain head sent each round, kept by the central, checked by verify."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from kiosk.db import ledger
from kiosk.db.ledger import movement_hash
from kiosk.db.station import init
from kiosk.sync.client import SyncClient
from tests.conftest import REAL_CLOCK, days, run_medshare
from tests.sync.conftest import Central

KIT = "antigen-test-kit"


def _station(tmp_path: Path, central: Central) -> Path:
    folder = tmp_path / "harbour"
    store = init(folder, "HX01", "Harbour Centre")
    try:
        client = SyncClient(store)
        client.enrol(central.url, central.code("Harbour"))
        for units in (5, 6, 7):
            ledger.receive(store, KIT, units, days(100))
        client.sync_once()
    finally:
        store.close()
    return folder


def _raw(folder: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(folder / "station.db", isolation_level=None)
    conn.execute("DROP TRIGGER movement_is_append_only_update")
    conn.execute("DROP TRIGGER movement_is_append_only_delete")
    return conn


def _fix_balances(conn: sqlite3.Connection) -> None:
    conn.execute("UPDATE lot SET on_hand = (SELECT coalesce(sum(on_hand_delta), 0) FROM "
                 "movement WHERE lot_id = lot.id), reserved = (SELECT coalesce("
                 "sum(reserved_delta), 0) FROM movement WHERE lot_id = lot.id)")


def test_verify_shows_the_head_and_that_the_central_agrees(
    central: Central, tmp_path: Path
) -> None:
    folder = _station(tmp_path, central)
    result = run_medshare("db", "verify", "--data-dir", str(folder), env=REAL_CLOCK)
    assert result.returncode == 0, result.stderr
    assert "Ledger head: 3 movements, head " in result.stdout
    assert "anchors the central endpoint holds" in result.stdout
    central.stop()
    offline = run_medshare("db", "verify", "--data-dir", str(folder), env=REAL_CLOCK)
    assert offline.returncode == 0 and "could not be asked" in offline.stdout


def test_truncation_is_detected_once_an_anchor_exists(central: Central, tmp_path: Path) -> None:
    folder = _station(tmp_path, central)
    conn = _raw(folder)
    conn.execute("DELETE FROM movement WHERE id = (SELECT max(id) FROM movement)")
    _fix_balances(conn)
    conn.close()
    result = run_medshare("db", "verify", "--data-dir", str(folder), env=REAL_CLOCK)
    assert result.returncode == 1
    assert "the ledger has fewer movements (2) than it had on" in result.stderr


def test_a_whole_chain_rewrite_is_detected_by_the_central_anchor(
    central: Central, tmp_path: Path
) -> None:
    folder = _station(tmp_path, central)
    conn = _raw(folder)
    # the tamperer also removes every anchor kept in the file
    conn.execute("DROP TRIGGER ledger_anchor_is_append_only_delete")
    conn.execute("DELETE FROM ledger_anchor")
    conn.execute("UPDATE movement SET units = 50, on_hand_delta = 50 WHERE id = 1")
    prev = "0" * 64
    for row in conn.execute(
        "SELECT id, at, lot_id, kind, units, on_hand_delta, reserved_delta, request_id, "
        "reason, staff FROM movement ORDER BY id").fetchall():
        digest = movement_hash(prev, *row)
        conn.execute("UPDATE movement SET prev_hash = ?, hash = ? WHERE id = ?",
                     (prev, digest, row[0]))
        prev = digest
    _fix_balances(conn)
    conn.close()
    result = run_medshare("db", "verify", "--data-dir", str(folder), env=REAL_CLOCK)
    assert result.returncode == 1, result.stdout
    assert "movement 3 differs from what was anchored on" in result.stderr
    assert "central endpoint" in result.stderr


def test_a_history_the_central_has_no_anchor_of_names_the_one_it_held_before(
    central: Central, tmp_path: Path
) -> None:
    """Truncated, anchors removed and the history id edited: the central's anchors of this
    history are none, so verify says what the central held before (a restore looks alike)."""
    folder = _station(tmp_path, central)
    conn = _raw(folder)
    conn.execute("DROP TRIGGER ledger_anchor_is_append_only_delete")
    conn.execute("DELETE FROM ledger_anchor")
    conn.execute("DELETE FROM movement WHERE id = (SELECT max(id) FROM movement)")
    _fix_balances(conn)
    conn.execute("UPDATE sync_state SET value = 'abcdef0123456789abcdef01' WHERE key = 'history'")
    conn.close()
    result = run_medshare("db", "verify", "--data-dir", str(folder), env=REAL_CLOCK)
    assert "Ledger head: 2 movements" in result.stdout
    assert "it holds none of this station's current history" in result.stdout
    assert "before that it held 3 movements, head " in result.stdout
