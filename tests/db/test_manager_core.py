"""The core under the manager console: audit pages, settings, housekeeping, backups, restore."""

from __future__ import annotations

import json
import sqlite3
from datetime import date, timedelta
from pathlib import Path

import pytest

from kiosk.clock import Clock
from kiosk.db import audit, ledger, maintenance, settings
from kiosk.db import requests as request_store
from kiosk.db.allocation import allocate
from kiosk.db.station import open_station
from kiosk.db.store import Store
from kiosk.db.verify import verify
from kiosk.errors import IntegrityError, InvalidInput
from tests.conftest import NOW, days, ledger_dump

IBU = "ibuprofen-200mg-tablet"
PARA = "paracetamol-500mg-tablet"


# -- audit ----------------------------------------------------------------------------------


@pytest.fixture
def ledger_rows(station: Store) -> Store:
    for n in range(5):
        station.clock = Clock(NOW + timedelta(days=n))
        ledger.receive(station, IBU if n % 2 == 0 else PARA, 10 + n, days(300))
    request = request_store.create(station, IBU, 4)
    allocate(station, request.id)
    ledger.dispose(station, 1, 2, "damaged")
    return station


def test_audit_pages_are_newest_first_and_cover_every_row_once(ledger_rows: Store) -> None:
    conn = ledger_rows.conn
    everything = audit.AuditFilter()
    total = audit.count(conn, everything)
    assert total == 7
    seen = []
    for offset in range(0, total, 3):
        seen.extend(row.id for row in audit.page(conn, everything, offset, 3))
    assert seen == list(range(7, 0, -1))
    newest = audit.page(conn, everything, 0, 1)[0]
    assert (newest.kind, newest.units, newest.on_hand_delta, newest.reason) == (
        "disposed", 2, -2, "damaged")


def test_audit_filters_by_item_kind_days_and_request(ledger_rows: Store) -> None:
    conn = ledger_rows.conn

    def ids(**parts: object) -> list[int]:
        search = audit.AuditFilter(**parts)  # type: ignore[arg-type]
        assert audit.count(conn, search) == len(audit.page(conn, search, 0, 100))
        return [row.id for row in audit.page(conn, search, 0, 100)]

    assert ids(item_id=PARA) == [4, 2]
    assert ids(kind="received") == [5, 4, 3, 2, 1]
    assert ids(kind="received", item_id=IBU) == [5, 3, 1]
    assert ids(start=NOW.date() + timedelta(days=1), end=NOW.date() + timedelta(days=2)) == [3, 2]
    assert ids(request_id=1) == [6]
    assert ids(start=date(2030, 1, 1)) == []


def test_audit_refuses_a_bad_search(ledger_rows: Store) -> None:
    with pytest.raises(InvalidInput, match="kind of movement"):
        audit.count(ledger_rows.conn, audit.AuditFilter(kind="stolen"))
    with pytest.raises(InvalidInput, match="comes after"):
        audit.count(ledger_rows.conn, audit.AuditFilter(start=date(2026, 2, 1),
                                                        end=date(2026, 1, 1)))
    with pytest.raises(InvalidInput):
        audit.page(ledger_rows.conn, audit.AuditFilter(), 0, 0)


# -- settings -------------------------------------------------------------------------------


def test_settings_have_defaults_and_save_together(station: Store) -> None:
    now = settings.current(station)
    assert now["kiosk_idle_seconds"] == "60"
    assert now["paper"] == "80mm"
    assert now["backup_keep"] == "14"
    saved = settings.save(station, {"retention_days": "14", "pickup_window_hours": 24,
                                    "kiosk_idle_seconds": "90", "paper": "58MM",
                                    "printer_name": "  Desk printer ", "default_language": "zh"})
    assert saved["retention_days"] == "14"
    assert saved["paper"] == "58mm"
    assert saved["printer_name"] == "Desk printer"
    assert station.int_setting("pickup_window_hours") == 24
    assert station.setting("default_language") == "zh"


@pytest.mark.parametrize(("key", "value", "words"), [
    ("retention_days", "0", "retention period"),
    ("retention_days", "-3", "whole number"),
    ("pickup_window_hours", "4.5", "pickup window"),
    ("kiosk_idle_seconds", "5", "from 15 to 3600"),
    ("paper", "letter", "58mm"),
    ("default_language", "fr", "en, zh"),
    ("printer_name", "x" * 201, "printer name"),
    ("backup_keep", "", "automatic backups"),
    ("slip_secret", "1", "not a setting"),
])
def test_a_bad_setting_is_refused_and_nothing_changes(station: Store, key: str, value: str,
                                                       words: str) -> None:
    before = ledger_dump(station.path)
    with pytest.raises(InvalidInput, match=words):
        settings.save(station, {"retention_days": "10", key: value})
    assert ledger_dump(station.path) == before


def test_limits_per_item_override_the_catalog_and_reach_requests(station: Store) -> None:
    [ibu] = [line for line in settings.limits(station) if line.item_id == IBU]
    assert ibu.station is None and ibu.effective == ibu.default
    settings.save_limits(station, {IBU: "5"})
    assert request_store.item_limit(station, IBU) == 5
    from kiosk.errors import LimitExceeded

    with pytest.raises(LimitExceeded):
        request_store.create(station, IBU, 6)
    # the catalog's own number again: no override is kept
    settings.save_limits(station, {IBU: str(ibu.default)})
    assert station.conn.execute("SELECT count(*) FROM setting WHERE key LIKE 'limit.%'"
                                ).fetchone()[0] == 0
    settings.save_limits(station, {IBU: "7"})
    settings.save_limits(station, {IBU: None})
    assert request_store.item_limit(station, IBU) == ibu.default


