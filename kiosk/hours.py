"""Opening hours: per weekday, one or more ranges, parsed from the text staff type.

The stored form is JSON, `{"mon": [["09:00", "17:00"]], "sat": [...]}` (days
without a key are closed). Staff type hours the way a notice board says
them, in English or Chinese ("Mon-Sat 9:00-17:00", "Mon-Fri 9-12, 14-18;
Sat 9-12", "周一至周六 9:00-17:00"); `parse` reads both and `render` writes
the canonical text back in either language. The text is what crosses the
network (the profile's `opening_hours`) and what a slip prints.

A range ends after it starts on the same day ("24:00" is the end of the
day); overnight opening is two ranges on two days.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Final

from kiosk.errors import InvalidInput
from kiosk.messages import say, words

DAY_KEYS: Final = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_EN_NAMES: Final = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_ZH_NAMES: Final = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")
_ZH_DIGITS: Final = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6,
                     "七": 6}
_EN_WORDS: Final = {
    "mon": 0, "monday": 0, "tue": 1, "tues": 1, "tuesday": 1, "wed": 2, "wednesday": 2,
    "thu": 3, "thur": 3, "thurs": 3, "thursday": 3, "fri": 4, "friday": 4, "sat": 5,
    "saturday": 5, "sun": 6, "sunday": 6,
}
_EVERY_DAY: Final = ("daily", "everyday", "每天", "每日", "天天")
_CLOSED: Final = ("closed", "休息", "闭馆", "不开放", "关闭")

Range = tuple[int, int]  # minutes since local midnight, start < end <= 1440
MAX_TEXT: Final = 200  # typed and written-back text alike (the profile's wire limit)

_HELP: Final = ('Write opening hours as days then times, for example "Mon-Sat 9:00-17:00" or '
                '"Mon-Fri 9-12, 14-18; Sat 9-12" (周一至周六 9:00-17:00).')

_TOKEN = re.compile(
    r"(?P<time>\d{1,2}(?:[:.：]\d{2})?\s*(?:am|pm)?)"
    r"|(?P<zhday>(?:周|星期|礼拜)[一二三四五六日天七])"
    r"|(?P<dash>[-–—~～至到]|to(?![a-z]))"
    r"|(?P<sep>[,，、;；/\n]|and(?![a-z])|&)"
    r"|(?P<word>[a-z]+|每天|每日|天天|休息|闭馆|不开放|关闭)"
    r"|(?P<space>\s+)"
)


@dataclass(frozen=True)
class OpeningHours:
    """Ranges per weekday, Monday = 0; an empty structure means "not set"."""

    days: tuple[tuple[Range, ...], ...] = ((),) * 7

    @property
    def is_set(self) -> bool:
        return any(self.days)

    def ranges(self, weekday: int) -> tuple[Range, ...]:
        return self.days[weekday]

    def to_json(self) -> str:
        data = {DAY_KEYS[n]: [[_clock(a), _clock(b)] for a, b in ranges]
                for n, ranges in enumerate(self.days) if ranges}
        return json.dumps(data, separators=(",", ":"))


NO_HOURS: Final = OpeningHours()


def _clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def from_json(text: str) -> OpeningHours:
    """The stored structure (already checked when it was saved); empty text: not set."""
    if not text:
        return NO_HOURS
    data = json.loads(text)
    days: list[tuple[Range, ...]] = []
    for key in DAY_KEYS:
        days.append(tuple((_minutes(a), _minutes(b)) for a, b in data.get(key, [])))
    return OpeningHours(tuple(days))


def _minutes(text: str) -> int:
    hours, minutes = text.split(":")
    return int(hours) * 60 + int(minutes)


def _time_value(token: str) -> int:
    text = token.replace("：", ":").replace(".", ":").strip()
    suffix = ""
    if text.endswith(("am", "pm")):
        text, suffix = text[:-2].strip(), text[-2:]
    hour_text, _, minute_text = text.partition(":")
    hour, minute = int(hour_text), int(minute_text or 0)
    if suffix:
        if not 1 <= hour <= 12:
            raise InvalidInput(f"'{token}' is not a time. {_HELP}")
        hour = hour % 12 + (12 if suffix == "pm" else 0)
    if minute > 59 or hour > 24 or (hour == 24 and minute):
        raise InvalidInput(f"'{token}' is not a time of day. {_HELP}")
    return hour * 60 + minute


def _tokens(text: str) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    position = 0
    lowered = text.lower()
    while position < len(lowered):
        match = _TOKEN.match(lowered, position)
        if match is None or match.end() == position:
            raise InvalidInput(f"The opening hours cannot be read at '{text[position:][:12]}'. "
                               f"{_HELP}")
        kind = match.lastgroup or "space"
        if kind != "space":
            found.append((kind, match.group().strip()))
        position = match.end()
    return found


def _day_of(kind: str, value: str) -> int | None:
    if kind == "zhday":
        return _ZH_DIGITS[value[-1]]
    return _EN_WORDS.get(value)


def parse(value: object) -> OpeningHours:
    """Opening hours from staff's text; empty text: not set. Bad text: InvalidInput."""
    text = str(value if value is not None else "").strip()
    if not text:
        return NO_HOURS
    if len(text) > MAX_TEXT:
        raise InvalidInput(f"The opening hours must be at most {MAX_TEXT} characters.")
    days: list[list[Range]] = [[] for _ in range(7)]
    group_days: list[int] = []
    group_ranges: list[Range] = []
    group_closed = False
    pending_from: int | None = None  # "Mon -" waiting for its last day
    range_start: int | None = None
    expect_range_end = False

    def close_group() -> None:
        nonlocal group_days, group_ranges, group_closed
        if group_days or group_ranges or group_closed:
            if not group_days:
                raise InvalidInput(f"Say which days the times {_ranges_en(group_ranges)} are for."
                                   f" {_HELP}")
            if not group_ranges and not group_closed:
                raise InvalidInput(f"Give the times for {_days_en(group_days)}. {_HELP}")
            for day in group_days:
                for start, end in group_ranges:
                    days[day].append((start, end))
        group_days, group_ranges, group_closed = [], [], False

    tokens = _tokens(text)
    for index, (kind, value) in enumerate(tokens):
        following = tokens[index + 1][0] if index + 1 < len(tokens) else ""
        if kind in ("zhday", "word") and value in _EVERY_DAY:
            if group_ranges or group_closed:
                close_group()
            group_days.extend(range(7))
        elif kind == "word" and value in _CLOSED:
            group_closed = True
        elif kind in ("zhday", "word"):
            day = _day_of(kind, value)
            if day is None:
                raise InvalidInput(f"'{value}' is not a day or a time. {_HELP}")
            if group_ranges or group_closed:
                close_group()
            if pending_from is not None:
                span = [(pending_from + n) % 7 for n in range((day - pending_from) % 7 + 1)]
                group_days.extend(span[1:])
                pending_from = None
            else:
                group_days.append(day)
        elif kind == "time":
            minutes = _time_value(value)
            if expect_range_end and range_start is not None:
                if minutes <= range_start:
                    raise InvalidInput(f"The range {_clock(range_start)}-{value} ends before "
                                       f"it starts. {_HELP}")
                group_ranges.append((range_start, minutes))
                range_start, expect_range_end = None, False
            elif range_start is None:
                range_start = minutes
            else:
                raise InvalidInput(f"Join two times with a dash, for example 9:00-17:00. {_HELP}")
        elif kind == "dash":
            if range_start is not None and not expect_range_end:
                expect_range_end = True
            elif group_days and not group_ranges and following in ("word", "zhday"):
                pending_from = group_days[-1]
            else:
                raise InvalidInput(f"A dash must join two days or two times. {_HELP}")
        elif kind == "sep":
            if range_start is not None:
                raise InvalidInput(f"Give a closing time after {_clock(range_start)}. {_HELP}")
            if value in (";", "；", "\n") and (group_ranges or group_closed):
                close_group()
    if range_start is not None or pending_from is not None:
        raise InvalidInput(f"The opening hours end in the middle of a range. {_HELP}")
    close_group()
    checked = tuple(_merged(day_ranges) for day_ranges in days)
    hours = OpeningHours(checked)
    if not hours.is_set:
        raise InvalidInput(f"The opening hours give no time the station is open. {_HELP}")
    if max(len(render(hours, "en")), len(render(hours, "zh"))) > MAX_TEXT:
        # the written-back text is what slips print and the profile shares
        raise InvalidInput(f"These opening hours are too long to print on a slip (at most "
                           f"{MAX_TEXT} characters as written out); join days that share hours.")
    return hours


