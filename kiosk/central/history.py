"""The central's side of protocol version 2: epochs, station histories, anchors.

Functions over a `Db` inside the storage's transactions (SQLite and
PostgreSQL alike), called by `SqlStorage`.

How the central knows it was restored or rebuilt (a new epoch):

* the operator says so: `medshare-central new-epoch` (after restoring or
  rebuilding the database by hand);
* SQLite: a mark file beside the database (`central.db.mark`) records the
  epoch, the change-feed counter and the acknowledged seqs when the server
  stops or a command finishes; a database that starts with less than its
  mark says is an older copy;
* any backend: a station tells what it last heard in this epoch (`seen`);
  a central that holds less than it once acknowledged to a station, or whose
  feed is shorter than a head it once showed, is an older copy.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kiosk.sync.history import Anchor, Seen, event_digest, new_epoch_id

if TYPE_CHECKING:
    from kiosk.central.storage.base import Db


def current_epoch(db: Db) -> str:
    row = db.one("SELECT value FROM meta WHERE key = 'epoch'")
    assert row is not None, "migrate() writes the epoch"
    return str(row[0])


def new_epoch(db: Db) -> str:
    epoch = new_epoch_id()
    db.run("UPDATE meta SET value = $1 WHERE key = 'epoch'", (epoch,))
    return epoch


def restored_copy(seen: Seen | None, epoch: str, feed_head: int, same_history: bool,
                  acked: int) -> bool:
    """True when a station heard more from this epoch than this database holds."""
    if seen is None or seen.epoch != epoch:
        return False
    return seen.feed_head > feed_head or (same_history and seen.acked_seq > acked)


def claim_may_renew(db: Db, feed_head: int) -> bool:
    """A station's report alone renews the epoch at most once per feed head.

    The report is believed (the station is authenticated), but a buggy or rogue
    station repeating it would otherwise make every station pull the whole feed
    again at every round; a real restore is renewed at once, and only a feed that
    has moved on since can be renewed by a report again.
    """
    row = db.one("SELECT value FROM meta WHERE key = 'claim_renewed_head'")
    if row is not None and str(row[0]) == str(feed_head):
        return False
    db.run("INSERT INTO meta(key, value) VALUES ('claim_renewed_head', $1) "
           "ON CONFLICT (key) DO UPDATE SET value = excluded.value", (str(feed_head),))
    return True


def acked_digest(db: Db, station_id: str, acked: int) -> str | None:
    if acked <= 0:
        return None
    row = db.one("SELECT kind, body FROM events WHERE station_id = $1 AND seq = $2",
                 (station_id, acked))
    return None if row is None else event_digest(acked, str(row[0]), json.loads(row[1]))


@dataclass(frozen=True, slots=True)
class Hello:
    """What a version 2 push says besides its events."""

    history: str | None = None
    base: int | None = None
    seen: Seen | None = None
    anchor: Anchor | None = None


def keep_anchor(db: Db, station_id: str, history: str | None, anchor: Anchor | None,
                stamp: str) -> Anchor | None:
    """Append `anchor` unless it is the latest already held; the latest held."""
    row = db.one("SELECT n, history, movements, head, received_at FROM anchors "
                 "WHERE station_id = $1 ORDER BY n DESC LIMIT 1", (station_id,))
    if anchor is None:
        return None if row is None else Anchor(int(row[2]), str(row[3]), str(row[4]))
    if row is not None and (row[1], int(row[2]), row[3]) == (history, anchor.movements,
                                                             anchor.head):
        return Anchor(int(row[2]), str(row[3]), str(row[4]))
    db.run("INSERT INTO anchors (station_id, n, history, movements, head, received_at) "
           "VALUES ($1, $2, $3, $4, $5, $6)",
           (station_id, 1 if row is None else int(row[0]) + 1, history, anchor.movements,
            anchor.head, stamp))
    return Anchor(anchor.movements, anchor.head, stamp)


def anchors_of(db: Db, station_id: str, history: str | None) -> list[Anchor]:
    """Every anchor of the station (of one history when given), oldest first."""
    sql = "SELECT movements, head, received_at FROM anchors WHERE station_id = $1"
    params: list[Any] = [station_id]
    if history is not None:
        sql += " AND history = $2"
        params.append(history)
    return [Anchor(int(r[0]), str(r[1]), str(r[2]))
            for r in db.all(sql + " ORDER BY n", params)]


# --- the SQLite mark file ---------------------------------------------------------------


def mark_path(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".mark")


def totals(db: Db) -> dict[str, Any]:
    head = db.one("SELECT value FROM counters WHERE name = 'changes'")
    acked = db.one("SELECT coalesce(sum(acked_seq), 0) FROM stations")
    return {"epoch": current_epoch(db), "changes": int(head[0]) if head else 0,
            "acked": int(acked[0]) if acked else 0}


def is_older_than_mark(now: dict[str, Any], mark: dict[str, Any]) -> bool:
    if not mark:
        return False
    if mark.get("epoch") != now["epoch"]:
        return True  # another database, or an older copy from before an epoch change
    return bool(int(mark.get("changes", 0)) > now["changes"]
                or int(mark.get("acked", 0)) > now["acked"])


def read_mark(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def write_mark(path: Path, values: dict[str, Any]) -> None:
    staged = path.with_name(path.name + ".tmp")
    with suppress(OSError):  # a read-only folder: the stations' check still works
        staged.write_text(json.dumps(values), encoding="utf-8")
        os.replace(staged, path)


def zero_listing(item: str) -> dict[str, Any]:
    return {"item": item, "available": 0, "requested": 0, "earliest_expiry": None}


def station_items(rows: Sequence[tuple[Any, ...]]) -> set[str]:
    return {str(r[0]) for r in rows}
