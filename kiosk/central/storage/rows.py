"""What the central's storage hands to the app: rows, and the errors it raises."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kiosk.errors import MedShareError


class StorageError(MedShareError):
    """The central database cannot be opened or used; the message says why."""


class StorageUnavailable(StorageError):
    """The database is unreachable or too busy right now; try again later."""


class EnrolmentRefused(MedShareError):
    """An enrolment code is unknown, used or expired."""


# --- rows handed to the app ---------------------------------------------------------


@dataclass(frozen=True, slots=True)
class StationInfo:
    station_id: str
    name: str
    created_at: str
    enrolled: bool
    acked_seq: int
    last_push_at: str | None


@dataclass(frozen=True, slots=True)
class NewCode:
    station_id: str
    name: str
    code: str
    expires_at: str


@dataclass(frozen=True, slots=True)
class Enrolled:
    station_id: str
    name: str
    token: str


@dataclass(frozen=True, slots=True)
class ChangeRow:
    id: int
    station_id: str | None
    kind: str
    body: dict[str, Any]


@dataclass(frozen=True, slots=True)
class ChangePage:
    changes: list[ChangeRow]
    next_cursor: int
    more: bool
    epoch: str = ""
    head: int = 0


@dataclass(frozen=True, slots=True)
class ListingRow:
    station_id: str
    name: str
    address: str
    opening_hours: str
    lat: float | None
    lon: float | None
    available: int
    requested: int
    earliest_expiry: str | None
    updated_at: str


@dataclass(frozen=True, slots=True)
class DemandRow:
    item: str
    requested: int
    available: int
    stations: int


@dataclass(frozen=True, slots=True)
class BBox:
    """min_lon, min_lat, max_lon, max_lat (GeoJSON order); min_lon > max_lon wraps 180°."""

    min_lon: float
    min_lat: float
    max_lon: float
    max_lat: float


class PushAuth(Exception):
    """Raised inside push when the token does not belong to the station."""

    def __init__(self, token_known: bool) -> None:
        super().__init__("token does not match station")
        self.token_known = token_known


