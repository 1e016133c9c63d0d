"""Requests from residents: limits, flags, the serving queue, reservations.

A phone number is stored encrypted (so staff can call back), as a keyed
hash (for limits and flags) and masked to its last four digits (so staff can
match a request to the person at the desk); the keys are in the key file,
not here (kiosk/db/contact.py). All of it is erased after the retention
period, and the key that encrypted it is destroyed soon after.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime, timedelta

from kiosk import phone as phones
from kiosk import safety
from kiosk.clock import iso
from kiosk.db import contact, events, ledger, outbox
from kiosk.db.store import Store
from kiosk.errors import InvalidInput, LimitExceeded, NotFound
from kiosk.localtime import day_start
from kiosk.rules import (
    LIMIT_WINDOW,
    PRIORITY_GROUPS,
    clean_text,
    household_limit,
    parse_choice,
    parse_household,
    parse_units,
)


@dataclass(frozen=True)
class Request:
    id: int
    created_at: str
    item_id: str
    units: int
    priority: str
    household: int
    language: str
    phone_masked: str | None
    flag: str
    status: str
    safety_override: str = ""  # staff's reason for a request the safety facts refuse

    def to_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "created_at": self.created_at,
            "item": self.item_id,
            "units": self.units,
            "priority": self.priority,
            "household": self.household,
            "language": self.language,
            "phone": self.phone_masked,
            "flag": self.flag or None,
            "status": self.status,
            "safety_override": self.safety_override or None,
        }


def _from_row(row: sqlite3.Row) -> Request:
    return Request(
        id=int(row["id"]),
        created_at=str(row["created_at"]),
        item_id=str(row["item_id"]),
        units=int(row["units"]),
        priority=str(row["priority"]),
        household=int(row["household"]),
        language=str(row["language"]),
        phone_masked=row["phone_masked"],
        flag=str(row["flag"]),
        status=str(row["status"]),
        safety_override=str(row["safety_override"]),
    )


def item_limit(store: Store, item_id: str) -> int:
    """Per person per 7 days: the station's own setting, else the catalog's default."""
    row = store.conn.execute(
        "SELECT value FROM setting WHERE key = ?", (f"limit.{item_id}",)
    ).fetchone()
    return int(row[0]) if row else store.item(item_id).limit_per_7_days


def create(
    store: Store,
    item_id: str,
    units: object,
    *,
    priority: object = "none",
    household: object = 1,
    phone: str | None = None,
    language: str = "en",
    override_reason: str | None = None,
    staff: str = "",
) -> Request:
    """Log a request; refuse one over the limit, flag a repeat requester.

    A request the item's safety facts refuse for its group (kiosk.safety) is
    refused, unless staff give `override_reason`, which is kept on the request
    and written to the audit with `staff` in the same transaction.
    """
    item = store.item(item_id)
    if not item.active:
        raise InvalidInput(f"{item.name_en} is no longer in the catalog.")
    count = parse_units(units)
    group = parse_choice(priority or "none", "The priority group", PRIORITY_GROUPS)
    reason = check_override(store, item_id, group, override_reason)
    if reason and not staff.strip():
        raise InvalidInput("A safety override needs the name of the staff member who gives it.")
    size = parse_household(household)
    lang = parse_choice(language or "en", "The language", ("en", "zh"))
    per_person = item_limit(store, item.id)
    allowed = household_limit(per_person, size, store.int_setting("household_cap"))
    scale = f" ({allowed} for a household of {size})" if allowed != per_person else ""
    limit_text = (
        f"The limit for {item.name_en} is {item.units_text(per_person)} per person{scale} "
        "in 7 days"
    )
    if count > allowed:
        raise LimitExceeded(f"{limit_text}; {count} is more than that.")
    now = store.clock.now()
    number = masked = None
    if phone is not None and phone.strip():
        number = phones.normalise(phone)
        masked = phones.mask(number)
    with store.write() as conn:
        flag = ""
        keys = contact.keys_for_writing(store, conn) if number is not None else None
        if keys is not None and number is not None:
            known = contact.hashes(keys, number)
            since = iso(now - LIMIT_WINDOW)
            recent = conn.execute(
                f"SELECT item_id, units FROM request WHERE phone_hash IN "
                f"({','.join('?' * len(known))}) AND created_at >= ? AND status != 'cancelled'",
                (*known, since),
            ).fetchall() if known else []
            already = sum(int(r["units"]) for r in recent if r["item_id"] == item.id)
            if already + count > allowed:
                left = max(0, allowed - already)
                # staff-side words (desk, command line); the kiosk says its own, which
                # never tell what a number asked for before
                raise LimitExceeded(
                    f"{limit_text}. This phone number already asked for "
                    f"{item.units_text(already)} in the last 7 days, so at most {left} more."
                )
            same_item = sum(1 for r in recent if r["item_id"] == item.id)
            if same_item:
                flag = f"asked for this item {same_item + 1} times in 7 days"
            elif len(recent) + 1 >= store.int_setting("flag_after_requests"):
                flag = f"{len(recent) + 1} requests from this phone in 7 days"
        cursor = conn.execute(
            "INSERT INTO request(created_at, item_id, units, priority, household, language, "
            "phone_masked, flag, status, status_at, safety_override) "
            "VALUES (?,?,?,?,?,?,?,?, 'open', ?, ?)",
            (iso(now), item.id, count, group, size, lang, masked, flag, iso(now), reason),
        )
        request_id = int(cursor.lastrowid or 0)
        if keys is not None and number is not None:
            sealed = contact.seal(store, conn, keys, number, request_id)
            conn.execute(
                "UPDATE request SET phone_cipher = ?, phone_nonce = ?, phone_key_id = ?, "
                "phone_hash = ? WHERE id = ?",
                (sealed.cipher, sealed.nonce, sealed.key_id, sealed.phone_hash, request_id))
        if reason:
            events.record(conn, iso(now), staff, "safety_override", request_id, detail=reason)
        outbox.listing_changed(conn, store, [item.id])
        row = conn.execute("SELECT * FROM request WHERE id = ?", (request_id,)).fetchone()
    return _from_row(row)


def safety_conflict(store: Store, item_id: str, group: str) -> safety.Conflict | None:
    """Does the catalog's safety facts refuse this item for this priority group?"""
    return safety.conflict(store.item(item_id), group,
                           {item.id: item for item in store.catalog.items})


