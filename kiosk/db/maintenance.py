"""Housekeeping and backups: what the station does on its own, and restore.

* `housekeeping` closes slips past their pickup window, erases phone numbers
  older than the retention period, destroys the key-file keys whose numbers
  are all past it (so no backup can give them back either) and takes an
  online backup when one is due (setting `backup_interval_hours`, default
  daily; `backup_keep` newest kept, default 14). The app runs it at start and every few minutes.
* `backups` lists the automatic and "back up now" files, newest first; the
  time of a backup is in its name (UTC), so the list needs no database.
* `restore` checks the file, opens a copy of it as the app would and swaps
  it in (kiosk.db.restoring), and keeps the sync going (`keep_sync_going`,
  run on the staged copy before the swap).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from kiosk.db import backup as backup_store
from kiosk.db import contact, history, outbox, restoring, slips
from kiosk.db import requests as request_store
from kiosk.db.store import Store
from kiosk.errors import DataDirError, IntegrityError, InvalidInput
from kiosk.paths import DB_FILENAME

SYNC_KEYS = ("server_url", "station_id", "token")


@dataclass(frozen=True)
class BackupFile:
    path: Path
    taken_at: datetime  # UTC
    size: int


def _taken_at(path: Path) -> datetime | None:
    key = backup_store.name_key(path.name)
    return None if key is None else key[0]


def backups(data_dir: Path) -> list[BackupFile]:
    """The backups in the station's backups folder, newest first."""
    found = []
    for path in backup_store.automatic_backups(Path(data_dir) / "backups"):
        taken = _taken_at(path)
        try:
            size = path.stat().st_size
        except OSError:  # removed by the rotation meanwhile
            continue
        if taken is not None and size > 0:  # an empty file is a backup being written
            found.append(BackupFile(path, taken, size))
    return found


def last_backup(data_dir: Path) -> datetime | None:
    found = backups(data_dir)
    return found[0].taken_at if found else None


def backup_due(store: Store) -> bool:
    last = last_backup(store.data_dir())
    if last is None:
        return True
    interval = timedelta(hours=store.int_setting("backup_interval_hours"))
    return store.clock.now() - last >= interval


def back_up(store: Store, target: Path | None = None) -> BackupFile:
    """An online backup now: into backups/ with rotation, or a copy to `target`."""
    if target is not None:
        written = backup_store.backup(store, Path(target))
        return BackupFile(written, store.clock.now(), written.stat().st_size)
    written = backup_store.backup(store, keep=store.int_setting("backup_keep"))
    taken = _taken_at(written) or store.clock.now()
    return BackupFile(written, taken, written.stat().st_size)


@dataclass(frozen=True)
class Housekeeping:
    expired_slips: tuple[int, ...]
    purged_phones: int
    backup: BackupFile | None  # the backup taken this time, if one was due
    last_backup: datetime | None
    destroyed_keys: int = 0  # phone keys of periods now past retention (kiosk/keyfile.py)


def housekeeping(store: Store, *, staff: str = "housekeeping") -> Housekeeping:
    """Close overdue slips, erase old phone numbers, back up if due."""
    expired = slips.expire_overdue(store, staff)
    purged = request_store.purge_phones(store)
    # rows first, then the keys: a key goes only once no live row needs it
    destroyed = contact.destroy_expired_keys(store, request_store.phone_cutoff(store))
    contact.scrub_old_backups(store)
    taken = back_up(store) if backup_due(store) else None
    return Housekeeping(tuple(expired), purged, taken, last_backup(store.data_dir()), destroyed)


# -- restore --------------------------------------------------------------------------------


def check(source: Path) -> None:
    """Raise IntegrityError naming what is wrong with a backup file; change nothing."""
    found = backup_store.check_file(Path(source))
    if found:
        raise IntegrityError("The backup was not restored: " + "; ".join(found[:3]) + ".")


@dataclass(frozen=True)
class Restored:
    live: Path  # the station file now in use
    replaced: Path | None  # where the file it replaced was kept; None if there was none
    station: str  # "HX02 Harbour": the station the data folder now holds
    replaced_station: str  # the station it replaced when that was another one, else ""
    enrolment: str  # what happened to the enrolment, in words


def restore(data_dir: Path, source: Path, *, other_station: bool = False,
            replace_newer: bool = False) -> Restored:
    """Put a verified backup in place of the live file; on any refusal nothing changes.

    The live file may be missing or damaged. A live file from a newer version
    of MedShare is replaced only with `replace_newer`; a backup of another
    station only with `other_station` (that station then keeps the backup's
    own enrolment, and this one's stays in the replaced file). The desk and
    any other program must have closed the file (DataDirError otherwise).
    """
    data_dir = Path(data_dir)
    live_path = data_dir / DB_FILENAME
    check(Path(source))
    candidate = restoring.inspect(Path(source))
    live = restoring.inspect(live_path)
    _refuse_without_consent(live, candidate, other_station, replace_newer)
    zone = None
    if live.sound:
        _refuse_other_kind(live, candidate, Path(source))
        zone = _zone_to_keep(live, candidate)
    staged = restoring.stage(data_dir, Path(source))
    try:
        if zone is not None:
            with staged.store.write() as conn:
                conn.execute("UPDATE station SET timezone = ? WHERE id = 1", (zone,))
        enrolment = keep_sync_going(staged.store, live)
        replaced = restoring.swap_in(staged, live_path)
    finally:
        staged.discard()
    other = live.label() if live.sound and live.code != candidate.code else ""
    return Restored(live_path, replaced, candidate.label(), other, enrolment)


