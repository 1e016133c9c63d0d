"""What the public reads need: the central's catalog of known items, regions
(bounding boxes, a radius around a point) and a listing's public JSON."""


import math
from typing import Any

from kiosk.central.storage import (
    BBox,
    ListingRow,
    Storage,
)
from kiosk.errors import InvalidInput
from kiosk.sync import protocol as p
from kiosk.sync.history import (
    clean_display_text,
)

EARTH_RADIUS_KM = 6371.0088


class KnownItems:
    """The central's catalog: the bundled one plus items the operator added (read again
    when a push names one not seen yet, so a `catalog add` needs no restart)."""

    def __init__(self, storage: Storage, bundled: set[str]) -> None:
        self.storage = storage
        self.known = set(bundled)
        self.bundled = set(bundled)

    def unknown(self, events: list[p.Event]) -> list[str]:
        named: set[str] = set()
        for e in events:
            if e.kind == p.KIND_LISTING:
                named.add(e.body["item"])
            elif e.kind == p.KIND_SNAPSHOT:
                named.update(listing["item"] for listing in e.body["listings"])
        missing = named - self.known
        if missing:
            self.known = self.bundled | self.storage.extra_items()
            missing -= self.known
        return sorted(missing)

    def knows(self, item: str) -> bool:
        """For public output: a listing stored before the catalog check (or of an item
        since dropped) stays out of the listings and statistics."""
        return not self.unknown([p.Event(1, p.KIND_LISTING, {"item": item})])


def _bbox(text: str | None) -> BBox | None:
    if text is None:
        return None
    try:
        parts = [float(x) for x in text.split(",")]
    except ValueError:
        parts = []
    if len(parts) != 4 or not all(math.isfinite(x) for x in parts):
        raise InvalidInput("bbox must be min_lon,min_lat,max_lon,max_lat (four numbers)")
    min_lon, min_lat, max_lon, max_lat = parts
    if not (-180 <= min_lon <= 180 and -180 <= max_lon <= 180):
        raise InvalidInput("bbox longitudes must be between -180 and 180")
    if not (-90 <= min_lat <= 90 and -90 <= max_lat <= 90):
        raise InvalidInput("bbox latitudes must be between -90 and 90")
    # Latitudes in either order mean the same band; longitudes do not (min > max wraps).
    return BBox(min_lon, min(min_lat, max_lat), max_lon, max(min_lat, max_lat))


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = phi2 - phi1
    dlmb = math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def _radius_box(lat: float, lon: float, radius_km: float) -> BBox | None:
    """A box that contains the circle, or None when it would wrap a pole or the meridian."""
    dlat = math.degrees(radius_km / EARTH_RADIUS_KM)
    if abs(lat) + dlat >= 89.0:
        return None
    dlon = dlat / math.cos(math.radians(abs(lat) + dlat))
    if dlon >= 180 or lon - dlon < -180 or lon + dlon > 180:
        return BBox(-180, lat - dlat, 180, lat + dlat)
    return BBox(lon - dlon, lat - dlat, lon + dlon, lat + dlat)


def _listing_json(row: ListingRow, distance: float | None) -> dict[str, Any]:
    return {
        "station_id": row.station_id,
        "name": clean_display_text(row.name),
        "address": clean_display_text(row.address, multiline=True),
        "opening_hours": clean_display_text(row.opening_hours, multiline=True),
        "lat": row.lat,
        "lon": row.lon,
        "available": row.available,
        "requested": row.requested,
        "earliest_expiry": row.earliest_expiry,
        "updated_at": row.updated_at,
        "distance_km": None if distance is None else round(distance, 3),
    }
