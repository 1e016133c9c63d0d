"""The station's own days: instants are UTC, days are days in the station's zone.

A box "good through 31 December" is good until midnight of 31 December where
the station is, not in Greenwich; a report's "1 March" is the station's
1 March. Every query that groups or filters stored UTC instants by day asks
this module for the day's boundaries as UTC instants, so a 23- or 25-hour
day at a daylight-saving change is counted right.
"""

from __future__ import annotations

import os
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from kiosk.errors import InvalidInput

DEFAULT_ZONE = "UTC"


@lru_cache(maxsize=64)
def zone(name: str) -> ZoneInfo:
    """The zone of a stored (already checked) name; UTC for an empty one."""
    return ZoneInfo(name or DEFAULT_ZONE)


def parse_zone(value: object) -> str:
    """An IANA zone name such as Asia/Shanghai, checked against the zone database."""
    text = str(value if value is not None else "").strip()
    if not text:
        raise InvalidInput("Give the station's time zone, for example Asia/Shanghai.")
    message = (f"'{text[:40]}' is not a time zone this computer knows; give an IANA name "
               "such as Asia/Shanghai, Europe/London or America/New_York.")
    # ZoneInfo also opens paths such as "../../etc/passwd" or "localtime";
    # only names of the zone database are stations' zones
    if text.startswith(("/", ".")) or ".." in text or "\\" in text or text == "localtime":
        raise InvalidInput(message)
    try:
        ZoneInfo(text)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise InvalidInput(message) from None
    if text not in _known_names() and text.upper() != "UTC":
        raise InvalidInput(message)
    return text


@lru_cache(maxsize=1)
def _known_names() -> frozenset[str]:
    return frozenset(available_timezones())


def system_zone_name() -> str:
    """The computer's IANA zone (TZ, /etc/localtime, the Windows registry); UTC if unknown."""
    candidates: list[str] = []
    env = os.environ.get("TZ", "").strip().lstrip(":")
    if env:
        candidates.append(env)
    try:
        import tzlocal

        candidates.append(tzlocal.get_localzone_name() or "")
    except Exception:
        pass
    for name in candidates:
        try:
            return parse_zone(name)
        except InvalidInput:
            continue
    return DEFAULT_ZONE


def local_day(instant: datetime, where: tzinfo) -> date:
    """The station's calendar day at an instant."""
    return instant.astimezone(where).date()


def day_start(day: date, where: tzinfo) -> datetime:
    """The UTC instant at which a station-local day begins (its local midnight)."""
    local = datetime.combine(day, time(0), tzinfo=where)
    # a zone that skips midnight (a DST change at 00:00) begins the day at
    # the first instant that exists; zoneinfo maps the gap forward
    return local.astimezone(UTC)


def days_bounds(first: date, last: date, where: tzinfo) -> tuple[datetime, datetime]:
    """UTC instants [start, end) covering station-local days first..last inclusive."""
    return day_start(first, where), day_start(last + timedelta(days=1), where)


def day_of_iso(stamp: str, where: tzinfo) -> date:
    """The station-local day of a stored ISO instant."""
    value = datetime.fromisoformat(stamp)
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return local_day(value, where)


def offset_text(instant: datetime, where: tzinfo) -> str:
    """UTC+08:00 style offset of a zone at an instant (for the status bar)."""
    offset = instant.astimezone(where).utcoffset() or timedelta(0)
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours:02d}:{rest:02d}"


class DayBuckets:
    """Which station-local day of first..last a stored ISO instant falls on.

    The boundaries are UTC instants in the stored text form, so a stored
    `at` is placed by comparing text (no parsing per row), and a 23- or
    25-hour day at a daylight-saving change has its true length.
    """

    def __init__(self, first: date, last: date, where: tzinfo) -> None:
        from kiosk.clock import iso

        count = (last - first).days + 1
        self.days = [first + timedelta(days=n) for n in range(count)]
        self.bounds = [iso(day_start(day, where)) for day in self.days]
        self.bounds.append(iso(day_start(last + timedelta(days=1), where)))

    @property
    def start(self) -> str:
        return self.bounds[0]

    @property
    def end(self) -> str:
        return self.bounds[-1]

    def day_of(self, stamp: str) -> date | None:
        from bisect import bisect_right

        if not self.bounds[0] <= stamp < self.bounds[-1]:
            return None
        return self.days[bisect_right(self.bounds, stamp) - 1]


def zone_names() -> list[str]:
    """Every zone name a station may take, sorted (for pickers)."""
    return sorted(name for name in _known_names() if "/" in name or name == "UTC")
