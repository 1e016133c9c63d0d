"""The central endpoint's storage: one interface, two backends.

* SQLite (the default, zero set-up): one file in WAL mode. Writers are
  serialised (a process-local lock plus `BEGIN IMMEDIATE` across processes).
* PostgreSQL (`postgresql://...`, psycopg 3): several server processes share
  the database. A push locks its station's row (`SELECT ... FOR UPDATE`), so
  pushes of one station are serialised and pushes of different stations run
  side by side until the very end, where they take the change-feed counter
  row. Holding that row lock until commit means change ids become visible in
  the order they were assigned, so a reader can never see change 11 while
  change 10 is still in flight and skip it with its cursor. The counter is
  taken by the push's last statement, sent in one go with COMMIT (pipeline
  mode), so the lock is held for that statement and the commit's WAL flush,
  not across round trips to the server process; a pull is one statement
  (one snapshot).

Both backends run the same SQL (written with `?` placeholders; the
PostgreSQL backend rewrites them to `%s`) and the same logic, in
`SqlStorage`; the backends only differ in how they connect and how they
begin a write transaction.

Tables:

    stations          one row per station; token stored only as a SHA-256 hash;
                      acked_seq = highest contiguous seq held; latest profile
    enrolment_codes   one-time codes (hash only), expiry, when used
    events            every (station_id, seq) received, stored once, first wins
    listings          projection: latest listing per (station, item) by seq
    daily_counts      projection: latest counts per (station, day) by seq
    changes           the change feed (id = cursor); a newer change of the same
                      (station, key) replaces the older one, so the feed read
                      from the start is the current state of every station
    counters          the last change id handed out
    meta              schema_version, epoch (protocol 2: see kiosk/central/history.py)
    anchors           every ledger anchor a station sent, append-only (station, n)
    catalog_extra     items accepted besides the bundled catalog (operator-added)

stations.history is the station's current history id (protocol 2).
"""

from __future__ import annotations

import hashlib
import json
import os
import queue
import re
import secrets
import sqlite3
import threading
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, suppress
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Generic, Protocol, TypeVar

from kiosk.central import history as hist
from kiosk.clock import iso, parse_instant
from kiosk.errors import MedShareError, NotFound
from kiosk.sync.history import Anchor, SyncState
from kiosk.sync.protocol import (
    KIND_DAILY,
    KIND_LISTING,
    KIND_PROFILE,
    KIND_SNAPSHOT,
    Event,
    new_enrolment_code,
    normalise_enrolment_code,
    text_field,
)

SCHEMA_VERSION = 2
DEFAULT_POOL_SIZE = 8
POOL_WAIT_SECONDS = 15.0
BUSY_TIMEOUT_MS = 15_000


class StorageError(MedShareError):
    """The central database cannot be opened or used; the message says why."""


class StorageUnavailable(StorageError):
    """The database is unreachable or too busy right now; try again later."""


class EnrolmentRefused(MedShareError):
    """An enrolment code is unknown, used or expired."""


# --- rows handed to the app ---------------------------------------------------------


@dataclass(frozen=True, slots=True)
class StationInfo:
    station_id: str
    name: str
    created_at: str
    enrolled: bool
    acked_seq: int
    last_push_at: str | None


@dataclass(frozen=True, slots=True)
class NewCode:
    station_id: str
    name: str
    code: str
    expires_at: str


@dataclass(frozen=True, slots=True)
class Enrolled:
    station_id: str
    name: str
    token: str


@dataclass(frozen=True, slots=True)
class ChangeRow:
    id: int
    station_id: str | None
    kind: str
    body: dict[str, Any]


@dataclass(frozen=True, slots=True)
class ChangePage:
    changes: list[ChangeRow]
    next_cursor: int
    more: bool
    epoch: str = ""
    head: int = 0


@dataclass(frozen=True, slots=True)
class ListingRow:
    station_id: str
    name: str
    address: str
    opening_hours: str
    lat: float | None
    lon: float | None
    available: int
    requested: int
    earliest_expiry: str | None
    updated_at: str


@dataclass(frozen=True, slots=True)
class DemandRow:
    item: str
    requested: int
    available: int
    stations: int


@dataclass(frozen=True, slots=True)
class BBox:
    """min_lon, min_lat, max_lon, max_lat (GeoJSON order); min_lon > max_lon wraps 180°."""

    min_lon: float
    min_lat: float
    max_lon: float
    max_lat: float


class PushAuth(Exception):
    """Raised inside push when the token does not belong to the station."""

    def __init__(self, token_known: bool) -> None:
        super().__init__("token does not match station")
        self.token_known = token_known


# --- secrets ---------------------------------------------------------------------------


def hash_secret(kind: str, value: str) -> str:
    """Tokens and codes are stored only as this hash (random secrets: no salt needed)."""
    return hashlib.sha256(f"{kind}:{value}".encode()).hexdigest()


def new_token() -> str:
    return "mst1_" + secrets.token_urlsafe(32)


def new_station_id() -> str:
    alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
    return "st-" + "".join(secrets.choice(alphabet) for _ in range(10))


def _dumps(body: dict[str, Any]) -> str:
    return json.dumps(body, separators=(",", ":"), sort_keys=True, ensure_ascii=False)


# --- a tiny connection pool -------------------------------------------------------------

C = TypeVar("C")


