"""Ledger benchmarks (issue 2). One line per figure: `name value unit`.

    python benchmarks/ledger.py [--quick]

- durable receive commit latency p50/p99, and our commit rate as a ratio to a
  raw sqlite3 single-row WAL + synchronous=FULL commit measured in this run;
- availability lookup for one item with 1,000,000 movements in the ledger;
- `import lots` of 100,000 rows as a ratio to raw sqlite3 executemany of the
  same rows in one transaction.
Budgets: receive p99 <= 10 ms and >= 0.5x raw rate; lookup <= 1 ms; import >= 0.4x raw.
"""

from __future__ import annotations

import argparse
import csv
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import emit, percentile
from kiosk.clock import Clock
from kiosk.db import ledger
from kiosk.db.csvio import import_lots
from kiosk.db.station import init
from kiosk.db.store import Store

NOW = datetime(2026, 11, 21, 10, tzinfo=UTC)
ITEM = "ibuprofen-200mg-tablet"


def new_station(root: Path, name: str) -> Store:
    store = init(root / name, "BENCH", "Bench Station")
    store.clock = Clock(NOW)
    return store


def bench_receive(root: Path, count: int) -> None:
    store = new_station(root, "receive")
    expiry = (NOW.date() + timedelta(days=300)).isoformat()
    ours: list[float] = []
    for n in range(count):
        start = time.perf_counter()
        ledger.receive(store, ITEM, 12, expiry, f"L{n}")
        ours.append(time.perf_counter() - start)
    store.close()

    raw_conn = sqlite3.connect(root / "raw.db", isolation_level=None)
    raw_conn.execute("PRAGMA journal_mode = WAL")
    raw_conn.execute("PRAGMA synchronous = FULL")
    raw_conn.execute("CREATE TABLE lot (id INTEGER PRIMARY KEY, item TEXT, units INTEGER, "
                     "expiry TEXT, lot TEXT)")
    raw: list[float] = []
    for n in range(count):
        start = time.perf_counter()
        raw_conn.execute("BEGIN")
        raw_conn.execute("INSERT INTO lot(item, units, expiry, lot) VALUES (?,?,?,?)",
                         (ITEM, 12, expiry, f"L{n}"))
        raw_conn.execute("COMMIT")
        raw.append(time.perf_counter() - start)
    raw_conn.close()
    emit("receive_commit_p50", percentile(ours, 0.5) * 1000, "ms")
    emit("receive_commit_p99", percentile(ours, 0.99) * 1000, "ms")
    emit("raw_commit_p50", percentile(raw, 0.5) * 1000, "ms")
    emit("raw_commit_p99", percentile(raw, 0.99) * 1000, "ms")
    emit("receive_rate_vs_raw", statistics.mean(raw) / statistics.mean(ours), "x")


def build_million(store: Store, movements: int) -> None:
    """A ledger with `movements` rows: many lots received, reserved, released, dispensed.

    Written straight into the tables with the same hash chain the ledger
    uses, because a million calls through the API would take minutes.
    """
    rng = random.Random(1)
    items = [item.id for item in store.catalog.items]
    lots_count = movements // 5
    at = store.now_iso()
    today = NOW.date()
    lot_rows = []
    movement_rows = []
    prev = ledger.GENESIS
    movement_id = 0

    def add(lot_id: int, kind: str, units: int, on_hand: int, reserved: int) -> None:
        nonlocal prev, movement_id
        movement_id += 1
        digest = ledger.movement_hash(prev, movement_id, at, lot_id, kind, units, on_hand,
                                      reserved, None, "", "bench")
        movement_rows.append((movement_id, at, lot_id, kind, units, on_hand, reserved, None,
                              "", "bench", prev, digest))
        prev = digest

    for lot_id in range(1, lots_count + 1):
        item = items[lot_id % len(items)]
        expiry = (today + timedelta(days=rng.randint(-400, 700))).isoformat()
        units = rng.randint(2, 30)
        add(lot_id, "received", units, units, 0)
        add(lot_id, "reserved", units, 0, units)
        add(lot_id, "released", units, 0, -units)
        add(lot_id, "reserved", units, 0, units)
        # most lots are handed out in full; one in twenty stays on the shelf
        if lot_id % 20:
            add(lot_id, "dispensed", units, -units, -units)
            lot_rows.append((lot_id, item, expiry, at, 0, 0))
        else:
            add(lot_id, "released", units, 0, -units)
            lot_rows.append((lot_id, item, expiry, at, units, 0))
    with store.write() as conn:
        conn.executemany(
            "INSERT INTO lot(id, item_id, expiry, received_at, on_hand, reserved) "
            "VALUES (?,?,?,?,?,?)", lot_rows)
        conn.executemany(
            "INSERT INTO movement(id, at, lot_id, kind, units, on_hand_delta, reserved_delta, "
            "request_id, reason, staff, prev_hash, hash) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
            movement_rows)


