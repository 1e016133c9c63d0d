"""Protocol 2 against real central processes: either side going back in time."""

from __future__ import annotations

import json
import shutil
import socket
import sqlite3
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from kiosk.db import ledger, maintenance, outbox
from kiosk.db.allocation import allocate
from kiosk.db.requests import create
from kiosk.db.station import init, open_station
from kiosk.db.store import Store
from kiosk.errors import SyncError
from kiosk.sync.client import SyncClient, get_state, status
from tests.conftest import days
from tests.sync.conftest import Central

KIT = "antigen-test-kit"
IBU = "ibuprofen-200mg-tablet"


@pytest.fixture
def two(tmp_path: Path) -> Iterator[list[Store]]:
    made = [init(tmp_path / "harbour", "HX01", "Harbour Centre", "1 Quay St", 31.23, 121.49),
            init(tmp_path / "hill", "HL02", "Hill Centre", "9 Hill Rd", 31.26, 121.45)]
    yield made
    for store in made:
        store.close()


def enrol(store: Store, central: Central, url: str | None = None) -> SyncClient:
    client = SyncClient(store)
    name = store.conn.execute("SELECT name FROM station").fetchone()[0]
    client.enrol(url or central.url, central.code(name))
    return client


def central_listings(central: Central, station_id: str) -> dict[str, tuple[int, int]]:
    conn = sqlite3.connect(central.db_path)
    try:
        rows = conn.execute("SELECT item, available, requested FROM listings WHERE "
                            "station_id = ? AND (available > 0 OR requested > 0)",
                            (station_id,)).fetchall()
    finally:
        conn.close()
    return {str(r[0]): (int(r[1]), int(r[2])) for r in rows}


def station_listings(store: Store) -> dict[str, tuple[int, int]]:
    today = store.clock.today().isoformat()
    found = {}
    for item in (KIT, IBU):
        body = outbox.listing(store.conn, item, today)
        if body["available"] or body["requested"]:
            found[item] = (body["available"], body["requested"])
    return found


def remote(store: Store, other: Store) -> dict[str, tuple[int, int]]:
    rows = store.conn.execute(
        "SELECT item_id, available, requested FROM remote_listing WHERE station_id = ? "
        "AND (available > 0 OR requested > 0)",
        (get_state(other.conn, "station_id"),)).fetchall()
    return {str(r[0]): (int(r[1]), int(r[2])) for r in rows}


def test_restore_into_an_empty_folder_then_sync_the_central_equals_the_station(
    central: Central, tmp_path: Path, two: list[Store]
) -> None:
    harbour = two[0]
    client = enrol(harbour, central)
    ledger.receive(harbour, KIT, 50, days(100))
    client.sync_once()
    backup = maintenance.back_up(harbour, tmp_path / "harbour-backup.db").path
    ledger.receive(harbour, KIT, 20, days(100))  # only the central will have heard of it
    client.sync_once()
    sid = get_state(harbour.conn, "station_id")
    assert central_listings(central, sid) == {KIT: (70, 0)}
    old_history = get_state(harbour.conn, "history")

    fresh = tmp_path / "new-computer"
    maintenance.restore(fresh, backup)
    restored = open_station(fresh)
    try:
        assert get_state(restored.conn, "history") != old_history  # a new history
        SyncClient(restored).sync_once()
        assert station_listings(restored) == {KIT: (50, 0)}
        assert central_listings(central, sid) == {KIT: (50, 0)}
        assert status(restored).outbox_length == 0 and status(restored).last_error is None
        # and it goes on from there like any station
        ledger.receive(restored, IBU, 12, days(90))
        SyncClient(restored).sync_once()
        assert central_listings(central, sid) == {KIT: (50, 0), IBU: (12, 0)}
    finally:
        restored.close()


def test_a_central_restored_from_an_older_copy_converges_within_two_rounds(
    central: Central, tmp_path: Path, two: list[Store]
) -> None:
    harbour, hill = two
    clients = [enrol(store, central) for store in two]
    ledger.receive(harbour, KIT, 5, days(100))
    ledger.receive(hill, IBU, 8, days(100))
    for client in clients * 2:
        client.sync_once()
    copy = tmp_path / "central-copy.db"
    src = sqlite3.connect(central.db_path)
    dst = sqlite3.connect(copy)
    src.backup(dst)  # taken while it runs
    src.close()
    dst.close()
    # both stations move on; the central hears all of it, then loses it
    ledger.receive(harbour, KIT, 7, days(100))
    ledger.receive(hill, IBU, 4, days(100))
    allocate(hill, create(hill, IBU, 2).id)
    for client in clients * 2:
        client.sync_once()
    central.stop()
    for suffix in ("-wal", "-shm"):
        Path(str(central.db_path) + suffix).unlink(missing_ok=True)
    shutil.copy(copy, central.db_path)
    central.start()
    for _ in range(2):
        for client in clients:
            client.sync_once()
    for store in two:
        sid = get_state(store.conn, "station_id")
        assert central_listings(central, sid) == station_listings(store)
        assert status(store).last_error is None
    assert remote(harbour, hill) == station_listings(hill)
    assert remote(hill, harbour) == station_listings(harbour)


