"""Where the station gets the time.

Everything that depends on the date (expiry, pickup windows, retention)
asks a Clock. Tests pass a fixed Clock in code. `MEDSHARE_NOW` (ISO 8601)
pins the clock for a whole process, but a station honours it only if it is
a training station (the demo, or `medshare init --training`): on a real
station a pinned clock would let anyone back-date movements or collect a
slip whose pickup window has ended, so a real station refuses to open.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from datetime import UTC, date, datetime, timedelta

from kiosk.errors import InvalidInput

OVERRIDE_VARIABLE = "MEDSHARE_NOW"


class ClockOverrideRefused(InvalidInput):
    """`MEDSHARE_NOW` is set for a station that is not a training station."""


class Clock:
    """The real clock, or a fixed one (given in code; see `station_clock` for the override)."""

    def __init__(self, fixed: datetime | None = None) -> None:
        self._fixed = fixed

    def now(self) -> datetime:
        return self._fixed if self._fixed is not None else datetime.now(UTC)

    def today(self) -> date:
        return self.now().date()

    def advance(self, delta: timedelta) -> None:
        """Move a fixed clock forward (tests only)."""
        self._fixed = self.now() + delta


def parse_instant(text: str) -> datetime:
    value = datetime.fromisoformat(text)
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def iso(moment: datetime) -> str:
    """The one text form of an instant stored in the database."""
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def override_from_env(environ: Mapping[str, str] | None = None) -> datetime | None:
    """The instant `MEDSHARE_NOW` pins, or None when it is not set."""
    text = (os.environ if environ is None else environ).get(OVERRIDE_VARIABLE, "").strip()
    if not text:
        return None
    try:
        return parse_instant(text)
    except ValueError:
        raise InvalidInput(
            f"{OVERRIDE_VARIABLE} is set to '{text[:40]}', which is not a date and time "
            "such as 2026-11-21T10:00:00+00:00; nothing was changed."
        ) from None


def not_training_refusal() -> ClockOverrideRefused:
    return ClockOverrideRefused(
        f"{OVERRIDE_VARIABLE} is set, but this is not a training station; a real station "
        f"always uses the real clock. Unset {OVERRIDE_VARIABLE}, or practise on a station "
        "made with 'medshare init --training'. Nothing was changed."
    )


def station_clock(training: bool, environ: Mapping[str, str] | None = None) -> Clock:
    """The clock a station runs on: pinned by `MEDSHARE_NOW` only on a training station."""
    pinned = override_from_env(environ)
    if pinned is None:
        return Clock()
    if not training:
        raise not_training_refusal()
    return Clock(pinned)


def process_clock(environ: Mapping[str, str] | None = None) -> Clock:
    """The clock of the central endpoint, which is not a station: `MEDSHARE_NOW` still
    pins it (its tests make enrolment codes that have already run out that way)."""
    pinned = override_from_env(environ)
    return Clock(pinned)
