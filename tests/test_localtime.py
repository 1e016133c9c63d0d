"""Station time zones: checked names, the computer's zone, local days as UTC instants."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from kiosk import localtime
from kiosk.errors import InvalidInput

NEW_YORK = ZoneInfo("America/New_York")


@pytest.mark.parametrize("name", ["Asia/Shanghai", "America/New_York", "Pacific/Pago_Pago",
                                  "Pacific/Tongatapu", "UTC", "Europe/London"])
def test_iana_zone_names_are_taken(name: str) -> None:
    assert localtime.parse_zone(f"  {name} ") == name


@pytest.mark.parametrize("name", ["", "Mars/Olympus_Mons", "asia/shanghai", "../../etc/passwd",
                                  "/usr/share/zoneinfo/UTC", "localtime", "Asia\\Shanghai",
                                  "GMT+8 please"])
def test_unknown_zones_get_one_plain_message(name: str) -> None:
    with pytest.raises(InvalidInput, match="time zone") as refused:
        localtime.parse_zone(name)
    assert "\n" not in str(refused.value)


def test_the_computers_zone_is_read_from_tz_and_falls_back_to_a_real_zone(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", "Asia/Shanghai")
    assert localtime.system_zone_name() == "Asia/Shanghai"
    monkeypatch.setenv("TZ", ":Pacific/Pago_Pago")  # the POSIX "file" form
    assert localtime.system_zone_name() == "Pacific/Pago_Pago"
    monkeypatch.setenv("TZ", "Nowhere/Land")
    assert localtime.parse_zone(localtime.system_zone_name())  # a real zone, UTC at worst


def test_a_local_day_is_bounded_by_utc_instants_of_its_true_length() -> None:
    # 1 Nov 2026 in New York has 25 hours (daylight saving ends), 8 Mar 2026 has 23
    start, end = localtime.days_bounds(date(2026, 11, 1), date(2026, 11, 1), NEW_YORK)
    assert (start, end) == (datetime(2026, 11, 1, 4, tzinfo=UTC),
                            datetime(2026, 11, 2, 5, tzinfo=UTC))
    start, end = localtime.days_bounds(date(2026, 3, 8), date(2026, 3, 8), NEW_YORK)
    assert (end - start).total_seconds() == 23 * 3600
    assert localtime.local_day(datetime(2026, 11, 2, 4, 30, tzinfo=UTC), NEW_YORK) == date(
        2026, 11, 1)


def test_day_buckets_place_stored_instants_on_station_days() -> None:
    buckets = localtime.DayBuckets(date(2026, 10, 31), date(2026, 11, 2), NEW_YORK)
    assert buckets.day_of("2026-11-01T03:59:59.999999+00:00") == date(2026, 10, 31)
    assert buckets.day_of("2026-11-01T04:00:00.000000+00:00") == date(2026, 11, 1)
    assert buckets.day_of("2026-11-02T04:59:00.000000+00:00") == date(2026, 11, 1)
    assert buckets.day_of("2026-11-02T05:00:00.000000+00:00") == date(2026, 11, 2)
    assert buckets.day_of("2026-10-31T03:00:00.000000+00:00") is None
    assert buckets.day_of("2026-11-03T05:00:00.000000+00:00") is None
    assert localtime.offset_text(datetime(2026, 11, 2, tzinfo=UTC), NEW_YORK) == "UTC-05:00"