def test_a_restored_central_and_a_cursor_past_its_head_the_station_gets_every_later_change(
    central: Central, tmp_path: Path, two: list[Store]
) -> None:
    harbour, hill = two
    clients = [enrol(store, central) for store in two]
    conn = sqlite3.connect(central.db_path)
    dst = sqlite3.connect(tmp_path / "empty-central.db")
    conn.backup(dst)  # nothing in the feed yet
    conn.close()
    dst.close()
    for units in (3, 4, 5):
        ledger.receive(hill, KIT, units, days(100))
        clients[1].sync_once()
    clients[0].sync_once()
    assert int(get_state(harbour.conn, "cursor")) > 0
    central.stop()
    Path(central.db_path).unlink()
    for suffix in ("-wal", "-shm", ".mark"):  # even with no trace of the newer copy left
        Path(str(central.db_path) + suffix).unlink(missing_ok=True)
    shutil.copy(tmp_path / "empty-central.db", central.db_path)
    central.start()
    ledger.receive(hill, IBU, 6, days(100))
    clients[1].sync_once()
    clients[0].sync_once()
    assert remote(harbour, hill) == {KIT: (12, 0), IBU: (6, 0)} == station_listings(hill)


class LyingProxy:
    """Forwards HTTP/1.1 requests to the central and rewrites acked_seq in push replies."""

    def __init__(self, upstream: str, acked: int,
                 mutate: Callable[[dict[str, Any]], None] | None = None) -> None:
        self.upstream = upstream
        self.acked = acked
        self.mutate = mutate
        self.lying = True
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.listener.getsockname()[1]}"
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        from http.server import BaseHTTPRequestHandler, HTTPServer

        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def _forward(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                data = self.rfile.read(length) if length else None
                headers = {k: v for k, v in self.headers.items()
                           if k.lower() not in ("host", "content-length", "connection")}
                reply = httpx.request(self.command, proxy.upstream + self.path,
                                      content=data, headers=headers, timeout=20)
                body = reply.content
                if self.path.startswith("/api/v1/push") and proxy.lying and reply.is_success:
                    doc = reply.json()
                    if proxy.mutate is None:
                        doc["acked_seq"] = proxy.acked
                    else:
                        proxy.mutate(doc)
                    body = json.dumps(doc).encode()
                self.send_response(reply.status_code)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = _forward
            do_POST = _forward

        # serve on the socket already listening: closing it and binding again races
        server = HTTPServer(("127.0.0.1", 0), Handler, bind_and_activate=False)
        server.socket.close()
        server.socket = self.listener
        server.serve_forever()


def test_a_lying_ack_marks_nothing_sent_and_the_error_is_shown(
    central: Central, two: list[Store], tmp_path: Path
) -> None:
    from tests.conftest import REAL_CLOCK, run_medshare

    harbour = two[0]
    proxy = LyingProxy(central.url, 1_000_000)
    client = enrol(harbour, central, proxy.url)
    ledger.receive(harbour, KIT, 3, days(100))
    before = status(harbour)
    with pytest.raises(SyncError, match=r"Protocol error.*1000000.*Nothing was marked as sent"):
        client.sync_once()
    after = status(harbour)
    assert after.acked_seq == before.acked_seq == 0
    assert after.outbox_length >= before.outbox_length > 0  # (+ the day's counts)
    shown = run_medshare("sync", "status", "--data-dir", str(tmp_path / "harbour"),
                         env=REAL_CLOCK)
    assert "Protocol error" in shown.stdout and "1000000" in shown.stdout
    proxy.lying = False
    client.sync_once()  # the next round reconciles
    assert status(harbour).outbox_length == 0 and status(harbour).last_error is None
    sid = get_state(harbour.conn, "station_id")
    assert central_listings(central, sid) == {KIT: (3, 0)}


def test_a_remote_name_is_shown_without_bidi_zero_width_or_control_characters(
    central: Central, two: list[Store]
) -> None:
    from kiosk.sync.nearby import nearby

    harbour, hill = two
    clients = [enrol(store, central) for store in two]
    with hill.write() as conn:
        conn.execute("UPDATE station SET name = ?, address = ? WHERE id = 1",
                     ("Hill\u202eertneC\u200b Centre\u2066", "9 Hill\u200d Rd\u2028Floor 2"))
        outbox.profile_changed(conn, hill)
    ledger.receive(hill, KIT, 4, days(100))
    clients[1].sync_once()
    clients[0].sync_once()
    found = nearby(harbour, KIT)
    assert [n.name for n in found] == ["HillertneC Centre"]
    assert found[0].address == "9 Hill Rd Floor 2"
    public = httpx.get(central.url + "/api/v1/listings", params={"item": KIT}).json()
    names = [row["name"] for row in public["listings"]]
    assert "HillertneC Centre" in names
    assert not any(ch in json.dumps(public, ensure_ascii=False)
                   for ch in "\u202e\u200b\u2066\u200d\u2028")
