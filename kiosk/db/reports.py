"""Manager reports: plain SQL over the ledger and the requests, and their CSV exports.

Every figure is derived from the append-only movements and the request
table, never from a cache of its own, so a report always agrees with
`db verify`. Days are station-local calendar days (the station's time zone,
kiosk/localtime.py), the same days expiry dates and the anonymous daily
counts sent to the central endpoint use; a day's bounds are UTC instants, so
a day of a daylight-saving change has its true 23 or 25 hours.

Definitions (also in the README):

* top requested: units asked for in the period, cancelled requests left out
  (a withdrawn or duplicate request is not demand);
* top donated: units taken in (`received` movements) in the period;
* activity per day: units received, requested (every request), collected
  (`dispensed`) and written off (`expired` + `disposed`);
* fulfilment rate: of the requests made in the period, the share collected so
  far (still-waiting and cancelled ones are counted, and shown beside it);
* wait: from the request to its first `dispensed` movement, for the requests
  of the period that were collected.
"""

from __future__ import annotations

import sqlite3
import statistics
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from pathlib import Path

from kiosk.clock import parse_instant
from kiosk.db import ledger
from kiosk.db.csvout import write_csv
from kiosk.db.store import Store
from kiosk.errors import InvalidInput, MedShareError
from kiosk.localtime import DayBuckets

REPORTS = ("stock", "expiring", "top_requested", "top_donated", "activity", "fulfilment")
EXPIRING_DAYS = 30
TOP_LIMIT = 10
MAX_PERIOD_DAYS = 3660


@dataclass(frozen=True)
class Period:
    """Whole station-local days, both ends included."""

    start: date
    end: date

    @classmethod
    def last(cls, today: date, days: int) -> Period:
        if not 1 <= days <= MAX_PERIOD_DAYS:
            raise InvalidInput(f"A report covers 1 to {MAX_PERIOD_DAYS} days.")
        return cls(today - timedelta(days=days - 1), today)

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def bounds(self, where: tzinfo) -> tuple[str, str]:
        """The stored-instant range [start, day after end) of these days in zone `where`."""
        buckets = self.buckets(where)
        return buckets.start, buckets.end

    def buckets(self, where: tzinfo) -> DayBuckets:
        return DayBuckets(self.start, self.end, where)

    def each_day(self) -> list[date]:
        return [self.start + timedelta(days=n) for n in range(self.days)]


def _period(store: Store, period: Period | None, days: int) -> Period:
    return period if period is not None else Period.last(store.today(), days)


def _names(store: Store, item_id: str) -> tuple[str, str]:
    try:
        item = store.item(item_id)
    except MedShareError:  # an item no longer in the catalog still shows by its id
        return item_id, item_id
    return item.name_en, item.name_zh


# -- stock and expiry -------------------------------------------------------------------


def stock_by_item(store: Store) -> list[ledger.StockLine]:
    """Units on hand, reserved, available, expired and expiring soon, per item."""
    return ledger.stock(store, soon_days=EXPIRING_DAYS)


@dataclass(frozen=True)
class ExpiringLot:
    lot_id: int
    item_id: str
    name_en: str
    name_zh: str
    expiry: date
    lot_number: str
    on_hand: int
    reserved: int
    days_left: int


def expiring(store: Store, days: int = EXPIRING_DAYS) -> list[ExpiringLot]:
    """Usable lots on the shelf that expire within `days` (today counts), soonest first."""
    today = store.today()
    until = today + timedelta(days=days)
    with store.read() as conn:
        rows = conn.execute(
            "SELECT lot.id, lot.item_id, lot.expiry, lot.lot_number, lot.on_hand, lot.reserved "
            "FROM lot LEFT JOIN recall ON recall.lot_id = lot.id "
            "WHERE lot.on_hand > 0 AND recall.lot_id IS NULL "
            "AND lot.expiry >= ? AND lot.expiry <= ? ORDER BY lot.expiry, lot.id",
            (today.isoformat(), until.isoformat()),
        ).fetchall()
    out = []
    for row in rows:
        expiry = date.fromisoformat(row[2])
        name_en, name_zh = _names(store, str(row[1]))
        out.append(ExpiringLot(int(row[0]), str(row[1]), name_en, name_zh, expiry, str(row[3]),
                               int(row[4]), int(row[5]), (expiry - today).days))
    return out


