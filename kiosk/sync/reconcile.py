"""How a station reconciles with the central at every round (protocol 2).

Every push reply is the central's side: what it holds of this station's
history (acked_seq, max_seq, the digest of the event at acked_seq), the
history id it holds, its feed epoch. `judge` compares that with what the
station holds and decides:

* ok: the central holds exactly what the station sent up to acked_seq;
* rebase: the central holds another history, more of this one than the
  station ever sent after a restore, or a different event at acked_seq. The
  station is behind: it starts a new history above everything the central
  holds (`base`) and sends a `snapshot` (profile and every listing), so the
  central's view equals the station's again;
* resend: the central holds less than it acknowledged before, and said so by
  a new epoch (it was restored): the station sends again from there, out of
  the outbox, or rebases when those events are gone (see RETENTION_DAYS);
* error: an ack the station cannot explain (above what it sent, or below
  an earlier ack in the same epoch). Nothing is marked sent; the error is
  shown; the next round treats the central's answer as the truth to
  reconcile with (a real restore) rather than a garbled reply.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any, Literal

from kiosk.clock import iso
from kiosk.db import history, outbox
from kiosk.sync import protocol
from kiosk.sync.history import Seen, SyncState, event_digest

if TYPE_CHECKING:
    from kiosk.db.store import Store

RETENTION_DAYS = 30
"""Acknowledged outbox events are kept this long (and the last acknowledged one always),
so a central restored from a copy up to a month old gets them again event by event."""

SANE_SEQ = protocol.MAX_SEQ // 2
"""Above this a central's seq is garbled or a lie: a rebase there would run out of seqs."""

Verdict = Literal["ok", "rebase", "resend", "error"]


def get_state(conn: sqlite3.Connection, key: str, default: str = "") -> str:
    """One value of the sync client's own state (`sync_state`), or `default`."""
    row = conn.execute("SELECT value FROM sync_state WHERE key = ?", (key,)).fetchone()
    return default if row is None else str(row[0])


_get = get_state


def set_state(conn: sqlite3.Connection, key: str, value: str) -> None:
    conn.execute(
        "INSERT INTO sync_state(key, value) VALUES (?, ?) "
        "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        (key, value),
    )


ROUND_KEYS = ("epoch", "cursor_epoch", "feed_head", "sent_seq", "reconcile",
              "history_confirmed", "history_base")


def forget_central(conn: sqlite3.Connection) -> None:
    """A new enrolment: nothing heard from any central yet."""
    for key in ROUND_KEYS:
        conn.execute("DELETE FROM sync_state WHERE key = ?", (key,))


@dataclass(frozen=True)
class Local:
    history: str
    confirmed: bool
    base: int | None
    acked: int
    sent: int
    epoch: str
    feed_head: int
    cursor_epoch: str
    reconcile: bool

    @property
    def seen(self) -> Seen | None:
        if not self.epoch:
            return None
        head = self.feed_head if self.cursor_epoch == self.epoch else 0
        return Seen(self.epoch, self.acked if self.confirmed else 0, head)


def load(conn: sqlite3.Connection) -> Local:
    base = _get(conn, "history_base")
    return Local(
        history=history.current(conn),
        confirmed=_get(conn, "history_confirmed") == "1",
        base=int(base) if base else None,
        acked=int(_get(conn, "acked_seq", "0")),
        sent=int(_get(conn, "sent_seq", "0")),
        epoch=_get(conn, "epoch"),
        feed_head=int(_get(conn, "feed_head", "0")),
        cursor_epoch=_get(conn, "cursor_epoch"),
        reconcile=_get(conn, "reconcile") == "1",
    )


def _digest_at(conn: sqlite3.Connection, seq: int) -> str | None:
    row = conn.execute("SELECT kind, body FROM outbox WHERE seq = ?", (seq,)).fetchone()
    if row is None:
        return None
    body = protocol.validate_body(str(row[0]), json.loads(row[1]))
    return event_digest(seq, str(row[0]), body)


