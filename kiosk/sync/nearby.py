"""What other stations have, from the pulled listings, nearest first."""

from __future__ import annotations

import math
from dataclasses import dataclass

from kiosk.db import station as station_store
from kiosk.db.store import Store
from kiosk.sync.history import clean_display_text


@dataclass(frozen=True)
class NearbyListing:
    station_id: str
    name: str
    address: str
    opening_hours: str
    available: int
    earliest_expiry: str | None
    distance_km: float | None

    def to_json(self) -> dict[str, object]:
        return {
            "station_id": self.station_id,
            "name": self.name,
            "address": self.address,
            "opening_hours": self.opening_hours,
            "available": self.available,
            "earliest_expiry": self.earliest_expiry,
            "distance_km": None if self.distance_km is None else round(self.distance_km, 2),
        }


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(a))


def nearby(store: Store, item_id: str) -> list[NearbyListing]:
    item = store.item(item_id)
    here = station_store.get(store)
    rows = store.conn.execute(
        "SELECT l.station_id, s.name, s.address, s.opening_hours, s.lat, s.lon, l.available, "
        "l.earliest_expiry FROM remote_listing AS l "
        "LEFT JOIN remote_station AS s ON s.station_id = l.station_id "
        "WHERE l.item_id = ? AND l.available > 0",
        (item.id,),
    ).fetchall()
    found = []
    for row in rows:
        distance = None
        if None not in (here.lat, here.lon, row["lat"], row["lon"]):
            distance = haversine_km(here.lat, here.lon, row["lat"], row["lon"])  # type: ignore[arg-type]
        found.append(NearbyListing(
            # cleaned again here: rows pulled by a version before the cleaning are raw
            station_id=row["station_id"],
            name=clean_display_text(row["name"] or "") or row["station_id"],
            address=clean_display_text(row["address"] or "", multiline=True),
            opening_hours=clean_display_text(row["opening_hours"] or "", multiline=True),
            available=int(row["available"]), earliest_expiry=row["earliest_expiry"],
            distance_km=distance,
        ))
    found.sort(key=lambda n: (n.distance_km is None, n.distance_km or 0.0, -n.available))
    return found