class _Pool(Generic[C]):
    def __init__(self, factory: Callable[[], C], close: Callable[[C], None],
                 healthy: Callable[[C], bool], size: int) -> None:
        self._factory = factory
        self._close = close
        self._healthy = healthy
        self._size = size
        self._idle: queue.LifoQueue[C] = queue.LifoQueue()
        self._created = 0
        self._lock = threading.Lock()
        self._closed = False

    @contextmanager
    def connection(self) -> Iterator[C]:
        conn = self._take()
        ok = False
        try:
            yield conn
            ok = True
        finally:
            if ok or self._healthy(conn):
                self._idle.put(conn)
            else:
                self._discard(conn)

    def _take(self) -> C:
        if self._closed:
            raise StorageUnavailable("the central database has been closed")
        try:
            return self._idle.get_nowait()
        except queue.Empty:
            pass
        with self._lock:
            create = self._created < self._size
            if create:
                self._created += 1
        if create:
            try:
                return self._factory()
            except BaseException:
                with self._lock:
                    self._created -= 1
                raise
        try:
            return self._idle.get(timeout=POOL_WAIT_SECONDS)
        except queue.Empty:
            raise StorageUnavailable("the central database is too busy; try again") from None

    def _discard(self, conn: C) -> None:
        with self._lock:
            self._created -= 1
        with suppress(Exception):  # closing a broken connection may fail; nothing to do
            self._close(conn)

    def close(self) -> None:
        self._closed = True
        while True:
            try:
                conn = self._idle.get_nowait()
            except queue.Empty:
                return
            self._discard(conn)


# --- the shared logic ---------------------------------------------------------------------


class Db(Protocol):
    """What the shared logic needs from a connection inside a transaction."""

    def all(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]: ...
    def one(self, sql: str, params: Sequence[Any] = ()) -> tuple[Any, ...] | None: ...
    def run(self, sql: str, params: Sequence[Any] = ()) -> None: ...
    def many(self, sql: str, rows: Sequence[Sequence[Any]]) -> None: ...
    def later(self, sql: str, params: Sequence[Any] = ()) -> Callable[[], list[tuple[Any, ...]]]:
        """Send a query now, read its rows when the returned function is called (on
        PostgreSQL several such queries share one network round trip)."""
        ...


