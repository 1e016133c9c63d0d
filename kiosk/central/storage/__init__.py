"""The central endpoint's storage: one interface, two backends.

    rows.py      rows handed to the app, and the storage's errors
    tokens.py    token / station id / code hashing; JSON bodies
    base.py      the `Storage` interface and the `Db` a connection offers (SQL style)
    schema.py    the DDL as ordered, transactional migration steps
    logic.py     `SqlStorage`: stations, enrolment, pull, public reads
    push.py      the push (events, projections, the change feed)
    sqlite.py    the SQLite backend (default), with `pool.py`
    postgres.py  the PostgreSQL backend (psycopg 3 + psycopg_pool)
    url.py       `open_storage(url)`

Tables:

    stations          one row per station; token stored only as a SHA-256 hash;
                      acked_seq = highest contiguous seq held; latest profile;
                      history = the station's current history id (protocol 2)
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
"""

from kiosk.central.storage.base import DEFAULT_POOL_SIZE, Db, Storage
from kiosk.central.storage.logic import SqlStorage
from kiosk.central.storage.postgres import PostgresStorage
from kiosk.central.storage.rows import (
    BBox,
    ChangePage,
    ChangeRow,
    DemandRow,
    Enrolled,
    EnrolmentRefused,
    ListingRow,
    NewCode,
    PushAuth,
    StationInfo,
    StorageError,
    StorageUnavailable,
)
from kiosk.central.storage.schema import SCHEMA_VERSION
from kiosk.central.storage.sqlite import SqliteStorage
from kiosk.central.storage.tokens import hash_secret, new_station_id, new_token
from kiosk.central.storage.url import open_storage, sqlite_path

__all__ = [
    "DEFAULT_POOL_SIZE", "SCHEMA_VERSION", "BBox", "ChangePage", "ChangeRow", "Db",
    "DemandRow", "Enrolled", "EnrolmentRefused", "ListingRow", "NewCode",
    "PostgresStorage", "PushAuth", "SqlStorage", "SqliteStorage", "StationInfo", "Storage",
    "StorageError", "StorageUnavailable", "hash_secret", "new_station_id", "new_token",
    "open_storage", "sqlite_path",
]
