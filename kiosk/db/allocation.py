"""Matching requests to stock: first-expiry-first-out, serving order, never expired."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from kiosk import opening
from kiosk.db import ledger, outbox
from kiosk.db import requests as request_store
from kiosk.db.queries import USABLE_LOT
from kiosk.db.store import Store
from kiosk.errors import InvalidInput, NotEnoughStock
from kiosk.rules import LotStock, Pick, pick_fefo


@dataclass(frozen=True)
class Allocation:
    request_id: int
    item_id: str
    units: int
    picks: tuple[Pick, ...]
    extra: dict[str, object] = field(default_factory=dict)

    def to_json(self) -> dict[str, object]:
        return {
            "request": self.request_id,
            "item": self.item_id,
            "units": self.units,
            "lots": [
                {"lot": pick.lot_id, "units": pick.units, "expiry": pick.expiry.isoformat()}
                for pick in self.picks
            ],
            **self.extra,
        }


def pickup_deadline(store: Store, issued: datetime) -> datetime:
    """When a slip issued at `issued` may last be collected (kiosk/opening.py):
    the first closing time at or after the end of the raw pickup window."""
    window = timedelta(hours=store.int_setting("pickup_window_hours"))
    return opening.collect_by(issued + window, store.opening_hours, store.zone)


def usable_from(store: Store) -> date:
    """A lot must still be good on the station-local day its slip's window ends.

    A box is good through its expiry date, local time, so a lot expiring on
    the deadline's own day may be reserved."""
    deadline = pickup_deadline(store, store.clock.now())
    return max(store.today(), store.local_day(deadline))


def _candidate_lots(conn: sqlite3.Connection, item_id: str, good_until: date) -> list[LotStock]:
    rows = conn.execute(
        "SELECT id, expiry, on_hand - reserved AS free FROM lot "
        f"WHERE {USABLE_LOT} ORDER BY expiry, id",
        (item_id, good_until.isoformat()),
    ).fetchall()
    return [LotStock(int(r["id"]), date.fromisoformat(r["expiry"]), int(r["free"])) for r in rows]


def reserve_in(conn: sqlite3.Connection, store: Store, request: request_store.Request,
               at: str, staff: str) -> Allocation:
    """Reserve FEFO lots for one open request (inside a transaction)."""
    good_until = usable_from(store)
    picks = pick_fefo(_candidate_lots(conn, request.item_id, good_until), request.units,
                      good_until)
    for pick in picks:
        ledger.append(conn, at, pick.lot_id, "reserved", pick.units, 0, pick.units,
                      request_id=request.id, staff=staff)
    request_store.set_status(conn, request.id, "reserved", at)
    return Allocation(request.id, request.item_id, request.units, tuple(picks))


def unsafe(store: Store, request: request_store.Request) -> bool:
    """A request the safety facts refuse for its group, with no staff override: never
    matched (the catalog may have changed since it was logged). It holds nobody back."""
    return not request.safety_override and request_store.safety_conflict(
        store, request.item_id, request.priority) is not None


def refuse_unsafe(store: Store, request: request_store.Request) -> None:
    """InvalidInput for a request `unsafe` says must not be matched (one request's match)."""
    if unsafe(store, request):
        found = request_store.safety_conflict(store, request.item_id, request.priority)
        raise InvalidInput(
            f"Request {request.id} cannot be matched: {found.text() if found else ''} "
            "It has no staff safety override; cancel it and log the right item."
        )


def allocate(store: Store, request_id: int | None = None, staff: str = "") -> list[Allocation]:
    """Reserve stock for one request, or for the whole queue in serving order.

    For the whole queue, a request that cannot be filled holds back later
    requests for the same item (nobody jumps the queue by asking for less),
    while other items carry on.
    """
    made: list[Allocation] = []
    with store.write() as conn:
        at = store.now_iso()
        if request_id is not None:
            request = request_store.get(conn, request_id)
            if request.status != "open":
                raise InvalidInput(
                    f"Request {request_id} is {request.status}; only open requests can be matched."
                )
            refuse_unsafe(store, request)
            try:
                made.append(reserve_in(conn, store, request, at, staff))
            except NotEnoughStock as short:
                item = store.item(request.item_id)
                raise NotEnoughStock(
                    f"Not enough {item.name_en} for request {request_id}: {short}"
                ) from None
        else:
            blocked: set[str] = set()
            for request in request_store.queue(conn, include_reserved=False):
                if request.item_id in blocked or unsafe(store, request):
                    continue
                try:
                    made.append(reserve_in(conn, store, request, at, staff))
                except NotEnoughStock:
                    blocked.add(request.item_id)
        from kiosk.db.slips import issue_in  # (kiosk.db.slips imports this module)

        made = [issue_in(conn, store, allocation, staff) for allocation in made]
        if made:
            outbox.listing_changed(conn, store, sorted({a.item_id for a in made}))
    return made

