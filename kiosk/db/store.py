"""Opening the station database: durability settings, migrations, transactions."""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import threading
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from kiosk import hours as hours_module
from kiosk import localtime
from kiosk.catalog import Catalog, CatalogItem, parse_item
from kiosk.clock import Clock, iso, station_clock
from kiosk.db import migrations
from kiosk.errors import DatabaseTooNew, DataDirError, MedShareError, NotInitialised
from kiosk.hours import OpeningHours
from kiosk.paths import DB_FILENAME

DEFAULT_SETTINGS: dict[str, str] = {
    "retention_days": "30",
    "pickup_window_hours": "48",
    "household_cap": "6",
    # a request for an item this phone already asked for in 7 days, or this
    # many requests of any item, is flagged for staff
    "flag_after_requests": "3",
    # the resident kiosk clears what was typed and goes home after this long idle
    "kiosk_idle_seconds": "60",
    # slips and receipts: "" means the system's default printer
    "printer_name": "",
    "paper": "80mm",
    # the language a resident screen starts in (and a desk without its own choice)
    "default_language": "en",
    # automatic online backups into backups/ (kiosk/db/maintenance.py)
    "backup_interval_hours": "24",
    "backup_keep": "14",
}


def _translate(error: sqlite3.Error, path: Path) -> MedShareError:
    """Environment failures in words a desk worker can act on."""
    text = str(error).lower()
    if "readonly" in text or "read-only" in text:
        return DataDirError(f"The station data in {path.parent} is read-only; nothing was saved.")
    if "disk is full" in text or "database or disk is full" in text:
        return DataDirError(f"The disk holding {path.parent} is full; nothing was saved.")
    if "disk i/o error" in text:
        return DataDirError(
            f"Could not write to the disk holding {path.parent} (it may be full or failing); "
            "nothing was saved."
        )
    if "unable to open" in text:
        return DataDirError(
            f"Cannot open the station database in {path.parent}; the folder may be "
            "read-only or on a disk that is not there."
        )
    if "locked" in text or "busy" in text:
        return DataDirError("The station database is busy in another window; try again.")
    if "not a database" in text or "malformed" in text:
        return DataDirError(
            f"{path} is damaged or not a MedShare database; restore a backup "
            "with 'medshare db restore FILE'."
        )
    return DataDirError(f"The station database could not be used: {error}.")


def _clock_for(conn: sqlite3.Connection) -> Clock:
    """The station's clock, decided before any migration so that a refused
    MEDSHARE_NOW leaves the file exactly as it was. A file with no station yet
    gets the real clock (`station.init` decides for a new station)."""
    try:
        row = conn.execute("SELECT * FROM station WHERE id = 1").fetchone()
    except sqlite3.OperationalError:  # no schema yet
        return Clock()
    if row is None:
        return Clock()
    columns = row.keys()  # a file from before training stations has no such column
    return station_clock("training" in columns and bool(row["training"]))


