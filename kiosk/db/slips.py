"""Pickup slips in the station database: issue, look up, redeem, expire, cancel.

A slip is issued inside the transaction that reserves stock for a request
(`issue_in`, called by `allocation.allocate`). Redemption (`redeem`) is one
write transaction (kiosk/db/handover.py) that checks the code, the slip's state, the pickup window
and every reserved lot, then writes the dispense movements and marks the slip
collected; any refusal raises before anything is written, and the rollback
leaves the database exactly as it was. BEGIN IMMEDIATE takes the write lock
before the state is read, so of two kiosks scanning the same slip at once
exactly one collects it; the other then reads 'collected' and says when.
"""

from __future__ import annotations

import secrets
import sqlite3
from dataclasses import replace

from kiosk import opening
from kiosk import slips as codes
from kiosk.clock import iso
from kiosk.db import outbox
from kiosk.db import requests as request_store
from kiosk.db.allocation import Allocation, pickup_deadline

# the records, the readers and the hand-over live in their own modules; this one keeps
# the lifecycle (issue, expire, cancel, reallocate, the print view) and answers for all
from kiosk.db.handover import redeem, status
from kiosk.db.slip_models import Redemption, Slip, SlipLot, SlipStatus, SlipView
from kiosk.db.slip_rows import (
    _from_row,
    _lots_of,
    _resolve,
    _station,
    _zone,
    find,
    for_request,
    get,
    history,
)
from kiosk.db.store import Store
from kiosk.errors import InvalidInput
from kiosk.slips import Refusal, format_moment

STATES = ("issued", "collected", "cancelled", "expired")

__all__ = [
    "STATES", "Redemption", "Slip", "SlipLot", "SlipStatus", "SlipView", "cancel",
    "expire_overdue", "find", "for_request", "get", "history", "issue_in", "live",
    "reallocate", "redeem", "slip_view", "status",
]

STATES = ("issued", "collected", "cancelled", "expired")


def issue_in(conn: sqlite3.Connection, store: Store, allocation: Allocation,
             staff: str = "") -> Allocation:
    """Issue the slip for a request just reserved (inside allocate's transaction).

    A live slip the request still had (after its reservation was released and
    matched again) is cancelled, so only the newest slip can be collected.
    """
    request = request_store.get(conn, allocation.request_id)
    station, secret, training = _station(conn)
    now = store.clock.now()
    at = iso(now)
    expires = pickup_deadline(store, now)
    slip_id = int(conn.execute("SELECT coalesce(max(id), 0) + 1 FROM slip").fetchone()[0])
    if slip_id > codes.MAX_SLIP_ID:
        raise InvalidInput("This station has issued the most slips it can number.")
    conn.execute(
        "UPDATE slip SET status = 'cancelled', status_at = ?, closed_by = ?, note = ? "
        "WHERE request_id = ? AND status = 'issued'",
        (at, staff, f"replaced by slip {slip_id}", request.id),
    )
    nonce = secrets.token_hex(8)
    token = codes.make_token(station, slip_id, secret, nonce, training)
    short = codes.make_short_code(station, slip_id, secret, nonce, training)
    conn.execute(
        "INSERT INTO slip(id, request_id, nonce, short_code, language, issued_at, expires_at, "
        "status, status_at, issued_by) VALUES (?,?,?,?,?,?,?, 'issued', ?, ?)",
        (slip_id, request.id, nonce, short.text, request.language, at, iso(expires), at, staff),
    )
    return replace(allocation, extra={
        **allocation.extra,
        "slip": slip_id,
        "token": token.text,
        "short_code": short.text,
        "expires_at": iso(expires),
    })


def expire_overdue(store: Store, staff: str = "") -> list[int]:
    """Mark every slip past its pickup window expired and give its units back to stock.

    The request is closed as cancelled (the resident did not come; the units
    go to the next person in the queue); they can ask again.
    """
    expired: list[int] = []
    with store.write() as conn:
        now = store.clock.now()
        at = iso(now)
        rows = conn.execute(
            "SELECT id, request_id FROM slip WHERE status = 'issued' AND expires_at < ? "
            "ORDER BY id",
            (at,),
        ).fetchall()
        items: set[str] = set()
        for row in rows:
            slip_id, request_id = int(row[0]), int(row[1])
            conn.execute(
                "UPDATE slip SET status = 'expired', status_at = ?, closed_by = ?, "
                "note = 'pickup window over' WHERE id = ?",
                (at, staff, slip_id),
            )
            if request_store.get(conn, request_id).status == "reserved":
                items.update(request_store.release_in(
                    conn, at, request_id, staff, reason=f"slip {slip_id}: pickup window over",
                    new_status="cancelled",
                ))
            expired.append(slip_id)
        if items:
            outbox.listing_changed(conn, store, sorted(items))
    return expired


