"""Station-local days: expiry, slips, reports, counts and retention where the station is."""

from __future__ import annotations

import csv
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from kiosk import slips as codes
from kiosk.clock import Clock
from kiosk.db import audit, csvio, ledger, reports, settings, station
from kiosk.db import slips as slip_store
from kiosk.db.allocation import allocate
from kiosk.db.requests import create, purge_phones
from kiosk.db.store import Store
from kiosk.errors import InvalidInput, NotEnoughStock
from kiosk.slips import Refusal
from kiosk.sync.client import roll_daily_counts
from tests.conftest import ledger_dump

IBU = "ibuprofen-200mg-tablet"


def make(tmp_path: Path, zone: str, *, hours: str = "", name: str = "s") -> Store:
    return station.init(tmp_path / name, "TZ01", "Zone Station", opening_hours=hours,
                        timezone=zone)


def at_local(store: Store, *wall: int) -> datetime:
    """Put the station's clock at a wall-clock time where it is."""
    moment = datetime(*wall, tzinfo=store.zone).astimezone(UTC)  # type: ignore[misc]
    store.clock = Clock(moment)
    return moment


# -- expiry: a box is good through its expiry date, local time -------------------------------


def test_in_shanghai_a_box_that_expired_on_31_december_is_refused_at_0100_on_1_january(
        tmp_path: Path) -> None:
    # the station was set up in UTC, and the manager then gave it its real zone
    store = make(tmp_path, "UTC")
    store.clock = Clock(datetime(2026, 12, 30, 12, 0, tzinfo=UTC))
    lot = ledger.receive(store, IBU, 10, "2026-12-31", "DEC")
    store.clock = Clock(datetime(2026, 12, 31, 12, 0, tzinfo=UTC))
    settings.save(store, {"pickup_window_hours": "11"})
    [made] = allocate(store, create(store, IBU, 2).id)  # collect by 23:00 UTC on 31 Dec
    station.set_timezone(store, "Asia/Shanghai")
    store.clock = Clock(datetime(2026, 12, 31, 17, 0, tzinfo=UTC))  # 01:00 on 1 Jan there
    assert store.today() == date(2027, 1, 1)

    before = ledger_dump(store.path)
    with pytest.raises(Refusal, match="expired on 2026-12-31") as refused:
        slip_store.redeem(store, str(made.extra["token"]))
    assert refused.value.reason == codes.LOT_UNUSABLE
    with pytest.raises(InvalidInput, match="expired on 2026-12-31"):
        ledger.receive(store, IBU, 5, "2026-12-31")
    with pytest.raises(InvalidInput, match="expires today"):
        ledger.receive(store, IBU, 5, "2027-01-01")
    assert ledger_dump(store.path) == before
    [line] = ledger.stock(store)
    assert (line.available, line.expired) == (0, 10)
    assert slip_store.status(store, str(made.extra["token"])).state == "see-desk"
    assert ledger.expire(store) == [(lot, 10)]
    with pytest.raises(NotEnoughStock):
        allocate(store, create(store, IBU, 1).id)


def test_in_pago_pago_a_box_that_expires_on_31_december_is_handed_over_at_2359_that_day(
        tmp_path: Path) -> None:
    store = make(tmp_path, "Pacific/Pago_Pago")
    settings.save(store, {"pickup_window_hours": "23"})
    at_local(store, 2026, 12, 30, 9, 0)
    lot = ledger.receive(store, IBU, 10, "2026-12-31", "DEC")
    at_local(store, 2026, 12, 31, 0, 59, 30)  # collect by 23:59:30 local
    [made] = allocate(store, create(store, IBU, 2).id)
    moment = at_local(store, 2026, 12, 31, 23, 59)
    assert moment.date() == date(2027, 1, 1)  # already 1 January in UTC
    assert ledger.expire(store) == []
    [line] = ledger.stock(store)
    assert line.available == 8
    done = slip_store.redeem(store, str(made.extra["token"]))
    assert [lot_line.lot_id for lot_line in done.lots] == [lot]
    at_local(store, 2027, 1, 1, 0, 0)
    assert ledger.expire(store) == [(lot, 8)]


