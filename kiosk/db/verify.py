"""`db verify`: the file is sound, the chain unbroken, every balance adds up."""

from __future__ import annotations

import sqlite3

from kiosk.db import history
from kiosk.db.ledger import GENESIS, movement_hash
from kiosk.db.store import Store


def problems(conn: sqlite3.Connection, *, limit: int = 20) -> list[str]:
    """Everything wrong, in plain words; an empty list means the ledger is sound."""
    found: list[str] = []
    rows = conn.execute("PRAGMA integrity_check").fetchall()
    if [tuple(row) for row in rows] != [("ok",)]:
        found.extend(f"database file: {row[0]}" for row in rows[:limit])
        return found
    prev_hash = GENESIS
    expected_id = 1
    for row in conn.execute(
        "SELECT id, at, lot_id, kind, units, on_hand_delta, reserved_delta, request_id, "
        "reason, staff, prev_hash, hash FROM movement ORDER BY id"
    ):
        movement_id = row[0]
        if movement_id != expected_id:
            found.append(f"movement {expected_id} is missing (the next one is {movement_id})")
        if row[10] != prev_hash:
            found.append(f"movement {movement_id} does not follow the one before it")
        digest = movement_hash(row[10], *row[:10])
        if digest != row[11]:
            found.append(f"movement {movement_id} was changed after it was written")
        prev_hash = row[11]
        expected_id = movement_id + 1
        if len(found) >= limit:
            return found
    for row in conn.execute(
        """
        SELECT lot.id, lot.on_hand, lot.reserved,
               coalesce(sums.on_hand, 0), coalesce(sums.reserved, 0)
        FROM lot LEFT JOIN (
            SELECT lot_id, sum(on_hand_delta) AS on_hand, sum(reserved_delta) AS reserved
            FROM movement GROUP BY lot_id
        ) AS sums ON sums.lot_id = lot.id
        WHERE lot.on_hand != coalesce(sums.on_hand, 0)
           OR lot.reserved != coalesce(sums.reserved, 0)
        """
    ):
        found.append(
            f"lot {row[0]}: the balance says {row[1]} on hand / {row[2]} reserved, "
            f"the movements add up to {row[3]} / {row[4]}"
        )
        if len(found) >= limit:
            return found
    for row in conn.execute(
        "SELECT lot_id, sum(on_hand_delta), sum(reserved_delta) FROM movement "
        "GROUP BY lot_id HAVING sum(on_hand_delta) < 0 OR sum(reserved_delta) < 0"
    ):
        found.append(f"lot {row[0]}: the movements take out more than came in")
    found += history.check(conn, history.held(conn), "anchored in this file")
    return found


def verify(store: Store) -> list[str]:
    with store.read() as conn:
        return problems(conn)
