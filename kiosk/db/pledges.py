"""Drop-offs pre-registered by residents at the kiosk ("I have spare medicine").

A pledge is a promise, not stock: the resident says what they will bring
(item, units, expiry) and gets a numbered receipt for the desk. Only when
staff have inspected the box does it become a lot: `accept` writes the lot,
its 'received' movement and the pledge's new state in one transaction, so a
pledge is never accepted without its lot, nor a lot taken in twice for one
pledge. Staff may correct what the resident typed (the count, the date on
the box) when they accept. A pledge holds no personal data and never syncs.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date

from kiosk.db import ledger
from kiosk.db.store import Store
from kiosk.errors import InvalidInput, NotFound
from kiosk.rules import clean_text, parse_choice, parse_expiry, parse_units

STATES = ("pending", "accepted", "declined")


@dataclass(frozen=True)
class Pledge:
    id: int
    created_at: str
    item_id: str
    units: int
    expiry: date
    language: str
    status: str
    lot_id: int | None
    decided_at: str | None
    staff: str
    reason: str

    def to_json(self) -> dict[str, object]:
        return {
            "pledge": self.id,
            "created_at": self.created_at,
            "item": self.item_id,
            "units": self.units,
            "expiry": self.expiry.isoformat(),
            "language": self.language,
            "status": self.status,
            "lot": self.lot_id,
            "decided_at": self.decided_at,
            "staff": self.staff,
            "reason": self.reason,
        }


def _from_row(row: sqlite3.Row) -> Pledge:
    return Pledge(
        id=int(row["id"]),
        created_at=str(row["created_at"]),
        item_id=str(row["item_id"]),
        units=int(row["units"]),
        expiry=date.fromisoformat(str(row["expiry"])),
        language=str(row["language"]),
        status=str(row["status"]),
        lot_id=None if row["lot_id"] is None else int(row["lot_id"]),
        decided_at=None if row["decided_at"] is None else str(row["decided_at"]),
        staff=str(row["staff"]),
        reason=str(row["reason"]),
    )


def create(store: Store, item_id: str, units: object, expiry: object, *,
           language: str = "en") -> Pledge:
    """Register what a resident will bring; the same checks as a drop-off at the desk."""
    item = store.item(item_id)
    if not item.active:
        raise InvalidInput(f"{item.name_en} is no longer in the catalog; it cannot be taken in.")
    count = parse_units(units)
    good_until = parse_expiry(expiry, store.today())
    lang = parse_choice(language or "en", "The language", ("en", "zh"))
    with store.write() as conn:
        cursor = conn.execute(
            "INSERT INTO pledge(created_at, item_id, units, expiry, language) "
            "VALUES (?,?,?,?,?)",
            (store.now_iso(), item.id, count, good_until.isoformat(), lang),
        )
        return get(conn, int(cursor.lastrowid or 0))


def get(conn: sqlite3.Connection, pledge_id: int) -> Pledge:
    row = conn.execute("SELECT * FROM pledge WHERE id = ?", (pledge_id,)).fetchone()
    if row is None:
        raise NotFound(f"There is no drop-off number {pledge_id}.")
    return _from_row(row)


def pending(conn: sqlite3.Connection) -> list[Pledge]:
    """Pledges waiting for their box, oldest first (the order people come in)."""
    rows = conn.execute(
        "SELECT * FROM pledge WHERE status = 'pending' ORDER BY created_at, id"
    ).fetchall()
    return [_from_row(row) for row in rows]


def _pending_in(conn: sqlite3.Connection, pledge_id: int) -> Pledge:
    pledge = get(conn, pledge_id)
    if pledge.status != "pending":
        raise InvalidInput(
            f"Drop-off {pledge_id} was already {pledge.status}"
            + (f" on {pledge.decided_at[:10]}" if pledge.decided_at else "") + "."
        )
    return pledge


def accept(store: Store, pledge_id: int, item_id: str, units: object, expiry: object,
           lot_number: object = "", source: object = "donation", staff: str = "") -> int:
    """Take the inspected box in as a lot and close the pledge, in one transaction.

    The lot is what staff found (item, units, expiry may differ from what was
    pre-registered). Returns the new lot's id.
    """
    receipt = ledger.check_receipt(store, item_id, units, expiry, lot_number, source)
    with store.write() as conn:
        _pending_in(conn, pledge_id)
        lot_id = ledger.receive_in(conn, store, receipt, staff)
        conn.execute(
            "UPDATE pledge SET status = 'accepted', lot_id = ?, decided_at = ?, staff = ? "
            "WHERE id = ? AND status = 'pending'",
            (lot_id, store.now_iso(), staff, pledge_id),
        )
    return lot_id


def decline(store: Store, pledge_id: int, reason: object, staff: str = "") -> Pledge:
    """Close a pledge without taking anything in (not sealed, expired, never came)."""
    why = clean_text(reason, "The reason", 200, required=True)
    with store.write() as conn:
        _pending_in(conn, pledge_id)
        conn.execute(
            "UPDATE pledge SET status = 'declined', decided_at = ?, staff = ?, reason = ? "
            "WHERE id = ? AND status = 'pending'",
            (store.now_iso(), staff, why, pledge_id),
        )
        return get(conn, pledge_id)