def check_override(store: Store, item_id: str, group: str, reason: str | None) -> str:
    """The override reason to keep ('' for none); refuses a conflict without one."""
    found = safety_conflict(store, item_id, group)
    if found is None:
        if reason is not None and reason.strip():
            raise InvalidInput(
                f"{store.item(item_id).name_en} is not refused for the group '{group}', so it "
                "needs no safety override; leave the override reason out."
            )
        return ""
    if reason is None or not reason.strip():
        raise safety.SafetyConflict(found)
    text = clean_text(reason, "The override reason", 200, required=True)
    if len(text) < 4:
        raise InvalidInput("Say in a few words why the safety rule is overridden "
                           "(for example: child is 14, checked with pharmacist).")
    return text


_QUEUE_ORDER = "ORDER BY (priority = 'none'), created_at, id"


def queue(conn: sqlite3.Connection, *, include_reserved: bool = True) -> list[Request]:
    """Open requests (and those waiting for pickup) in serving order."""
    statuses = "('open', 'reserved')" if include_reserved else "('open')"
    rows = conn.execute(f"SELECT * FROM request WHERE status IN {statuses} {_QUEUE_ORDER}")
    return [_from_row(row) for row in rows.fetchall()]


def get(conn: sqlite3.Connection, request_id: int) -> Request:
    row = conn.execute("SELECT * FROM request WHERE id = ?", (request_id,)).fetchone()
    if row is None:
        raise NotFound(f"There is no request number {request_id}.")
    return _from_row(row)


