"""The central database's migrations: a version 1 database (as protocol 1's
medshare-central made it) opens and is migrated; a newer one is refused unchanged."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest

from kiosk.central.storage import SCHEMA_VERSION, StorageError, open_storage
from kiosk.central.storage.base import Db
from kiosk.central.storage.schema import m001_base, migrate, schema_version

BACKENDS = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param("postgres", id="postgres", marks=pytest.mark.postgres),
]

# The DDL of schema version 1, as the protocol 1 medshare-central wrote it (frozen here:
# the steps may only be appended to, so this must keep migrating).
V1_DDL = [
    "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    "CREATE TABLE counters (name TEXT PRIMARY KEY, value BIGINT NOT NULL)",
    """CREATE TABLE stations (id TEXT PRIMARY KEY, name TEXT NOT NULL,
        created_at TEXT NOT NULL, token_hash TEXT UNIQUE, enrolled_at TEXT,
        acked_seq BIGINT NOT NULL DEFAULT 0, max_seq BIGINT NOT NULL DEFAULT 0,
        profile_seq BIGINT NOT NULL DEFAULT 0, profile TEXT, lat DOUBLE PRECISION,
        lon DOUBLE PRECISION, last_push_at TEXT)""",
    """CREATE TABLE enrolment_codes (code_hash TEXT PRIMARY KEY,
        station_id TEXT NOT NULL REFERENCES stations(id), created_at TEXT NOT NULL,
        expires_at TEXT NOT NULL, used_at TEXT)""",
    """CREATE TABLE events (station_id TEXT NOT NULL REFERENCES stations(id),
        seq BIGINT NOT NULL, kind TEXT NOT NULL, body TEXT NOT NULL,
        received_at TEXT NOT NULL, PRIMARY KEY (station_id, seq))""",
    """CREATE TABLE listings (station_id TEXT NOT NULL REFERENCES stations(id),
        item TEXT NOT NULL, seq BIGINT NOT NULL, available BIGINT NOT NULL,
        requested BIGINT NOT NULL, earliest_expiry TEXT, updated_at TEXT NOT NULL,
        PRIMARY KEY (station_id, item))""",
    "CREATE INDEX listings_by_item ON listings (item, available)",
    """CREATE TABLE daily_counts (station_id TEXT NOT NULL REFERENCES stations(id),
        day TEXT NOT NULL, seq BIGINT NOT NULL, received BIGINT NOT NULL,
        requested BIGINT NOT NULL, collected BIGINT NOT NULL, written_off BIGINT NOT NULL,
        PRIMARY KEY (station_id, day))""",
    """CREATE TABLE changes (id BIGINT PRIMARY KEY, station_id TEXT, kind TEXT NOT NULL,
        key TEXT NOT NULL, body TEXT NOT NULL, created_at TEXT NOT NULL)""",
    "CREATE INDEX changes_by_key ON changes (station_id, key)",
    "INSERT INTO meta (key, value) VALUES ('schema_version', '1')",
    "INSERT INTO counters (name, value) VALUES ('changes', 0)",
    "INSERT INTO stations (id, name, created_at, token_hash, enrolled_at) VALUES "
    "('st-old', 'Old desk', '2026-01-01T00:00:00Z', NULL, NULL)",
]


def _raw(storage: object, sql: list[str]) -> None:
    """Run statements on the storage's database outside its migrations."""
    with storage._write() as db:  # type: ignore[attr-defined]
        for statement in sql:
            db.run(statement)


def _version(storage: object) -> int:
    with storage._read() as db:  # type: ignore[attr-defined]
        return schema_version(db)


@pytest.mark.parametrize("backend", BACKENDS)
def test_version_1_database_is_migrated(backend: str,
                                        fresh_db_url: Callable[[str], str]) -> None:
    url = fresh_db_url(backend)
    storage = open_storage(url)
    try:
        _raw(storage, V1_DDL)
        assert _version(storage) == 1
        storage.migrate()
        assert _version(storage) == SCHEMA_VERSION == 2
        assert [s.station_id for s in storage.stations()] == ["st-old"]
        now = datetime(2026, 11, 1, tzinfo=UTC)
        new = storage.enrol(storage.new_code("st-old", now, timedelta(days=1)).code, now)
        assert storage.push(new.station_id, new.token, [], now) == 0
        assert storage.new_epoch()  # protocol 2's meta row and columns are there
        storage.migrate()  # again: nothing left to do
        assert _version(storage) == SCHEMA_VERSION
    finally:
        storage.close()


@pytest.mark.parametrize("backend", BACKENDS)
def test_newer_schema_is_refused_and_left_alone(backend: str,
                                                fresh_db_url: Callable[[str], str]) -> None:
    storage = open_storage(fresh_db_url(backend))
    try:
        storage.migrate()
        _raw(storage, [f"UPDATE meta SET value = '{SCHEMA_VERSION + 1}' "
                       "WHERE key = 'schema_version'"])
        with pytest.raises(StorageError, match="newer than this medshare-central"):
            storage.migrate()
        assert _version(storage) == SCHEMA_VERSION + 1
    finally:
        storage.close()


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_failed_step_leaves_the_version_before_it(
        backend: str, fresh_db_url: Callable[[str], str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    from kiosk.central.storage import schema

    def broken(db: Db) -> None:
        db.run("CREATE TABLE half_done (x TEXT)")
        raise RuntimeError("step 2 fails")

    monkeypatch.setattr(schema, "STEPS", [("m001_base", m001_base), ("m002_broken", broken)])
    monkeypatch.setattr(schema, "SCHEMA_VERSION", 2)
    storage = open_storage(fresh_db_url(backend))
    try:
        with pytest.raises(RuntimeError):
            migrate(storage._step)  # type: ignore[attr-defined]
        assert _version(storage) == 1  # step 1 committed on its own, step 2 rolled back
        with pytest.raises(Exception):  # noqa: B017 - either backend's "no such table"
            _raw(storage, ["SELECT * FROM half_done"])
    finally:
        storage.close()
