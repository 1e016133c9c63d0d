"""Housekeeping and backups: what the station does on its own, and restore.

* `housekeeping` closes slips past their pickup window, erases phone numbers
  older than the retention period and takes an online backup when one is due
  (setting `backup_interval_hours`, default daily; `backup_keep` newest kept,
  default 14). The app runs it at start and every few minutes.
* `backups` lists the automatic and "back up now" files, newest first; the
  time of a backup is in its name (UTC), so the list needs no database.
* `restore` verifies the file first, then swaps it in (kiosk.db.backup) and
  keeps the sync outbox numbering going: the central endpoint stores each
  (station, seq) once, so after going back to an older file the station must
  not hand out a seq the server already holds for a different change. The
  restored file takes over the enrolment and every outbox event it lacks
  from the file it replaces, and queues the station's profile and current
  listings, so the central endpoint catches up with what is on the shelf.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from kiosk.db import backup as backup_store
from kiosk.db import history, outbox, slips
from kiosk.db import requests as request_store
from kiosk.db.station import open_station
from kiosk.db.store import Store
from kiosk.errors import IntegrityError
from kiosk.paths import DB_FILENAME

NAME_FORMAT = "station-%Y%m%d-%H%M%S.db"
SYNC_KEYS = ("server_url", "station_id", "token")


@dataclass(frozen=True)
class BackupFile:
    path: Path
    taken_at: datetime  # UTC
    size: int


def _taken_at(path: Path) -> datetime | None:
    try:
        return datetime.strptime(path.name, NAME_FORMAT).replace(tzinfo=UTC)
    except ValueError:
        return None


def backups(data_dir: Path) -> list[BackupFile]:
    """The backups in the station's backups folder, newest first."""
    folder = Path(data_dir) / "backups"
    found = []
    for path in folder.glob("station-*.db") if folder.is_dir() else []:
        taken = _taken_at(path)
        if taken is None:
            continue
        try:
            size = path.stat().st_size
        except OSError:  # removed by the rotation meanwhile
            continue
        found.append(BackupFile(path, taken, size))
    return sorted(found, key=lambda b: (b.taken_at, b.path.name), reverse=True)


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


def housekeeping(store: Store, *, staff: str = "housekeeping") -> Housekeeping:
    """Close overdue slips, erase old phone numbers, back up if due."""
    expired = slips.expire_overdue(store, staff)
    purged = request_store.purge_phones(store)
    taken = back_up(store) if backup_due(store) else None
    return Housekeeping(tuple(expired), purged, taken, last_backup(store.data_dir()))


# -- restore --------------------------------------------------------------------------------


def check(source: Path) -> None:
    """Raise IntegrityError naming what is wrong with a backup file; change nothing."""
    found = backup_store.check_file(Path(source))
    if found:
        raise IntegrityError("The backup was not restored: " + "; ".join(found[:3]) + ".")


def _read_only(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"file:{path}?mode=ro", uri=True)


def _sync_of(conn: sqlite3.Connection) -> dict[str, str]:
    try:
        return {str(k): str(v) for k, v in conn.execute("SELECT key, value FROM sync_state")}
    except sqlite3.OperationalError:  # a file from before sync existed
        return {}


def _max_seq(conn: sqlite3.Connection) -> int:
    return int(conn.execute("SELECT coalesce(max(seq), 0) FROM outbox").fetchone()[0])


def _code(conn: sqlite3.Connection) -> str:
    row = conn.execute("SELECT code FROM station WHERE id = 1").fetchone()
    return "" if row is None else str(row[0])


@dataclass(frozen=True)
class _Carry:
    sync: dict[str, str]
    rows: list[tuple[Any, ...]]  # outbox rows the restored file lacks


def _what_to_carry(live: Path, source: Path) -> _Carry | None:
    """The live file's enrolment and outbox tail, if the restored file should take them."""
    if not live.exists():
        return None
    restored = _read_only(source)
    try:
        restored_sync, restored_max, restored_code = (
            _sync_of(restored), _max_seq(restored), _code(restored))
    finally:
        restored.close()
    current = _read_only(live)
    try:
        sync = _sync_of(current)
        if not sync.get("station_id") or _code(current) != restored_code:
            return None  # never enrolled, or another station's backup: nothing to keep going
        if restored_sync.get("station_id", sync["station_id"]) != sync["station_id"]:
            return None  # the backup belongs to an enrolment of its own
        rows = current.execute(
            "SELECT seq, kind, body, created_at FROM outbox WHERE seq > ? ORDER BY seq",
            (restored_max,),
        ).fetchall()
    finally:
        current.close()
    return _Carry(sync, rows)


def restore(data_dir: Path, source: Path) -> Path:
    """Put a verified backup in place of the live file (which must not be open elsewhere)."""
    data_dir = Path(data_dir)
    source = Path(source)
    check(source)
    carry = _what_to_carry(data_dir / DB_FILENAME, source)
    live = backup_store.restore(data_dir, source)
    store = open_station(data_dir)
    try:
        with store.write() as conn:
            history.new_history(conn)  # going back in time: a new sync history
            if carry is not None:
                _carry_sync(conn, carry)
            if _sync_of(conn).get("station_id"):
                _announce(conn, store)
    finally:
        store.close()
    return live


def _carry_sync(conn: sqlite3.Connection, carry: _Carry) -> None:
    restored = _sync_of(conn)
    for key in SYNC_KEYS:
        if carry.sync.get(key):
            _set_state(conn, key, carry.sync[key])
    acked = max(int(restored.get("acked_seq", "0") or 0), int(carry.sync.get("acked_seq", "0")))
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
