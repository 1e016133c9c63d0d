"""PostgreSQL: a central put back to an older copy of its database, and a station
restored into an empty folder, both converge (no mark file: the stations' reports
tell the central it is an older copy)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psycopg
import pytest
from centralkit import ServerProcess

from kiosk.central.storage import open_storage
from kiosk.db import ledger, maintenance, outbox
from kiosk.db.station import init, open_station
from kiosk.db.store import Store
from kiosk.sync.client import SyncClient, get_state, set_state

KIT = "antigen-test-kit"
IBU = "ibuprofen-200mg-tablet"
EXPIRY = (datetime.now(UTC) + timedelta(days=200)).date().isoformat()


def _central_view(db_url: str, store: Store) -> dict[str, int]:
    storage = open_storage(db_url, pool_size=1)
    try:
        sid = get_state(store.conn, "station_id")
        return {item: row.available for item in (KIT, IBU)
                for row in storage.listings(item, None) if row.station_id == sid}
    finally:
        storage.close()


def _view(store: Store) -> dict[str, int]:
    today = store.clock.today().isoformat()
    return {item: outbox.listing(store.conn, item, today)["available"] for item in (KIT, IBU)
            if outbox.listing(store.conn, item, today)["available"]}


def _point(stores: list[Store], server: ServerProcess) -> None:
    for store in stores:
        with store.write() as conn:
            set_state(conn, "server_url", server.base_url)


@pytest.mark.postgres
def test_postgres_central_restored_and_station_restored_converge(
    pg_admin_url: str, start_server: Callable[..., ServerProcess], tmp_path: Path
) -> None:
    name = "medshare_" + uuid.uuid4().hex[:12]
    with psycopg.connect(pg_admin_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"'.encode())
    base = pg_admin_url.rpartition("/")[0]
    url, copy_url = f"{base}/{name}", f"{base}/{name}_copy"
    server = start_server(url)
    storage = open_storage(url, pool_size=1)
    now = datetime.now(UTC)
    stores = [init(tmp_path / n, n.upper(), f"{n} Centre") for n in ("harbour", "hill")]
    try:
        for store in stores:
            code = storage.add_station(store.conn.execute(
                "SELECT name FROM station").fetchone()[0], now, timedelta(days=1)).code
            SyncClient(store).enrol(server.base_url, code)
        storage.close()
        ledger.receive(stores[0], KIT, 5, EXPIRY)
        ledger.receive(stores[1], IBU, 8, EXPIRY)
        for store in stores * 2:
            SyncClient(store).sync_once()
        backup = maintenance.back_up(stores[0], tmp_path / "harbour.db").path
        server.stop()
        with psycopg.connect(pg_admin_url, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}_copy" TEMPLATE "{name}"'.encode())
        server = start_server(url)
        _point(stores, server)
        ledger.receive(stores[0], KIT, 7, EXPIRY)
        ledger.receive(stores[1], IBU, 4, EXPIRY)
        for store in stores * 2:
            SyncClient(store).sync_once()
        server.stop()
        server = start_server(copy_url)  # the older copy, back in service
        _point(stores, server)
        for _ in range(2):
            for store in stores:
                SyncClient(store).sync_once()
        for store in stores:
            assert _central_view(copy_url, store) == _view(store)
        # the harbour station's disk dies: its backup goes into an empty folder
        stores[0].close()
        maintenance.restore(tmp_path / "new-computer", backup)
        stores[0] = open_station(tmp_path / "new-computer")
        _point(stores[:1], server)  # the backup names the server of its day
        SyncClient(stores[0]).sync_once()
        assert _view(stores[0]) == {KIT: 5}
        assert _central_view(copy_url, stores[0]) == {KIT: 5}
    finally:
        for store in stores:
            store.close()
