"""Ordered, transactional schema migrations.

Each migration runs in its own transaction (sqlite-utils `Migrations`) and
bumps `PRAGMA user_version` in the same transaction, so the version in the
file header always matches the schema. Append new migrations at the end;
never edit one that has shipped.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlite_utils import Database

MIGRATION_SET = "medshare-station"

# (name, SQL script) in order; the position + 1 is the schema version.
_STEPS: list[tuple[str, str]] = []


def step(name: str) -> Callable[[Callable[[], str]], Callable[[], str]]:
    def register(func: Callable[[], str]) -> Callable[[], str]:
        _STEPS.append((name, func()))
        return func

    return register


@step("m001_ledger")
def _m001() -> str:
    return """
    CREATE TABLE station (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        code TEXT NOT NULL,
        name TEXT NOT NULL,
        address TEXT NOT NULL DEFAULT '',
        lat REAL,
        lon REAL,
        opening_hours TEXT NOT NULL DEFAULT '',
        slip_secret BLOB NOT NULL,
        phone_key BLOB NOT NULL,
        created_at TEXT NOT NULL
    );
    CREATE TABLE setting (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE catalog_item (
        id TEXT PRIMARY KEY,
        catalog_version INTEGER NOT NULL,
        active INTEGER NOT NULL DEFAULT 1,
        data TEXT NOT NULL
    );
    CREATE TABLE lot (
        id INTEGER PRIMARY KEY,
        item_id TEXT NOT NULL REFERENCES catalog_item(id),
        expiry TEXT NOT NULL,
        lot_number TEXT NOT NULL DEFAULT '',
        source TEXT NOT NULL DEFAULT '',
        received_at TEXT NOT NULL,
        staff TEXT NOT NULL DEFAULT '',
        -- cached balance, changed only in the transaction of its movement
        on_hand INTEGER NOT NULL DEFAULT 0 CHECK (on_hand >= 0),
        reserved INTEGER NOT NULL DEFAULT 0 CHECK (reserved >= 0 AND reserved <= on_hand)
    );
    -- allocation, availability, stock and expiry only ever look at lots with
    -- something on the shelf; emptied lots drop out of the index
    CREATE INDEX lot_in_stock ON lot(item_id, expiry) WHERE on_hand > 0;
    CREATE TABLE recall (
        lot_id INTEGER PRIMARY KEY REFERENCES lot(id),
        recalled_at TEXT NOT NULL,
        reason TEXT NOT NULL
    );
    CREATE TABLE request (
        id INTEGER PRIMARY KEY,
        created_at TEXT NOT NULL,
        item_id TEXT NOT NULL REFERENCES catalog_item(id),
        units INTEGER NOT NULL CHECK (units > 0),
        priority TEXT NOT NULL
            CHECK (priority IN ('child', 'pregnant', 'elderly', 'chronic', 'none')),
        household INTEGER NOT NULL CHECK (household BETWEEN 1 AND 20),
        language TEXT NOT NULL DEFAULT 'en' CHECK (language IN ('en', 'zh')),
        phone_hash TEXT,
        phone_masked TEXT,
        flag TEXT NOT NULL DEFAULT '',
        status TEXT NOT NULL DEFAULT 'open'
            CHECK (status IN ('open', 'reserved', 'collected', 'cancelled')),
        status_at TEXT NOT NULL
    );
    CREATE INDEX request_queue ON request(status, created_at);
    CREATE INDEX request_by_item ON request(item_id, status);
    CREATE INDEX request_by_phone ON request(phone_hash, created_at)
        WHERE phone_hash IS NOT NULL;
    CREATE TABLE movement (
        id INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        lot_id INTEGER NOT NULL REFERENCES lot(id),
        kind TEXT NOT NULL CHECK (kind IN
            ('received', 'reserved', 'released', 'dispensed', 'expired', 'disposed', 'adjusted')),
        units INTEGER NOT NULL,
        on_hand_delta INTEGER NOT NULL,
        reserved_delta INTEGER NOT NULL,
        request_id INTEGER REFERENCES request(id),
        reason TEXT NOT NULL DEFAULT '',
        staff TEXT NOT NULL DEFAULT '',
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL
    );
    CREATE INDEX movement_by_request ON movement(request_id) WHERE request_id IS NOT NULL;
    CREATE TRIGGER movement_is_append_only_update BEFORE UPDATE ON movement
    BEGIN SELECT RAISE(ABORT, 'movements are never changed; write a correcting movement'); END;
    CREATE TRIGGER movement_is_append_only_delete BEFORE DELETE ON movement
    BEGIN SELECT RAISE(ABORT, 'movements are never deleted; write a correcting movement'); END;
    CREATE TABLE outbox (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        kind TEXT NOT NULL,
        body TEXT NOT NULL,
        created_at TEXT NOT NULL
    );
    """


@step("m003_staff")
def _m003_staff() -> str:
    # Desk accounts: a PIN kept only as a salted slow hash; a few wrong PINs
    # lock the account for a while (owned by kiosk/db/staff.py).
    return """
    CREATE TABLE staff_account (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE COLLATE NOCASE,
        role TEXT NOT NULL CHECK (role IN ('staff', 'manager')),
        pin_hash TEXT NOT NULL,
        active INTEGER NOT NULL DEFAULT 1,
        failed_attempts INTEGER NOT NULL DEFAULT 0,
        locked_until TEXT,
        created_at TEXT NOT NULL,
        last_sign_in TEXT
    );
    """


@step("m004_slips")
def _m004_slips() -> str:
    # Pickup slips (owned by kiosk/db/slips.py). No personal data: a slip
    # points at its request; its token and short code are derived from the
    # station secret and the nonce, which is never printed. One live
    # ('issued') slip per request; a re-allocated request gets a new slip
    # and the old one stays as a cancelled record. Slips are never deleted,
    # so a slip number is never reused.
    return """
    CREATE TABLE slip (
        id INTEGER PRIMARY KEY,
        request_id INTEGER NOT NULL REFERENCES request(id),
        nonce TEXT NOT NULL,
        short_code TEXT NOT NULL,
        language TEXT NOT NULL CHECK (language IN ('en', 'zh')),
        issued_at TEXT NOT NULL,
        expires_at TEXT NOT NULL,
        status TEXT NOT NULL DEFAULT 'issued'
            CHECK (status IN ('issued', 'collected', 'cancelled', 'expired')),
        status_at TEXT NOT NULL,
        collected_at TEXT,
        issued_by TEXT NOT NULL DEFAULT '',
        closed_by TEXT NOT NULL DEFAULT '',
        note TEXT NOT NULL DEFAULT ''
    );
    CREATE UNIQUE INDEX slip_live_per_request ON slip(request_id) WHERE status = 'issued';
    CREATE INDEX slip_by_request ON slip(request_id);
    CREATE INDEX slip_due ON slip(expires_at) WHERE status = 'issued';
    CREATE TRIGGER slip_is_never_deleted BEFORE DELETE ON slip
    BEGIN SELECT RAISE(ABORT, 'slips are never deleted; cancel them'); END;
    """



@step("m005_sync")
def _m005_sync() -> str:
    # The sync client's own state (kiosk/sync/client.py): enrolment, how far
    # the server has acknowledged our outbox, the pull cursor, what other
    # stations have. Daily counts are accumulated from movement and request
    # ids so each sync reads only what is new.
    return """
    CREATE TABLE sync_state (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE remote_station (
        station_id TEXT PRIMARY KEY,
        name TEXT NOT NULL DEFAULT '',
        address TEXT NOT NULL DEFAULT '',
        lat REAL,
        lon REAL,
        opening_hours TEXT NOT NULL DEFAULT ''
    );
    CREATE TABLE remote_listing (
        station_id TEXT NOT NULL,
        item_id TEXT NOT NULL,
        available INTEGER NOT NULL,
        requested INTEGER NOT NULL,
        earliest_expiry TEXT,
        PRIMARY KEY (station_id, item_id)
    );
    CREATE INDEX remote_listing_by_item ON remote_listing(item_id, available);
    CREATE TABLE daily_count (
        day TEXT PRIMARY KEY,
        received INTEGER NOT NULL DEFAULT 0,
        requested INTEGER NOT NULL DEFAULT 0,
        collected INTEGER NOT NULL DEFAULT 0,
        written_off INTEGER NOT NULL DEFAULT 0,
        sent TEXT
    );
    """


@step("m006_pledges")
def _m006_pledges() -> str:
    # Drop-offs pre-registered by residents at the kiosk (owned by
    # kiosk/db/pledges.py). A pledge is only a promise: it becomes stock when
    # staff inspect the box at the desk and take it in, which writes the lot
    # and marks the pledge accepted in one transaction. No personal data.
    return """
    CREATE TABLE pledge (
        id INTEGER PRIMARY KEY,
        created_at TEXT NOT NULL,
        item_id TEXT NOT NULL REFERENCES catalog_item(id),
        units INTEGER NOT NULL CHECK (units > 0),
        expiry TEXT NOT NULL,
        language TEXT NOT NULL DEFAULT 'en' CHECK (language IN ('en', 'zh')),
        status TEXT NOT NULL DEFAULT 'pending'
            CHECK (status IN ('pending', 'accepted', 'declined')),
        lot_id INTEGER REFERENCES lot(id),
        decided_at TEXT,
        staff TEXT NOT NULL DEFAULT '',
        reason TEXT NOT NULL DEFAULT '',
        CHECK ((status = 'accepted') = (lot_id IS NOT NULL)),
        CHECK ((status = 'pending') = (decided_at IS NULL))
    );
    CREATE INDEX pledge_pending ON pledge(created_at) WHERE status = 'pending';
    """

@step("m007_audit_events")
def _m007_audit_events() -> str:
    # Actions that are not stock movements but must be answerable to a
    # manager (kiosk/db/events.py): who revealed a phone number to call it
    # back, who overrode a safety refusal and why. Append-only like movements.
    return """
    CREATE TABLE audit_event (
        id INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        staff TEXT NOT NULL,
        action TEXT NOT NULL,
        request_id INTEGER REFERENCES request(id),
        detail TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX audit_event_by_request ON audit_event(request_id)
        WHERE request_id IS NOT NULL;
    CREATE TRIGGER audit_event_is_append_only_update BEFORE UPDATE ON audit_event
    BEGIN SELECT RAISE(ABORT, 'audit events are never changed'); END;
    CREATE TRIGGER audit_event_is_append_only_delete BEFORE DELETE ON audit_event
    BEGIN SELECT RAISE(ABORT, 'audit events are never deleted'); END;
    """


@step("m011_sync_history")
def _m011_sync_history() -> str:
    # Sync protocol 2 (kiosk/sync/reconcile.py): this station's history id,
    # which changes when a backup is restored (kiosk/db/history.py), and the
    # ledger anchors it has recorded or heard back from the central (the
    # chain head it had at a time), append-only like movements.
    return """
    INSERT INTO sync_state(key, value) VALUES ('history', lower(hex(randomblob(12))))
        ON CONFLICT(key) DO NOTHING;
    CREATE TABLE ledger_anchor (
        id INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        source TEXT NOT NULL CHECK (source IN ('local', 'central')),
        movements INTEGER NOT NULL CHECK (movements >= 0),
        head TEXT NOT NULL
    );
    CREATE TRIGGER ledger_anchor_is_append_only_update BEFORE UPDATE ON ledger_anchor
    BEGIN SELECT RAISE(ABORT, 'ledger anchors are never changed'); END;
    CREATE TRIGGER ledger_anchor_is_append_only_delete BEFORE DELETE ON ledger_anchor
    BEGIN SELECT RAISE(ABORT, 'ledger anchors are never deleted'); END;
    """


LATEST_VERSION = len(_STEPS)


def build(migrations_name: str = MIGRATION_SET) -> object:
    """The sqlite-utils migration set, one migration per step."""
    from sqlite_utils.migrations import Migrations

    migrations = Migrations(migrations_name)
    for version, (name, script) in enumerate(_STEPS, start=1):

        def apply(db: Database, script: str = script, version: int = version) -> None:
            for statement in _split(script):
                db.execute(statement)
            db.execute(f"PRAGMA user_version = {version}")

        migrations(name=name)(apply)
    return migrations


def _split(script: str) -> list[str]:
    """Statements of a script, keeping trigger bodies whole (sqlite3.complete_statement)."""
    import sqlite3

    statements: list[str] = []
    buffer = ""
    for line in script.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            statements.append(buffer.strip())
            buffer = ""
    if buffer.strip():
        statements.append(buffer.strip())
    return statements

