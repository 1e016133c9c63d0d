"""Audit events: actions on a request that are not stock movements.

A manager must be able to answer "who saw this resident's phone number, and
when?" and "who handed over a box the safety rules refused, and why?". Both
are written here, in the same transaction as the action, and never changed.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

# what an event records; the words for each come from the message catalog
ACTIONS = ("phone_revealed", "safety_override")


@dataclass(frozen=True)
class AuditEvent:
    id: int
    at: str
    staff: str
    action: str
    request_id: int | None
    detail: str


def record(conn: sqlite3.Connection, at: str, staff: str, action: str,
           request_id: int | None = None, detail: str = "") -> int:
    """Write one event inside the caller's transaction; returns its id."""
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    cursor = conn.execute(
        "INSERT INTO audit_event(at, staff, action, request_id, detail) VALUES (?, ?, ?, ?, ?)",
        (at, staff, action, request_id, detail),
    )
    return int(cursor.lastrowid or 0)


def for_request(conn: sqlite3.Connection, request_id: int) -> list[AuditEvent]:
    rows = conn.execute(
        "SELECT id, at, staff, action, request_id, detail FROM audit_event "
        "WHERE request_id = ? ORDER BY id", (request_id,),
    ).fetchall()
    return [AuditEvent(int(r[0]), str(r[1]), str(r[2]), str(r[3]),
                       None if r[4] is None else int(r[4]), str(r[5])) for r in rows]


def latest(conn: sqlite3.Connection, limit: int = 100) -> list[AuditEvent]:
    rows = conn.execute(
        "SELECT id, at, staff, action, request_id, detail FROM audit_event "
        "ORDER BY id DESC LIMIT ?", (limit,),
    ).fetchall()
    return [AuditEvent(int(r[0]), str(r[1]), str(r[2]), str(r[3]),
                       None if r[4] is None else int(r[4]), str(r[5])) for r in rows]
