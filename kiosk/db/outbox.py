"""The outbox: what other stations should learn, written with the change itself.

Rows get a per-station `seq` that only grows (AUTOINCREMENT never reuses a
number), so the sync client can push them in order and the central endpoint
can store each (station, seq) once. Only listings and the station profile go
out from here: never a name, phone or request.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from kiosk.clock import iso
from kiosk.db.queries import USABLE_LOT

if TYPE_CHECKING:
    from kiosk.db.store import Store


def enqueue(conn: sqlite3.Connection, kind: str, body: Mapping[str, Any], at: str) -> int:
    cursor = conn.execute(
        "INSERT INTO outbox(kind, body, created_at) VALUES (?, ?, ?)",
        (kind, json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":")), at),
    )
    return int(cursor.lastrowid or 0)


def listing(conn: sqlite3.Connection, item_id: str, today: str) -> dict[str, Any]:
    """What this station has of an item and still needs, as others may see it."""
    row = conn.execute(
        "SELECT coalesce(sum(on_hand - reserved), 0), min(expiry) FROM lot "
        f"WHERE {USABLE_LOT}",
        (item_id, today),
    ).fetchone()
    requested = conn.execute(
        "SELECT coalesce(sum(units), 0) FROM request WHERE item_id = ? AND status = 'open'",
        (item_id,),
    ).fetchone()[0]
    return {
        "item": item_id,
        "available": int(row[0]),
        "requested": int(requested),
        "earliest_expiry": str(row[1])[:7] if row[1] else None,
    }


def listing_changed(conn: sqlite3.Connection, store: Store, item_ids: Iterable[str]) -> None:
    now = store.clock.now()
    today = store.local_day(now).isoformat()
    for item_id in item_ids:
        enqueue(conn, "listing", listing(conn, item_id, today), iso(now))


def profile_changed(conn: sqlite3.Connection, store: Store) -> None:
    row = conn.execute(
        "SELECT name, address, lat, lon, opening_hours FROM station WHERE id = 1"
    ).fetchone()
    body = {
        "name": row["name"],
        "address": row["address"],
        "lat": row["lat"],
        "lon": row["lon"],
        "opening_hours": row["opening_hours"],
    }
    enqueue(conn, "profile", body, store.now_iso())


def pending(conn: sqlite3.Connection, after_seq: int, limit: int) -> list[sqlite3.Row]:
    return conn.execute(
        "SELECT seq, kind, body, created_at FROM outbox WHERE seq > ? ORDER BY seq LIMIT ?",
        (after_seq, limit),
    ).fetchall()


def length(conn: sqlite3.Connection, after_seq: int) -> int:
    return int(conn.execute("SELECT count(*) FROM outbox WHERE seq > ?", (after_seq,))
               .fetchone()[0])