_SCHEMA = [
    "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS counters (name TEXT PRIMARY KEY, value BIGINT NOT NULL)",
    """CREATE TABLE IF NOT EXISTS stations (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        created_at TEXT NOT NULL,
        token_hash TEXT UNIQUE,
        enrolled_at TEXT,
        acked_seq BIGINT NOT NULL DEFAULT 0,
        max_seq BIGINT NOT NULL DEFAULT 0,
        profile_seq BIGINT NOT NULL DEFAULT 0,
        profile TEXT,
        lat DOUBLE PRECISION,
        lon DOUBLE PRECISION,
        last_push_at TEXT)""",
    """CREATE TABLE IF NOT EXISTS enrolment_codes (
        code_hash TEXT PRIMARY KEY,
        station_id TEXT NOT NULL REFERENCES stations(id),
        created_at TEXT NOT NULL,
        expires_at TEXT NOT NULL,
        used_at TEXT)""",
    """CREATE TABLE IF NOT EXISTS events (
        station_id TEXT NOT NULL REFERENCES stations(id),
        seq BIGINT NOT NULL,
        kind TEXT NOT NULL,
        body TEXT NOT NULL,
        received_at TEXT NOT NULL,
        PRIMARY KEY (station_id, seq))""",
    """CREATE TABLE IF NOT EXISTS listings (
        station_id TEXT NOT NULL REFERENCES stations(id),
        item TEXT NOT NULL,
        seq BIGINT NOT NULL,
        available BIGINT NOT NULL,
        requested BIGINT NOT NULL,
        earliest_expiry TEXT,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (station_id, item))""",
    "CREATE INDEX IF NOT EXISTS listings_by_item ON listings (item, available)",
    """CREATE TABLE IF NOT EXISTS daily_counts (
        station_id TEXT NOT NULL REFERENCES stations(id),
        day TEXT NOT NULL,
        seq BIGINT NOT NULL,
        received BIGINT NOT NULL,
        requested BIGINT NOT NULL,
        collected BIGINT NOT NULL,
        written_off BIGINT NOT NULL,
        PRIMARY KEY (station_id, day))""",
    """CREATE TABLE IF NOT EXISTS changes (
        id BIGINT PRIMARY KEY,
        station_id TEXT,
        kind TEXT NOT NULL,
        key TEXT NOT NULL,
        body TEXT NOT NULL,
        created_at TEXT NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS changes_by_key ON changes (station_id, key)",
]


class Storage(ABC):
    """Everything the central endpoint stores, behind one interface."""

    backend: str
    inline_calls: bool = False
    """True when small calls are cheap enough to run on the event loop (no network)."""
    pool_size: int = DEFAULT_POOL_SIZE
    """At most this many connections (and calls at once)."""

    @abstractmethod
    def migrate(self) -> None:
        """Create or upgrade the schema (idempotent, safe from several processes)."""

    @abstractmethod
    def ping(self) -> None:
        """Raise StorageUnavailable unless the database answers."""

    @abstractmethod
    def add_station(self, name: str, now: datetime, valid_for: timedelta) -> NewCode: ...

    @abstractmethod
    def new_code(self, station_id: str, now: datetime, valid_for: timedelta) -> NewCode: ...

    @abstractmethod
    def stations(self) -> list[StationInfo]: ...

    @abstractmethod
    def revoke(self, station_id: str) -> None:
        """Invalidate the station's token and unused codes (its records stay)."""

    @abstractmethod
    def enrol(self, code: str, now: datetime) -> Enrolled: ...

    @abstractmethod
    def station_for_token(self, token: str) -> str | None: ...

    @abstractmethod
    def push(self, station_id: str, token: str, events: Sequence[Event],
             now: datetime) -> int: ...

    @abstractmethod
    def sync_push(self, station_id: str, token: str, events: Sequence[Event], now: datetime,
                  hello: hist.Hello | None = None) -> SyncState:
        """push, protocol 2: the whole central side of the round."""

    @abstractmethod
    def anchors(self, token: str, history: str | None) -> list[Anchor] | None:
        """The anchors held for the station of `token` (None: unknown token)."""

    @abstractmethod
    def new_epoch(self) -> str:
        """Start a new feed epoch (the database was restored or rebuilt)."""

    @abstractmethod
    def extra_items(self) -> set[str]:
        """Items accepted besides the bundled catalog."""

    @abstractmethod
    def allow_items(self, items: Sequence[str], now: datetime) -> None: ...

    @abstractmethod
    def pull(self, token: str, after: int, limit: int) -> ChangePage | None:
        """Other stations' changes after `after` for the station of `token` (None: unknown)."""

    @abstractmethod
    def listings(self, item: str, bbox: BBox | None) -> list[ListingRow]: ...

    @abstractmethod
    def top_demand(self, bbox: BBox | None, limit: int) -> list[DemandRow]: ...

    @abstractmethod
    def close(self) -> None: ...


def _bbox_sql(bbox: BBox | None) -> tuple[str, list[Any]]:
    if bbox is None:
        return "", []
    sql = " AND s.lat IS NOT NULL AND s.lat BETWEEN ? AND ?"
    params: list[Any] = [bbox.min_lat, bbox.max_lat]
    if bbox.min_lon <= bbox.max_lon:
        sql += " AND s.lon BETWEEN ? AND ?"
    else:
        sql += " AND (s.lon >= ? OR s.lon <= ?)"
    params += [bbox.min_lon, bbox.max_lon]
    return sql, params


class SqlStorage(Storage):
    """The logic, on any connection that offers `Db` inside `_write()` / `_read()`."""

    for_update = ""

    @abstractmethod
    def _write(self) -> AbstractContextManager[Db]: ...

    @abstractmethod
    def _read(self) -> AbstractContextManager[Db]: ...

    # schema ------------------------------------------------------------------

    def _migrate_in(self, db: Db) -> None:
        for statement in _SCHEMA:
            db.run(statement)
        row = db.one("SELECT value FROM meta WHERE key = 'schema_version'")
        if row is not None and int(row[0]) > SCHEMA_VERSION:
            raise StorageError(
                f"the central database has schema version {row[0]}, newer than this "
                f"medshare-central understands ({SCHEMA_VERSION}); update medshare-central"
            )
        hist.migrate_to_v2(db, 0 if row is None else int(row[0]))
        if row is None:
            db.run("INSERT INTO meta (key, value) VALUES ('schema_version', ?)",
                   (str(SCHEMA_VERSION),))
        elif int(row[0]) < SCHEMA_VERSION:
            db.run("UPDATE meta SET value = ? WHERE key = 'schema_version'",
                   (str(SCHEMA_VERSION),))
        db.run("INSERT INTO counters (name, value) VALUES ('changes', 0) "
               "ON CONFLICT (name) DO NOTHING")

    def ping(self) -> None:
        with self._read() as db:
            db.one("SELECT value FROM counters WHERE name = 'changes'")

    # stations and enrolment -------------------------------------------------------

    def add_station(self, name: str, now: datetime, valid_for: timedelta) -> NewCode:
        name = text_field(name.strip(), "the station name", 120, empty_ok=False)
        station = new_station_id()
        with self._write() as db:
            db.run("INSERT INTO stations (id, name, created_at) VALUES (?, ?, ?)",
                   (station, name, iso(now)))
            return self._issue_code(db, station, name, now, valid_for)

    def new_code(self, station_id: str, now: datetime, valid_for: timedelta) -> NewCode:
        with self._write() as db:
            row = db.one("SELECT name FROM stations WHERE id = ?", (station_id,))
            if row is None:
                raise NotFound(f"there is no station {station_id}")
            return self._issue_code(db, station_id, str(row[0]), now, valid_for)

    def _issue_code(self, db: Db, station: str, name: str, now: datetime,
                    valid_for: timedelta) -> NewCode:
        code = new_enrolment_code()
        expires = iso(now + valid_for)
        db.run(
            "INSERT INTO enrolment_codes (code_hash, station_id, created_at, expires_at) "
            "VALUES (?, ?, ?, ?)",
            (hash_secret("enrol", code), station, iso(now), expires),
        )
        return NewCode(station, name, code, expires)

    def stations(self) -> list[StationInfo]:
        with self._read() as db:
            rows = db.all(
                "SELECT id, name, created_at, token_hash IS NOT NULL, acked_seq, last_push_at "
                "FROM stations ORDER BY created_at, id"
            )
        return [StationInfo(r[0], r[1], r[2], bool(r[3]), int(r[4]), r[5]) for r in rows]

    def revoke(self, station_id: str) -> None:
        with self._write() as db:
            if db.one("SELECT 1 FROM stations WHERE id = ?", (station_id,)) is None:
                raise NotFound(f"there is no station {station_id}")
            db.run("UPDATE stations SET token_hash = NULL WHERE id = ?", (station_id,))
            db.run("DELETE FROM enrolment_codes WHERE station_id = ? AND used_at IS NULL",
                   (station_id,))

    def enrol(self, code: str, now: datetime) -> Enrolled:
        code = normalise_enrolment_code(code)
        token = new_token()
        with self._write() as db:
            row = db.one(
                "SELECT c.station_id, c.expires_at, c.used_at, s.name FROM enrolment_codes c "
                "JOIN stations s ON s.id = c.station_id WHERE c.code_hash = ?" + self.for_update,
                (hash_secret("enrol", code),),
            )
            if row is None:
                raise EnrolmentRefused(
                    "this enrolment code is not known here; check it, or ask the central "
                    "operator for a new one"
                )
            station, expires_at, used_at, name = row
            if used_at is not None:
                raise EnrolmentRefused(
                    f"this enrolment code was already used ({used_at[:16].replace('T', ' ')}"
                    " UTC); ask the central operator for a new one"
                )
            if parse_instant(expires_at) <= now:
                raise EnrolmentRefused(
                    f"this enrolment code expired on {expires_at[:10]}; ask the central "
                    "operator for a new one"
                )
            db.run("UPDATE enrolment_codes SET used_at = ? WHERE code_hash = ?",
                   (iso(now), hash_secret("enrol", code)))
            db.run("UPDATE stations SET token_hash = ?, enrolled_at = ? WHERE id = ?",
                   (hash_secret("token", token), iso(now), station))
        return Enrolled(station, name, token)

    def station_for_token(self, token: str) -> str | None:
        with self._read() as db:
            row = db.one("SELECT id FROM stations WHERE token_hash = ?",
                         (hash_secret("token", token),))
        return None if row is None else str(row[0])

    # push ---------------------------------------------------------------------------

    def push(self, station_id: str, token: str, events: Sequence[Event],
             now: datetime) -> int:
        return self.sync_push(station_id, token, events, now).acked_seq

    def sync_push(self, station_id: str, token: str, events: Sequence[Event], now: datetime,
                  hello: hist.Hello | None = None) -> SyncState:
        hello = hello or hist.Hello()
        token_hash = hash_secret("token", token)
        snapshot = any(e.kind == KIND_SNAPSHOT for e in events)
        items = sorted({e.body["item"] for e in events if e.kind == KIND_LISTING})
        stamp = iso(now)
        with self._write() as db:
            station_row = db.later(
                "SELECT token_hash, acked_seq, max_seq, profile_seq, profile, history "
                "FROM stations WHERE id = ?" + self.for_update,
                (station_id,),
            )
            # Sent with the row lock above (PostgreSQL: the same round trip) and run
            # after it, so it reads the listings as they are with the lock held.
            current_listings = None
            if snapshot:  # a snapshot zeroes every listing it does not name: all of them
                current_listings = SqlStorage._current_listings(self, db, station_id, items)
            elif items:
                current_listings = self._current_listings(db, station_id, items)
            feed = db.later("SELECT m.value, c.value FROM meta m JOIN counters c "
                            "ON c.name = 'changes' WHERE m.key = 'epoch'")
            rows = station_row()
            row = rows[0] if rows else None
            if row is None or row[0] != token_hash:
                known = db.one("SELECT 1 FROM stations WHERE token_hash = ?", (token_hash,))
                raise PushAuth(token_known=known is not None)
            acked, max_seq, history = int(row[1]), int(row[2]), row[5]
            epoch_row = feed()[0]
            epoch, feed_head = str(epoch_row[0]), int(epoch_row[1])
            if hist.restored_copy(hello.seen, epoch, feed_head,
                                  hello.history is not None and hello.history == history, acked):
                epoch = hist.new_epoch(db)
            accept = True
            if hello.history is not None and hello.history != history:
                if history is None and hello.base is None:  # first push that names one
                    history = hello.history
                    db.run("UPDATE stations SET history = ? WHERE id = ?", (history, station_id))
                elif hello.base is not None and hello.base > max(max_seq, acked):
                    history, acked = hello.history, hello.base - 1
                    max_seq = acked
                    db.run("UPDATE stations SET history = ?, acked_seq = ?, max_seq = ? "
                           "WHERE id = ?", (history, acked, max_seq, station_id))
                else:
                    accept = False  # the station must start a new history above max_seq
            changes: list[tuple[str, str, dict[str, Any]]] = []
            if accept:
                acked, max_seq, changes = self._store(db, station_id, events, stamp, acked,
                                                      max_seq, row, current_listings)
            anchor = hist.keep_anchor(db, station_id, history, hello.anchor, stamp)
            digest = hist.acked_digest(db, station_id, acked)
            if changes:
                self._append_changes(db, station_id, changes, stamp)
            return SyncState(acked, max_seq, digest, history, epoch, feed_head, anchor)

    def _store(self, db: Db, station_id: str, events: Sequence[Event], stamp: str, acked: int,
               max_seq: int, row: tuple[Any, ...],
               current_listings: Callable[[], list[tuple[Any, ...]]] | None,
               ) -> tuple[int, int, list[tuple[str, str, dict[str, Any]]]]:
        """Store the events not yet held; (acked, max_seq, feed changes to append)."""
        batch: dict[int, Event] = {}
        for event in events:
            batch.setdefault(event.seq, event)  # the first copy in a batch wins
        candidates = sorted(seq for seq in batch if seq > acked)
        if not candidates:
            return acked, max_seq, []
        held: set[int] = set()
        if candidates[0] <= max_seq:  # some of these may be held beyond a gap
            held = {
                int(r[0])
                for r in db.all(
                    "SELECT seq FROM events WHERE station_id = ? AND seq BETWEEN ? AND ?",
                    (station_id, candidates[0], min(candidates[-1], max_seq)),
                )
            }
        new = [batch[seq] for seq in candidates if seq not in held]
        if not new:
            return acked, max_seq, []
        db.many(
            "INSERT INTO events (station_id, seq, kind, body, received_at) "
            "VALUES (?, ?, ?, ?, ?)",
            [(station_id, e.seq, e.kind, _dumps(e.body), stamp) for e in new],
        )
        if max_seq == acked and new[-1].seq == acked + len(new):
            acked = new[-1].seq  # the usual case: the next seqs, in order, no gap
        else:
            acked = self._contiguous(db, station_id, acked)
        if current_listings is not None:
            fetched = current_listings()
            current_listings = lambda: fetched  # noqa: E731 - read once, used twice
            new = _expand_snapshots(new, hist.station_items(fetched))
        changes = self._apply(db, station_id, new, int(row[3]), row[4], stamp,
                              current_listings)
        max_seq = max(max_seq, new[-1].seq)
        db.run("UPDATE stations SET acked_seq = ?, max_seq = ?, last_push_at = ? "
               "WHERE id = ?", (acked, max_seq, stamp, station_id))
        return acked, max_seq, changes

    @staticmethod
    def _contiguous(db: Db, station_id: str, acked: int) -> int:
        while True:
            seqs = db.all(
                "SELECT seq FROM events WHERE station_id = ? AND seq > ? ORDER BY seq LIMIT 10000",
                (station_id, acked),
            )
            for (seq,) in seqs:
                if int(seq) != acked + 1:
                    return acked
                acked += 1
            if len(seqs) < 10000:
                return acked

    def _current_listings(self, db: Db, station_id: str,
                          items: Sequence[str]) -> Callable[[], list[tuple[Any, ...]]]:
        """(item, seq, available, requested, earliest_expiry) of the station's listings,
        at least those of `items`."""
        return db.later(
            "SELECT item, seq, available, requested, earliest_expiry FROM listings "
            "WHERE station_id = ?",
            (station_id,),
        )

    def _apply(self, db: Db, station_id: str, new: Sequence[Event], profile_seq: int,
               profile_json: str | None, stamp: str,
               current_listings: Callable[[], list[tuple[Any, ...]]] | None,
               ) -> list[tuple[str, str, dict[str, Any]]]:
        """Update the projections; return the feed changes (kind, key, body) they make."""
        changes: list[tuple[str, str, dict[str, Any]]] = []
        profiles = [e for e in new if e.kind == KIND_PROFILE]
        if profiles:
            latest = max(profiles, key=lambda e: e.seq)
            if latest.seq > profile_seq:
                body = latest.body
                db.run(
                    "UPDATE stations SET profile = ?, profile_seq = ?, lat = ?, lon = ? "
                    "WHERE id = ?",
                    (_dumps(body), latest.seq, body["lat"], body["lon"], station_id),
                )
                if profile_json is None or json.loads(profile_json) != body:
                    changes.append((KIND_PROFILE, "profile", body))

        listings: dict[str, Event] = {}
        for e in new:
            if e.kind == KIND_LISTING:
                item = e.body["item"]
                if item not in listings or listings[item].seq < e.seq:
                    listings[item] = e
        if listings:
            assert current_listings is not None  # push fetched them for every listing item
            current = {r[0]: r[1:] for r in current_listings()}
            rows = []
            for item, e in sorted(listings.items()):
                b = e.body
                old = current.get(item)
                if old is not None and int(old[0]) >= e.seq:
                    continue
                rows.append((station_id, item, e.seq, b["available"], b["requested"],
                             b["earliest_expiry"], stamp))
                if old is None or (old[1], old[2], old[3]) != (
                    b["available"], b["requested"], b["earliest_expiry"]
                ):
                    changes.append((KIND_LISTING, "listing:" + item, b))
            if rows:
                db.many(
                    "INSERT INTO listings (station_id, item, seq, available, requested, "
                    "earliest_expiry, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?) "
                    "ON CONFLICT (station_id, item) DO UPDATE SET seq = excluded.seq, "
                    "available = excluded.available, requested = excluded.requested, "
                    "earliest_expiry = excluded.earliest_expiry, updated_at = excluded.updated_at "
                    "WHERE listings.seq < excluded.seq",
                    rows,
                )

        days: dict[str, Event] = {}
        for e in new:
            if e.kind == KIND_DAILY:
                day = e.body["day"]
                if day not in days or days[day].seq < e.seq:
                    days[day] = e
        if days:
            held = {
                r[0]: int(r[1])
                for r in db.all(
                    "SELECT day, seq FROM daily_counts WHERE station_id = ? "
                    "AND day BETWEEN ? AND ?",
                    (station_id, min(days), max(days)),
                )
            }
            rows = [
                (station_id, day, e.seq, e.body["received"], e.body["requested"],
                 e.body["collected"], e.body["written_off"])
                for day, e in sorted(days.items())
                if held.get(day, 0) < e.seq
            ]
            if rows:
                db.many(
                    "INSERT INTO daily_counts (station_id, day, seq, received, requested, "
                    "collected, written_off) VALUES (?, ?, ?, ?, ?, ?, ?) "
                    "ON CONFLICT (station_id, day) DO UPDATE SET seq = excluded.seq, "
                    "received = excluded.received, requested = excluded.requested, "
                    "collected = excluded.collected, written_off = excluded.written_off "
                    "WHERE daily_counts.seq < excluded.seq",
                    rows,
                )
        return changes

    def _append_changes(self, db: Db, station_id: str,
                        changes: Sequence[tuple[str, str, dict[str, Any]]], stamp: str) -> None:
        # Taken last: on PostgreSQL this row lock is what orders the change ids.
        row = db.one(
            "UPDATE counters SET value = value + ? WHERE name = 'changes' RETURNING value",
            (len(changes),),
        )
        assert row is not None
        first = int(row[0]) - len(changes) + 1
        db.many("DELETE FROM changes WHERE station_id = ? AND key = ?",
                [(station_id, key) for _, key, _ in changes])
        db.many(
            "INSERT INTO changes (id, station_id, kind, key, body, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [(first + i, station_id, kind, key, _dumps(body), stamp)
             for i, (kind, key, body) in enumerate(changes)],
        )

    # protocol 2 -----------------------------------------------------------------------

    def anchors(self, token: str, history: str | None) -> list[Anchor] | None:
        with self._read() as db:
            station = db.one("SELECT id FROM stations WHERE token_hash = ?",
                             (hash_secret("token", token),))
            return None if station is None else hist.anchors_of(db, str(station[0]), history)

    def new_epoch(self) -> str:
        with self._write() as db:
            return hist.new_epoch(db)

    def extra_items(self) -> set[str]:
        with self._read() as db:
            return {str(r[0]) for r in db.all("SELECT item FROM catalog_extra")}

    def allow_items(self, items: Sequence[str], now: datetime) -> None:
        with self._write() as db:
            db.many("INSERT INTO catalog_extra (item, added_at) VALUES (?, ?) "
                    "ON CONFLICT (item) DO NOTHING", [(item, iso(now)) for item in items])

    # pull and public reads -------------------------------------------------------------

    def pull(self, token: str, after: int, limit: int) -> ChangePage | None:
        with self._read() as db:
            station = db.one("SELECT id FROM stations WHERE token_hash = ?",
                             (hash_secret("token", token),))
            if station is None:
                return None
            head_row = db.one("SELECT c.value, m.value FROM counters c JOIN meta m "
                              "ON m.key = 'epoch' WHERE c.name = 'changes'")
            head = int(head_row[0]) if head_row else 0
            epoch = str(head_row[1]) if head_row else ""
            # Only ids <= head: every change up to head was committed when head was read
            # (see the module docstring), so this needs no snapshot across statements.
            rows = db.all(
                "SELECT id, station_id, kind, body FROM changes "
                "WHERE id > ? AND id <= ? AND (station_id IS NULL OR station_id <> ?) "
                "ORDER BY id LIMIT ?",
                (after, head, station[0], limit + 1),
            )
        more = len(rows) > limit
        rows = rows[:limit]
        changes = [ChangeRow(int(r[0]), r[1], r[2], json.loads(r[3])) for r in rows]
        next_cursor = changes[-1].id if more else max(after, head)
        return ChangePage(changes, next_cursor, more, epoch, head)

    def listings(self, item: str, bbox: BBox | None) -> list[ListingRow]:
        where, params = _bbox_sql(bbox)
        with self._read() as db:
            rows = db.all(
                "SELECT s.id, s.name, s.profile, s.lat, s.lon, l.available, l.requested, "
                "l.earliest_expiry, l.updated_at FROM listings l "
                "JOIN stations s ON s.id = l.station_id "
                "WHERE l.item = ? AND l.available > 0" + where,
                [item, *params],
            )
        result = []
        for sid, name, profile_json, lat, lon, available, requested, expiry, updated in rows:
            profile = json.loads(profile_json) if profile_json else {}
            result.append(ListingRow(
                station_id=sid,
                name=profile.get("name", name),
                address=profile.get("address", ""),
                opening_hours=profile.get("opening_hours", ""),
                lat=None if lat is None else float(lat),
                lon=None if lon is None else float(lon),
                available=int(available),
                requested=int(requested),
                earliest_expiry=expiry,
                updated_at=updated,
            ))
        return result

    def top_demand(self, bbox: BBox | None, limit: int) -> list[DemandRow]:
        where, params = _bbox_sql(bbox)
        with self._read() as db:
            rows = db.all(
                "SELECT l.item, CAST(SUM(l.requested) AS BIGINT), "
                "CAST(SUM(l.available) AS BIGINT), "
                "CAST(SUM(CASE WHEN l.requested > 0 THEN 1 ELSE 0 END) AS BIGINT) "
                "FROM listings l JOIN stations s ON s.id = l.station_id WHERE 1 = 1" + where
                + " GROUP BY l.item HAVING SUM(l.requested) > 0 "
                "ORDER BY 2 DESC, l.item LIMIT ?",
                [*params, limit],
            )
        return [DemandRow(r[0], int(r[1]), int(r[2]), int(r[3])) for r in rows]