def bench_lookup(root: Path, movements: int, repeats: int) -> None:
    store = new_station(root, "lookup")
    build_million(store, movements)
    store.conn.execute("ANALYZE")
    count = store.conn.execute("SELECT count(*) FROM movement").fetchone()[0]
    today = store.clock.today()
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        ledger.available_units(store.conn, ITEM, today)
        samples.append(time.perf_counter() - start)
    emit("ledger_movements", count, "rows")
    emit("availability_lookup_p50", percentile(samples, 0.5) * 1000, "ms")
    emit("availability_lookup_p99", percentile(samples, 0.99) * 1000, "ms")
    store.close()


def bench_import(root: Path, rows: int) -> None:
    rng = random.Random(2)
    path = root / "lots.csv"
    items = ["ibuprofen-200mg-tablet", "paracetamol-500mg-tablet", "antigen-test-kit",
             "ors-iii-sachet"]
    base = NOW.date()
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["item", "units", "expiry", "lot", "source"])
        for n in range(rows):
            writer.writerow([items[n % 4], rng.randint(1, 50),
                             (base + timedelta(days=rng.randint(30, 900))).isoformat(),
                             f"LOT{n}", "donation"])
    store = new_station(root, "import")
    start = ours_start = time.perf_counter()
    import_lots(store, path)
    ours = time.perf_counter() - ours_start
    store.close()

    conn = sqlite3.connect(root / "raw-import.db", isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("CREATE TABLE lot (id INTEGER PRIMARY KEY, item TEXT, units INTEGER, "
                 "expiry TEXT, lot TEXT, source TEXT)")
    start = time.perf_counter()
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        next(reader)
        conn.execute("BEGIN")
        conn.executemany("INSERT INTO lot(item, units, expiry, lot, source) VALUES (?,?,?,?,?)",
                         reader)
        conn.execute("COMMIT")
    raw = time.perf_counter() - start
    conn.close()
    same_rows = raw_same_rows(root, path)
    emit("import_lots_seconds", ours, "s")
    emit("raw_executemany_seconds", raw, "s")
    emit("import_vs_raw", raw / ours, "x")
    emit("raw_same_rows_seconds", same_rows, "s")
    emit("import_vs_raw_same_rows", same_rows / ours, "x")


def raw_same_rows(root: Path, path: Path) -> float:
    """The rows an import writes (a lot and a movement per CSV row) with bare executemany
    into the station schema: no checks, no hashing. Separates our overhead from the cost
    of the ledger's shape (two rows and two hashes per lot)."""
    store = new_station(root, "raw-same")
    at = store.now_iso()
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        next(reader)
        rows = list(reader)
    lots = [(n, r[0], r[2], r[3], r[4], at, "", int(r[1])) for n, r in enumerate(rows, 1)]
    fake = "0" * 64
    movements = [(n, at, n, "received", int(r[1]), int(r[1]), 0, None, "", "", fake, fake)
                 for n, r in enumerate(rows, 1)]
    conn = store.conn
    start = time.perf_counter()
    conn.execute("BEGIN IMMEDIATE")
    conn.executemany("INSERT INTO lot(id, item_id, expiry, lot_number, source, received_at, "
                     "staff, on_hand) VALUES (?,?,?,?,?,?,?,?)", lots)
    conn.executemany("INSERT INTO movement(id, at, lot_id, kind, units, on_hand_delta, "
                     "reserved_delta, request_id, reason, staff, prev_hash, hash) "
                     "VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", movements)
    conn.execute("COMMIT")
    elapsed = time.perf_counter() - start
    store.close()
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer samples, under 30 s")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="medshare-bench-") as tmp:
        root = Path(tmp)
        bench_receive(root, 300 if args.quick else 2000)
        bench_lookup(root, 1_000_000, 200 if args.quick else 2000)
        bench_import(root, 100_000)


if __name__ == "__main__":
    main()