# -- top items --------------------------------------------------------------------------


@dataclass(frozen=True)
class TopItem:
    item_id: str
    name_en: str
    name_zh: str
    units: int
    times: int  # requests, or lots taken in


def _top(store: Store, sql: str, period: Period, limit: int) -> list[TopItem]:
    start, end = period.bounds(store.zone)
    with store.read() as conn:
        rows = conn.execute(sql, (start, end, limit)).fetchall()
    out = []
    for row in rows:
        name_en, name_zh = _names(store, str(row[0]))
        out.append(TopItem(str(row[0]), name_en, name_zh, int(row[1]), int(row[2])))
    return out


def top_requested(store: Store, period: Period | None = None, *, days: int = 30,
                  limit: int = TOP_LIMIT) -> list[TopItem]:
    return _top(store, (
        "SELECT item_id, sum(units) AS units, count(*) FROM request "
        "WHERE created_at >= ? AND created_at < ? AND status != 'cancelled' "
        "GROUP BY item_id ORDER BY units DESC, count(*) DESC, item_id LIMIT ?"),
        _period(store, period, days), limit)


def top_donated(store: Store, period: Period | None = None, *, days: int = 30,
                limit: int = TOP_LIMIT) -> list[TopItem]:
    return _top(store, (
        "SELECT lot.item_id, sum(movement.units) AS units, count(*) FROM movement "
        "JOIN lot ON lot.id = movement.lot_id "
        "WHERE movement.kind = 'received' AND movement.at >= ? AND movement.at < ? "
        "GROUP BY lot.item_id ORDER BY units DESC, count(*) DESC, lot.item_id LIMIT ?"),
        _period(store, period, days), limit)


# -- activity per day -------------------------------------------------------------------


_MINUTE_START = ":00.000000+00:00"  # completes "YYYY-MM-DDTHH:MM" to a stored instant


@dataclass(frozen=True)
class DayActivity:
    day: date
    received: int
    requested: int
    collected: int
    written_off: int


def activity(store: Store, period: Period | None = None, *, days: int = 30) -> list[DayActivity]:
    """One row per day of the period, days without activity included (as zeros)."""
    span = _period(store, period, days)
    buckets = span.buckets(store.zone)
    totals: dict[date, list[int]] = {day: [0, 0, 0, 0] for day in span.each_day()}
    column = {"received": 0, "dispensed": 2, "expired": 3, "disposed": 3}
    with store.read() as conn:
        # summed per UTC minute in SQL, then per station-local day here (SQL
        # cannot tell which local day an instant is on; zone offsets are whole
        # minutes, so no minute straddles a local midnight)
        for minute, kind, units in conn.execute(
            "SELECT substr(at, 1, 16), kind, sum(units) FROM movement WHERE at >= ? AND at < ? "
            "AND kind IN ('received', 'dispensed', 'expired', 'disposed') "
            "GROUP BY substr(at, 1, 16), kind",
            (buckets.start, buckets.end),
        ):
            day = buckets.day_of(f"{minute}{_MINUTE_START}")
            if day is not None:
                totals[day][column[str(kind)]] += int(units)
        for minute, requested in conn.execute(
            "SELECT substr(created_at, 1, 16), sum(units) FROM request "
            "WHERE created_at >= ? AND created_at < ? GROUP BY substr(created_at, 1, 16)",
            (buckets.start, buckets.end),
        ):
            day = buckets.day_of(f"{minute}{_MINUTE_START}")
            if day is not None:
                totals[day][1] += int(requested)
    return [DayActivity(day, *values) for day, values in totals.items()]


# -- fulfilment -------------------------------------------------------------------------


@dataclass(frozen=True)
class Fulfilment:
    start: date
    end: date
    requests: int
    collected: int
    cancelled: int
    waiting: int
    rate: float | None  # collected / requests; None without requests
    median_wait_hours: float | None  # None when nothing was collected

    @property
    def rate_percent(self) -> float | None:
        return None if self.rate is None else round(self.rate * 100, 1)


