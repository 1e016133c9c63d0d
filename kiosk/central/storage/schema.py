"""The central database's schema: ordered, transactional migrations.

As on the station (`kiosk/db/migrations.py`): `meta.schema_version` is the number of
steps applied; each step runs in a transaction of its own that also bumps the version,
so a failed step leaves the database at the version before it. A database newer than
this program knows is refused with one plain message and left as it is. Steps are
only ever appended; a shipped step is never edited.

Both backends run the same steps. On PostgreSQL each step's transaction first takes an
advisory lock, and on SQLite `BEGIN IMMEDIATE` serialises writers, so several server
processes starting at once migrate one after the other, each re-reading the version.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager

from kiosk.central.storage.base import Db
from kiosk.central.storage.rows import StorageError
from kiosk.sync.history import new_epoch_id

META = "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)"

M001_BASE = [
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


def m001_base(db: Db) -> None:
    """The tables of protocol version 1 and the change-feed counter."""
    for statement in M001_BASE:
        db.run(statement)
    db.run("INSERT INTO counters (name, value) VALUES ('changes', 0) "
           "ON CONFLICT (name) DO NOTHING")


M002_PROTOCOL2 = [
    """CREATE TABLE IF NOT EXISTS anchors (
        station_id TEXT NOT NULL REFERENCES stations(id),
        n BIGINT NOT NULL,
        history TEXT,
        movements BIGINT NOT NULL,
        head TEXT NOT NULL,
        received_at TEXT NOT NULL,
        PRIMARY KEY (station_id, n))""",
    "CREATE TABLE IF NOT EXISTS catalog_extra (item TEXT PRIMARY KEY, added_at TEXT NOT NULL)",
]


def m002_protocol2(db: Db) -> None:
    """Protocol 2: anchors, the operator's extra items, station histories, the epoch."""
    for statement in M002_PROTOCOL2:
        db.run(statement)
    db.run("ALTER TABLE stations ADD COLUMN history TEXT")
    db.run("INSERT INTO meta (key, value) VALUES ('epoch', $1) ON CONFLICT (key) DO NOTHING",
           (new_epoch_id(),))


STEPS: list[tuple[str, Callable[[Db], None]]] = [
    ("m001_base", m001_base),
    ("m002_protocol2", m002_protocol2),
]
SCHEMA_VERSION = len(STEPS)


def schema_version(db: Db) -> int:
    """The number of steps applied (0: an empty database)."""
    row = db.one("SELECT value FROM meta WHERE key = 'schema_version'")
    return 0 if row is None else int(row[0])


def migrate(transaction: Callable[[], AbstractContextManager[Db]]) -> None:
    """Apply the missing steps, each in its own `transaction()`; refuse a newer schema."""
    while True:
        with transaction() as db:
            db.run(META)
            version = schema_version(db)
            if version > SCHEMA_VERSION:
                raise StorageError(
                    f"the central database has schema version {version}, newer than this "
                    f"medshare-central understands ({SCHEMA_VERSION}); update medshare-central"
                )
            if version == SCHEMA_VERSION:
                return
            STEPS[version][1](db)
            if version == 0:
                db.run("INSERT INTO meta (key, value) VALUES ('schema_version', $1)", ("1",))
            else:
                db.run("UPDATE meta SET value = $1 WHERE key = 'schema_version'",
                       (str(version + 1),))