def _closable(conn: sqlite3.Connection, text: str | int) -> Slip:
    slip = _resolve(conn, text)
    if slip.status == "collected":
        when = format_moment(slip.collected_at or slip.status_at, "en", _zone(conn))
        raise Refusal(codes.COLLECTED, f"Slip {slip.id} was already collected on {when}.",
                      slip_id=slip.id)
    return slip


def cancel(store: Store, slip: str | int, staff: str = "", *, requeue: bool = False,
           reason: str = "cancelled by staff") -> Slip:
    """Cancel an issued slip and give its units back to stock.

    The request is cancelled too, or put back in the queue with `requeue`.
    """
    with store.write() as conn:
        found = _closable(conn, slip)
        if found.status != "issued":
            raise Refusal(
                codes.CANCELLED if found.status == "cancelled" else codes.WINDOW_OVER,
                f"Slip {found.id} is already {found.status}; there is nothing to cancel.",
                slip_id=found.id,
            )
        at = store.now_iso()
        conn.execute(
            "UPDATE slip SET status = 'cancelled', status_at = ?, closed_by = ?, note = ? "
            "WHERE id = ?",
            (at, staff, reason, found.id),
        )
        request = request_store.get(conn, found.request_id)
        if request.status in ("reserved", "open"):
            items = request_store.release_in(
                conn, at, request.id, staff, reason=f"slip {found.id}: {reason}",
                new_status="open" if requeue else "cancelled",
            )
            outbox.listing_changed(conn, store, items or [request.item_id])
        return get(conn, found.id)


def reallocate(store: Store, slip: str | int, staff: str = "") -> Allocation:
    """Match a slip's request to good stock again and issue a new slip, in one transaction.

    For a slip whose lot expired or was recalled, or whose units were
    released: the old slip is cancelled, its units (if any) released, and the
    request reserved first-expiry-first-out from usable lots. If there is not
    enough stock, nothing changes.
    """
    from kiosk.db.allocation import refuse_unsafe, reserve_in

    with store.write() as conn:
        found = _closable(conn, slip)
        request = request_store.get(conn, found.request_id)
        if request.status in ("collected", "cancelled"):
            raise InvalidInput(
                f"The request for slip {found.id} is {request.status}; log a new request instead."
            )
        refuse_unsafe(store, request)  # like every match: never a conflict nobody overrode
        at = store.now_iso()
        if request.status == "reserved":
            request_store.release_in(conn, at, request.id, staff,
                                     reason=f"slip {found.id}: re-allocated")
        request = request_store.get(conn, request.id)
        allocation = issue_in(conn, store, reserve_in(conn, store, request, at, staff), staff)
        outbox.listing_changed(conn, store, [request.item_id])
    return allocation


def slip_view(store: Store, slip: Slip | str | int) -> SlipView:
    """Everything the printer needs, in the language chosen at request time."""
    with store.read() as conn:
        found = get(conn, slip.id) if isinstance(slip, Slip) else _resolve(conn, slip)
        station = conn.execute(
            "SELECT code, name, address, opening_hours, slip_secret, training, "
            "(SELECT nonce FROM slip WHERE id = ?) AS nonce FROM station WHERE id = 1",
            (found.id,),
        ).fetchone()
        request = request_store.get(conn, found.request_id)
        lots = _lots_of(conn, found)
    code, secret = str(station["code"]), bytes(station["slip_secret"])
    item = store.item(request.item_id)
    lang = found.language
    guidance = item.guidance(lang)
    # never print guidance that contradicts the group the slip was issued for
    unsafe = request_store.safety_conflict(store, item.id, request.priority)
    if unsafe is not None:
        guidance = (unsafe.slip_text(request.safety_override, lang) if request.safety_override
                    else unsafe.text(lang))
    return SlipView(
        slip_id=found.id,
        status=found.status,
        language=lang,
        station_code=code,
        station_name=str(station["name"]),
        station_address=str(station["address"]),
        opening_hours=str(station["opening_hours"]),
        item_id=item.id,
        item_name=item.name(lang),
        item_name_en=item.name_en,
        units=request.units,
        units_text=item.units_text(request.units, lang),
        guidance=guidance,
        for_children=item.for_children,
        issued_at=found.issued_at,
        expires_at=found.expires_at,
        token=found.token,
        short_code=codes.make_short_code(code, found.id, secret, str(station["nonce"]),
                                         bool(station["training"])).text,
        training=bool(station["training"]),
        override=request.safety_override if unsafe is not None else "",
        lots=lots,
        zone=store.zone_name,
        opens_at=opening.come_after(found.issued_at, store.opening_hours, store.zone),
        hours=store.opening_hours,
    )


def live(store: Store) -> list[Slip]:
    """Slips waiting to be collected, oldest first (for the desk's pickup list)."""
    with store.read() as conn:
        rows = conn.execute("SELECT * FROM slip WHERE status = 'issued' ORDER BY id").fetchall()
        station = _station(conn)
    return [_from_row(row, station) for row in rows]
