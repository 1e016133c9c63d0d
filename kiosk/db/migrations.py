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



@step("m008_contact")
def _m008_contact() -> str:
    # Phone numbers for calling back (kiosk/db/contact.py): the full number
    # only as AES-GCM ciphertext under a key of the key file, which lives
    # outside this database; the limit hash is keyed from the key file too.
    # The old in-file hash key is wiped (the column is NOT NULL, hence a
    # zeroblob), the hashes it made are dropped (limit history from before
    # the upgrade is lost) and masks are cut to the last four digits.
    # keyfile_id binds this database to its key file; it is random and lets
    # nobody test a guess.
    return """
    ALTER TABLE station ADD COLUMN keyfile_id TEXT;
    UPDATE station SET phone_key = zeroblob(32);
    ALTER TABLE request ADD COLUMN phone_cipher BLOB;
    ALTER TABLE request ADD COLUMN phone_nonce BLOB;
    ALTER TABLE request ADD COLUMN phone_key_id TEXT;
    UPDATE request SET phone_hash = NULL,
        phone_masked = CASE WHEN phone_masked IS NULL THEN NULL
                            ELSE '*******' || substr(phone_masked, -4) END;
    """


@step("m009_timezone")
def _m009_timezone() -> str:
    # Days are the station's own days (kiosk/localtime.py): the station gets
    # an IANA zone. `hours` is the structured form of the opening hours
    # (kiosk/hours.py, JSON; '' = not set); `opening_hours` stays the text that
    # slips print and the profile sends. The hook below fills both for a
    # station made before this step.
    return """
    ALTER TABLE station ADD COLUMN timezone TEXT NOT NULL DEFAULT 'UTC';
    ALTER TABLE station ADD COLUMN hours TEXT NOT NULL DEFAULT '';
    """


def _m009_fill(db: Database) -> None:
    """An existing station ran on its computer's clock: take that zone, and
    read its free-text hours where they parse (otherwise they stay text only)."""
    from kiosk import hours as opening_hours
    from kiosk.errors import InvalidInput
    from kiosk.localtime import system_zone_name

    row = db.execute("SELECT opening_hours FROM station WHERE id = 1").fetchone()
    if row is None:
        return
    db.execute("UPDATE station SET timezone = ? WHERE id = 1", [system_zone_name()])
    try:
        parsed = opening_hours.parse(row[0])
    except InvalidInput:
        return
    if parsed.is_set:
        db.execute("UPDATE station SET hours = ?, opening_hours = ? WHERE id = 1",
                   [parsed.to_json(), opening_hours.canonical_text(parsed)])


# Python run after a step's script, in its transaction (data a script cannot compute)
_HOOKS: dict[str, Callable[[Database], None]] = {"m009_timezone": _m009_fill}



@step("m010_safety_training")
def _m010_safety_training() -> str:
    # A training station honours MEDSHARE_NOW and signs its slips so that no real
    # station accepts them (kiosk/clock.py, kiosk/slips.py). A request's safety
    # override is the staff's reason for logging a request the catalog's safety
    # facts refuse for its group ('' = none); allocation matches a conflicting
    # request only when it has one (kiosk/safety.py). Who and when: audit_event.
    return """
    ALTER TABLE station ADD COLUMN training INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE request ADD COLUMN safety_override TEXT NOT NULL DEFAULT '';
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


def version_of(name: str) -> int:
    """The schema version a step brings a database to."""
    return [step_name for step_name, _ in _STEPS].index(name) + 1


def build(migrations_name: str = MIGRATION_SET, *, upto: int | None = None) -> object:
    """The sqlite-utils migration set, one migration per step (the first `upto` only:
    tests make databases of an older version with it)."""
    from sqlite_utils.migrations import Migrations

    migrations = Migrations(migrations_name)
    for version, (name, script) in enumerate(_STEPS[:upto], start=1):

        def apply(db: Database, script: str = script, version: int = version,
                  name: str = name) -> None:
            for statement in _split(script):
                db.execute(statement)
            hook = _HOOKS.get(name)
            if hook is not None:
                hook(db)
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

