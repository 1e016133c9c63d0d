"""Central endpoint benchmarks (issue 6). One line per figure: `name value unit`.

    python benchmarks/central.py [--quick] [--db URL] [--workers N] [--stations N]

Starts a real `medshare-central serve` (SQLite in a temp dir unless --db names a
database, e.g. postgresql://...) and talks HTTP/1.1 to it with a small raw
asyncio client (httpx itself tops out near 250 requests/s with many
connections, which would measure the client, not the server):

- push: one station pushes 100,000 listing events in batches of 1,000 (events/s);
- pull: a station pages through 100,000 listing changes of 100 other stations,
  5,000 a page (rows/s);
- idle round trip: an empty push plus a pull at the head of the feed (median ms);
- sustained: N stations (default 32) each looping push-one-event + pull for a few
  seconds, closed loop (requests/s, p50 and p95 latency in ms).
Budgets: push >= 20,000 events/s, pull >= 50,000 rows/s, idle round trip <= 20 ms,
sustained >= 1,000 requests/s with p95 <= 50 ms (on a 2-core machine, SQLite).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.common import emit  # noqa: E402
from kiosk.central.storage import open_storage  # noqa: E402


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Station:
    station_id: str
    token: str
    seq: int = 0


class Conn:
    """One keep-alive HTTP/1.1 connection; just enough protocol for this API."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader, self.writer = reader, writer

    @classmethod
    async def open(cls, port: int) -> Conn:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        return cls(reader, writer)

    async def call(self, method: str, path: str, token: str | None = None,
                   body: Any = None) -> Any:
        head = f"{method} {path} HTTP/1.1\r\nHost: central\r\nX-MedShare-Protocol: 2\r\n"
        if token:
            head += f"Authorization: Bearer {token}\r\n"
        payload = b""
        if body is not None:
            payload = json.dumps(body, separators=(",", ":")).encode()
            head += f"Content-Type: application/json\r\nContent-Length: {len(payload)}\r\n"
        self.writer.write(head.encode() + b"\r\n" + payload)
        status_and_headers = await self.reader.readuntil(b"\r\n\r\n")
        length = 0
        for line in status_and_headers.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value)
        data = await self.reader.readexactly(length)
        if not status_and_headers.startswith(b"HTTP/1.1 200"):
            raise RuntimeError(f"{method} {path}: {status_and_headers[:40]!r} {data[:200]!r}")
        return json.loads(data)

    def close(self) -> None:
        self.writer.close()


def listing(seq: int, item: str, available: int) -> dict[str, Any]:
    return {"seq": seq, "kind": "listing", "body": {
        "item": item, "available": available, "requested": available % 3,
        "earliest_expiry": "2027-06"}}


async def enrol(port: int, db_url: str, count: int) -> list[Station]:
    storage = open_storage(db_url, pool_size=1)
    now = datetime.now(UTC)
    codes = [storage.add_station(f"Bench {i}", now, timedelta(days=1)) for i in range(count)]
    # the benchmark's own item ids join the central's catalog (protocol 2 refuses others)
    storage.allow_items([f"bench-item-{n}" for n in range(200)]
                        + [f"pull-item-{n}" for n in range(5000)], now)
    storage.close()
    conn = await Conn.open(port)
    stations = []
    for issued in codes:
        reply = await conn.call("POST", "/api/v1/enrol",
                                body={"code": issued.code, "protocol_version": 2})
        stations.append(Station(reply["station_id"], reply["token"]))
    conn.close()
    return stations


async def push(conn: Conn, station: Station, events: list[dict[str, Any]]) -> int:
    reply = await conn.call("POST", "/api/v1/push", station.token, {
        "protocol_version": 2, "station_id": station.station_id, "events": events})
    return int(reply["acked_seq"])


async def bench_push(port: int, station: Station, total: int) -> None:
    conn = await Conn.open(port)
    started = time.perf_counter()
    for start in range(1, total + 1, 1000):
        events = [listing(seq, f"bench-item-{seq % 200}", seq % 50)
                  for seq in range(start, min(start + 1000, total + 1))]
        assert await push(conn, station, events) == events[-1]["seq"]
    emit("central_push_events_per_s", total / (time.perf_counter() - started), "events/s")
    station.seq = total
    conn.close()


