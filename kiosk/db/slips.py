"""Pickup slips in the station database: issue, look up, redeem, expire, cancel.

A slip is issued inside the transaction that reserves stock for a request
(`issue_in`, called by `allocation.allocate`). Redemption (`redeem`) is one
write transaction that checks the code, the slip's state, the pickup window
and every reserved lot, then writes the dispense movements and marks the slip
collected; any refusal raises before anything is written, and the rollback
leaves the database exactly as it was. BEGIN IMMEDIATE takes the write lock
before the state is read, so of two kiosks scanning the same slip at once
exactly one collects it; the other then reads 'collected' and says when.
"""

from __future__ import annotations

import secrets
import sqlite3
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import NamedTuple

from kiosk import hours as hours_module
from kiosk import opening
from kiosk import slips as codes
from kiosk.catalog import CatalogItem
from kiosk.clock import iso, parse_instant
from kiosk.db import ledger, outbox
from kiosk.db import requests as request_store
from kiosk.db.allocation import Allocation, pickup_deadline
from kiosk.db.store import Store
from kiosk.errors import InvalidInput, NotFound, NotInitialised
from kiosk.hours import NO_HOURS, OpeningHours
from kiosk.messages import say
from kiosk.slips import Refusal, format_moment

STATES = ("issued", "collected", "cancelled", "expired")


@dataclass(frozen=True)
class Slip:
    id: int
    request_id: int
    short_code: str
    language: str
    issued_at: datetime
    expires_at: datetime
    status: str
    status_at: datetime
    collected_at: datetime | None
    issued_by: str
    closed_by: str
    note: str
    token: str  # the QR payload, derived from the station secret (not stored)

    def to_json(self) -> dict[str, object]:
        return {
            "slip": self.id,
            "request": self.request_id,
            "short_code": self.short_code,
            "token": self.token,
            "language": self.language,
            "issued_at": iso(self.issued_at),
            "expires_at": iso(self.expires_at),
            "status": self.status,
            "status_at": iso(self.status_at),
            "collected_at": iso(self.collected_at) if self.collected_at else None,
        }


@dataclass(frozen=True)
class SlipLot:
    lot_id: int
    units: int
    expiry: date
    lot_number: str

    def to_json(self) -> dict[str, object]:
        return {"lot": self.lot_id, "units": self.units, "expiry": self.expiry.isoformat(),
                "lot_number": self.lot_number}


@dataclass(frozen=True)
class SlipView:
    """Everything a printer needs for one slip, already in the resident's language."""

    slip_id: int
    status: str
    language: str
    station_code: str
    station_name: str
    station_address: str
    opening_hours: str
    item_id: str
    item_name: str
    item_name_en: str
    units: int
    units_text: str
    guidance: str
    for_children: bool
    issued_at: datetime
    expires_at: datetime
    token: str
    short_code: str
    lots: tuple[SlipLot, ...]
    training: bool = False  # printed for practice on a training station
    override: str = ""  # the staff's reason for a request the safety facts refuse
    zone: str = "UTC"  # the station's; every time printed is on its wall clock
    opens_at: datetime | None = None  # "come after": issued_at moved into opening hours
    hours: OpeningHours = NO_HOURS  # structured opening hours (not set: raw times)

    def hours_text(self, language: str | None = None) -> str:
        return hours_module.display(self.opening_hours, self.hours, language or self.language)

    def collect_by_text(self, language: str | None = None) -> str:
        """The deadline sentence: with opening hours, it is a closing time."""
        lang = language or self.language
        end = format_moment(self.expires_at, lang, self.zone)
        return say("slip.collect_by_close" if self.hours.is_set else "slip.collect_by", lang,
                   end=end)

    @property
    def collect_from(self) -> datetime:
        return self.opens_at or self.issued_at

    def window_text(self, language: str | None = None) -> str:
        lang = language or self.language
        start = format_moment(self.collect_from, lang, self.zone)
        end = format_moment(self.expires_at, lang, self.zone)
        return say("slip.window", lang, start=start, end=end)


