"""The public, read-only routes: listings near a point or in a box, top demand, health."""

from __future__ import annotations

import math
import random
import uuid

import pytest
from centralkit import Central, Station, listing, profile, unique_item

LISTING_KEYS = {"station_id", "name", "address", "opening_hours", "lat", "lon", "available",
                "requested", "earliest_expiry", "updated_at", "distance_km"}


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance, written independently of the server's."""
    p1, p2, dl = math.radians(lat1), math.radians(lat2), math.radians(lon2 - lon1)
    cos_c = math.sin(p1) * math.sin(p2) + math.cos(p1) * math.cos(p2) * math.cos(dl)
    return 6371.0088 * math.acos(max(-1.0, min(1.0, cos_c)))


def _station_at(central: Central, name: str, lat: float | None, lon: float | None,
                item: str, available: int, requested: int = 0) -> Station:
    station = central.station(name)
    station.push_ok([profile(1, name, lat, lon, address=f"{name} Road 1", hours="daily 8-20"),
                     listing(2, item, available, requested, "2027-03")])
    return station


def test_listings_near_a_point_nearest_first(central: Central) -> None:
    item = unique_item()
    here = (31.2304, 121.4737)
    near = _station_at(central, "Near", 31.2310, 121.4740, item, 4)
    mid = _station_at(central, "Mid", 31.2500, 121.5100, item, 9)
    far = _station_at(central, "Far", 31.4000, 121.8000, item, 2)
    nowhere = _station_at(central, "No map", None, None, item, 1)
    empty = _station_at(central, "Empty", 31.2305, 121.4738, item, 0, requested=5)

    reply = central.http.get("/api/v1/listings",
                             params={"item": item, "lat": here[0], "lon": here[1]})
    assert reply.status_code == 200, reply.text
    rows = reply.json()["listings"]
    assert [r["station_id"] for r in rows] == [
        near.station_id, mid.station_id, far.station_id, nowhere.station_id]
    assert empty.station_id not in reply.text
    for row, station in zip(rows[:3], (near, mid, far), strict=True):
        assert set(row) == LISTING_KEYS
        assert row["distance_km"] == pytest.approx(_km(*here, row["lat"], row["lon"]), abs=0.01)
        assert station.token not in reply.text
    assert rows[3]["distance_km"] is None
    assert rows[0]["name"] == "Near"
    assert rows[0]["address"] == "Near Road 1"
    assert rows[0]["opening_hours"] == "daily 8-20"
    assert (rows[0]["available"], rows[0]["earliest_expiry"]) == (4, "2027-03")
    assert "token" not in reply.text

    within_5km = central.http.get("/api/v1/listings", params={
        "item": item, "lat": here[0], "lon": here[1], "radius_km": 5}).json()["listings"]
    assert [r["station_id"] for r in within_5km] == [near.station_id, mid.station_id]
    assert all(r["distance_km"] <= 5 for r in within_5km)

    box = central.http.get("/api/v1/listings", params={
        "item": item, "bbox": "121.49,31.24,121.9,31.5"}).json()["listings"]
    assert {r["station_id"] for r in box} == {mid.station_id, far.station_id}
    assert [r["distance_km"] for r in box] == [None, None]
    assert [r["available"] for r in box] == [9, 2]  # without a point: most units first
    flipped = central.http.get("/api/v1/listings", params={
        "item": item, "bbox": "121.49,31.5,121.9,31.24"}).json()["listings"]
    assert flipped == box  # latitudes in either order

    limited = central.http.get("/api/v1/listings", params={
        "item": item, "lat": here[0], "lon": here[1], "limit": 1}).json()["listings"]
    assert [r["station_id"] for r in limited] == [near.station_id]


def test_listings_across_the_180th_meridian(central: Central) -> None:
    item = unique_item()
    east = _station_at(central, "Fiji east", -17.0, 179.9, item, 1)
    west = _station_at(central, "Fiji west", -17.0, -179.9, item, 1)
    _station_at(central, "Elsewhere", -17.0, 170.0, item, 1)
    box = central.http.get("/api/v1/listings",
                           params={"item": item, "bbox": "179,-18,-179,-16"}).json()
    assert {r["station_id"] for r in box["listings"]} == {east.station_id, west.station_id}
    rows = central.http.get("/api/v1/listings", params={
        "item": item, "lat": -17.0, "lon": 179.95, "radius_km": 50}).json()["listings"]
    assert [r["station_id"] for r in rows] == [east.station_id, west.station_id]


