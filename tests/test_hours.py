"""Opening hours: read in English and Chinese, written back, and the times told to residents."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk import hours, opening
from kiosk.errors import InvalidInput

SHANGHAI = ZoneInfo("Asia/Shanghai")
NEW_YORK = ZoneInfo("America/New_York")
MON_SAT = hours.parse("Mon-Sat 9:00-17:00")


def local(zone: ZoneInfo, *args: int) -> datetime:
    return datetime(*args, tzinfo=zone).astimezone(UTC)


@pytest.mark.parametrize(("text", "english", "chinese"), [
    ("Mon-Sat 9:00-17:00", "Mon-Sat 09:00-17:00", "周一至周六 09:00-17:00"),
    ("周一至周六 9:00-17:00", "Mon-Sat 09:00-17:00", "周一至周六 09:00-17:00"),
    ("Mon-Fri 9-12, 14-18; Sat 9-12", "Mon-Fri 09:00-12:00, 14:00-18:00; Sat 09:00-12:00",
     "周一至周五 09:00-12:00，14:00-18:00；周六 09:00-12:00"),
    ("周一到周五 9:00-12:00，14:00-18:00；周六 9:00-12:00",
     "Mon-Fri 09:00-12:00, 14:00-18:00; Sat 09:00-12:00",
     "周一至周五 09:00-12:00，14:00-18:00；周六 09:00-12:00"),
    ("Daily 8am-8pm", "Mon-Sun 08:00-20:00", "周一至周日 08:00-20:00"),
    ("每天 8:00-20:00", "Mon-Sun 08:00-20:00", "周一至周日 08:00-20:00"),
    ("Mon to Fri 9-5pm, Sat 10-12, Sun closed", "Mon-Fri 09:00-17:00; Sat 10:00-12:00",
     "周一至周五 09:00-17:00；周六 10:00-12:00"),
    ("Tue, Thu 14:00-18:00", "Tue 14:00-18:00; Thu 14:00-18:00",
     "周二 14:00-18:00；周四 14:00-18:00"),
    ("Sat-Sun 10:00-24:00", "Sat, Sun 10:00-24:00", "周六、周日 10:00-24:00"),
])
def test_hours_are_read_in_both_languages_and_written_back(text: str, english: str,
                                                          chinese: str) -> None:
    parsed = hours.parse(text)
    assert hours.render(parsed, "en") == english
    assert hours.render(parsed, "zh") == chinese
    assert hours.parse(english) == parsed == hours.parse(chinese)
    assert hours.from_json(parsed.to_json()) == parsed


def test_the_stored_form_is_json_per_weekday() -> None:
    assert hours.parse("Mon-Fri 9-12, 14-18; Sat 9-12").to_json() == (
        '{"mon":[["09:00","12:00"],["14:00","18:00"]],"tue":[["09:00","12:00"],["14:00","18:00"]],'
        '"wed":[["09:00","12:00"],["14:00","18:00"]],"thu":[["09:00","12:00"],["14:00","18:00"]],'
        '"fri":[["09:00","12:00"],["14:00","18:00"]],"sat":[["09:00","12:00"]]}')
    assert hours.parse("") == hours.NO_HOURS and not hours.NO_HOURS.is_set


@pytest.mark.parametrize(("text", "words"), [
    ("9-17", "which days"),
    ("Mon-Sat", "Give the times"),
    ("Mon 17:00-9:00", "ends before it starts"),
    ("Mon 9:00-", "middle of a range"),
    ("Mon 25:00-26:00", "not a time of day"),
    ("Mon 9:61-17:00", "not a time of day"),
    ("Mon 9 17", "Join two times"),
    ("open when we feel like it", "not a day or a time"),
    ("周八 9:00-17:00", "cannot be read"),
    ("Sun closed", "no time the station is open"),
])
def test_malformed_hours_are_refused_with_one_plain_reason(text: str, words: str) -> None:
    with pytest.raises(InvalidInput, match=words) as refused:
        hours.parse(text)
    assert "\n" not in str(refused.value) and "Mon-Sat 9:00-17:00" in str(refused.value)


def test_hours_too_long_to_print_are_refused() -> None:
    with pytest.raises(InvalidInput, match="at most 200"):
        hours.parse("Mon 9:00-17:00 " * 20)
    # short to type, long when written out: "9-10" becomes "09:00-10:00" on each of three days
    every_other_hour = ",".join(f"{h}-{h + 1}" for h in range(0, 24, 2))
    typed = f"Mon {every_other_hour};Wed {every_other_hour}"
    assert len(typed) <= 200
    with pytest.raises(InvalidInput, match="too long to print"):
        hours.parse(typed)


_points = st.lists(st.integers(0, 96), min_size=0, max_size=6, unique=True).map(sorted)


@given(st.lists(_points, min_size=7, max_size=7))
def test_any_hours_round_trip_through_both_languages(days: list[list[int]]) -> None:
    ranges = tuple(tuple((a * 15, b * 15) for a, b in zip(p[0::2], p[1::2], strict=False)
                         if b > a) for p in days)
    made = hours.OpeningHours(ranges)
    if not made.is_set or max(len(hours.render(made, "en")), len(hours.render(made, "zh"))) > 200:
        return
    for language in ("en", "zh"):
        assert hours.parse(hours.render(made, language)) == made


# -- times told to residents --------------------------------------------------------------------


def test_a_saturday_1650_slip_with_48_hours_can_be_collected_until_monday_close() -> None:
    issued = local(SHANGHAI, 2026, 11, 21, 16, 50)  # a Saturday
    deadline = opening.collect_by(issued + timedelta(hours=48), MON_SAT, SHANGHAI)
    assert deadline == local(SHANGHAI, 2026, 11, 23, 17, 0)


def test_a_window_ending_while_closed_runs_to_the_next_close_never_shorter() -> None:
    friday = local(SHANGHAI, 2026, 11, 20, 10, 0)
    # the raw window ends on Sunday (closed): the resident may come until Monday's close
    assert opening.collect_by(friday + timedelta(hours=48), MON_SAT, SHANGHAI) == local(
        SHANGHAI, 2026, 11, 23, 17, 0)
    # ends at 03:00 on a Tuesday: until Tuesday's close
    assert opening.collect_by(local(SHANGHAI, 2026, 11, 24, 3, 0), MON_SAT, SHANGHAI) == local(
        SHANGHAI, 2026, 11, 24, 17, 0)
    # ends exactly at a close: that close
    close = local(SHANGHAI, 2026, 11, 24, 17, 0)
    assert opening.collect_by(close, MON_SAT, SHANGHAI) == close
    # with two ranges a day, the window ending in the lunch break runs to the afternoon close
    split = hours.parse("Mon-Fri 9-12, 14-18")
    assert opening.collect_by(local(SHANGHAI, 2026, 11, 23, 13, 0), split, SHANGHAI) == local(
        SHANGHAI, 2026, 11, 23, 18, 0)


def test_come_after_moves_into_the_next_opening() -> None:
    assert opening.come_after(local(SHANGHAI, 2026, 11, 23, 7, 30), MON_SAT, SHANGHAI) == local(
        SHANGHAI, 2026, 11, 23, 9, 0)
    noon = local(SHANGHAI, 2026, 11, 23, 12, 0)
    assert opening.come_after(noon, MON_SAT, SHANGHAI) == noon
    # Saturday 17:20 is after the close; Sunday is closed
    assert opening.come_after(local(SHANGHAI, 2026, 11, 21, 17, 20), MON_SAT, SHANGHAI) == local(
        SHANGHAI, 2026, 11, 23, 9, 0)
    assert opening.is_open(noon, MON_SAT, SHANGHAI)
    assert not opening.is_open(local(SHANGHAI, 2026, 11, 22, 12, 0), MON_SAT, SHANGHAI)


def test_without_hours_the_raw_times_are_kept() -> None:
    moment = local(SHANGHAI, 2026, 11, 22, 3, 0)
    assert opening.collect_by(moment, hours.NO_HOURS, SHANGHAI) == moment
    assert opening.come_after(moment, hours.NO_HOURS, SHANGHAI) == moment


def test_opening_times_follow_the_wall_clock_across_a_daylight_saving_change() -> None:
    daily = hours.parse("Daily 9:00-17:00")
    # New York leaves daylight saving on Sunday 1 Nov 2026: 17:00 is 21:00 UTC before, 22:00 after
    saturday = local(NEW_YORK, 2026, 10, 31, 16, 50)
    deadline = opening.collect_by(saturday + timedelta(hours=48), daily, NEW_YORK)
    assert deadline == datetime(2026, 11, 2, 22, 0, tzinfo=UTC)
    assert deadline.astimezone(NEW_YORK).hour == 17
    assert opening.come_after(local(NEW_YORK, 2026, 10, 31, 18, 0), daily, NEW_YORK) == datetime(
        2026, 11, 1, 14, 0, tzinfo=UTC)
