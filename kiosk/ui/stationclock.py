"""The desk shows instants on the station's wall clock, which may differ from the computer's.

The main window sets the zone when a station opens and after Settings change
it (through the status bar); until then times are the computer's.
"""

from __future__ import annotations

from datetime import datetime, tzinfo

from kiosk.localtime import zone

_zone: tzinfo | None = None


def set_zone(name: str) -> None:
    global _zone
    _zone = zone(name) if name else None


def on_station_clock(moment: datetime) -> datetime:
    return moment.astimezone(_zone)