@pytest.mark.parametrize("zone", ["Pacific/Auckland", "Pacific/Tongatapu"])
def test_at_utc_plus_13_the_day_turns_eleven_hours_before_utc(tmp_path: Path, zone: str) -> None:
    store = make(tmp_path, zone)
    store.clock = Clock(datetime(2026, 12, 31, 11, 30, tzinfo=UTC))  # 00:30 on 1 Jan there
    assert store.today() == date(2027, 1, 1)
    with pytest.raises(InvalidInput, match="expired on 2026-12-31"):
        ledger.receive(store, IBU, 5, "2026-12-31")


def test_allocation_needs_the_lot_good_through_the_local_day_the_window_ends(
        tmp_path: Path) -> None:
    store = make(tmp_path, "Asia/Shanghai")
    at_local(store, 2026, 11, 20, 9, 0)
    short = ledger.receive(store, IBU, 10, "2026-11-22", "SHORT")
    at_local(store, 2026, 11, 20, 23, 30)  # 48 h ends at 23:30 on 22 Nov local: still good
    [made] = allocate(store, create(store, IBU, 2).id)
    assert made.picks[0].lot_id == short
    at_local(store, 2026, 11, 21, 0, 30)  # now it would end on 23 Nov, after the box's date
    with pytest.raises(NotEnoughStock):
        allocate(store, create(store, IBU, 2).id)


# -- the Saturday 16:50 slip --------------------------------------------------------------------


def test_a_saturday_1650_slip_can_be_collected_until_monday_close(tmp_path: Path) -> None:
    store = make(tmp_path, "Asia/Shanghai", hours="Mon-Sat 9:00-17:00")
    at_local(store, 2026, 11, 21, 9, 0)
    ledger.receive(store, IBU, 20, "2027-06-30", "L1")
    at_local(store, 2026, 11, 21, 16, 50)  # Saturday
    [made] = allocate(store, create(store, IBU, 6, language="zh").id)
    monday_close = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)  # 17:00 in Shanghai
    assert made.extra["expires_at"] == "2026-11-23T09:00:00.000000+00:00"
    slip = slip_store.find(store, str(made.extra["token"]))
    assert slip.expires_at == monday_close
    view = slip_store.slip_view(store, slip)
    assert view.window_text("en") == (
        "Collect between Sat 21 Nov 2026, 16:50 and Mon 23 Nov 2026, 17:00")
    assert view.collect_by_text("en") == "Collect by Mon 23 Nov 2026, 17:00, when the desk closes"
    assert view.collect_by_text() == "请在 2026年11月23日（周一）17:00（服务台下班）前领取"
    assert view.hours_text() == "周一至周六 09:00-17:00"
    assert view.hours_text("en") == "Mon-Sat 09:00-17:00"
    assert "17:00" in slip_store.status(store, str(made.extra["token"])).message("en")
    # Monday 17:01: over, and the units go back
    at_local(store, 2026, 11, 23, 17, 1)
    assert slip_store.expire_overdue(store) == [slip.id]


def test_a_slip_issued_before_opening_says_come_after_the_opening(tmp_path: Path) -> None:
    store = make(tmp_path, "America/New_York", hours="Mon-Fri 9-12, 14-18; Sat 9-12")
    at_local(store, 2026, 11, 23, 7, 30)  # Monday, before opening
    ledger.receive(store, IBU, 20, "2027-06-30")
    [made] = allocate(store, create(store, IBU, 2).id)
    view = slip_store.slip_view(store, str(made.extra["token"]))
    assert view.window_text("en").startswith("Collect between Mon 23 Nov 2026, 09:00 and ")
    # 48 h end on Wednesday 07:30 (closed): until Wednesday's 12:00 close
    assert view.expires_at.astimezone(store.zone) == datetime(
        2026, 11, 25, 12, 0, tzinfo=ZoneInfo("America/New_York"))