def reserved_lots(conn: sqlite3.Connection, request_id: int) -> list[tuple[int, int]]:
    """(lot id, units still reserved) for a request, from its movements."""
    rows = conn.execute(
        "SELECT lot_id, -sum(reserved_delta) AS held FROM movement WHERE request_id = ? "
        "GROUP BY lot_id HAVING sum(reserved_delta) != 0 ORDER BY lot_id",
        (request_id,),
    ).fetchall()
    return [(int(row["lot_id"]), -int(row["held"])) for row in rows]


def set_status(conn: sqlite3.Connection, request_id: int, status: str, at: str) -> None:
    conn.execute(
        "UPDATE request SET status = ?, status_at = ? WHERE id = ?", (status, at, request_id)
    )


def release_in(conn: sqlite3.Connection, at: str, request_id: int, staff: str,
               *, reason: str, new_status: str = "open") -> list[str]:
    """Give a request's reserved units back to stock (inside a transaction)."""
    items = set()
    for lot_id, held in reserved_lots(conn, request_id):
        ledger.append(conn, at, lot_id, "released", held, 0, -held, request_id=request_id,
                      reason=reason, staff=staff)
        items.add(ledger.get_lot(conn, lot_id).item_id)
    set_status(conn, request_id, new_status, at)
    return sorted(items)


def release(store: Store, request_id: int, staff: str = "", *, cancel: bool = False,
            reason: str = "released by staff") -> None:
    """Undo a reservation; the request goes back to the queue (or is cancelled)."""
    with store.write() as conn:
        request = get(conn, request_id)
        if request.status in ("collected", "cancelled"):
            raise InvalidInput(f"Request {request_id} is already {request.status}.")
        at = store.now_iso()
        release_in(conn, at, request_id, staff, reason=reason,
                   new_status="cancelled" if cancel else "open")
        outbox.listing_changed(conn, store, [request.item_id])


def release_lot_reservations(conn: sqlite3.Connection, at: str, lot_id: int, staff: str,
                             *, reason: str) -> list[int]:
    """Release every reservation holding units of one lot; their requests go back to the queue."""
    rows = conn.execute(
        "SELECT request_id FROM movement WHERE lot_id = ? AND request_id IS NOT NULL "
        "GROUP BY request_id HAVING sum(reserved_delta) > 0",
        (lot_id,),
    ).fetchall()
    request_ids = [int(row[0]) for row in rows]
    for request_id in request_ids:
        release_in(conn, at, request_id, staff, reason=reason)
    return request_ids


def dispense_in(
    conn: sqlite3.Connection, at: str, request_id: int, staff: str
) -> list[tuple[int, int]]:
    """Hand over what a request has reserved (inside a transaction)."""
    handed = reserved_lots(conn, request_id)
    for lot_id, held in handed:
        ledger.append(conn, at, lot_id, "dispensed", held, -held, -held,
                      request_id=request_id, staff=staff)
    set_status(conn, request_id, "collected", at)
    return handed


def phone_cutoff(store: Store) -> datetime:
    """The instant before which phone numbers are past retention (a station-local midnight)."""
    days = store.int_setting("retention_days")
    return day_start(store.today() - timedelta(days=days), store.zone)


def purge_phones(store: Store) -> int:
    """Erase phone numbers (ciphertext, hash, mask) older than the retention period.

    Kept through the station-local day `retention_days` after the request's
    own day, erased from the start of the next one."""
    cutoff = iso(phone_cutoff(store))
    with store.write() as conn:
        cursor = conn.execute(
            "UPDATE request SET phone_hash = NULL, phone_masked = NULL, phone_cipher = NULL, "
            "phone_nonce = NULL, phone_key_id = NULL WHERE created_at < ? AND "
            "(phone_hash IS NOT NULL OR phone_masked IS NOT NULL OR phone_cipher IS NOT NULL)",
            (cutoff,),
        )
        return int(cursor.rowcount)