def _expand_snapshots(events: Sequence[Event], held_items: set[str]) -> list[Event]:
    """A snapshot as the profile and listing events it stands for, at its own seq: every
    listing the central holds for the station and the snapshot does not name goes to 0."""
    out: list[Event] = []
    for e in events:
        if e.kind != KIND_SNAPSHOT:
            out.append(e)
            continue
        out.append(Event(e.seq, KIND_PROFILE, e.body["profile"]))
        named = {listing["item"] for listing in e.body["listings"]}
        out += [Event(e.seq, KIND_LISTING, listing) for listing in e.body["listings"]]
        out += [Event(e.seq, KIND_LISTING, hist.zero_listing(item))
                for item in sorted(held_items - named)]
    return out


# --- SQLite ---------------------------------------------------------------------------


class _SqliteDb:
    __slots__ = ("conn",)

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def all(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        return self.conn.execute(sql, params).fetchall()

    def one(self, sql: str, params: Sequence[Any] = ()) -> tuple[Any, ...] | None:
        row: tuple[Any, ...] | None = self.conn.execute(sql, params).fetchone()
        return row

    def run(self, sql: str, params: Sequence[Any] = ()) -> None:
        self.conn.execute(sql, params)

    def many(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        self.conn.executemany(sql, rows)

    def later(self, sql: str, params: Sequence[Any] = ()) -> Callable[[], list[tuple[Any, ...]]]:
        rows = self.conn.execute(sql, params).fetchall()
        return lambda: rows


class SqliteStorage(SqlStorage):
    backend = "sqlite"
    inline_calls = True

    def __init__(self, path: Path, pool_size: int = DEFAULT_POOL_SIZE) -> None:
        self.path = path
        self.pool_size = pool_size
        self._write_lock = threading.Lock()
        self._pool: _Pool[sqlite3.Connection] = _Pool(
            self._connect, lambda c: c.close(), lambda c: True, pool_size
        )

    def _connect(self) -> sqlite3.Connection:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000,
                                   isolation_level=None, check_same_thread=False)
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            conn.execute("PRAGMA synchronous = FULL")
            conn.execute("PRAGMA foreign_keys = ON")
        except (sqlite3.Error, OSError) as exc:
            raise StorageError(f"cannot open the central database {self.path}: {exc}") from exc
        return conn

    @contextmanager
    def _tx(self, begin: str) -> Iterator[Db]:
        try:
            with self._pool.connection() as conn:
                conn.execute(begin)
                try:
                    yield _SqliteDb(conn)
                except BaseException:
                    if conn.in_transaction:
                        conn.execute("ROLLBACK")
                    raise
                conn.execute("COMMIT")
        except sqlite3.OperationalError as exc:
            raise StorageUnavailable(f"the central database is not usable: {exc}") from exc

    @contextmanager
    def _write(self) -> Iterator[Db]:
        with self._write_lock, self._tx("BEGIN IMMEDIATE") as db:
            yield db

    def _read(self) -> AbstractContextManager[Db]:
        return self._tx("BEGIN")

    def migrate(self) -> None:
        with self._pool.connection() as conn:
            try:
                mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()
            except sqlite3.DatabaseError as exc:
                raise StorageError(f"{self.path} is not a usable SQLite database: {exc}") from exc
            if mode is None or str(mode[0]).lower() != "wal":
                raise StorageError(f"cannot switch {self.path} to WAL mode")
        with self._write() as db:
            self._migrate_in(db)
            if hist.is_older_than_mark(hist.totals(db), hist.read_mark(self._mark)):
                hist.new_epoch(db)  # an older copy of this database was put back
        self._write_mark()

    @property
    def _mark(self) -> Path:
        return hist.mark_path(self.path)

    def _write_mark(self) -> None:
        with suppress(StorageError), self._read() as db:
            hist.write_mark(self._mark, hist.totals(db))

    def new_epoch(self) -> str:
        epoch = super().new_epoch()
        self._write_mark()
        return epoch

    def close(self) -> None:
        if not self._pool._closed and self.path.exists():
            self._write_mark()
        self._pool.close()


# --- PostgreSQL ----------------------------------------------------------------------------

_PLACEHOLDER = re.compile(r"\?")


class _PgDb:
    __slots__ = ("conn", "pipelined")

    _cache: dict[str, bytes] = {}  # noqa: RUF012 - shared rewrite cache, by design

    def __init__(self, conn: Any, pipelined: bool = False) -> None:
        self.conn = conn
        self.pipelined = pipelined

    @classmethod
    def _q(cls, sql: str) -> bytes:
        query = cls._cache.get(sql)
        if query is None:
            query = _PLACEHOLDER.sub("%s", sql).encode()
            cls._cache[sql] = query
        return query

    def all(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        with self.conn.cursor() as cur:
            cur.execute(self._q(sql), params)
            rows: list[tuple[Any, ...]] = cur.fetchall()
            return rows

    def one(self, sql: str, params: Sequence[Any] = ()) -> tuple[Any, ...] | None:
        with self.conn.cursor() as cur:
            cur.execute(self._q(sql), params)
            row: tuple[Any, ...] | None = cur.fetchone()
            return row

    def run(self, sql: str, params: Sequence[Any] = ()) -> None:
        self.conn.execute(self._q(sql), params)

    def many(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        query = self._q(sql)
        with self.conn.cursor() as cur:
            if not self.pipelined:
                cur.executemany(query, rows)
            else:  # executemany would open a nested pipeline, whose end waits for the server
                for row in rows:
                    cur.execute(query, row)

    def later(self, sql: str, params: Sequence[Any] = ()) -> Callable[[], list[tuple[Any, ...]]]:
        cur = self.conn.cursor()
        cur.execute(self._q(sql), params)  # in a pipeline: queued, not yet answered

        def rows() -> list[tuple[Any, ...]]:
            with cur:
                result: list[tuple[Any, ...]] = cur.fetchall()
                return result

        return rows


class PostgresStorage(SqlStorage):
    backend = "postgresql"
    for_update = " FOR UPDATE"

    def __init__(self, url: str, pool_size: int = DEFAULT_POOL_SIZE) -> None:
        import psycopg

        self._psycopg = psycopg
        self.url = url
        self.pool_size = pool_size
        self._pool: _Pool[Any] = _Pool(
            self._connect, lambda c: c.close(),
            lambda c: (not c.closed and not c.broken
                       and c.info.transaction_status == psycopg.pq.TransactionStatus.IDLE),
            pool_size,
        )

    def _connect(self) -> Any:
        try:
            return self._psycopg.connect(self.url, autocommit=True, connect_timeout=10)
        except self._psycopg.Error as exc:
            reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise StorageUnavailable(f"cannot connect to the central database: {reason}") from exc

    @contextmanager
    def _tx(self) -> Iterator[Db]:
        """A transaction in pipeline mode: statements whose results are not read yet
        (`run`, `many`, `later`) go out together with the next one that is read, and the
        last ones with COMMIT, so a push takes two network round trips, not a dozen.

        BEGIN and COMMIT are sent by hand: psycopg's `transaction()` in a pipeline waits
        for the results of the block's last statements before it sends COMMIT, which
        would hold the change-feed counter row across a round trip to this process."""
        idle = self._psycopg.pq.TransactionStatus.IDLE
        try:
            with self._pool.connection() as conn:
                try:
                    with conn.pipeline():
                        conn.execute(b"BEGIN")
                        yield _PgDb(conn, pipelined=True)
                        conn.execute(b"COMMIT")
                finally:
                    if not conn.broken and conn.info.transaction_status != idle:
                        with suppress(self._psycopg.Error):  # the pool drops it if this fails
                            conn.execute(b"ROLLBACK")
        except self._psycopg.OperationalError as exc:
            reason = str(exc).strip().splitlines()[0] if str(exc).strip() else "lost connection"
            raise StorageUnavailable(f"the central database is not usable: {reason}") from exc

    def _write(self) -> AbstractContextManager[Db]:
        return self._tx()

    @contextmanager
    def _read(self) -> Iterator[Db]:
        """Autocommit: each statement sees what was committed when it started. Every read
        here is one statement, or (pull) safe across statements by construction."""
        try:
            with self._pool.connection() as conn:
                yield _PgDb(conn)
        except self._psycopg.OperationalError as exc:
            reason = str(exc).strip().splitlines()[0] if str(exc).strip() else "lost connection"
            raise StorageUnavailable(f"the central database is not usable: {reason}") from exc

    def _current_listings(self, db: Db, station_id: str,
                          items: Sequence[str]) -> Callable[[], list[tuple[Any, ...]]]:
        return db.later(
            "SELECT item, seq, available, requested, earliest_expiry FROM listings "
            "WHERE station_id = ? AND item = ANY(?)",
            (station_id, list(items)),
        )

    def _append_changes(self, db: Db, station_id: str,
                        changes: Sequence[tuple[str, str, dict[str, Any]]], stamp: str) -> None:
        """One statement, sent with COMMIT: the counter row (which orders the change
        ids, see the module docstring) is locked only for this statement and the commit,
        never across a round trip to this process."""
        db.run(
            "WITH head AS (UPDATE counters SET value = value + ? WHERE name = 'changes' "
            "RETURNING value), "
            "gone AS (DELETE FROM changes WHERE station_id = ? AND key = ANY(?::text[])) "
            "INSERT INTO changes (id, station_id, kind, key, body, created_at) "
            "SELECT head.value - ? + u.n, ?, u.kind, u.key, u.body, ? FROM head, "
            "unnest(?::text[], ?::text[], ?::text[]) WITH ORDINALITY AS u(kind, key, body, n)",
            (len(changes), station_id, [key for _, key, _ in changes], len(changes),
             station_id, stamp, [kind for kind, _, _ in changes],
             [key for _, key, _ in changes], [_dumps(body) for _, _, body in changes]),
        )

    def pull(self, token: str, after: int, limit: int) -> ChangePage | None:
        """One statement, so one snapshot: the head and the changes up to it agree."""
        with self._read() as db:
            rows = db.all(
                "SELECT h.value, c.id, c.station_id, c.kind, c.body, e.value FROM stations s "
                "JOIN counters h ON h.name = 'changes' JOIN meta e ON e.key = 'epoch' "
                "LEFT JOIN LATERAL (SELECT id, station_id, kind, body FROM changes "
                "WHERE id > ? AND id <= h.value AND (station_id IS NULL OR station_id <> s.id) "
                "ORDER BY id LIMIT ?) c ON true "
                "WHERE s.token_hash = ? ORDER BY c.id",
                (after, limit + 1, hash_secret("token", token)),
            )
        if not rows:
            return None
        head = int(rows[0][0])
        found = [r for r in rows if r[1] is not None]
        more = len(found) > limit
        changes = [ChangeRow(int(r[1]), r[2], r[3], json.loads(r[4])) for r in found[:limit]]
        next_cursor = changes[-1].id if more else max(after, head)
        return ChangePage(changes, next_cursor, more, str(rows[0][5]), head)

    def migrate(self) -> None:
        with self._tx() as db:
            # Serialise concurrent migrations (several workers starting at once).
            db.run("SELECT pg_advisory_xact_lock(7351204981)")
            self._migrate_in(db)

    def close(self) -> None:
        self._pool.close()


# --- opening by URL --------------------------------------------------------------------------


def sqlite_path(url: str) -> Path:
    """'sqlite:///abs/path.db' (or 'sqlite:////abs/path.db') -> Path; a bare path is fine too."""
    rest = url[len("sqlite://"):] if url.startswith("sqlite://") else url
    if re.match(r"^/+[A-Za-z]:[/\\]", rest):  # sqlite:///C:/data/central.db on Windows
        rest = rest.lstrip("/")
    elif rest.startswith("//"):
        rest = "/" + rest.lstrip("/")
    if not rest:
        raise StorageError("the sqlite URL names no file; use sqlite:///path/to/central.db")
    return Path(os.path.expanduser(rest))


def open_storage(url: str, pool_size: int = DEFAULT_POOL_SIZE) -> Storage:
    """A Storage for a `sqlite:///...` or `postgresql://...` URL (not yet migrated)."""
    if url.startswith(("postgresql://", "postgres://")):
        return PostgresStorage(url, pool_size)
    if url.startswith("sqlite:") or "://" not in url:
        return SqliteStorage(sqlite_path(url), pool_size)
    scheme = url.split("://", 1)[0]
    raise StorageError(
        f"unsupported database URL scheme {scheme!r}; use sqlite:///path or postgresql://..."
    )