def fulfilment(store: Store, period: Period | None = None, *, days: int = 30) -> Fulfilment:
    span = _period(store, period, days)
    start, end = span.bounds(store.zone)
    with store.read() as conn:
        counts = {str(status): int(number) for status, number in conn.execute(
            "SELECT status, count(*) FROM request WHERE created_at >= ? AND created_at < ? "
            "GROUP BY status", (start, end))}
        waits = _waits(conn, start, end)
    made = sum(counts.values())
    collected = counts.get("collected", 0)
    median = statistics.median(waits) / 3600 if waits else None
    return Fulfilment(
        start=span.start, end=span.end, requests=made, collected=collected,
        cancelled=counts.get("cancelled", 0),
        waiting=counts.get("open", 0) + counts.get("reserved", 0),
        rate=collected / made if made else None,
        median_wait_hours=round(median, 2) if median is not None else None,
    )


def _waits(conn: sqlite3.Connection, start: str, end: str) -> list[float]:
    """Seconds from each collected request to its hand-over (the first dispense movement)."""
    rows = conn.execute(
        "SELECT request.created_at, min(movement.at) FROM request "
        "JOIN movement ON movement.request_id = request.id AND movement.kind = 'dispensed' "
        "WHERE request.created_at >= ? AND request.created_at < ? "
        "AND request.status = 'collected' GROUP BY request.id",
        (start, end),
    ).fetchall()
    waits = []
    for created, handed in rows:
        seconds = (_instant(handed) - _instant(created)).total_seconds()
        waits.append(max(0.0, seconds))
    return waits


def _instant(text: object) -> datetime:
    return parse_instant(str(text))


# -- CSV --------------------------------------------------------------------------------


def table(store: Store, report: str, *, days: int = 30) -> tuple[list[str], list[list[object]]]:
    """A report as a CSV header and rows (English column names, both item names)."""
    if report == "stock":
        return (
            ["item", "name_en", "name_zh", "unit", "on_hand", "reserved", "available",
             "expired_or_recalled", "earliest_expiry", "expiring_within_30_days"],
            [[s.item_id, s.name_en, s.name_zh, s.unit, s.on_hand, s.reserved, s.available,
              s.expired, s.earliest_expiry.isoformat() if s.earliest_expiry else "",
              s.expiring_soon] for s in stock_by_item(store)],
        )
    if report == "expiring":
        return (
            ["lot", "item", "name_en", "name_zh", "expiry", "days_left", "lot_number",
             "on_hand", "reserved"],
            [[e.lot_id, e.item_id, e.name_en, e.name_zh, e.expiry.isoformat(), e.days_left,
              e.lot_number, e.on_hand, e.reserved] for e in expiring(store)],
        )
    if report in ("top_requested", "top_donated"):
        found = (top_requested if report == "top_requested" else top_donated)(store, days=days)
        times = "requests" if report == "top_requested" else "lots"
        return (
            ["rank", "item", "name_en", "name_zh", "units", times],
            [[rank, t.item_id, t.name_en, t.name_zh, t.units, t.times]
             for rank, t in enumerate(found, start=1)],
        )
    if report == "activity":
        return (
            ["day", "received", "requested", "collected", "written_off"],
            [[a.day.isoformat(), a.received, a.requested, a.collected, a.written_off]
             for a in activity(store, days=days)],
        )
    if report == "fulfilment":
        f = fulfilment(store, days=days)
        return (
            ["period_start", "period_end", "requests", "collected", "cancelled", "waiting",
             "fulfilment_rate", "median_wait_hours"],
            [[f.start.isoformat(), f.end.isoformat(), f.requests, f.collected, f.cancelled,
              f.waiting, "" if f.rate is None else round(f.rate, 4),
              "" if f.median_wait_hours is None else f.median_wait_hours]],
        )
    raise InvalidInput("Export one of: " + ", ".join(REPORTS) + ".")


def export(store: Store, report: str, path: Path, *, days: int = 30) -> int:
    """Write one report as CSV; returns the number of data rows."""
    header, rows = table(store, report, days=days)
    return write_csv(path, header, rows)