def test_without_opening_hours_the_window_is_the_raw_48_hours(tmp_path: Path) -> None:
    store = make(tmp_path, "Asia/Shanghai")
    issued = at_local(store, 2026, 11, 21, 16, 50)
    ledger.receive(store, IBU, 20, "2027-06-30")
    [made] = allocate(store, create(store, IBU, 2).id)
    view = slip_store.slip_view(store, str(made.extra["token"]))
    assert view.expires_at == issued + timedelta(hours=48)
    assert view.collect_from == issued
    assert view.collect_by_text("en") == "Collect by Mon 23 Nov 2026, 16:50"


# -- reports, exports, audit, daily counts and retention count station days --------------------


@pytest.fixture
def new_york(tmp_path: Path) -> Store:
    """Three movements around the end of daylight saving (1 Nov 2026) in New York."""
    store = make(tmp_path, "America/New_York")
    at_local(store, 2026, 10, 31, 23, 30)  # 03:30 UTC on 1 Nov
    ledger.receive(store, IBU, 10, "2027-06-30", "A")
    at_local(store, 2026, 11, 1, 0, 30)
    ledger.receive(store, IBU, 20, "2027-06-30", "B")
    create(store, IBU, 2, phone="13812345678")
    at_local(store, 2026, 11, 1, 23, 30)  # EST now: 04:30 UTC on 2 Nov
    ledger.receive(store, IBU, 40, "2027-06-30", "C")
    at_local(store, 2026, 11, 2, 12, 0)
    return store


def test_activity_counts_local_days_across_a_daylight_saving_change(new_york: Store) -> None:
    rows = reports.activity(new_york, days=3)
    assert [(row.day, row.received, row.requested) for row in rows] == [
        (date(2026, 10, 31), 10, 0), (date(2026, 11, 1), 60, 2), (date(2026, 11, 2), 0, 0)]
    assert [t.units for t in reports.top_donated(new_york, days=1)] == []
    assert [t.units for t in reports.top_donated(new_york, days=2)] == [60]


def test_csv_exports_carry_the_local_day(new_york: Store, tmp_path: Path) -> None:
    reports.export(new_york, "activity", tmp_path / "activity.csv", days=3)
    with open(tmp_path / "activity.csv", newline="", encoding="utf-8") as handle:
        activity = [(row["day"], row["received"]) for row in csv.DictReader(handle)]
    assert activity == [("2026-10-31", "10"), ("2026-11-01", "60"), ("2026-11-02", "0")]
    csvio.export(new_york, "movements", tmp_path / "movements.csv")
    with open(tmp_path / "movements.csv", newline="", encoding="utf-8") as handle:
        moves = [(row["at"][:10], row["day"]) for row in csv.DictReader(handle)]
    assert moves == [("2026-11-01", "2026-10-31"), ("2026-11-01", "2026-11-01"),
                     ("2026-11-02", "2026-11-01")]


def test_the_audit_search_takes_local_days(new_york: Store) -> None:
    search = audit.AuditFilter(start=date(2026, 11, 1), end=date(2026, 11, 1))
    with new_york.read() as conn:
        assert audit.count(conn, search, new_york.zone) == 2
        assert audit.count(conn, search) == 2  # UTC: the 03:30 and 04:30 ones on 1 Nov
        rows = audit.page(conn, search, 0, 10, new_york.zone)
    assert [row.units for row in rows] == [40, 20]


def test_anonymous_daily_counts_are_keyed_by_local_day(new_york: Store) -> None:
    with new_york.write() as conn:
        roll_daily_counts(conn, new_york.now_iso(), new_york.zone)
        days = conn.execute(
            "SELECT day, received, requested FROM daily_count ORDER BY day").fetchall()
    assert [tuple(row) for row in days] == [("2026-10-31", 10, 0), ("2026-11-01", 60, 2)]


def test_phone_numbers_are_kept_through_the_local_day_retention_ends(new_york: Store) -> None:
    settings.save(new_york, {"retention_days": "3"})
    at_local(new_york, 2026, 11, 4, 23, 59)  # the request was made on 1 Nov, local
    assert purge_phones(new_york) == 0
    at_local(new_york, 2026, 11, 5, 0, 1)
    assert purge_phones(new_york) == 1
