"""Review of issue 13 at the central's edges: what the OpenAPI document promises."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psycopg
import pytest
from centralkit import Central, ServerProcess
from test_central_restored_pg import EXPIRY, IBU, KIT, _point

from kiosk.central.storage import open_storage
from kiosk.db import ledger
from kiosk.db.station import init
from kiosk.db.store import Store
from kiosk.sync.client import SyncClient, get_state


@pytest.mark.parametrize("version", ["1", "3", "x"])
def test_anchors_answers_an_older_or_newer_peer_as_documented(central: Central,
                                                             version: str) -> None:
    station = central.station()
    reply = central.http.get("/api/v1/anchors",
                             headers={**station.auth, "X-MedShare-Protocol": version})
    assert reply.status_code == (422 if version == "x" else 426), reply.text


def test_the_openapi_document_names_every_way_pull_takes_the_version(central: Central) -> None:
    station = central.station()
    reply = central.http.get("/api/v1/pull", headers=station.auth,
                             params={"after": "0", "protocol_version": 2})
    assert reply.status_code == 200
    doc = central.http.get("/api/v1/openapi.json").json()
    names = [p["name"] for p in doc["paths"]["/api/v1/pull"]["get"]["parameters"]]
    assert "protocol_version" in names


def test_a_huge_version_in_the_query_is_too_new_not_malformed(central: Central) -> None:
    station = central.station()
    reply = central.http.get("/api/v1/pull", headers=station.auth,
                             params={"after": "0", "protocol_version": str(10**30)})
    assert reply.status_code == 426, reply.text


def _remote(store: Store, other: Store) -> dict[str, int]:
    rows = store.conn.execute(
        "SELECT item_id, available FROM remote_listing WHERE station_id = ? AND available > 0",
        (get_state(other.conn, "station_id"),)).fetchall()
    return {str(r[0]): int(r[1]) for r in rows}


@pytest.mark.postgres
def test_postgres_central_restored_with_a_cursor_past_its_head_then_every_later_change(
    pg_admin_url: str, start_server: Callable[..., ServerProcess], tmp_path: Path
) -> None:
    name = "medshare_" + uuid.uuid4().hex[:12]
    with psycopg.connect(pg_admin_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"'.encode())
    base = pg_admin_url.rpartition("/")[0]
    url, copy_url = f"{base}/{name}", f"{base}/{name}_copy"
    server = start_server(url)
    storage = open_storage(url, pool_size=1)
    stores = [init(tmp_path / n, n.upper(), f"{n} Centre") for n in ("harbour", "hill")]
    try:
        for store in stores:
            code = storage.add_station(store.conn.execute(
                "SELECT name FROM station").fetchone()[0], datetime.now(UTC),
                timedelta(days=1)).code
            SyncClient(store).enrol(server.base_url, code)
        storage.close()
        harbour, hill = stores
        ledger.receive(harbour, KIT, 1, EXPIRY)
        for store in stores * 2:
            SyncClient(store).sync_once()
        server.stop()
        with psycopg.connect(pg_admin_url, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}_copy" TEMPLATE "{name}"'.encode())
        server = start_server(url)
        _point(stores, server)
        for units in (3, 4, 5):
            ledger.receive(hill, KIT, units, EXPIRY)
            SyncClient(hill).sync_once()
        SyncClient(harbour).sync_once()
        assert _remote(harbour, hill) == {KIT: 12}
        server.stop()
        server = start_server(copy_url)  # the older copy: its feed head is below the cursor
        _point(stores, server)
        SyncClient(harbour).sync_once()  # the harbour station has nothing new
        ledger.receive(hill, IBU, 6, EXPIRY)
        for _ in range(2):
            for store in (hill, harbour):
                SyncClient(store).sync_once()
        assert _remote(harbour, hill) == {KIT: 12, IBU: 6}
        assert _remote(hill, harbour) == {KIT: 1}
    finally:
        for store in stores:
            store.close()


def test_one_station_claiming_too_much_cannot_renew_the_epoch_at_every_push(
    central: Central
) -> None:
    rogue = central.station()
    epochs = []
    for _ in range(3):
        epoch = rogue.push([]).json()["epoch"]
        reply = central.http.post(
            "/api/v1/push", headers=rogue.auth, json={
                "protocol_version": 2, "station_id": rogue.station_id, "events": [],
                "seen": {"epoch": epoch, "acked_seq": 10**15, "feed_head": 10**15}})
        assert reply.status_code == 200, reply.text
        epochs.append(reply.json()["epoch"])
    assert len(set(epochs)) <= 2  # one new epoch at most, not one per push