@dataclass(frozen=True)
class Redemption:
    """What this scan collected: hand these units over now."""

    slip_id: int
    request_id: int
    item_id: str
    item_name_en: str
    item_name_zh: str
    units: int
    units_text: str
    language: str
    lots: tuple[SlipLot, ...]
    collected_at: datetime
    staff: str

    def handover_text(self) -> str:
        lots = ", ".join(
            f"lot {lot.lot_number or lot.lot_id} (exp {lot.expiry.isoformat()}) x{lot.units}"
            for lot in self.lots
        )
        return (f"Collected slip {self.slip_id}: hand over {self.units_text} of "
                f"{self.item_name_en} / {self.item_name_zh} from {lots}.")

    def to_json(self) -> dict[str, object]:
        return {
            "slip": self.slip_id,
            "request": self.request_id,
            "item": self.item_id,
            "name": {"en": self.item_name_en, "zh": self.item_name_zh},
            "units": self.units,
            "units_text": self.units_text,
            "language": self.language,
            "lots": [lot.to_json() for lot in self.lots],
            "collected_at": iso(self.collected_at),
            "staff": self.staff,
        }


@dataclass(frozen=True)
class SlipStatus:
    """What the resident kiosk says about a scanned slip (nothing is changed)."""

    slip_id: int
    state: str  # ready, collected, expired, cancelled, see-desk
    item_name_en: str
    item_name_zh: str
    units_text_en: str
    units_text_zh: str
    at: datetime  # collect by / collected on / expired on / cancelled on / since
    language: str
    zone: str = "UTC"  # the station's

    def message(self, language: str | None = None) -> str:
        lang = language or self.language
        when = format_moment(self.at, lang, self.zone)
        # the item's name and units are bilingual data; the sentence comes from the catalog
        named = {"en": (self.item_name_en, self.units_text_en),
                 "zh": (self.item_name_zh, self.units_text_zh)}
        item, units = named.get(lang, named["en"])
        what = say("slip.what", lang, item=item, units=units)
        return say(f"slip.state.{self.state}", lang, what=what, when=when)

    def to_json(self) -> dict[str, object]:
        return {
            "slip": self.slip_id,
            "state": self.state,
            "at": iso(self.at),
            "item": {"en": self.item_name_en, "zh": self.item_name_zh},
            "units": {"en": self.units_text_en, "zh": self.units_text_zh},
            "message": {"en": self.message("en"), "zh": self.message("zh")},
        }


# -- rows -----------------------------------------------------------------------------


def _moment(value: object) -> datetime:
    return parse_instant(str(value))


class _Station(NamedTuple):
    code: str
    secret: bytes
    training: bool


def _from_row(row: sqlite3.Row, station: _Station) -> Slip:
    code, secret, training = station
    return Slip(
        id=int(row["id"]),
        request_id=int(row["request_id"]),
        short_code=str(row["short_code"]),
        language=str(row["language"]),
        issued_at=_moment(row["issued_at"]),
        expires_at=_moment(row["expires_at"]),
        status=str(row["status"]),
        status_at=_moment(row["status_at"]),
        collected_at=_moment(row["collected_at"]) if row["collected_at"] else None,
        issued_by=str(row["issued_by"]),
        closed_by=str(row["closed_by"]),
        note=str(row["note"]),
        token=codes.make_token(code, int(row["id"]), secret, str(row["nonce"]), training).text,
    )


def _row(conn: sqlite3.Connection, slip_id: int) -> sqlite3.Row | None:
    row: sqlite3.Row | None = conn.execute(
        "SELECT * FROM slip WHERE id = ?", (slip_id,)
    ).fetchone()
    return row


