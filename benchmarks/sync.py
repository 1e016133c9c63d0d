"""Sync benchmarks (issue 6), through the real station client. `name value unit` lines.

    python benchmarks/sync.py [--quick] [--db URL]

Starts a real `medshare-central serve` (SQLite in a temp dir, or --db), then:
- push: a station database with 100,000 outbox events pushed by SyncClient
  (read from SQLite, checked, sent in batches, acks stored) (events/s);
- pull: 100,000 listings of 100 other stations pulled by SyncClient into the
  station database, a page and its cursor per transaction (rows/s);
- idle round trip: `sync_once` with nothing to send or receive (median ms);
- the central endpoint's sustained requests/s and p95 from many simulated
  stations (benchmarks/central.py's closed loop, run here on the same server).
Budgets: push >= 20,000 events/s, pull >= 50,000 rows/s, idle <= 20 ms,
central >= 1,000 requests/s with p95 <= 50 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks import central as central_bench
from benchmarks.common import emit
from kiosk.central.storage import open_storage
from kiosk.db.station import init
from kiosk.sync.client import SyncClient


def enrolled_station(root: Path, name: str, url: str, db_url: str) -> SyncClient:
    from datetime import UTC, datetime, timedelta

    store = init(root / name, name.upper()[:8], f"Bench {name}", lat=31.2, lon=121.4)
    storage = open_storage(db_url, pool_size=1)
    issued = storage.add_station(name, datetime.now(UTC), timedelta(days=1))
    storage.allow_items([f"item-{n}" for n in range(300)], datetime.now(UTC))
    storage.close()
    client = SyncClient(store)
    client.enrol(url, issued.code)
    return client


def fill_outbox(client: SyncClient, count: int) -> None:
    at = client.store.now_iso()
    rows = [("listing", json.dumps({"item": f"item-{n % 300}", "available": n % 40,
                                    "requested": n % 7, "earliest_expiry": "2027-06"}), at)
            for n in range(count)]
    with client.store.write() as conn:
        conn.executemany("INSERT INTO outbox(kind, body, created_at) VALUES (?,?,?)", rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="20,000 rows and 3 s of load")
    parser.add_argument("--db", help="central database URL (default: SQLite in a temp dir)")
    args = parser.parse_args()
    total = 20_000 if args.quick else 100_000
    with tempfile.TemporaryDirectory(prefix="medshare-sync-bench-") as tmp:
        root = Path(tmp)
        db_url = args.db or f"sqlite:///{root / 'central.db'}"
        proc, port = central_bench.start_server(db_url, 1, root / "server.log")
        url = f"http://127.0.0.1:{port}"
        try:
            pusher = enrolled_station(root, "pusher", url, db_url)
            fill_outbox(pusher, total)
            started = time.perf_counter()
            pushed = pusher.sync_once()["pushed"]
            emit("push_events_per_s", pushed / (time.perf_counter() - started), "events/s")

            # 100 other stations each publish total/100 listings
            writers = asyncio.run(central_bench.enrol(port, db_url, 100))

            async def publish() -> None:
                conn = await central_bench.Conn.open(port)
                for writer in writers:
                    events = [central_bench.listing(i + 1, f"pull-item-{i}", 1 + i % 40)
                              for i in range(total // 100)]
                    await central_bench.push(conn, writer, events)
                conn.close()

            asyncio.run(publish())
            reader = enrolled_station(root, "reader", url, db_url)
            started = time.perf_counter()
            pulled = reader.sync_once()["pulled"]
            emit("pull_rows_per_s", pulled / (time.perf_counter() - started), "rows/s")
            held = reader.store.conn.execute("SELECT count(*) FROM remote_listing").fetchone()[0]
            assert held >= total, held

            timings = []
            for _ in range(30 if args.quick else 200):
                started = time.perf_counter()
                reader.sync_once()
                timings.append(time.perf_counter() - started)
            emit("idle_sync_round_trip_ms", statistics.median(timings) * 1000, "ms")

            loaders = asyncio.run(central_bench.enrol(port, db_url, 32))
            head = reader.store.conn.execute(
                "SELECT value FROM sync_state WHERE key = 'cursor'").fetchone()[0]
            asyncio.run(central_bench.bench_sustained(port, loaders, head,
                                                      3.0 if args.quick else 8.0))
        finally:
            proc.terminate()
            proc.wait(15)


if __name__ == "__main__":
    main()