def _refuse_without_consent(live: restoring.StationFile, candidate: restoring.StationFile,
                            other_station: bool, replace_newer: bool) -> None:
    if live.newer and not replace_newer:
        raise DataDirError(
            f"The station file in {live.path.parent} was written by a newer version of "
            f"MedShare (schema {live.version}); update MedShare, or replace it anyway with "
            "--replace-newer (it is kept as station.db.replaced-...). Nothing was changed."
        )
    if live.sound and live.code != candidate.code and not other_station:
        raise InvalidInput(
            f"The backup is of the station {candidate.label()}, but this is the station "
            f"{live.label()}. Restoring it makes this computer {candidate.label()} with the "
            f"backup's own enrolment; {live.label()}'s file is kept aside. To do that, "
            "restore again with --other-station. Nothing was changed."
        )


def _refuse_other_kind(live: restoring.StationFile, candidate: restoring.StationFile,
                       source: Path) -> None:
    """A training backup never becomes a real station (nor the other way round): that
    would let a practice file's pinned clock and practice slips into real service."""
    if candidate.training != live.training:
        kind = "a training station" if candidate.training else "a real station"
        here = "a training station" if live.training else "a real station"
        raise InvalidInput(f"{source} is a backup of {kind}, and this is {here}; "
                           "it cannot be restored here. Nothing was changed.")


@dataclass(frozen=True)
class _Carry:
    sync: dict[str, str]
    rows: list[tuple[Any, ...]]  # outbox rows the restored file lacks


def keep_sync_going(store: Store, live: restoring.StationFile) -> str:
    """Carry the sync state over into the staged copy before it goes live; says what happened.

    The central endpoint stores each (station, seq) once, so after going back
    to an older file the station must not hand out a seq the server already
    holds for a different change: the restored file takes over the enrolment
    and every outbox event it lacks from the file it replaces, and queues the
    station's profile and current listings, so the central endpoint catches up
    with what is on the shelf.
    """
    with store.write() as conn:
        history.new_history(conn)  # going back in time: a new sync history
        carry = _what_to_carry(conn, live)
        if carry is not None:
            _carry_sync(conn, carry)
        enrolled = bool(restoring.sync_state(conn).get("station_id"))
        if enrolled:
            _announce(conn, store)
    if carry is not None:
        return "The enrolment and the sync numbering carry on from the replaced file."
    if not enrolled:
        return "The restored station is not enrolled; enrol it with 'medshare sync enrol'."
    return "The restored station keeps the backup's own enrolment."


def _what_to_carry(restored: sqlite3.Connection, live: restoring.StationFile) -> _Carry | None:
    """The live file's enrolment and outbox tail, if the restored file should take them."""
    if not live.sound or not live.sync.get("station_id"):
        return None  # nothing to read, or never enrolled: nothing to keep going
    restored_code = str(restored.execute("SELECT code FROM station WHERE id = 1").fetchone()[0])
    if live.code != restored_code:
        return None  # another station's backup: it keeps its own enrolment
    restored_sync = restoring.sync_state(restored)
    if restored_sync.get("station_id", live.sync["station_id"]) != live.sync["station_id"]:
        return None  # the backup belongs to an enrolment of its own
    restored_max = int(restored.execute("SELECT coalesce(max(seq), 0) FROM outbox").fetchone()[0])
    try:
        current = backup_store.read_only(live.path)
        try:
            rows = current.execute(
                "SELECT seq, kind, body, created_at FROM outbox WHERE seq > ? ORDER BY seq",
                (restored_max,),
            ).fetchall()
        finally:
            current.close()
    except sqlite3.Error:
        return _Carry(live.sync, [])  # the enrolment still carries on; the tail is unreadable
    return _Carry(live.sync, rows)


def _zone_to_keep(live: restoring.StationFile, candidate: restoring.StationFile) -> str | None:
    """The live station's time zone, if the backup is of it and from before zones
    (its migration would take this computer's zone, which may not be the station's)."""
    if candidate.timezone is not None or live.code != candidate.code:
        return None
    return live.timezone


def _carry_sync(conn: sqlite3.Connection, carry: _Carry) -> None:
    restored = restoring.sync_state(conn)
    for key in SYNC_KEYS:
        if carry.sync.get(key):
            _set_state(conn, key, carry.sync[key])
    acked = max(int(restored.get("acked_seq", "0") or 0),
                int(carry.sync.get("acked_seq", "0") or 0))
    _set_state(conn, "acked_seq", str(acked))
    if "cursor" not in restored and carry.sync.get("cursor"):
        _set_state(conn, "cursor", carry.sync["cursor"])
    # explicit seqs: AUTOINCREMENT then carries on above the highest one
    conn.executemany("INSERT INTO outbox(seq, kind, body, created_at) VALUES (?,?,?,?)",
                     carry.rows)


def _announce(conn: sqlite3.Connection, store: Store) -> None:
    """Queue the profile and every item's listing as the restored file has them."""
    outbox.profile_changed(conn, store)
    items = [str(row[0]) for row in conn.execute(
        "SELECT item_id FROM lot UNION SELECT item_id FROM request ORDER BY 1")]
    outbox.listing_changed(conn, store, items)


def _set_state(conn: sqlite3.Connection, key: str, value: str) -> None:
    conn.execute(
        "INSERT INTO sync_state(key, value) VALUES (?, ?) "
        "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        (key, value),
    )
