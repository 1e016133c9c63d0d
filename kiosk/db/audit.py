"""The movement ledger for reading: filtered, counted and fetched a page at a time.

The ledger can hold a million movements and more, so nothing here returns
all of it: a screen asks how many rows match and then for the pages it
shows. Pages are newest first. The page query picks the ids of a page from
`movement` alone and joins the lot only for those rows, so a deep page
costs a walk over ids, not a join per skipped row.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import UTC, date, timedelta, tzinfo

from kiosk.clock import iso
from kiosk.errors import InvalidInput
from kiosk.localtime import day_start
from kiosk.rules import MOVEMENT_KINDS as KINDS

MAX_PAGE = 1000


@dataclass(frozen=True)
class AuditFilter:
    """What to look for; every part is optional.

    Dates are station-local days, both ends included."""

    item_id: str | None = None
    kind: str | None = None
    start: date | None = None
    end: date | None = None
    request_id: int | None = None

    def check(self) -> AuditFilter:
        if self.kind is not None and self.kind not in KINDS:
            raise InvalidInput("The kind of movement must be one of: " + ", ".join(KINDS) + ".")
        if self.start is not None and self.end is not None and self.start > self.end:
            raise InvalidInput("The first day of the search comes after the last day.")
        if self.request_id is not None and self.request_id <= 0:
            raise InvalidInput("A request number is a whole number above 0.")
        return self

    def where(self, zone: tzinfo = UTC) -> tuple[str, list[object]]:
        """A WHERE clause over `movement` alone, and its parameters; days are days in `zone`."""
        parts: list[str] = []
        params: list[object] = []
        if self.item_id:
            parts.append("lot_id IN (SELECT id FROM lot WHERE item_id = ?)")
            params.append(self.item_id)
        if self.kind:
            parts.append("kind = ?")
            params.append(self.kind)
        if self.start is not None:
            parts.append("at >= ?")
            params.append(iso(day_start(self.start, zone)))
        if self.end is not None:
            parts.append("at < ?")
            params.append(iso(day_start(self.end + timedelta(days=1), zone)))
        if self.request_id is not None:
            parts.append("request_id = ?")
            params.append(self.request_id)
        return (" WHERE " + " AND ".join(parts)) if parts else "", params


@dataclass(frozen=True)
class AuditRow:
    id: int
    at: str
    lot_id: int
    item_id: str
    kind: str
    units: int
    on_hand_delta: int
    reserved_delta: int
    request_id: int | None
    reason: str
    staff: str


def count(conn: sqlite3.Connection, search: AuditFilter, zone: tzinfo = UTC) -> int:
    clause, params = search.check().where(zone)
    return int(conn.execute(f"SELECT count(*) FROM movement{clause}", params).fetchone()[0])


def page(conn: sqlite3.Connection, search: AuditFilter, offset: int, limit: int,
         zone: tzinfo = UTC) -> list[AuditRow]:
    """Rows offset .. offset+limit of the matches, newest first (days in `zone`)."""
    if offset < 0 or not 1 <= limit <= MAX_PAGE:
        raise InvalidInput(f"A page starts at 0 and holds 1 to {MAX_PAGE} rows.")
    clause, params = search.check().where(zone)
    rows = conn.execute(
        "SELECT m.id, m.at, m.lot_id, lot.item_id, m.kind, m.units, m.on_hand_delta, "
        "m.reserved_delta, m.request_id, m.reason, m.staff "
        f"FROM (SELECT id FROM movement{clause} ORDER BY id DESC LIMIT ? OFFSET ?) AS picked "
        "JOIN movement AS m ON m.id = picked.id JOIN lot ON lot.id = m.lot_id "
        "ORDER BY m.id DESC",
        [*params, limit, offset],
    ).fetchall()
    return [AuditRow(int(r[0]), str(r[1]), int(r[2]), str(r[3]), str(r[4]), int(r[5]),
                     int(r[6]), int(r[7]), None if r[8] is None else int(r[8]), str(r[9]),
                     str(r[10])) for r in rows]
