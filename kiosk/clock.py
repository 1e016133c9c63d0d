"""Where the station gets the time.

Everything that depends on the date (expiry, pickup windows, retention)
asks a Clock, so tests and the demo can run at a fixed moment.
`MEDSHARE_NOW` (ISO 8601) pins the clock for a whole process, which is how
the CLI tests move time forward.
"""

from __future__ import annotations

import os
from datetime import UTC, date, datetime, timedelta


class Clock:
    """The real clock, or a fixed/offset one when `MEDSHARE_NOW` is set."""

    def __init__(self, fixed: datetime | None = None) -> None:
        if fixed is None:
            pinned = os.environ.get("MEDSHARE_NOW")
            if pinned:
                fixed = parse_instant(pinned)
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
