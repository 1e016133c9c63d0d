"""Protocol 2 at the central's edges, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
from centralkit import Central, listing, unique_item

from kiosk.sync import protocol as p
from kiosk.sync.history import new_history_id


def test_a_version_1_station_is_told_to_update_the_station_app(central: Central) -> None:
    station = central.station()
    reply = central.http.post("/api/v1/push", headers=station.auth, json={
        "protocol_version": 1, "station_id": station.station_id, "events": []})
    assert reply.status_code == 426
    assert "Update the station app" in reply.json()["detail"]
    enrol = central.enrol_raw({"code": central.code().code, "protocol_version": 1})
    assert enrol.status_code == 426 and "Update the station app" in enrol.json()["detail"]


@pytest.mark.parametrize("version", ["2", 2.0, True, None, [2]])
def test_protocol_version_must_be_an_integer(central: Central, version: Any) -> None:
    station = central.station()
    item = unique_item()
    central.storage.allow_items([item], datetime.now().astimezone())
    reply = central.http.post("/api/v1/push", headers=station.auth, json={
        "protocol_version": version, "station_id": station.station_id,
        "events": [listing(1, item, 3)]})
    assert reply.status_code in (400, 422), reply.text
    assert "protocol_version must be a whole number" in reply.json()["detail"]
    assert station.push_ok([]) == 0  # nothing was stored


def test_a_listing_of_an_item_the_catalog_does_not_know_is_refused(central: Central) -> None:
    station = central.station()
    unknown = "not-a-medicine-" + new_history_id()[:8]
    body = {"protocol_version": p.PROTOCOL_VERSION, "station_id": station.station_id,
            "events": [listing(1, "antigen-test-kit", 2), listing(2, unknown, 0, requested=999999)]}
    reply = central.http.post("/api/v1/push", json=body, headers=station.auth)
    assert reply.status_code == 422
    assert unknown in reply.json()["detail"] and "catalog" in reply.json()["detail"]
    snapshot = {"seq": 1, "kind": "snapshot", "body": {
        "profile": {"name": "S", "address": "", "lat": None, "lon": None, "opening_hours": ""},
        "listings": [listing(0, unknown, 5)["body"]]}}
    reply = central.http.post("/api/v1/push", headers=station.auth, json={
        **body, "events": [snapshot]})
    assert reply.status_code == 422
    assert station.push_ok([]) == 0  # nothing of either batch was stored
    # even one stored before the check (an older central) stays out of public output
    from kiosk.sync.protocol import make_event
    central.storage.push(station.station_id, station.token, [make_event(
        1, "listing", {**listing(0, unknown, 3, requested=999999)["body"]})],
        datetime.now().astimezone())
    top = central.http.get("/api/v1/stats/top-demand", params={"limit": 100}).json()
    assert unknown not in [row["item"] for row in top["items"]]
    assert central.http.get("/api/v1/listings", params={"item": unknown}).json()[
        "listings"] == []


def test_a_snapshot_replaces_the_stations_listings(central: Central) -> None:
    station = central.station()
    keep, drop = unique_item(), unique_item()
    assert station.push_ok([listing(1, keep, 4), listing(2, drop, 9)]) == 2
    history = new_history_id()
    central.storage.allow_items([keep], datetime.now().astimezone())
    snapshot = {"seq": 10, "kind": "snapshot", "body": {
        "profile": {"name": "Snap", "address": "", "lat": None, "lon": None,
                    "opening_hours": ""},
        "listings": [listing(0, keep, 1)["body"]]}}
    reply = central.http.post("/api/v1/push", headers=station.auth, json={
        "protocol_version": 2, "station_id": station.station_id, "history": history,
        "base": 10, "events": [snapshot]})
    assert reply.status_code == 200, reply.text
    state = reply.json()
    assert (state["acked_seq"], state["history"]) == (10, history)
    public = {item: central.http.get("/api/v1/listings", params={"item": item}).json()
              for item in (keep, drop)}
    assert [r["available"] for r in public[keep]["listings"]] == [1]
    assert public[drop]["listings"] == []  # not in the snapshot: gone to zero
    # a base at or below what the central holds is not taken
    stale = central.http.post("/api/v1/push", headers=station.auth, json={
        "protocol_version": 2, "station_id": station.station_id,
        "history": new_history_id(), "base": 3, "events": []}).json()
    assert stale["history"] == history and stale["max_seq"] == 10
