"""Times told to residents, moved inside the station's opening hours.

The rules (README, "Pickup windows"):

- come after: the moment asked for if the station is open then, otherwise
  the next opening time;
- collect by: the first closing time at or after the end of the raw pickup
  window (issued + `pickup_window_hours`). The window is never shortened: if
  it ends while the station is open, the resident has until that day's close;
  if it ends while the station is closed, until the close of the next opening
  period. A station without opening hours keeps the raw times.

Opening periods are computed in the station's zone day by day, so a
daylight-saving change moves them with the wall clock.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, tzinfo

from kiosk.hours import OpeningHours
from kiosk.localtime import local_day

Period = tuple[datetime, datetime]  # UTC instants [opens, closes)

# hours set for at least one weekday repeat within a week; two weeks covers
# a window that starts just after a close and a long pickup window
_LOOKAHEAD_DAYS = 21


def _at(day: date, minutes: int, where: tzinfo) -> datetime:
    if minutes >= 24 * 60:
        return datetime.combine(day + timedelta(days=1), time(0), tzinfo=where).astimezone(UTC)
    wall = time(minutes // 60, minutes % 60)
    return datetime.combine(day, wall, tzinfo=where).astimezone(UTC)


def periods(hours: OpeningHours, where: tzinfo, first: date, last: date) -> list[Period]:
    """Opening periods on station-local days first..last, touching ones joined."""
    found: list[Period] = []
    day = first
    while day <= last:
        for start, end in hours.ranges(day.weekday()):
            opens, closes = _at(day, start, where), _at(day, end, where)
            if closes <= opens:  # a range inside a skipped DST hour
                continue
            if found and opens <= found[-1][1]:
                found[-1] = (found[-1][0], max(closes, found[-1][1]))
            else:
                found.append((opens, closes))
        day += timedelta(days=1)
    return found


def _from(instant: datetime, hours: OpeningHours, where: tzinfo, extra_days: int) -> list[Period]:
    today = local_day(instant, where)
    return periods(hours, where, today - timedelta(days=1),
                   today + timedelta(days=_LOOKAHEAD_DAYS + extra_days))


def is_open(instant: datetime, hours: OpeningHours, where: tzinfo) -> bool:
    if not hours.is_set:
        return True
    return any(opens <= instant < closes for opens, closes in _from(instant, hours, where, 0))


def come_after(instant: datetime, hours: OpeningHours, where: tzinfo) -> datetime:
    """`instant` if open then, else the next opening time (unchanged without hours)."""
    if not hours.is_set:
        return instant
    for opens, closes in _from(instant, hours, where, 0):
        if closes > instant:
            return max(opens, instant)
    return instant


def collect_by(raw_end: datetime, hours: OpeningHours, where: tzinfo) -> datetime:
    """The first closing time at or after `raw_end` (unchanged without hours)."""
    if not hours.is_set:
        return raw_end
    for _opens, closes in _from(raw_end, hours, where, 0):
        if closes >= raw_end:
            return closes
    return raw_end
