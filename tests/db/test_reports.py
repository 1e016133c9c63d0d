"""Manager reports over the ledger: stock, expiring, top items, activity, fulfilment, CSV."""

from __future__ import annotations

import csv
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from kiosk.clock import Clock
from kiosk.db import ledger, reports
from kiosk.db import slips as slip_store
from kiosk.db.allocation import allocate
from kiosk.db.requests import create, release
from kiosk.db.store import Store
from kiosk.errors import InvalidInput
from tests.conftest import NOW, STATION_ZONES, days

IBU = "ibuprofen-200mg-tablet"
PARA = "paracetamol-500mg-tablet"
KIT = "antigen-test-kit"


def at(store: Store, offset_days: float) -> None:
    """Move the station's clock to 10:00 station-local time, offset days from NOW's date
    (negative: the past); in UTC that is NOW + offset, elsewhere another instant."""
    local_ten = datetime.combine(NOW.date(), time(10), tzinfo=store.zone)
    store.clock = Clock((local_ten + timedelta(days=offset_days)).astimezone(UTC))


def collect(store: Store, item: str, units: int, *, wait_hours: float) -> int:
    """A request that is matched and collected `wait_hours` after it was made."""
    start = store.clock.now()
    request = create(store, item, units)
    [made] = allocate(store, request.id)
    store.clock = Clock(start + timedelta(hours=wait_hours))
    slip_store.redeem(store, str(made.extra["token"]))
    store.clock = Clock(start)
    return request.id


@pytest.fixture
def history(station: Store) -> Store:
    """Ten days of a small station's life, ending at NOW."""
    at(station, -9)
    ledger.receive(station, IBU, 40, days(200), "A")
    ledger.receive(station, PARA, 30, days(20), "B")  # expires within 30 days of NOW
    at(station, -8)
    ledger.receive(station, KIT, 5, days(400), "C")
    collect(station, IBU, 6, wait_hours=2)
    at(station, -5)
    collect(station, PARA, 4, wait_hours=10)
    cancelled = create(station, KIT, 1)
    release(station, cancelled.id, cancel=True)
    lot = ledger.receive(station, IBU, 10, days(300), "D")
    ledger.dispose(station, lot, 3, "damaged")
    at(station, -1)
    collect(station, IBU, 2, wait_hours=30)
    create(station, IBU, 3)  # still waiting
    create(station, PARA, 2)
    at(station, 0)
    return station


@pytest.fixture(params=STATION_ZONES)
def station_zone(request: pytest.FixtureRequest) -> str:
    """Every test here runs with the station in each zone (tests/conftest.py)."""
    return str(request.param)


def test_period_counts_whole_days_both_ends_included() -> None:
    period = reports.Period.last(date(2026, 11, 21), 7)
    assert (period.start, period.end, period.days) == (date(2026, 11, 15), date(2026, 11, 21), 7)
    assert period.bounds(ZoneInfo("UTC")) == ("2026-11-15T00:00:00.000000+00:00",
                                              "2026-11-22T00:00:00.000000+00:00")
    # a station-local day begins at local midnight, here 16:00 UTC the day before
    assert period.bounds(ZoneInfo("Asia/Shanghai")) == ("2026-11-14T16:00:00.000000+00:00",
                                                        "2026-11-21T16:00:00.000000+00:00")
    with pytest.raises(InvalidInput):
        reports.Period.last(date(2026, 11, 21), 0)


def test_stock_by_item_agrees_with_the_lots(history: Store) -> None:
    lines = {line.item_id: line for line in reports.stock_by_item(history)}
    assert lines[IBU].on_hand == 40 - 6 + 10 - 3 - 2
    assert lines[PARA].on_hand == 26
    assert lines[PARA].expiring_soon == 26
    assert lines[KIT].available == 5


def test_expiring_lists_usable_lots_within_30_days_soonest_first(history: Store) -> None:
    ledger.receive(history, KIT, 2, days(3), "E")
    ledger.receive(history, KIT, 2, days(31), "F")  # beyond 30 days: not listed
    lot = ledger.receive(history, KIT, 2, days(5), "G")
    ledger.recall_lot(history, lot, "maker's recall")  # recalled: never handed out, not listed
    found = reports.expiring(history)
    assert [(e.lot_number, e.days_left) for e in found] == [("E", 3), ("B", 20)]
    assert found[1].on_hand == 26 and found[1].name_zh