async def bench_pull(port: int, writers: list[Station], reader: Station, per_station: int,
                     total_expected: int) -> str:
    conn = await Conn.open(port)
    for writer in writers:
        events = [listing(i + 1, f"pull-item-{i}", 1 + i % 40) for i in range(per_station)]
        await push(conn, writer, events)
        writer.seq = per_station
    started = time.perf_counter()
    rows, cursor = 0, "0"
    while True:
        page = await conn.call("GET", f"/api/v1/pull?after={cursor}&limit=5000", reader.token)
        rows += len(page["changes"])
        cursor = page["next_cursor"]
        if not page["more"]:
            break
    elapsed = time.perf_counter() - started
    assert rows >= total_expected, (rows, total_expected)
    emit("central_pull_rows_per_s", rows / elapsed, "rows/s")
    conn.close()
    return str(cursor)


async def bench_idle(port: int, station: Station, cursor: str, rounds: int) -> None:
    conn = await Conn.open(port)
    timings = []
    for _ in range(rounds):
        started = time.perf_counter()
        await push(conn, station, [])
        page = await conn.call("GET", f"/api/v1/pull?after={cursor}&limit=500", station.token)
        cursor = page["next_cursor"]
        timings.append(time.perf_counter() - started)
    emit("central_idle_round_trip_ms", statistics.median(timings) * 1000, "ms")
    conn.close()


async def bench_sustained(port: int, stations: list[Station], head: str,
                          seconds: float) -> None:
    latencies: list[float] = []

    async def loop(station: Station, deadline: float) -> None:
        conn = await Conn.open(port)
        cursor = head  # stations that are online and up to date
        while time.perf_counter() < deadline:
            station.seq += 1
            started = time.perf_counter()
            await push(conn, station, [listing(station.seq, "ibuprofen-200mg-tablet",
                                               station.seq % 9)])
            middle = time.perf_counter()
            page = await conn.call("GET", f"/api/v1/pull?after={cursor}&limit=500",
                                   station.token)
            cursor = page["next_cursor"]
            latencies.extend((middle - started, time.perf_counter() - middle))
        conn.close()

    started = time.perf_counter()
    await asyncio.gather(*(loop(s, started + seconds) for s in stations))
    elapsed = time.perf_counter() - started
    latencies.sort()
    emit("central_sustained_requests_per_s", len(latencies) / elapsed, "requests/s")
    emit("central_sustained_p50_ms", latencies[len(latencies) // 2] * 1000, "ms")
    emit("central_sustained_p95_ms", latencies[int(len(latencies) * 0.95)] * 1000, "ms")


def start_server(db_url: str, workers: int, log: Path) -> tuple[subprocess.Popen[bytes], int]:
    port = free_port()
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "kiosk.central.cli", "serve", "--db", db_url, "--port",
             str(port), "--workers", str(workers), "--no-access-log", "--log-level", "warning"],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"the server exited: {log.read_text()}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/health", timeout=1):
                return proc, port
        except OSError:
            time.sleep(0.05)
    proc.kill()
    raise SystemExit("the server did not start")


async def run(args: argparse.Namespace, port: int, db_url: str) -> None:
    total = 20_000 if args.quick else 100_000
    per_station = total // 100
    stations = await enrol(port, db_url, 102 + args.stations)
    pusher, reader, writers = stations[0], stations[1], stations[2:102]
    await bench_push(port, pusher, total)
    cursor = await bench_pull(port, writers, reader, per_station, total)
    await bench_idle(port, reader, cursor, 50 if args.quick else 200)
    await bench_sustained(port, stations[102:], cursor, 3.0 if args.quick else 8.0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="20,000 rows and 3 s of load")
    parser.add_argument("--db", help="database URL (default: SQLite in a temp dir)")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--stations", type=int, default=32,
                        help="simulated stations in the sustained-load figure")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db_url = args.db or f"sqlite://{Path(tmp) / 'central.db'}"
        proc, port = start_server(db_url, args.workers, Path(tmp) / "server.log")
        try:
            print(f"# backend {db_url.split(':')[0]}, {args.workers} worker(s), "
                  f"{os.cpu_count()} CPUs", flush=True)
            asyncio.run(run(args, port, db_url))
        finally:
            proc.terminate()
            proc.wait(15)


if __name__ == "__main__":
    main()
