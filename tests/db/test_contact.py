"""The key file and the Call action: bad key files change nothing, Call is audited, and
the number goes nowhere else (outbox, CSV exports, the queue)."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import stat
from collections.abc import Callable
from pathlib import Path

import pytest

from kiosk import keyfile
from kiosk.db import contact, events, ledger, migrations
from kiosk.db.csvio import export
from kiosk.db.requests import create, queue
from kiosk.db.station import init, open_station
from kiosk.db.store import Store
from kiosk.errors import InvalidInput, KeyFileError, NotFound
from tests.conftest import ledger_dump

IBU = "ibuprofen-200mg-tablet"
NUMBER = "13812345678"


def test_a_new_station_has_an_owner_only_key_file_bound_to_it(station: Store) -> None:
    path = contact.key_path(station)
    assert path.name == "station.keys" and path.parent == station.data_dir()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    document = json.loads(path.read_text("utf-8"))
    file_id = station.conn.execute("SELECT keyfile_id FROM station").fetchone()[0]
    assert document["station"] == "TEST1" and document["file_id"] == file_id
    assert document["keys"] == []  # the first key is made with the first number
    create(station, IBU, 1, phone=NUMBER)
    [key] = keyfile.load(path).keys
    assert key.id == "2026-11-16" and key.end.isoformat() == "2026-11-23T00:00:00+00:00"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert not list(station.data_dir().glob("station.keys.*"))  # no temporary file left


def _missing(path: Path) -> None:
    path.unlink()


def _bad_json(path: Path) -> None:
    path.write_text("{not json", "utf-8")


def _open_to_others(path: Path) -> None:
    path.chmod(0o644)


def _unreadable(path: Path) -> None:
    path.unlink()
    path.mkdir(mode=0o700)  # there, but not a file that can be read


def _foreign(path: Path) -> None:
    other = init(path.parent.parent / "other", "OTHER", "Other Station")
    other.close()
    shutil.copy2(path.parent.parent / "other" / "station.keys", path)


def _another_set_up(path: Path) -> None:
    document = json.loads(path.read_text("utf-8"))
    document["file_id"] = "0" * 32
    path.unlink()
    keyfile.save(path, keyfile._parse(document))


@pytest.mark.parametrize(("spoil", "words"), [
    (_missing, "is missing. Nothing was changed. Copy station.keys from this station's old "
               "computer"),
    (_bad_json, "is damaged (it is not a MedShare key file). Nothing was changed."),
    (_open_to_others, "can be read by other users of this computer, so it is not used. "
                      "Nothing was changed."),
    (_unreadable, "cannot be read (Is a directory). Nothing was changed."),
    (_foreign, "belongs to station OTHER, not to this station (TEST1). Nothing was changed."),
    (_another_set_up, "is from another set-up of station TEST1"),
])
def test_a_bad_key_file_refuses_phones_with_one_message_and_changes_nothing(
        station: Store, spoil: Callable[[Path], None], words: str) -> None:
    ledger.receive(station, IBU, 10, "2027-06-01")
    earlier = create(station, IBU, 1, phone=NUMBER)
    path = contact.key_path(station)
    spoil(path)
    kept = path.read_bytes() if path.is_file() else None
    before = ledger_dump(station.path)
    with pytest.raises(KeyFileError) as refused:
        create(station, IBU, 1, phone="13900001111")
    assert words in str(refused.value) and "\n" not in str(refused.value)
    with pytest.raises(KeyFileError, match=r"Nothing was changed|nothing was shown"):
        contact.reveal(station, earlier.id, "ann")  # no number, and no audit event either
    assert ledger_dump(station.path) == before
    assert (path.read_bytes() if path.is_file() else None) == kept
    # requests without a phone number go on as before
    assert create(station, IBU, 1).phone_masked is None


def test_a_new_key_file_must_be_asked_for_and_says_what_is_lost(station: Store) -> None:
    made = create(station, IBU, 1, phone=NUMBER)
    contact.key_path(station).unlink()
    before = ledger_dump(station.path)
    with pytest.raises(InvalidInput, match=r"every phone number kept now unreadable.*Nothing "
                                           r"else is lost"):
        contact.start_new_key_file(station, accept_loss=False)
    assert ledger_dump(station.path) == before
    new = contact.start_new_key_file(station, accept_loss=True)
    assert (new.lost, new.kept_aside) == (1, None)
    with pytest.raises(NotFound, match="was not kept for calling"):
        contact.reveal(station, made.id, "ann")
    again = create(station, IBU, 1, phone=NUMBER)  # works again; the old history is gone
    assert again.flag == "" and contact.reveal(station, again.id, "ann") == NUMBER


def test_call_shows_the_number_and_writes_who_and_when_into_the_audit(station: Store) -> None:
    made = create(station, IBU, 1, phone="(0755) 8123-4567")
    assert events.for_request(station.conn, made.id) == []
    assert contact.reveal(station, made.id, "ann") == "075581234567"
    [event] = events.for_request(station.conn, made.id)
    assert (event.staff, event.action, event.at) == ("ann", "phone_revealed",
                                                     station.now_iso())
    plain = create(station, IBU, 1)
    with pytest.raises(NotFound, match="has no phone number"):
        contact.reveal(station, plain.id, "ann")
    with pytest.raises(NotFound, match="no request number 99"):
        contact.reveal(station, 99, "ann")
    with pytest.raises(InvalidInput, match="Say who is calling"):
        contact.reveal(station, made.id, " ")
    assert len(events.latest(station.conn)) == 1


def test_the_number_goes_nowhere_but_the_call(station: Store, tmp_path: Path) -> None:
    ledger.receive(station, IBU, 10, "2027-06-01")
    made = create(station, IBU, 2, phone=NUMBER)
    for what in ("stock", "movements", "requests"):
        export(station, what, tmp_path / f"{what}.csv")
        text = (tmp_path / f"{what}.csv").read_text("utf-8")
        assert "1381234" not in text and "138" not in text
    outbox = " ".join(str(r[0]) for r in station.conn.execute("SELECT body FROM outbox"))
    assert "5678" not in outbox and "138" not in outbox and "*" not in outbox
    [request] = queue(station.conn)
    assert request.phone_masked == "*******5678"
    assert "1381234" not in json.dumps(request.to_json())
    assert made.id == request.id


def _station_before_contact(folder: Path) -> Path:
    """A station as the previous version left it: the phone key and hashes in the file."""
    from sqlite_utils import Database

    folder.mkdir()
    path = folder / "station.db"
    conn = sqlite3.connect(path)
    before_contact = [name for name, _ in migrations._STEPS].index("m008_contact")
    migrations.build(upto=before_contact).apply(Database(conn))  # type: ignore[attr-defined]
    conn.execute("INSERT INTO station(id, code, name, slip_secret, phone_key, created_at) "
                 "VALUES (1, 'OLD1', 'Old', ?, ?, '2026-11-01T00:00:00+00:00')",
                 (os.urandom(32), b"K" * 32))
    conn.execute("INSERT INTO catalog_item(id, catalog_version, data) VALUES (?, 1, '{}')",
                 (IBU,))
    conn.execute("INSERT INTO request(created_at, item_id, units, priority, household, "
                 "language, phone_hash, phone_masked, flag, status, status_at) VALUES "
                 "('2026-11-20T00:00:00+00:00', ?, 1, 'none', 1, 'en', ?, '138****5678', '', "
                 "'open', '2026-11-20T00:00:00+00:00')", (IBU, "ab" * 32))
    conn.commit()
    conn.close()
    return path


def test_the_upgrade_wipes_the_old_key_and_hashes_and_cuts_the_masks(tmp_path: Path) -> None:
    path = _station_before_contact(tmp_path / "old")
    store = Store.open(path.parent)
    try:
        key, file_id = store.conn.execute("SELECT phone_key, keyfile_id FROM station").fetchone()
        assert bytes(key) == bytes(32) and file_id is None
        row = store.conn.execute("SELECT phone_hash, phone_masked FROM request").fetchone()
        assert tuple(row) == (None, "*******5678")
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        raw = path.read_bytes()
        assert b"K" * 32 not in raw and b"ab" * 32 not in raw and b"138****" not in raw
    finally:
        store.close()
    # the first number after the upgrade starts the key file
    store = open_station(path.parent)
    try:
        assert not contact.key_path(store).exists()
        with store.write() as conn:
            contact.keys_for_writing(store, conn)
        assert contact.key_path(store).exists()
        assert store.conn.execute("SELECT keyfile_id FROM station").fetchone()[0] == (
            keyfile.load(contact.key_path(store)).file_id)
    finally:
        store.close()


def test_init_refuses_a_folder_that_already_holds_a_key_file(tmp_path: Path) -> None:
    folder = tmp_path / "s"
    folder.mkdir()
    (folder / "station.keys").write_text("{}", "utf-8")
    with pytest.raises(InvalidInput, match="already holds a phone key file"):
        init(folder, "NEW1", "New")
    assert not (folder / "station.db").exists()


def test_limits_and_flags_see_a_number_across_two_key_periods(station: Store) -> None:
    from datetime import timedelta

    from kiosk.errors import LimitExceeded

    limit = station.item(IBU).limit_per_7_days
    create(station, IBU, limit - 1, phone=NUMBER)
    station.clock.advance(timedelta(days=3))  # Saturday to Tuesday: a new key period
    again = create(station, IBU, 1, phone="+86 138 1234 5678")
    assert "2 times in 7 days" in again.flag
    assert len(keyfile.load(contact.key_path(station)).keys) == 2
    with pytest.raises(LimitExceeded):
        create(station, IBU, 1, phone=NUMBER)


def test_housekeeping_wipes_the_old_key_from_backups_made_before_the_upgrade(
        station: Store, tmp_path: Path) -> None:
    from kiosk.db import backup, maintenance

    old = _station_before_contact(tmp_path / "old")
    (station.data_dir() / "backups").mkdir(exist_ok=True)
    copies = [station.data_dir() / "backups" / "station-20261101-000000.db",
              station.data_dir() / "station.db.before-v7.bak"]
    for copy in copies:
        shutil.copy2(old, copy)
    found_before = backup.check_file(copies[0])
    maintenance.housekeeping(station)
    for copy in copies:
        raw = copy.read_bytes()
        assert b"K" * 32 not in raw and b"ab" * 32 not in raw and b"138****" not in raw
        conn = sqlite3.connect(copy)
        try:
            assert conn.execute("SELECT phone_masked, phone_hash FROM request").fetchall() == [
                ("*******5678", None)]
        finally:
            conn.close()
    assert backup.check_file(copies[0]) == found_before  # otherwise the file is as it was
    assert contact.scrub_old_backups(station) == 0  # once is enough
