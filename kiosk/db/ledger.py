"""The movement ledger: lots come in, are reserved, handed over, written off.

A movement is never changed. Each one carries the hash of the one before it,
so editing or deleting a row anywhere breaks the chain (`db verify`). The
cached balance on the lot changes in the same transaction as its movement.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from kiosk.db import outbox
from kiosk.db.queries import USABLE_LOT

# the stock table has its own module; ledger.stock and ledger.StockLine stay as they were
from kiosk.db.stock import StockLine as StockLine
from kiosk.db.stock import stock as stock
from kiosk.db.store import Store
from kiosk.errors import InvalidInput, NotFound
from kiosk.rules import (
    MAX_UNITS_PER_ENTRY,
    SOURCE_CHANNELS,
    ascii_whole,
    clean_text,
    parse_choice,
    parse_expiry,
    parse_units,
)

GENESIS = "0" * 64
# a lot holds what one or more drop-offs brought; a count above this is a typing slip
MAX_COUNTED = 100 * MAX_UNITS_PER_ENTRY


def movement_hash(
    prev_hash: str,
    movement_id: int,
    at: str,
    lot_id: int,
    kind: str,
    units: int,
    on_hand_delta: int,
    reserved_delta: int,
    request_id: int | None,
    reason: str,
    staff: str,
) -> str:
    canonical = "\x1f".join(
        (
            prev_hash,
            str(movement_id),
            at,
            str(lot_id),
            kind,
            str(units),
            str(on_hand_delta),
            str(reserved_delta),
            "" if request_id is None else str(request_id),
            reason,
            staff,
        )
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _last(conn: sqlite3.Connection) -> tuple[int, str]:
    row = conn.execute("SELECT id, hash FROM movement ORDER BY id DESC LIMIT 1").fetchone()
    return (0, GENESIS) if row is None else (int(row[0]), str(row[1]))


def append(
    conn: sqlite3.Connection,
    at: str,
    lot_id: int,
    kind: str,
    units: int,
    on_hand_delta: int,
    reserved_delta: int,
    *,
    request_id: int | None = None,
    reason: str = "",
    staff: str = "",
) -> int:
    """Write one movement and move the lot's cached balance with it.

    Must run inside a write transaction. The CHECK constraints on `lot`
    refuse a balance that would go negative, which aborts the transaction.
    """
    last_id, prev_hash = _last(conn)
    movement_id = last_id + 1
    digest = movement_hash(
        prev_hash, movement_id, at, lot_id, kind, units, on_hand_delta, reserved_delta,
        request_id, reason, staff,
    )
    conn.execute(
        "INSERT INTO movement(id, at, lot_id, kind, units, on_hand_delta, reserved_delta, "
        "request_id, reason, staff, prev_hash, hash) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
        (movement_id, at, lot_id, kind, units, on_hand_delta, reserved_delta, request_id,
         reason, staff, prev_hash, digest),
    )
    conn.execute(
        "UPDATE lot SET on_hand = on_hand + ?, reserved = reserved + ? WHERE id = ?",
        (on_hand_delta, reserved_delta, lot_id),
    )
    return movement_id


class Receipt(NamedTuple):
    """A drop-off checked and ready to write (a tuple: imports make 100,000 of them)."""

    item_id: str
    units: int
    expiry: date
    lot_number: str
    source: str


def check_receipt(
    store: Store,
    item_id: str,
    units: object,
    expiry: object,
    lot_number: object = "",
    source: object = "donation",
    *,
    today: date | None = None,
) -> Receipt:
    item = store.item(item_id)
    if not item.active:
        raise InvalidInput(f"{item.name_en} is no longer in the catalog; it cannot be taken in.")
    return Receipt(
        item_id=item.id,
        units=parse_units(units),
        expiry=parse_expiry(expiry, today or store.today()),
        lot_number=clean_text(lot_number, "The lot number", 40),
        source=parse_choice(source or "donation", "The source", SOURCE_CHANNELS),
    )


def receive(
    store: Store,
    item_id: str,
    units: object,
    expiry: object,
    lot_number: object = "",
    source: object = "donation",
    staff: str = "",
) -> int:
    """Take in one lot; returns its id once it is durably saved."""
    receipt = check_receipt(store, item_id, units, expiry, lot_number, source)
    with store.write() as conn:
        lot_id = _insert_lot(conn, store.now_iso(), receipt, staff)
        outbox.listing_changed(conn, store, [receipt.item_id])
    return lot_id


def receive_in(conn: sqlite3.Connection, store: Store, receipt: Receipt, staff: str = "") -> int:
    """Take in one checked lot inside the caller's write transaction (with its listing).

    For changes that must commit together with the receipt, such as a
    resident's pre-registered drop-off being accepted (kiosk.db.pledges).
    """
    lot_id = _insert_lot(conn, store.now_iso(), receipt, staff)
    outbox.listing_changed(conn, store, [receipt.item_id])
    return lot_id


def _insert_lot(conn: sqlite3.Connection, at: str, receipt: Receipt, staff: str) -> int:
    cursor = conn.execute(
        "INSERT INTO lot(item_id, expiry, lot_number, source, received_at, staff) "
        "VALUES (?,?,?,?,?,?)",
        (receipt.item_id, receipt.expiry.isoformat(), receipt.lot_number, receipt.source, at,
         staff),
    )
    lot_id = int(cursor.lastrowid or 0)
    append(conn, at, lot_id, "received", receipt.units, receipt.units, 0, staff=staff)
    return lot_id


def receive_many(store: Store, receipts: Sequence[Receipt], staff: str = "") -> list[int]:
    """All lots in one transaction (CSV import): all are saved, or none.

    Rows go in with executemany and hashes are chained in Python, which
    keeps a 100,000-row import close to a bare insert.
    """
    if not receipts:
        return []
    with store.write() as conn:
        at = store.now_iso()
        first_lot = int(conn.execute("SELECT coalesce(max(id), 0) FROM lot").fetchone()[0]) + 1
        lot_ids = list(range(first_lot, first_lot + len(receipts)))
        conn.executemany(
            "INSERT INTO lot(id, item_id, expiry, lot_number, source, received_at, staff, "
            "on_hand) VALUES (?,?,?,?,?,?,?,?)",
            [
                (lot_id, r.item_id, r.expiry.isoformat(), r.lot_number, r.source, at, staff,
                 r.units)
                for lot_id, r in zip(lot_ids, receipts, strict=True)
            ],
        )
        last_id, prev_hash = _last(conn)
        rows = []
        for offset, (lot_id, receipt) in enumerate(zip(lot_ids, receipts, strict=True), 1):
            movement_id = last_id + offset
            digest = movement_hash(
                prev_hash, movement_id, at, lot_id, "received", receipt.units, receipt.units,
                0, None, "", staff,
            )
            rows.append((movement_id, at, lot_id, "received", receipt.units, receipt.units, 0,
                         None, "", staff, prev_hash, digest))
            prev_hash = digest
        conn.executemany(
            "INSERT INTO movement(id, at, lot_id, kind, units, on_hand_delta, reserved_delta, "
            "request_id, reason, staff, prev_hash, hash) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
            rows,
        )
        outbox.listing_changed(conn, store, sorted({r.item_id for r in receipts}))
    return lot_ids


@dataclass(frozen=True)
class Lot:
    id: int
    item_id: str
    expiry: date
    lot_number: str
    source: str
    received_at: str
    on_hand: int
    reserved: int
    recalled: bool

    @property
    def available(self) -> int:
        return self.on_hand - self.reserved


def _lot_from_row(row: sqlite3.Row) -> Lot:
    return Lot(
        id=int(row["id"]),
        item_id=str(row["item_id"]),
        expiry=date.fromisoformat(row["expiry"]),
        lot_number=str(row["lot_number"]),
        source=str(row["source"]),
        received_at=str(row["received_at"]),
        on_hand=int(row["on_hand"]),
        reserved=int(row["reserved"]),
        recalled=bool(row["recalled"]),
    )


_LOT_SELECT = (
    "SELECT lot.*, recall.lot_id IS NOT NULL AS recalled FROM lot "
    "LEFT JOIN recall ON recall.lot_id = lot.id"
)


def get_lot(conn: sqlite3.Connection, lot_id: int) -> Lot:
    row = conn.execute(f"{_LOT_SELECT} WHERE lot.id = ?", (lot_id,)).fetchone()
    if row is None:
        raise NotFound(f"There is no lot number {lot_id} at this station.")
    return _lot_from_row(row)


def lots(
    conn: sqlite3.Connection, item_id: str | None = None, *, in_stock: bool = True
) -> list[Lot]:
    where = []
    params: list[object] = []
    if item_id is not None:
        where.append("lot.item_id = ?")
        params.append(item_id)
    if in_stock:
        where.append("lot.on_hand > 0")
    clause = f" WHERE {' AND '.join(where)}" if where else ""
    rows = conn.execute(f"{_LOT_SELECT}{clause} ORDER BY lot.expiry, lot.id", params).fetchall()
    return [_lot_from_row(row) for row in rows]


def available_units(conn: sqlite3.Connection, item_id: str, today: date) -> int:
    """Units of an item that could be reserved now: unexpired, not recalled, not reserved."""
    row = conn.execute(
        "SELECT coalesce(sum(on_hand - reserved), 0) FROM lot "
        f"WHERE {USABLE_LOT}",
        (item_id, today.isoformat()),
    ).fetchone()
    return int(row[0])


def dispose(store: Store, lot_id: int, units: object, reason: object, staff: str = "") -> None:
    """Write off damaged or unusable units that nobody has reserved."""
    count = parse_units(units)
    why = clean_text(reason, "The reason", 200, required=True)
    with store.write() as conn:
        lot = get_lot(conn, lot_id)
        if count > lot.available:
            raise InvalidInput(
                f"Lot {lot_id} has only {lot.available} unreserved units to write off."
            )
        append(conn, store.now_iso(), lot_id, "disposed", count, -count, 0, reason=why,
               staff=staff)
        outbox.listing_changed(conn, store, [lot.item_id])


def count_lot(store: Store, lot_id: int, counted: object, reason: object = "stock count",
              staff: str = "") -> int:
    """Record a stock count; an 'adjusted' movement makes the ledger agree. Returns the change."""
    found = ascii_whole(counted)
    if found is None or not 0 <= found <= MAX_COUNTED:
        raise InvalidInput("The counted number of units must be a whole number from 0 to "
                           f"{MAX_COUNTED:,}.")
    why = clean_text(reason, "The reason", 200, required=True)
    with store.write() as conn:
        lot = get_lot(conn, lot_id)
        if found < lot.reserved:
            raise InvalidInput(
                f"Lot {lot_id} has {lot.reserved} units reserved for residents; "
                "release those reservations before counting fewer."
            )
        delta = found - lot.on_hand
        if delta:
            append(conn, store.now_iso(), lot_id, "adjusted", abs(delta), delta, 0,
                   reason=why, staff=staff)
            outbox.listing_changed(conn, store, [lot.item_id])
    return delta


def recall_lot(store: Store, lot_id: int, reason: object, staff: str = "") -> None:
    """Mark a lot recalled: it is never allocated or handed over again."""
    why = clean_text(reason, "The reason", 200, required=True)
    with store.write() as conn:
        lot = get_lot(conn, lot_id)
        conn.execute(
            "INSERT OR IGNORE INTO recall(lot_id, recalled_at, reason) VALUES (?,?,?)",
            (lot_id, store.now_iso(), why),
        )
        outbox.listing_changed(conn, store, [lot.item_id])


def expire(store: Store, staff: str = "") -> list[tuple[int, int]]:
    """Write off every expired lot still on the shelf; returns (lot id, units).

    Units reserved from an expired lot are released first and the request
    goes back to the queue, so it can be matched to good stock.
    """
    from kiosk.db import requests as request_store

    today = store.today().isoformat()
    written_off: list[tuple[int, int]] = []
    with store.write() as conn:
        at = store.now_iso()
        expired = conn.execute(
            "SELECT id, item_id FROM lot WHERE expiry < ? AND on_hand > 0 ORDER BY id", (today,)
        ).fetchall()
        items: set[str] = set()
        for row in expired:
            lot_id = int(row["id"])
            request_store.release_lot_reservations(conn, at, lot_id, staff,
                                                   reason="lot expired")
            lot = get_lot(conn, lot_id)
            append(conn, at, lot_id, "expired", lot.on_hand, -lot.on_hand, 0,
                   reason="past expiry date", staff=staff)
            written_off.append((lot_id, lot.on_hand))
            items.add(str(row["item_id"]))
        if items:
            outbox.listing_changed(conn, store, sorted(items))
    return written_off


def movements(conn: sqlite3.Connection, *, lot_id: int | None = None,
              request_id: int | None = None, limit: int | None = None) -> list[sqlite3.Row]:
    where = []
    params: list[object] = []
    if lot_id is not None:
        where.append("movement.lot_id = ?")
        params.append(lot_id)
    if request_id is not None:
        where.append("movement.request_id = ?")
        params.append(request_id)
    clause = f" WHERE {' AND '.join(where)}" if where else ""
    tail = f" LIMIT {int(limit)}" if limit else ""
    return conn.execute(
        "SELECT movement.id, movement.at, movement.lot_id, lot.item_id, movement.kind, "
        "movement.units, movement.on_hand_delta, movement.reserved_delta, movement.request_id, "
        "movement.reason, movement.staff, movement.hash FROM movement "
        f"JOIN lot ON lot.id = movement.lot_id{clause} ORDER BY movement.id{tail}",
        params,
    ).fetchall()
