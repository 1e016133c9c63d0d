"""Several stations pushing at once into a server with two worker processes.

On PostgreSQL the two workers write the same database concurrently; the
change feed must still never let a reader skip a change, and every push must
be stored exactly once.
"""

from __future__ import annotations

import json
import random
import statistics
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path
from threading import Event
from typing import Any

import httpx
import pytest
from centralkit import ServerProcess, Station, listing, make_central, run_cli, unique_item

STATIONS = 8
BATCHES = 15
PER_BATCH = 10


def _children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(x) for x in path.read_text().split()] if path.exists() else []


@pytest.mark.parametrize("backend", [
    pytest.param("sqlite", id="sqlite"),
    pytest.param("postgres", id="postgres", marks=pytest.mark.postgres),
])
def test_concurrent_pushes_through_two_workers(
    backend: str, fresh_db_url: Callable[[str], str],
    start_server: Callable[..., ServerProcess],
) -> None:
    server = start_server(fresh_db_url(backend), workers=2)
    if Path("/proc").exists():
        assert len(_children(server.proc.pid)) >= 2, "expected two worker processes"
    central = make_central(backend, server)
    try:
        # every worker answers promptly (no Nagle + delayed-ACK stall of ~40 ms per request)
        timings = []
        for _ in range(20):
            started = time.perf_counter()
            assert central.http.get("/api/v1/health").status_code == 200
            timings.append(time.perf_counter() - started)
        assert statistics.median(timings) < 0.02, timings
        writers = [central.station(f"Writer {i}") for i in range(STATIONS)]
        reader = central.station("Reader")
        base = unique_item("c")
        done = Event()

        def write(station: Station, index: int) -> dict[str, int]:
            """Every event lists a new item, so no change supersedes another: the
            reader must see every one of them, once."""
            rnd = random.Random(index)
            last: dict[str, int] = {}
            seq = 0
            with httpx.Client(base_url=server.base_url, timeout=30) as http:
                for _ in range(BATCHES):
                    events = []
                    for _ in range(PER_BATCH):
                        seq += 1
                        item, units = f"{base}-{index}-{seq}", rnd.randrange(1, 50)
                        events.append(listing(seq, item, units))
                        last[item] = units
                    body = {"protocol_version": 2, "station_id": station.station_id,
                            "events": events}
                    for _ in range(2 if rnd.random() < 0.3 else 1):  # some retries
                        reply = http.post("/api/v1/push", json=body, headers=station.auth)
                        assert reply.status_code == 200, reply.text
                        assert reply.json()["acked_seq"] == seq
            return last

        def read() -> tuple[dict[tuple[str, str], int], str, int]:
            state: dict[tuple[str, str], int] = {}
            count = 0
            cursor, previous, pages = "0", 0, 0
            with httpx.Client(base_url=server.base_url, timeout=30) as http:
                while True:
                    finished = done.is_set()
                    reply = http.get("/api/v1/pull", params={"after": cursor, "limit": 7},
                                     headers={**reader.auth, "X-MedShare-Protocol": "2"})
                    assert reply.status_code == 200, reply.text
                    page = reply.json()
                    pages += 1
                    for change in page["changes"]:
                        assert int(change["cursor"]) > previous
                        previous = int(change["cursor"])
                        body = change["body"]
                        state[(change["station_id"], body["item"])] = body["available"]
                        count += 1
                    assert int(page["next_cursor"]) >= previous
                    cursor = page["next_cursor"]
                    if finished and not page["more"]:
                        assert count == len(state), "a change was delivered twice"
                        return state, cursor, pages

        central.storage.allow_items(  # the test's items join the central's catalog
            [f"{base}-{i}-{n}" for i in range(STATIONS) for n in range(1, BATCHES * PER_BATCH + 1)],
            datetime.now().astimezone())
        with ThreadPoolExecutor(max_workers=STATIONS + 1) as pool:
            reading = pool.submit(read)
            futures = [pool.submit(write, s, i) for i, s in enumerate(writers)]
            truths = [f.result() for f in futures]
            done.set()
            seen, _, pages = reading.result()

        truth = {(s.station_id, item): units
                 for s, last in zip(writers, truths, strict=True) for item, units in last.items()}
        assert pages > 1
        assert seen == truth  # the reader missed nothing and holds the latest of everything
        for item in (f"{base}-0-1", f"{base}-{STATIONS - 1}-{BATCHES * PER_BATCH}"):
            reply = central.http.get("/api/v1/listings", params={"item": item}).json()
            public = {r["station_id"]: r["available"] for r in reply["listings"]}
            assert public == {sid: n for (sid, it), n in truth.items() if it == item}
        listed: list[dict[str, Any]] = json.loads(
            run_cli("stations", "list", "--json", "--db", server.db_url).stdout)
        acked = {r["station_id"]: r["acked_seq"] for r in listed}
        assert all(acked[s.station_id] == BATCHES * PER_BATCH for s in writers)
    finally:
        central.http.close()
        central.storage.close()
    assert "Traceback" not in server.log(), server.log()
