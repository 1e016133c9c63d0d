"""The file side of a restore: what the live file is, a trial open, and the swap.

A restore must work exactly when the station is in trouble, and must never
make things worse, so every check runs before anything in the data folder is
touched and a refusal leaves it byte for byte as it was:

1. the candidate is checked (kiosk.db.backup.check_file);
2. the live file is looked at read-only: missing, damaged, from a newer
   version, or a sound station file (whose code, name and enrolment we read);
3. the candidate is copied into a private folder inside the data folder and
   opened there exactly as the app opens a station (Store.open with its
   migrations, then kiosk.db.startup's checks); what goes live is that copy;
4. only then the live file (with its -wal and -shm) is moved aside under a
   name no other file has, and the staged copy renamed into its place.

Only station.db, its -wal/-shm and the `station.db.replaced-*` files are ever
touched; every other file of the data folder (the phone keys) stays as it is.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from kiosk.clock import ClockOverrideRefused
from kiosk.db import migrations
from kiosk.db.backup import claim, read_only
from kiosk.db.startup import startup_checks
from kiosk.db.station import open_station
from kiosk.db.store import Store
from kiosk.errors import DataDirError, IntegrityError, MedShareError
from kiosk.paths import DB_FILENAME

SIDE_FILES = ("-wal", "-shm")
STAGING_PREFIX = ".restoring-"
BUSY_SECONDS = 2.0


@dataclass(frozen=True)
class StationFile:
    """What a station file says about itself, read without changing it."""

    path: Path
    exists: bool
    version: int = 0
    code: str = ""
    name: str = ""
    sync: dict[str, str] = field(default_factory=dict)
    damage: str = ""  # why the file cannot be read as a station, "" when it can
    training: bool = False  # a training station (m010); a file from before is a real one
    timezone: str | None = None  # the station's zone (m009); None in a file from before zones

    @property
    def newer(self) -> bool:
        return self.version > migrations.LATEST_VERSION

    @property
    def sound(self) -> bool:
        return self.exists and not self.damage and not self.newer

    def label(self) -> str:
        return f"{self.code} {self.name}".strip() or self.path.name


def sync_state(conn: sqlite3.Connection) -> dict[str, str]:
    try:
        return {str(k): str(v) for k, v in conn.execute("SELECT key, value FROM sync_state")}
    except sqlite3.OperationalError:  # a file from before sync existed
        return {}


def inspect(path: Path) -> StationFile:
    """The station in `path`, or why it cannot be read; never raises, never writes."""
    if not path.exists():
        return StationFile(path, exists=False)
    try:
        conn = read_only(path)
        try:
            version = int(conn.execute("PRAGMA user_version").fetchone()[0])
            if version > migrations.LATEST_VERSION:
                return StationFile(path, True, version)
            row = conn.execute("SELECT code, name FROM station WHERE id = 1").fetchone()
            if row is None:
                return StationFile(path, True, version, damage="it holds no station")
            columns = {str(c[1]) for c in conn.execute("PRAGMA table_info(station)")}
            extra = conn.execute(
                "SELECT " + ("training" if "training" in columns else "0") + ", "
                + ("timezone" if "timezone" in columns else "NULL")
                + " FROM station WHERE id = 1").fetchone()
            return StationFile(path, True, version, str(row[0]), str(row[1]), sync_state(conn),
                               training=bool(extra[0]),
                               timezone=None if extra[1] is None else str(extra[1]))
        finally:
            conn.close()
    except (sqlite3.Error, ValueError) as error:
        return StationFile(path, True, damage=str(error) or type(error).__name__)


def refuse_if_in_use(live: Path) -> None:
    """Refuse when another connection (the desk, a medshare command) has the live file open.

    In WAL mode every open connection holds a shared lock, so an exclusive
    lock is granted only to a file nobody else uses. Run as the last check:
    when it succeeds, closing the connection checkpoints the WAL into the file.
    """
    if not live.exists():
        return
    conn = sqlite3.connect(live, timeout=BUSY_SECONDS, isolation_level=None)
    try:
        conn.execute("PRAGMA locking_mode = EXCLUSIVE")
        conn.execute("BEGIN EXCLUSIVE")
        conn.execute("ROLLBACK")
    except sqlite3.OperationalError as error:
        text = str(error).lower()
        if "locked" in text or "busy" in text:
            raise DataDirError(
                "The station is open in another program (the desk app or a medshare "
                "command); close it first, then restore again. Nothing was changed."
            ) from None
    except sqlite3.Error:
        pass  # a damaged file: nobody can be using it as a station
    finally:
        conn.close()


@dataclass
class Staged:
    """The candidate, copied into the data folder and opened as the app opens it."""

    folder: Path
    store: Store

    def discard(self) -> None:
        with contextlib.suppress(MedShareError, sqlite3.Error):
            self.store.close()
        shutil.rmtree(self.folder, ignore_errors=True)


def stage(data_dir: Path, source: Path) -> Staged:
    """Copy `source` into a private folder of the data folder and open it as the app would."""
    folder = data_dir / f"{STAGING_PREFIX}{uuid.uuid4().hex[:12]}"
    try:
        folder.mkdir(parents=True)
        src = read_only(source)
        dst = sqlite3.connect(folder / DB_FILENAME)
        try:
            src.backup(dst)
        finally:
            src.close()
            dst.close()
    except (OSError, sqlite3.Error) as error:
        shutil.rmtree(folder, ignore_errors=True)
        raise DataDirError(
            f"Could not copy the backup into {data_dir} ({error}); nothing was changed."
        ) from None
    try:
        store = open_station(folder)
    except ClockOverrideRefused:
        shutil.rmtree(folder, ignore_errors=True)
        raise  # the process's clock, not the backup, is what is wrong: say it as it is
    except MedShareError as error:
        shutil.rmtree(folder, ignore_errors=True)
        reason = str(error).replace(str(folder / DB_FILENAME), source.name).rstrip(".")
        raise IntegrityError(
            f"The backup was not restored: the app could not open it ({reason})."
        ) from None
    staged = Staged(folder, store)
    try:
        startup_checks(store)
    except Exception as error:  # anything the app would trip over at start
        staged.discard()
        reason = str(error).rstrip(".") or type(error).__name__
        raise IntegrityError(
            f"The backup was not restored: the app could not open it ({reason})."
        ) from None
    return staged


def _stamp() -> str:
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%S.%fZ")


def set_aside(live: Path) -> Path | None:
    """Move the live file and its -wal/-shm to `station.db.replaced-<UTC time>[-N]`."""
    if not live.exists():
        return None
    aside = claim(live.parent, f"{live.name}.replaced-{_stamp()}", "")
    try:
        os.replace(live, aside)
    except OSError:
        aside.unlink(missing_ok=True)
        raise
    # the WAL may hold committed pages: it travels with its file
    for suffix in SIDE_FILES:
        side = Path(str(live) + suffix)
        if side.exists():
            os.replace(side, str(aside) + suffix)
    return aside


def swap_in(staged: Staged, live: Path) -> Path | None:
    """Close the staged copy and put it in place of `live`; returns where the old file went."""
    staged.store.close()  # the last connection: SQLite folds its WAL into the file
    copy = staged.folder / DB_FILENAME
    refuse_if_in_use(live)
    try:
        aside = set_aside(live)
    except OSError as error:
        raise DataDirError(
            f"Could not move {live.name} aside ({error.strerror}); nothing was changed."
        ) from None
    try:
        os.replace(copy, live)
        for suffix in SIDE_FILES:  # a WAL left by the copy belongs to it
            if Path(str(copy) + suffix).exists():
                os.replace(str(copy) + suffix, str(live) + suffix)
    except OSError as error:
        if aside is not None:  # put the old file back where it was
            with contextlib.suppress(OSError):
                os.replace(aside, live)
        raise DataDirError(f"Could not restore into {live.parent}: {error.strerror}.") from None
    return aside
