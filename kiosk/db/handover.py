"""Handing a slip over (`redeem`) and telling its state (`status`).

Redemption is one write transaction that checks the code, the slip's state, the
pickup window and every reserved lot, then writes the dispense movements and
marks the slip collected; any refusal raises before anything is written. BEGIN
IMMEDIATE takes the write lock before the state is read, so of two kiosks
scanning the same slip at once exactly one collects it.
"""

from __future__ import annotations

import sqlite3
from dataclasses import replace

from kiosk import slips as codes
from kiosk.catalog import CatalogItem
from kiosk.clock import iso
from kiosk.db import ledger
from kiosk.db import requests as request_store
from kiosk.db.slip_models import Redemption, Slip, SlipStatus
from kiosk.db.slip_rows import (
    _checked,
    _lots_of,
    _moment,
    _resolve,
    _slip_number,
)
from kiosk.db.store import Store
from kiosk.slips import Refusal, format_moment


def _code_for_handover(text: str) -> codes.Code:
    if _slip_number(text) is not None:
        raise Refusal(
            codes.NUMBER_ONLY,
            f"A slip number ({text.strip()}) alone cannot be used to hand anything over: "
            "scan the QR code on the slip or type the short code printed under it.",
        )
    return codes.read(text)


def _lot_names(item: CatalogItem, lot: ledger.Lot) -> str:
    label = f"Lot {lot.lot_number}" if lot.lot_number else f"Lot {lot.id}"
    return f"{label} of {item.name_en}"


def _refuse_if_not_collectable(conn: sqlite3.Connection, store: Store, slip: Slip,
                               station_name: str) -> list[tuple[int, int]]:
    """Raise the plain reason this slip cannot be collected now, or return its reserved lots."""
    zone = store.zone_name
    if slip.status == "collected":
        when = format_moment(slip.collected_at or slip.status_at, "en", zone)
        raise Refusal(
            codes.COLLECTED,
            f"Already collected on {when} at {station_name} (slip {slip.id}). "
            "Do not hand anything over again.",
            slip_id=slip.id,
        )
    if slip.status == "cancelled":
        why = f" ({slip.note})" if slip.note else ""
        raise Refusal(
            codes.CANCELLED,
            f"Slip {slip.id} was cancelled on {format_moment(slip.status_at, 'en', zone)}{why}; "
            "nothing can be collected with it.",
            slip_id=slip.id,
        )
    now = store.clock.now()
    if slip.status == "expired" or now > slip.expires_at:
        raise Refusal(
            codes.WINDOW_OVER,
            f"The pickup window for slip {slip.id} ended on "
            f"{format_moment(slip.expires_at, 'en', zone)}; the units go back to stock. "
            "The resident can ask again: log a new request.",
            slip_id=slip.id,
        )
    request = request_store.get(conn, slip.request_id)
    held = request_store.reserved_lots(conn, slip.request_id)
    if request.status != "reserved" or sum(units for _, units in held) != request.units:
        if request.status == "cancelled":
            since = conn.execute(
                "SELECT status_at FROM request WHERE id = ?", (request.id,)
            ).fetchone()[0]
            raise Refusal(
                codes.CANCELLED,
                f"The request for slip {slip.id} was cancelled on "
                f"{format_moment(_moment(since), 'en', zone)}; nothing can be collected with it.",
                slip_id=slip.id,
            )
        raise Refusal(
            codes.RELEASED,
            f"The units reserved for slip {slip.id} were put back to stock (a lot expired, "
            "was recalled or staff released them). Re-allocate the request to print a new "
            "slip from good stock.",
            slip_id=slip.id,
        )
    item = store.item(request.item_id)
    today = store.today()
    for lot_id, _ in held:
        lot = ledger.get_lot(conn, lot_id)
        if lot.recalled:
            raise Refusal(
                codes.LOT_UNUSABLE,
                f"{_lot_names(item, lot)} was recalled after slip {slip.id} was "
                "issued; do not hand it over. Re-allocate the request to print a new slip "
                "from good stock.",
                slip_id=slip.id,
            )
        if lot.expiry < today:
            raise Refusal(
                codes.LOT_UNUSABLE,
                f"{_lot_names(item, lot)} expired on {lot.expiry.isoformat()}, "
                f"after slip {slip.id} was issued; do not hand it over. Re-allocate the "
                "request to print a new slip from good stock.",
                slip_id=slip.id,
            )
    return held


def redeem(store: Store, text: str, staff: str = "") -> Redemption:
    """Hand over what a slip reserved, in one transaction; refuse with the reason otherwise.

    `text` is a scanned token or a typed short code. Nothing is written unless
    this call collects the slip.
    """
    code = _code_for_handover(text)
    with store.write() as conn:
        slip = _checked(conn, code)
        station_name = str(conn.execute("SELECT name FROM station").fetchone()[0])
        _refuse_if_not_collectable(conn, store, slip, station_name)
        now = store.clock.now()
        at = iso(now)
        request = request_store.get(conn, slip.request_id)
        request_store.dispense_in(conn, at, slip.request_id, staff)
        cursor = conn.execute(
            "UPDATE slip SET status = 'collected', status_at = ?, collected_at = ?, "
            "closed_by = ? WHERE id = ? AND status = 'issued'",
            (at, at, staff, slip.id),
        )
        if cursor.rowcount != 1:  # pragma: no cover - the write lock makes this impossible
            raise AssertionError(f"slip {slip.id} changed under the write lock")
        collected = replace(slip, status="collected", status_at=now, collected_at=now)
        lots = _lots_of(conn, collected)
    item = store.item(request.item_id)
    return Redemption(
        slip_id=slip.id,
        request_id=request.id,
        item_id=item.id,
        item_name_en=item.name_en,
        item_name_zh=item.name_zh,
        units=request.units,
        units_text=item.units_text(request.units),
        language=slip.language,
        lots=lots,
        collected_at=now,
        staff=staff,
    )


def status(store: Store, text: str, *, allow_number: bool = False) -> SlipStatus:
    """What a resident sees when they scan their slip at the kiosk; changes nothing.

    A bare slip number is accepted only with `allow_number` (staff tools).
    """
    with store.read() as conn:
        if allow_number and _slip_number(text) is not None:
            slip = _resolve(conn, text)
        else:
            slip = _checked(conn, _code_for_handover(text))
        request = request_store.get(conn, slip.request_id)
        station_name = str(conn.execute("SELECT name FROM station").fetchone()[0])
        state = {"issued": "ready", "collected": "collected", "cancelled": "cancelled",
                 "expired": "expired"}[slip.status]
        at = slip.collected_at or slip.status_at
        if slip.status == "issued":
            at = slip.expires_at
            try:
                _refuse_if_not_collectable(conn, store, slip, station_name)
            except Refusal as refusal:
                state = {codes.WINDOW_OVER: "expired",
                         codes.CANCELLED: "cancelled"}.get(refusal.reason, "see-desk")
    item = store.item(request.item_id)
    return SlipStatus(
        slip_id=slip.id,
        state=state,
        item_name_en=item.name_en,
        item_name_zh=item.name_zh,
        units_text_en=item.units_text(request.units, "en"),
        units_text_zh=item.units_text(request.units, "zh"),
        at=at,
        language=slip.language,
        zone=store.zone_name,
    )