def _zone(conn: sqlite3.Connection) -> str:
    """The station's zone name, for times in messages (kiosk/localtime.py)."""
    row = conn.execute("SELECT timezone FROM station WHERE id = 1").fetchone()
    return str(row[0]) if row is not None else "UTC"


def _station(conn: sqlite3.Connection) -> _Station:
    row = conn.execute(
        "SELECT code, slip_secret, training FROM station WHERE id = 1").fetchone()
    if row is None:
        raise NotInitialised("This station has not been set up yet.")
    return _Station(str(row[0]), bytes(row[1]), bool(row[2]))


def get(conn: sqlite3.Connection, slip_id: int) -> Slip:
    row = _row(conn, slip_id)
    if row is None:
        raise NotFound(f"There is no slip number {slip_id} at this station.")
    return _from_row(row, _station(conn))


def history(conn: sqlite3.Connection, request_id: int) -> list[Slip]:
    """Every slip a request ever had, oldest first."""
    rows = conn.execute(
        "SELECT * FROM slip WHERE request_id = ? ORDER BY id", (request_id,)
    ).fetchall()
    station = _station(conn)
    return [_from_row(row, station) for row in rows]


def for_request(conn: sqlite3.Connection, request_id: int) -> Slip | None:
    """The request's newest slip (the live one, if it has one), or None."""
    slips = history(conn, request_id)
    return slips[-1] if slips else None


# -- issuing ----------------------------------------------------------------------------


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


# -- finding and checking -----------------------------------------------------------------


def _checked(conn: sqlite3.Connection, code: codes.Code) -> Slip:
    """The slip a code names, if the code is genuine and from this station."""
    here = _station(conn)
    station, secret, training = here
    if isinstance(code, codes.Token) and code.training != training:
        raise codes.wrong_kind(code, training)
    if isinstance(code, codes.Token) and code.station != station:
        raise codes.other_station(code.station, station, code.slip_id)
    row = _row(conn, code.slip_id)
    if row is None:
        # same words as a bad MAC: without the slip there is nothing to check against
        raise (codes.forged(code.slip_id) if isinstance(code, codes.Token)
               else codes.short_mismatch(code))
    codes.verify(code, station, secret, str(row["nonce"]), training)
    return _from_row(row, here)


def _slip_number(text: str) -> int | None:
    stripped = text.strip()
    if stripped.isascii() and stripped.isdigit() and len(stripped) <= 8:
        return int(stripped)
    return None


def find(store: Store, text: str | int) -> Slip:
    """A slip by its number (staff only), its token, or its short code.

    A token or short code must be genuine; a bare number is trusted, as it
    is typed by staff who can see the slip list.
    """
    with store.read() as conn:
        return _resolve(conn, text)


def _resolve(conn: sqlite3.Connection, text: str | int) -> Slip:
    if isinstance(text, int):
        return get(conn, text)
    number = _slip_number(text)
    if number is not None:
        return get(conn, number)
    return _checked(conn, codes.read(text))


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


def _lots_of(conn: sqlite3.Connection, slip: Slip) -> tuple[SlipLot, ...]:
    """The lots a slip holds (issued) or handed over (collected)."""
    if slip.status == "collected":
        rows = conn.execute(
            "SELECT lot_id, sum(units) FROM movement WHERE request_id = ? AND kind = 'dispensed' "
            "GROUP BY lot_id ORDER BY lot_id",
            (slip.request_id,),
        ).fetchall()
        pairs = [(int(row[0]), int(row[1])) for row in rows]
    elif slip.status == "issued":
        pairs = request_store.reserved_lots(conn, slip.request_id)
    else:
        pairs = []
    found = []
    for lot_id, units in pairs:
        lot = ledger.get_lot(conn, lot_id)
        found.append(SlipLot(lot_id, units, lot.expiry, lot.lot_number))
    return tuple(found)


# -- redeeming ------------------------------------------------------------------------------


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


# -- closing slips ---------------------------------------------------------------------------


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


# -- printing ------------------------------------------------------------------------------


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
