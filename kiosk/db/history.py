"""This station's sync history id and its ledger anchors (protocol 2).

A *history* is one unbroken run of the outbox numbering. Going back to a
backup starts a new one (`new_history`, called by the restore), so the
central never mistakes the restored file's changes for the ones it already
holds under the same numbers: the sync client then sees a history the
central does not know and sends a snapshot above everything it holds.

An *anchor* is the ledger's chain head at a time (movement count and hash
of the last movement). The sync client records one each round and keeps
what the central answers back; `db verify` checks the chain against them.
"""

from __future__ import annotations

import secrets
import sqlite3
from dataclasses import dataclass

from kiosk.db.ledger import GENESIS

RESET_KEYS = ("history_confirmed", "sent_seq", "history_base", "reconcile")


def new_history(conn: sqlite3.Connection) -> str:
    """Start a new outbox history (inside the caller's transaction); its id."""
    history = secrets.token_hex(12)
    _set(conn, "history", history)
    for key in RESET_KEYS:
        conn.execute("DELETE FROM sync_state WHERE key = ?", (key,))
    return history


def current(conn: sqlite3.Connection) -> str:
    row = conn.execute("SELECT value FROM sync_state WHERE key = 'history'").fetchone()
    if row is None:
        return new_history(conn)
    return str(row[0])


def _set(conn: sqlite3.Connection, key: str, value: str) -> None:
    conn.execute(
        "INSERT INTO sync_state(key, value) VALUES (?, ?) "
        "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        (key, value),
    )


# -- anchors ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Head:
    movements: int
    hash: str

    @property
    def short(self) -> str:
        """'123 movements, head a1b2c3d4e5f6': what a printed report or backup shows."""
        return f"{self.movements} movements, head {self.hash[:12]}"


@dataclass(frozen=True, slots=True)
class HeldAnchor:
    at: str
    source: str
    movements: int
    head: str


def chain_head(conn: sqlite3.Connection) -> Head:
    row = conn.execute(
        "SELECT count(*), (SELECT hash FROM movement ORDER BY id DESC LIMIT 1) FROM movement"
    ).fetchone()
    return Head(int(row[0]), str(row[1]) if row[1] else GENESIS)


def file_head(path: object) -> Head | None:
    """The chain head of a backup file (read-only), or None when it cannot be read."""
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            return chain_head(conn)
        finally:
            conn.close()
    except sqlite3.Error:
        return None


def record(conn: sqlite3.Connection, at: str, source: str, movements: int, head: str) -> None:
    """Append an anchor unless it is the latest one of `source` already."""
    last = conn.execute(
        "SELECT movements, head FROM ledger_anchor WHERE source = ? ORDER BY id DESC LIMIT 1",
        (source,),
    ).fetchone()
    if last is None or (int(last[0]), str(last[1])) != (movements, head):
        conn.execute(
            "INSERT INTO ledger_anchor(at, source, movements, head) VALUES (?, ?, ?, ?)",
            (at, source, movements, head),
        )


def held(conn: sqlite3.Connection) -> list[HeldAnchor]:
    try:
        rows = conn.execute(
            "SELECT at, source, movements, head FROM ledger_anchor ORDER BY id").fetchall()
    except sqlite3.OperationalError:  # a file from before anchors existed
        return []
    return [HeldAnchor(str(r[0]), str(r[1]), int(r[2]), str(r[3])) for r in rows]


def check(conn: sqlite3.Connection, anchors: list[HeldAnchor], where: str) -> list[str]:
    """The ledger against anchors (oldest first), in plain words: truncation names the
    latest anchor it falls short of, a rewrite the earliest anchor it no longer matches."""
    head = chain_head(conn)
    found: list[str] = []
    longest = max(anchors, key=lambda a: a.movements, default=None)
    if longest is not None and head.movements < longest.movements:
        found.append(
            f"the ledger has fewer movements ({head.movements}) than it had on "
            f"{_day(longest.at)} ({longest.movements}, {where})")
    for anchor in anchors:
        if anchor.movements == 0 or anchor.movements > head.movements:
            continue
        row = conn.execute("SELECT hash FROM movement ORDER BY id LIMIT 1 OFFSET ?",
                           (anchor.movements - 1,)).fetchone()
        if row is None or str(row[0]) != anchor.head:
            found.append(
                f"movement {anchor.movements} differs from what was anchored on "
                f"{_day(anchor.at)} ({where}): the history up to it was rewritten")
            break
    return found


def _day(at: str) -> str:
    return at[:16].replace("T", " ") + " UTC" if "T" in at else at


def canonical_json(body: object) -> str:
    """How the outbox stores a body (as outbox.enqueue does)."""
    import json

    return json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