def judge(conn: sqlite3.Connection, local: Local, state: SyncState,
          sent: int) -> tuple[Verdict, str]:
    claimed = max(state.acked_seq, state.max_seq)
    if claimed > SANE_SEQ:
        # no station ever sends that many; rebasing above it would leave no seq it may send
        return "error", (
            f"Protocol error: the central endpoint claims to hold change {claimed} of this "
            "station, more than any station sends. Nothing was marked as sent; the next "
            "round checks again.")
    if state.history != local.history:
        return "rebase", ""
    lenient = local.reconcile or (bool(local.epoch) and state.epoch != local.epoch)
    if state.acked_seq > sent:
        if lenient:
            return "rebase", ""
        return "error", (
            f"Protocol error: the central endpoint acknowledged change {state.acked_seq}, "
            f"but this station has sent only up to {sent}. Nothing was marked as sent; "
            "the next round checks again.")
    if state.acked_seq < local.acked:
        if not lenient:
            return "error", (
                f"Protocol error: the central endpoint now acknowledges only up to change "
                f"{state.acked_seq}, after acknowledging {local.acked}, without saying it "
                "was restored. Nothing was marked as sent; the next round checks again.")
        # resend only when every event above the central's ack is still here: retention
        # deletes by age, and one hole would leave the central waiting for it forever
        kept, top = conn.execute("SELECT count(*), coalesce(max(seq), 0) FROM outbox "
                                 "WHERE seq > ?", (state.acked_seq,)).fetchone()
        gone = int(kept) == 0 or int(kept) != int(top) - state.acked_seq
        return ("rebase" if gone else "resend"), ""
    mine = _digest_at(conn, state.acked_seq) if state.acked_seq else None
    if mine is not None and state.acked_digest is not None and mine != state.acked_digest:
        if local.base is not None and not local.confirmed:
            # just rebased above everything it holds: a central that still names another
            # event at that seq cannot be explained, and rebasing again would loop
            return "error", (
                f"Protocol error: the central endpoint acknowledged change {state.acked_seq} "
                "with a different content than this station sent, even after starting a "
                "new history. Nothing was marked as sent; the next round checks again.")
        return "rebase", ""
    return "ok", ""


def snapshot_body(conn: sqlite3.Connection, store: Store) -> dict[str, Any]:
    row = conn.execute(
        "SELECT name, address, lat, lon, opening_hours FROM station WHERE id = 1").fetchone()
    profile = {"name": row["name"], "address": row["address"], "lat": row["lat"],
               "lon": row["lon"], "opening_hours": row["opening_hours"]}
    today = store.today().isoformat()  # the station's day, as every listing it sends
    items = [str(r[0]) for r in conn.execute(
        "SELECT item_id FROM lot UNION SELECT item_id FROM request ORDER BY 1")]
    return {"profile": profile, "listings": [outbox.listing(conn, item, today)
                                             for item in items]}


def rebase(conn: sqlite3.Connection, store: Store, above: int) -> int:
    """A new history from `above` (or higher): unsent daily counts and a snapshot."""
    acked = int(_get(conn, "acked_seq", "0"))
    history.new_history(conn)
    local_max = int(conn.execute("SELECT coalesce(max(seq), 0) FROM outbox").fetchone()[0])
    start = max(above, local_max + 1)
    seq = start
    for kind, body, created in conn.execute(
        "SELECT kind, body, created_at FROM outbox WHERE seq > ? AND kind = ? ORDER BY seq",
        (acked, protocol.KIND_DAILY),
    ).fetchall():
        conn.execute("INSERT INTO outbox(seq, kind, body, created_at) VALUES (?, ?, ?, ?)",
                     (seq, kind, body, created))
        seq += 1
    conn.execute("INSERT INTO outbox(seq, kind, body, created_at) VALUES (?, ?, ?, ?)",
                 (seq, protocol.KIND_SNAPSHOT,
                  history.canonical_json(snapshot_body(conn, store)), store.now_iso()))
    for key, value in (("acked_seq", start - 1), ("sent_seq", start - 1),
                       ("history_base", start)):
        set_state(conn, key, str(value))
    return start


def accept(conn: sqlite3.Connection, store: Store, state: SyncState, sent: int) -> None:
    """The central's answer explained: keep it."""
    set_state(conn, "acked_seq", str(state.acked_seq))
    set_state(conn, "sent_seq", str(sent))
    set_state(conn, "history_confirmed", "1")
    set_state(conn, "epoch", state.epoch)
    conn.execute("DELETE FROM sync_state WHERE key IN ('reconcile', 'history_base')")
    if state.anchor is not None:
        history.record(conn, state.anchor.at or store.now_iso(), "central",
                       state.anchor.movements, state.anchor.head)
    cutoff = iso(store.clock.now() - timedelta(days=RETENTION_DAYS))
    conn.execute("DELETE FROM outbox WHERE seq < ? AND created_at < ?",
                 (state.acked_seq, cutoff))