def _merged(ranges: list[Range]) -> tuple[Range, ...]:
    merged: list[Range] = []
    for start, end in sorted(ranges):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return tuple(merged)


def _ranges_en(ranges: list[Range]) -> str:
    return ", ".join(f"{_clock(a)}-{_clock(b)}" for a, b in ranges) or "given"


def _days_en(days: list[int]) -> str:
    return ", ".join(_EN_NAMES[d] for d in days)


def render(hours: OpeningHours, language: str = "en") -> str:
    """The canonical text: consecutive days with the same hours joined."""
    names = words("hours.days", language)
    through, also = say("hours.through", language), say("hours.and", language)
    comma, semicolon = say("hours.comma", language), say("hours.semicolon", language)
    parts: list[str] = []
    day = 0
    while day < 7:
        ranges = hours.days[day]
        last = day
        while last + 1 < 7 and hours.days[last + 1] == ranges:
            last += 1
        if ranges:
            if last == day:
                span = names[day]
            elif last == day + 1:
                span = f"{names[day]}{also}{names[last]}"
            else:
                span = f"{names[day]}{through}{names[last]}"
            times = comma.join(f"{_clock(a)}-{_clock(b)}" for a, b in ranges)
            parts.append(f"{span} {times}")
        day = last + 1
    return semicolon.join(parts)


def canonical_text(hours: OpeningHours) -> str:
    """The one text form stored next to the structure and sent to the central endpoint."""
    return render(hours, "en")


def display(text: str, hours: OpeningHours, language: str = "en") -> str:
    """The hours to show a person: the structure in their language, else the stored text."""
    return render(hours, language) if hours.is_set else text
