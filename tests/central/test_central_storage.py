"""The storage directly, and how `serve --workers 2` shares connections.

PostgreSQL runs a push as one pipelined transaction (BEGIN and COMMIT sent by hand);
these tests take the paths that wait for the server in the middle of it (a refused
token, a retry, a gap, daily counts) on a pool of one connection, so a connection
left inside a transaction would break the next call.
"""

from __future__ import annotations

import socket
import sys
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from centralkit import ServerProcess, listening_workers, process_sockets

from kiosk.central.storage import PushAuth, open_storage
from kiosk.sync.protocol import Event

BACKENDS = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param("postgres", id="postgres", marks=pytest.mark.postgres),
]


def _listing(seq: int, item: str, available: int) -> Event:
    return Event(seq, "listing", {"item": item, "available": available, "requested": 0,
                                  "earliest_expiry": "2027-06"})


@pytest.mark.parametrize("backend", BACKENDS)
def test_push_paths_on_one_connection(backend: str, fresh_db_url: Callable[[str], str]) -> None:
    storage = open_storage(fresh_db_url(backend), pool_size=1)
    try:
        storage.migrate()
        now = datetime(2026, 11, 1, tzinfo=UTC)
        a, b = (storage.enrol(storage.add_station(n, now, timedelta(days=1)).code, now)
                for n in ("A", "B"))

        with pytest.raises(PushAuth) as refused:
            storage.push(a.station_id, b.token, [_listing(1, "x", 1)], now)
        assert refused.value.token_known
        with pytest.raises(PushAuth) as unknown:
            storage.push(a.station_id, "mst1_nope", [_listing(1, "x", 1)], now)
        assert not unknown.value.token_known

        assert storage.push(a.station_id, a.token, [_listing(1, "x", 5)], now) == 1
        assert storage.push(a.station_id, a.token, [_listing(1, "x", 9)], now) == 1  # retry
        assert storage.push(a.station_id, a.token, [_listing(3, "y", 2)], now) == 1  # gap
        daily = Event(4, "daily", {"day": "2026-11-01", "received": 1, "requested": 2,
                                   "collected": 0, "written_off": 0})
        assert storage.push(a.station_id, a.token, [_listing(2, "x", 7), daily], now) == 4
        assert storage.push(a.station_id, a.token, [_listing(5, "x", 7)], now) == 5  # no change

        page = storage.pull(b.token, 0, 10)
        assert page is not None and not page.more
        latest = {c.body["item"]: c.body["available"] for c in page.changes}
        assert latest == {"x": 7, "y": 2}
        assert len(page.changes) == 2  # x's older change was replaced, not appended
        assert page.next_cursor == max(c.id for c in page.changes)
        own = storage.pull(a.token, 0, 10)
        assert own is not None and (own.changes, own.next_cursor, own.more) == (
            [], page.next_cursor, False)
        assert storage.pull("mst1_nope", 0, 10) is None
        assert {r.station_id: r.available for r in storage.listings("x", None)} == {
            a.station_id: 7}
    finally:
        storage.close()


def _worker_sockets(pid: int, port: int, state: str) -> int:
    """How many TCP sockets on local `port` in `state` process `pid` holds."""
    return len(process_sockets(pid, port, state))


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_two_workers_share_connections_opened_at_once(
    fresh_db_url: Callable[[str], str], start_server: Callable[..., ServerProcess],
) -> None:
    """32 stations connecting within a millisecond must not all land on one worker."""
    server = start_server(fresh_db_url("sqlite"), workers=2)
    workers = listening_workers(server)
    conns = [socket.create_connection(("127.0.0.1", server.port)) for _ in range(32)]
    try:
        for c in conns:
            c.sendall(b"GET /api/v1/health HTTP/1.1\r\nHost: central\r\n\r\n")
        for c in conns:
            assert c.recv(65536).startswith(b"HTTP/1.1 200")
        held = [_worker_sockets(pid, server.port, "01") for pid in workers]
    finally:
        for c in conns:
            c.close()
    assert sum(held) == 32, held
    assert min(held) >= 4, held