def test_top_requested_counts_units_and_leaves_cancelled_out(history: Store) -> None:
    top = reports.top_requested(history, days=30)
    assert [(t.item_id, t.units, t.times) for t in top] == [(IBU, 11, 3), (PARA, 6, 2)]
    # the period matters: the last 2 days only
    recent = reports.top_requested(history, days=2)
    assert [(t.item_id, t.units) for t in recent] == [(IBU, 5), (PARA, 2)]


def test_top_donated_counts_units_taken_in(history: Store) -> None:
    top = reports.top_donated(history, days=30)
    assert [(t.item_id, t.units, t.times) for t in top] == [(IBU, 50, 2), (PARA, 30, 1),
                                                            (KIT, 5, 1)]
    assert reports.top_donated(history, days=30, limit=1)[0].item_id == IBU


def test_activity_has_one_row_per_day_with_zeros_between(history: Store) -> None:
    rows = reports.activity(history, days=10)
    assert len(rows) == 10
    assert rows[0].day == NOW.date() - timedelta(days=9)
    assert rows[-1].day == NOW.date()
    by_day = {(NOW.date() - row.day).days: row for row in rows}
    assert (by_day[9].received, by_day[9].requested, by_day[9].collected) == (70, 0, 0)
    assert (by_day[8].received, by_day[8].requested, by_day[8].collected) == (5, 6, 6)
    # the cancelled request is still activity on the day it was made
    assert (by_day[5].received, by_day[5].requested, by_day[5].collected,
            by_day[5].written_off) == (10, 5, 4, 3)
    assert (by_day[1].requested, by_day[1].collected) == (7, 0)
    assert by_day[0].collected == 2  # thirty hours after yesterday's request
    assert (by_day[7].received, by_day[7].requested, by_day[7].collected,
            by_day[7].written_off) == (0, 0, 0, 0)


def test_written_off_counts_expired_and_disposed(history: Store) -> None:
    at(history, 25)  # the paracetamol lot has expired by now
    ledger.expire(history)
    rows = reports.activity(history, days=1)
    assert rows[0].written_off == 26


def test_fulfilment_rate_and_median_wait(history: Store) -> None:
    result = reports.fulfilment(history, days=30)
    assert (result.requests, result.collected, result.cancelled, result.waiting) == (6, 3, 1, 2)
    assert result.rate == pytest.approx(0.5)
    assert result.rate_percent == 50.0
    assert result.median_wait_hours == 10.0
    empty = reports.fulfilment(history, reports.Period(date(2020, 1, 1), date(2020, 1, 31)))
    assert (empty.requests, empty.rate, empty.median_wait_hours) == (0, None, None)


def test_every_report_exports_to_csv(history: Store, tmp_path: Path) -> None:
    for name in reports.REPORTS:
        path = tmp_path / f"{name}.csv"
        count = reports.export(history, name, path, days=30)
        with path.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.reader(handle))
        assert len(rows) == count + 1, name
        assert not path.with_name(path.name + ".partial").exists()
    with (tmp_path / "activity.csv").open(encoding="utf-8") as handle:
        activity = list(csv.DictReader(handle))
    assert len(activity) == 30
    assert sum(int(row["received"]) for row in activity) == 85
    with (tmp_path / "fulfilment.csv").open(encoding="utf-8") as handle:
        [fulfilment] = list(csv.DictReader(handle))
    assert fulfilment["fulfilment_rate"] == "0.5"
    assert fulfilment["median_wait_hours"] == "10.0"
    with (tmp_path / "top_requested.csv").open(encoding="utf-8") as handle:
        first = next(csv.DictReader(handle))
    assert (first["rank"], first["item"], first["units"]) == ("1", IBU, "11")
    assert first["name_zh"].startswith("布洛芬")


def test_an_unknown_report_or_unwritable_path_is_refused(history: Store, tmp_path: Path) -> None:
    with pytest.raises(InvalidInput):
        reports.export(history, "salaries", tmp_path / "x.csv")
    from kiosk.errors import DataDirError

    with pytest.raises(DataDirError):
        reports.export(history, "stock", tmp_path / "no" / "such" / "folder.csv")


def test_reports_of_an_empty_station(station: Store) -> None:
    assert reports.stock_by_item(station) == []
    assert reports.expiring(station) == []
    assert reports.top_requested(station) == []
    assert all(row.received == 0 for row in reports.activity(station, days=7))
    assert reports.fulfilment(station).rate is None