def test_a_bad_limit_changes_no_limit(station: Store) -> None:
    before = ledger_dump(station.path)
    for bad in ({IBU: "3", PARA: "0"}, {IBU: "3", "unicorn-dust": "1"}, {IBU: "lots"}):
        with pytest.raises(InvalidInput):
            settings.save_limits(station, bad)
    assert ledger_dump(station.path) == before


# -- housekeeping and backups ---------------------------------------------------------------


def test_housekeeping_backs_up_when_due_and_rotates(station: Store) -> None:
    first = maintenance.housekeeping(station)
    assert first.backup is not None and first.backup.path.exists()
    assert first.last_backup == NOW.replace(microsecond=0)
    # not due again within the interval
    station.clock = Clock(NOW + timedelta(hours=23))
    assert maintenance.housekeeping(station).backup is None
    settings.save(station, {"backup_keep": "3"})
    for hour in range(24, 24 * 6, 24):
        station.clock = Clock(NOW + timedelta(hours=hour))
        assert maintenance.housekeeping(station).backup is not None
    found = maintenance.backups(station.data_dir())
    assert len(found) == 3
    assert found[0].taken_at == (NOW + timedelta(hours=120)).replace(microsecond=0)
    assert maintenance.last_backup(station.data_dir()) == found[0].taken_at
    assert maintenance.backups(station.data_dir() / "nowhere") == []


def test_housekeeping_expires_overdue_slips_and_purges_old_phones(station: Store) -> None:
    ledger.receive(station, IBU, 20, days(300))
    request = request_store.create(station, IBU, 2, phone="13812345678")
    allocate(station, request.id)
    station.clock = Clock(NOW + timedelta(days=31))
    done = maintenance.housekeeping(station)
    assert len(done.expired_slips) == 1
    assert done.purged_phones == 1
    row = station.conn.execute("SELECT status, phone_hash, phone_masked FROM request").fetchone()
    assert tuple(row) == ("cancelled", None, None)
    assert verify(station) == []


def test_back_up_to_a_chosen_file(station: Store, tmp_path: Path) -> None:
    copy = maintenance.back_up(station, tmp_path / "usb" / "copy.db")
    assert copy.path.exists() and maintenance.backups(station.data_dir()) == []


# -- restore --------------------------------------------------------------------------------


def _enrol(store: Store, acked: int) -> None:
    with store.write() as conn:
        for key, value in (("server_url", "http://central"), ("station_id", "st-1"),
                           ("token", "secret"), ("acked_seq", str(acked)), ("cursor", "0")):
            conn.execute("INSERT OR REPLACE INTO sync_state(key, value) VALUES (?, ?)",
                         (key, value))


def _outbox(path: Path) -> list[tuple[int, str, str]]:
    conn = sqlite3.connect(path)
    try:
        return [(int(s), str(k), str(b)) for s, k, b in
                conn.execute("SELECT seq, kind, body FROM outbox ORDER BY seq")]
    finally:
        conn.close()


def test_restore_verifies_first_and_keeps_the_outbox_numbering(station: Store) -> None:
    data_dir = station.data_dir()
    ledger.receive(station, IBU, 10, days(300))
    old = maintenance.back_up(station)
    old_outbox = _outbox(station.path)
    # after the backup: more changes, all of them acknowledged by the server but one
    ledger.receive(station, PARA, 5, days(300))
    ledger.receive(station, IBU, 3, days(300))
    live_outbox = _outbox(station.path)
    _enrol(station, acked=live_outbox[-2][0])
    station.close()

    maintenance.restore(data_dir, old.path)

    restored = open_station(data_dir)
    try:
        assert verify(restored) == []
        assert restored.conn.execute("SELECT count(*) FROM lot").fetchone()[0] == 1
        outbox = _outbox(restored.path)
        # the events the file lacked kept their numbers, and new ones follow on
        assert outbox[:len(live_outbox)] == live_outbox
        assert outbox[:len(old_outbox)] == old_outbox
        announced = outbox[len(live_outbox):]
        assert [kind for _, kind, _ in announced] == ["profile", "listing"]
        assert json.loads(announced[1][2])["available"] == 10
        state = dict(restored.conn.execute("SELECT key, value FROM sync_state").fetchall())
        assert state["station_id"] == "st-1" and state["token"] == "secret"
        assert int(state["acked_seq"]) == live_outbox[-2][0]
        ledger.receive(restored, PARA, 1, days(300))
        assert _outbox(restored.path)[-1][0] == announced[-1][0] + 1
    finally:
        restored.close()


def test_a_damaged_backup_is_refused_and_the_live_file_is_untouched(station: Store,
                                                                    tmp_path: Path) -> None:
    ledger.receive(station, IBU, 10, days(300))
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"not a database at all" * 100)
    before = ledger_dump(station.path)
    with pytest.raises(IntegrityError, match="not restored"):
        maintenance.restore(station.data_dir(), bad)
    assert ledger_dump(station.path) == before