def test_top_demand_in_a_region(central: Central) -> None:
    rnd = random.Random(uuid.uuid4().int)
    lat, lon = rnd.uniform(-60, -50), rnd.uniform(-170, -160)  # an empty ocean, ours alone
    a, b, c = unique_item("demand-a"), unique_item("demand-b"), unique_item("demand-c")
    s1 = central.station()
    s1.push_ok([profile(1, "One", lat, lon), listing(2, a, 3, 10), listing(3, b, 0, 4),
                listing(4, c, 7, 0)])
    s2 = central.station()
    s2.push_ok([profile(1, "Two", lat + 0.1, lon + 0.1), listing(2, a, 0, 5),
                listing(3, b, 1, 30)])
    outside = central.station()
    outside.push_ok([profile(1, "Outside", lat + 5, lon), listing(2, a, 0, 1000)])
    bbox = f"{lon - 1},{lat - 1},{lon + 1},{lat + 1}"

    reply = central.http.get("/api/v1/stats/top-demand", params={"bbox": bbox})
    assert reply.status_code == 200, reply.text
    assert reply.json() == {"items": [
        {"item": b, "requested": 34, "available": 1, "stations": 2},
        {"item": a, "requested": 15, "available": 3, "stations": 2},
    ]}
    top1 = central.http.get("/api/v1/stats/top-demand", params={"bbox": bbox, "limit": 1})
    assert [r["item"] for r in top1.json()["items"]] == [b]
    everywhere = central.http.get("/api/v1/stats/top-demand", params={"limit": 100}).json()
    totals = {r["item"]: r["requested"] for r in everywhere["items"]}
    assert totals[a] == 1015


def test_public_routes_refuse_bad_queries(central: Central) -> None:
    bad = [
        ("/api/v1/listings", {}),
        ("/api/v1/listings", {"item": "Not A Slug"}),
        ("/api/v1/listings", {"item": "x", "lat": 10}),
        ("/api/v1/listings", {"item": "x", "lat": 91, "lon": 0}),
        ("/api/v1/listings", {"item": "x", "radius_km": 5}),
        ("/api/v1/listings", {"item": "x", "lat": 1, "lon": 1, "radius_km": -1}),
        ("/api/v1/listings", {"item": "x", "bbox": "1,2,3"}),
        ("/api/v1/listings", {"item": "x", "bbox": "0,50,1,91"}),
        ("/api/v1/listings", {"item": "x", "bbox": "0, 50, 1, 60"}),
        ("/api/v1/listings", {"item": "x", "bbox": "0,0,200,1"}),
        ("/api/v1/listings", {"item": "x", "lat": "nan", "lon": 0}),
        ("/api/v1/stats/top-demand", {"bbox": "a,b,c,d"}),
        ("/api/v1/stats/top-demand", {"limit": 0}),
    ]
    for path, params in bad:
        reply = central.http.get(path, params=params)
        assert reply.status_code == 422, (path, params, reply.status_code, reply.text)
        assert isinstance(reply.json()["detail"], str) and reply.json()["detail"]


def test_health_and_openapi(central: Central) -> None:
    health = central.http.get("/api/v1/health")
    assert health.status_code == 200
    assert health.json()["status"] == "ok"
    assert health.json()["storage"] == ("postgresql" if central.backend == "postgres"
                                        else "sqlite")
    doc = central.http.get("/api/v1/openapi.json").json()
    assert set(doc["paths"]) == {f"/api/v1/{p}" for p in (
        "enrol", "push", "pull", "anchors", "listings", "stats/top-demand", "health")}
    push_schema = doc["paths"]["/api/v1/push"]["post"]["requestBody"]["content"][
        "application/json"]["schema"]
    assert push_schema == {"$ref": "#/components/schemas/PushIn"}
    assert "PushIn" in doc["components"]["schemas"]
    assert "ListingBody" in doc["components"]["schemas"]
    assert doc["paths"]["/api/v1/pull"]["get"]["security"] == [{"stationToken": []}]
    assert "protocol_version" in doc["components"]["schemas"]["PushIn"]["required"]
    for path, method in (("push", "post"), ("enrol", "post"), ("pull", "get")):
        params = doc["paths"][f"/api/v1/{path}"][method]["parameters"]
        header = next(x for x in params if x["name"] == "X-MedShare-Protocol")
        assert header["in"] == "header"
        assert header["schema"]["minimum"] <= 2 <= header["schema"]["maximum"]
    schemas = doc["components"]["schemas"]
    assert {"history", "base", "seen", "anchor"} <= set(schemas["PushIn"]["properties"])
    assert "SnapshotEvent" in schemas and "AnchorOut" in schemas
    push_out = doc["paths"]["/api/v1/push"]["post"]["responses"]["200"]["content"][
        "application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    assert {"acked_seq", "acked_digest", "history", "epoch", "anchor"} <= set(
        schemas[push_out]["properties"])
    listing_body = doc["components"]["schemas"]["ListingBody"]
    assert listing_body["additionalProperties"] is False
    assert set(listing_body["required"]) == {"item", "available", "requested", "earliest_expiry"}
    assert central.http.get("/api/v1/nothing-here").status_code == 404