class Store:
    """One connection to a station database, with explicit transactions.

    Writers take the write lock up front (BEGIN IMMEDIATE) so two processes
    never interleave a read-then-write; every commit is fsynced.
    """

    def __init__(self, path: Path, conn: sqlite3.Connection, clock: Clock) -> None:
        self.path = path
        self.conn = conn
        self.clock = clock
        self._catalog: Catalog | None = None
        self._lock = threading.RLock()

    # -- opening -----------------------------------------------------------------

    @classmethod
    def open(cls, data_dir: Path, *, create: bool = False, clock: Clock | None = None) -> Store:
        data_dir = Path(data_dir)
        path = data_dir / DB_FILENAME
        if not path.exists():
            if not create:
                raise NotInitialised(
                    f"There is no station in {data_dir}. Set one up with "
                    "'medshare init --station-code CODE --name NAME'."
                )
            try:
                data_dir.mkdir(parents=True, exist_ok=True)
            except OSError as error:
                raise DataDirError(
                    f"Cannot create the data folder {data_dir}: {error.strerror}."
                ) from None
        try:
            conn = sqlite3.connect(
                path, isolation_level=None, check_same_thread=False, timeout=10.0
            )
            conn.row_factory = sqlite3.Row
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = FULL")
            conn.execute("PRAGMA foreign_keys = ON")
            # erased phone data (purged rows, the old hash key) must not linger in free pages
            conn.execute("PRAGMA secure_delete = ON")
            if clock is None:
                try:
                    clock = _clock_for(conn)
                except BaseException:
                    conn.close()
                    raise
            store = cls(path, conn, clock)
            store._migrate()
        except sqlite3.Error as error:
            raise _translate(error, path) from None
        return store

    @property
    def training(self) -> bool:
        """A training station: honours MEDSHARE_NOW, says "training" everywhere."""
        row = self.conn.execute("SELECT training FROM station WHERE id = 1").fetchone()
        return bool(row is not None and row[0])

    def _migrate(self) -> None:
        version = int(self.conn.execute("PRAGMA user_version").fetchone()[0])
        if version > migrations.LATEST_VERSION:
            self.conn.close()
            raise DatabaseTooNew(
                f"{self.path} was written by a newer version of MedShare "
                f"(schema {version}; this version knows up to {migrations.LATEST_VERSION}). "
                "Update MedShare on this computer; the data was left untouched."
            )
        if version == migrations.LATEST_VERSION:
            return
        if version > 0:
            self.backup_to(self.path.with_name(f"{self.path.name}.before-v{version + 1}.bak"))
        from sqlite_utils import Database

        database = Database(self.conn, execute_plugins=False)
        migration_set = migrations.build()
        migration_set.apply(database)  # type: ignore[attr-defined]

    def close(self) -> None:
        self.conn.close()

    # -- transactions ------------------------------------------------------------

    @contextlib.contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """One durable transaction: all of it is saved, or none of it."""
        with self._lock:
            try:
                self.conn.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as error:
                raise _translate(error, self.path) from None
            try:
                yield self.conn
                self.conn.execute("COMMIT")
            except sqlite3.Error as error:
                if self.conn.in_transaction:
                    self.conn.execute("ROLLBACK")
                raise _translate(error, self.path) from None
            except BaseException:
                if self.conn.in_transaction:
                    self.conn.execute("ROLLBACK")
                raise

    @contextlib.contextmanager
    def read(self) -> Iterator[sqlite3.Connection]:
        """A consistent snapshot for several queries."""
        with self._lock:
            self.conn.execute("BEGIN")
            try:
                yield self.conn
            finally:
                if self.conn.in_transaction:
                    self.conn.execute("COMMIT")

    # -- settings ----------------------------------------------------------------

    def setting(self, key: str) -> str:
        row = self.conn.execute("SELECT value FROM setting WHERE key = ?", (key,)).fetchone()
        if row is not None:
            return str(row[0])
        return DEFAULT_SETTINGS[key]

    def int_setting(self, key: str) -> int:
        return int(self.setting(key))

    def set_setting(self, conn: sqlite3.Connection, key: str, value: str) -> None:
        conn.execute(
            "INSERT INTO setting(key, value) VALUES (?, ?) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (key, value),
        )

    # -- catalog -----------------------------------------------------------------

    @property
    def catalog(self) -> Catalog:
        if self._catalog is None:
            rows = self.conn.execute(
                "SELECT data, active, catalog_version FROM catalog_item ORDER BY rowid"
            ).fetchall()
            items = []
            version = 0
            for row in rows:
                item = parse_item(json.loads(row["data"]), legacy=True)
                if not row["active"]:
                    item = CatalogItem(**{**item.__dict__, "active": False})
                items.append(item)
                version = max(version, int(row["catalog_version"]))
            self._catalog = Catalog(version=version, items=tuple(items))
        return self._catalog

    def install_catalog(self, conn: sqlite3.Connection, catalog: Catalog) -> bool:
        """Take a catalog if it is newer; retire (never delete) items it drops."""
        current = conn.execute("SELECT max(catalog_version) FROM catalog_item").fetchone()[0]
        if current is not None and int(current) >= catalog.version:
            return False
        for item in catalog.items:
            conn.execute(
                "INSERT INTO catalog_item(id, catalog_version, active, data) VALUES (?, ?, 1, ?) "
                "ON CONFLICT(id) DO UPDATE SET catalog_version = excluded.catalog_version, "
                "active = 1, data = excluded.data",
                (item.id, catalog.version, json.dumps(item.to_json(), ensure_ascii=False)),
            )
        placeholders = ",".join("?" * len(catalog.items))
        conn.execute(
            f"UPDATE catalog_item SET active = 0 WHERE id NOT IN ({placeholders})",
            [item.id for item in catalog.items],
        )
        self._catalog = None
        return True

    def item(self, item_id: str) -> CatalogItem:
        return self.catalog.get(item_id)

    # -- files -------------------------------------------------------------------

    def backup_to(self, target: Path) -> Path:
        """A consistent copy through SQLite's online backup API."""
        target = Path(target)
        tmp = target.with_name(target.name + ".partial")
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            # owner-only from its first byte, like the name `claim` reserved for it
            tmp.unlink(missing_ok=True)
            os.close(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
            destination = sqlite3.connect(tmp)
            try:
                with self._lock:
                    self.conn.backup(destination)
            finally:
                destination.close()
            os.replace(tmp, target)
        except (OSError, sqlite3.Error) as error:
            with contextlib.suppress(OSError):
                tmp.unlink()
            raise DataDirError(f"Could not write the backup {target}: {error}.") from None
        return target

    def now_iso(self) -> str:
        return iso(self.clock.now())

    # -- the station's days (kiosk/localtime.py) --------------------------------------

    @property
    def zone_name(self) -> str:
        """The station's IANA zone; UTC before the station is set up."""
        row = self.conn.execute("SELECT timezone FROM station WHERE id = 1").fetchone()
        return str(row[0]) if row is not None and row[0] else localtime.DEFAULT_ZONE

    @property
    def zone(self) -> ZoneInfo:
        return localtime.zone(self.zone_name)

    def today(self) -> date:
        """Today where the station is: use this, never `clock.today()` (a UTC day)."""
        return localtime.local_day(self.clock.now(), self.zone)

    def local_day(self, instant: datetime) -> date:
        return localtime.local_day(instant, self.zone)

    def days_iso(self, first: date, last: date) -> tuple[str, str]:
        """Stored-instant bounds [start, end) of station-local days first..last, for SQL."""
        start, end = localtime.days_bounds(first, last, self.zone)
        return iso(start), iso(end)

    @property
    def opening_hours(self) -> OpeningHours:
        """The structured opening hours; not set (empty) for a station without them."""
        row = self.conn.execute("SELECT hours FROM station WHERE id = 1").fetchone()
        return hours_module.from_json(str(row[0])) if row is not None else hours_module.NO_HOURS

    def data_dir(self) -> Path:
        return self.path.parent
