"""The station's sync client: push the outbox in order, pull the change feed.

At-least-once delivery with exactly-once effect: the server stores each
(station, seq) once and answers with the highest contiguous seq it holds, so
a batch resent after a lost reply does no harm. A pulled page and the cursor
after it are applied in one transaction, so a crash never skips or repeats a
change. Nothing here blocks a GUI: callers run it on a worker thread.
"""

from __future__ import annotations

import json
import random
import sqlite3
import threading
from dataclasses import dataclass
from datetime import UTC, tzinfo
from typing import Any

import requests

from kiosk import __version__
from kiosk.clock import iso
from kiosk.db import history, outbox
from kiosk.db.store import Store
from kiosk.errors import InvalidInput, SyncError
from kiosk.localtime import day_of_iso
from kiosk.sync import protocol, reconcile
from kiosk.sync.history import Anchor, clean_display_text, parse_sync_state

PUSH_BATCH = 1000
MAX_PUSH_CALLS = 1000  # a round's pushes; a few more than batches when it reconciles
PULL_PAGE = 1000
MAX_PULL_PAGES = 1000
TIMEOUT = (5.0, 20.0)  # connect, read: a slow server is a failed round, not a hang


# -- state kept in the station database ------------------------------------------------


# one definition, in reconcile (which the client builds on); importable from here as before
get_state = reconcile.get_state
set_state = reconcile.set_state


@dataclass(frozen=True)
class SyncStatus:
    enrolled: bool
    server_url: str | None
    station_id: str | None
    online: bool
    last_success: str | None
    last_attempt: str | None
    last_error: str | None
    outbox_length: int
    acked_seq: int
    cursor: str
    history: str = ""
    epoch: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "enrolled": self.enrolled,
            "server_url": self.server_url,
            "station_id": self.station_id,
            "online": self.online,
            "last_success": self.last_success,
            "last_attempt": self.last_attempt,
            "last_error": self.last_error,
            "outbox_length": self.outbox_length,
            "acked_seq": self.acked_seq,
            "cursor": self.cursor,
            "history": self.history,
            "epoch": self.epoch,
        }


def status(store: Store) -> SyncStatus:
    with store.read() as conn:
        acked = int(get_state(conn, "acked_seq", "0"))
        url = get_state(conn, "server_url") or None
        return SyncStatus(
            enrolled=url is not None,
            server_url=url,
            station_id=get_state(conn, "station_id") or None,
            online=get_state(conn, "online") == "1",
            last_success=get_state(conn, "last_success") or None,
            last_attempt=get_state(conn, "last_attempt") or None,
            last_error=get_state(conn, "last_error") or None,
            outbox_length=outbox.length(conn, acked),
            acked_seq=acked,
            cursor=get_state(conn, "cursor", protocol.INITIAL_CURSOR),
            history=get_state(conn, "history"),
            epoch=get_state(conn, "epoch"),
        )


# -- daily counts -------------------------------------------------------------------------


def _per_local_day(rows: list[sqlite3.Row], zone: tzinfo) -> list[tuple[str, str, int, int]]:
    """(instant, kind, units, top id) rows summed per (station-local day, kind)."""
    sums: dict[tuple[str, str], list[int]] = {}
    for at, kind, units, top in rows:
        key = (day_of_iso(str(at), zone).isoformat(), str(kind))
        total = sums.setdefault(key, [0, 0])
        total[0] += int(units)
        total[1] = max(total[1], int(top))
    return [(day, kind, units, top) for (day, kind), (units, top) in sums.items()]


def roll_daily_counts(conn: sqlite3.Connection, at: str, zone: tzinfo = UTC) -> int:
    """Add movements and requests since the last roll to per-day totals and put
    each changed day in the outbox. Anonymous: units per day, nothing else.
    The day is the station-local day (`zone`) of the movement or request."""
    movement_mark = int(get_state(conn, "daily.movement_mark", "0"))
    request_mark = int(get_state(conn, "daily.request_mark", "0"))
    changed: set[str] = set()
    columns = {"received": "received", "dispensed": "collected",
               "expired": "written_off", "disposed": "written_off"}
    top_movement = movement_mark
    for day, kind, units, top in _per_local_day(conn.execute(
        "SELECT at, kind, sum(units), max(id) FROM movement WHERE id > ? "
        "AND kind IN ('received', 'dispensed', 'expired', 'disposed') "
        "GROUP BY at, kind",
        (movement_mark,),
    ).fetchall(), zone):
        column = columns[kind]
        conn.execute(
            f"INSERT INTO daily_count(day, {column}) VALUES (?, ?) "
            f"ON CONFLICT(day) DO UPDATE SET {column} = {column} + excluded.{column}",
            (day, units),
        )
        changed.add(day)
        top_movement = max(top_movement, int(top))
    last_movement = conn.execute("SELECT coalesce(max(id), 0) FROM movement").fetchone()[0]
    top_request = request_mark
    for day, _, units, top in _per_local_day(conn.execute(
        "SELECT created_at, '', sum(units), max(id) FROM request WHERE id > ? "
        "GROUP BY created_at",
        (request_mark,),
    ).fetchall(), zone):
        conn.execute(
            "INSERT INTO daily_count(day, requested) VALUES (?, ?) "
            "ON CONFLICT(day) DO UPDATE SET requested = requested + excluded.requested",
            (day, units),
        )
        changed.add(day)
        top_request = max(top_request, int(top))
    set_state(conn, "daily.movement_mark", str(max(top_movement, int(last_movement))))
    set_state(conn, "daily.request_mark", str(top_request))
    for day in sorted(changed):
        row = conn.execute(
            "SELECT received, requested, collected, written_off FROM daily_count WHERE day = ?",
            (day,),
        ).fetchone()
        outbox.enqueue(conn, protocol.KIND_DAILY, {
            "day": day, "received": row[0], "requested": row[1], "collected": row[2],
            "written_off": row[3],
        }, at)
    return len(changed)


# -- HTTP -----------------------------------------------------------------------------------


def _reason(reply: requests.Response) -> str:
    try:
        detail = reply.json().get("detail")
    except (ValueError, AttributeError):
        detail = None
    if isinstance(detail, str) and detail:
        return detail[:300]
    return f"HTTP {reply.status_code}"


class SyncClient:
    """Talks to one central endpoint on behalf of one station database."""

    def __init__(self, store: Store, session: requests.Session | None = None,
                 timeout: tuple[float, float] = TIMEOUT,
                 stop: threading.Event | None = None) -> None:
        """`stop`, once set, refuses further requests: a round makes several, and the
        app's exit (or a restore) should end it between two of them, not wait it out."""
        self.store = store
        self.stop = stop
        self.session = session or requests.Session()
        self.session.headers["User-Agent"] = f"medshare-station/{__version__}"
        self.session.headers[protocol.PROTOCOL_HEADER] = str(protocol.PROTOCOL_VERSION)
        self.timeout = timeout

    def _call(self, method: str, url: str, **kwargs: Any) -> Any:
        if self.stop is not None and self.stop.is_set():
            raise SyncError("Sync stopped because the app is closing; will try again.")
        try:
            reply = self.session.request(method, url, timeout=self.timeout, **kwargs)
        except requests.Timeout:
            raise SyncError(f"The central endpoint at {url.split('/api/')[0]} is too slow to "
                            "answer; will try again.") from None
        except requests.RequestException:
            raise SyncError(f"Cannot reach the central endpoint at {url.split('/api/')[0]}; "
                            "working offline, will try again.") from None
        if reply.status_code in (401, 403):
            raise SyncError("The central endpoint refused this station's credentials "
                            f"({_reason(reply)}); ask the operator for a new enrolment code.")
        if reply.status_code == 426:
            raise SyncError(_reason(reply))
        if reply.status_code >= 500:
            raise SyncError(f"The central endpoint has a problem ({_reason(reply)}); "
                            "will try again.")
        if reply.status_code >= 400:
            raise SyncError(f"The central endpoint refused the request: {_reason(reply)}.")
        try:
            return reply.json()
        except ValueError:
            raise SyncError("The central endpoint sent a reply that is not JSON; "
                            "will try again.") from None

    # -- enrolment --

    def _refuse_training(self) -> None:
        # practice stock and a pinned clock must never reach the network's public listings
        if self.store.training:
            raise InvalidInput(
                "This is a TRAINING station: it never enrols or syncs, so its practice "
                "stock never reaches the central endpoint. Nothing was changed.")

    def enrol(self, url: str, code: str) -> protocol.Enrolment:
        self._refuse_training()
        base = url.strip().rstrip("/")
        if not base.startswith(("http://", "https://")) or len(base) > 300:
            raise InvalidInput("The central endpoint address must start with http:// or "
                               "https://, for example https://central.example.org")
        body = protocol.enrol_request_json(code, client=f"medshare-station/{__version__}")
        try:
            reply = protocol.parse_enrol_reply(
                self._call("POST", base + protocol.API_PREFIX + "/enrol", json=body))
        except InvalidInput as error:
            raise SyncError(f"The central endpoint's enrolment reply is unusable: {error}.") \
                from None
        with self.store.write() as conn:
            set_state(conn, "server_url", base)
            set_state(conn, "station_id", reply.station_id)
            set_state(conn, "token", reply.token)
            first = conn.execute("SELECT min(seq) FROM outbox").fetchone()[0]
            set_state(conn, "cursor", protocol.INITIAL_CURSOR)
            reconcile.forget_central(conn)
            if first is not None and int(first) > 1:
                # the outbox was trimmed (retention): the new enrolment, holding nothing,
                # would wait for seq 1 for ever; a new history and a snapshot instead
                reconcile.rebase(conn, self.store, 1)
            else:
                set_state(conn, "acked_seq", "0")
            conn.execute("DELETE FROM remote_listing")
            conn.execute("DELETE FROM remote_station")
        return reply

    # -- one round --

    def sync_once(self) -> dict[str, int]:
        """Push everything pending, then pull everything new. Raises SyncError."""
        self._refuse_training()
        with self.store.read() as conn:
            base = get_state(conn, "server_url")
            station = get_state(conn, "station_id")
            token = get_state(conn, "token")
        if not base:
            raise SyncError("This station is not enrolled; run 'medshare sync enrol URL CODE'.")
        auth = {"Authorization": f"Bearer {token}"}
        at = self.store.now_iso()
        try:
            with self.store.write() as conn:
                roll_daily_counts(conn, at, self.store.zone)
                set_state(conn, "last_attempt", at)
            pushed = self._push(base, station, auth)
            pulled = self._pull(base, station, auth)
        except SyncError as error:
            with self.store.write() as conn:
                set_state(conn, "online", "0")
                set_state(conn, "last_error", f"{iso(self.store.clock.now())} {error}")
            raise
        with self.store.write() as conn:
            set_state(conn, "online", "1")
            set_state(conn, "last_success", iso(self.store.clock.now()))
            set_state(conn, "last_error", "")
        return {"pushed": pushed, "pulled": pulled}

    def _push(self, base: str, station: str, auth: dict[str, str]) -> int:
        """Push until the central holds everything, reconciling on the way (see
        kiosk.sync.reconcile); the number of events it newly acknowledged."""
        pushed = 0
        for _ in range(MAX_PUSH_CALLS):
            with self.store.write() as conn:
                local = reconcile.load(conn)
                rows = outbox.pending(conn, local.acked, PUSH_BATCH)
                head = history.chain_head(conn)
                history.record(conn, self.store.now_iso(), "local", head.movements, head.hash)
            events = [protocol.make_event(int(row["seq"]), str(row["kind"]),
                                          json.loads(row["body"])) for row in rows]
            sent = max(local.sent, events[-1].seq if events else local.acked)
            body = protocol.push_request_json(
                station, events, history=local.history,
                base=None if local.confirmed else local.base, seen=local.seen,
                anchor=Anchor(head.movements, head.hash))
            reply = self._call("POST", base + protocol.API_PREFIX + "/push", headers=auth,
                               json=body)
            try:
                state = parse_sync_state(reply)
            except InvalidInput as error:
                raise SyncError(f"The central endpoint's push reply is unusable: {error}.") \
                    from None
            with self.store.write() as conn:
                verdict, problem = reconcile.judge(conn, local, state, sent)
                if verdict == "error":
                    set_state(conn, "reconcile", "1")
                elif verdict == "rebase":
                    reconcile.rebase(conn, self.store, max(state.max_seq, state.acked_seq) + 1)
                elif verdict == "resend":
                    set_state(conn, "acked_seq", str(state.acked_seq))
                    set_state(conn, "epoch", state.epoch)
                    set_state(conn, "reconcile", "")
                else:
                    reconcile.accept(conn, self.store, state, sent)
            if verdict == "error":
                raise SyncError(problem)
            if verdict != "ok":
                continue
            pushed += max(0, state.acked_seq - local.acked)
            if not events or state.acked_seq >= events[-1].seq:
                if len(events) < PUSH_BATCH:
                    return pushed
            elif state.acked_seq <= local.acked:
                raise SyncError("The central endpoint did not take this station's changes; "
                                "will try again.")
        raise SyncError("The central endpoint and this station could not agree on what it "
                        "holds in one round; will try again.")

    def _pull(self, base: str, station: str, auth: dict[str, str]) -> int:
        pulled = 0
        restarted = False
        for _ in range(MAX_PULL_PAGES):
            with self.store.read() as conn:
                cursor = get_state(conn, "cursor", protocol.INITIAL_CURSOR)
                cursor_epoch = get_state(conn, "cursor_epoch")
                feed_head = int(get_state(conn, "feed_head", "0"))
            reply = self._call("GET", base + protocol.API_PREFIX + "/pull", headers=auth,
                               params={"after": cursor, "limit": PULL_PAGE})
            try:
                page = protocol.parse_pull_reply(reply)
            except InvalidInput as error:
                raise SyncError(f"The central endpoint's change feed is unusable: {error}.") \
                    from None
            other_epoch = bool(cursor_epoch) and page.epoch not in (None, cursor_epoch)
            past_head = page.head is not None and int(cursor) > page.head
            if (other_epoch or past_head) and not restarted:
                # a cursor from another copy of the feed means nothing in this one: start
                # again from the beginning (the feed from 0 is every station's current state)
                restarted = True
                with self.store.write() as conn:
                    # what came from the other copy goes too: a station the restored
                    # central never heard of would otherwise stay "nearby" for good
                    conn.execute("DELETE FROM remote_listing")
                    conn.execute("DELETE FROM remote_station")
                    set_state(conn, "cursor", protocol.INITIAL_CURSOR)
                    set_state(conn, "cursor_epoch", page.epoch or "")
                    set_state(conn, "feed_head", "0")
                continue
            with self.store.write() as conn:
                for change in page.changes:
                    if change.known and change.station_id and change.station_id != station:
                        apply_change(conn, change)
                set_state(conn, "cursor", page.next_cursor)
                if page.epoch is not None:
                    set_state(conn, "cursor_epoch", page.epoch)
                    set_state(conn, "feed_head", str(max(page.head or 0, feed_head
                                                         if page.epoch == cursor_epoch else 0)))
            pulled += len(page.changes)
            if not page.more:
                break
        return pulled


def apply_change(conn: sqlite3.Connection, change: protocol.Change) -> None:
    body = change.body
    if change.kind == protocol.KIND_PROFILE:
        conn.execute(
            "INSERT INTO remote_station(station_id, name, address, lat, lon, opening_hours) "
            "VALUES (?,?,?,?,?,?) ON CONFLICT(station_id) DO UPDATE SET name = excluded.name, "
            "address = excluded.address, lat = excluded.lat, lon = excluded.lon, "
            "opening_hours = excluded.opening_hours",
            (change.station_id, clean_display_text(body["name"]),
             clean_display_text(body["address"], multiline=True), body["lat"], body["lon"],
             clean_display_text(body["opening_hours"], multiline=True)),
        )
    elif change.kind == protocol.KIND_LISTING:
        conn.execute(
            "INSERT INTO remote_listing(station_id, item_id, available, requested, "
            "earliest_expiry) VALUES (?,?,?,?,?) ON CONFLICT(station_id, item_id) DO UPDATE "
            "SET available = excluded.available, requested = excluded.requested, "
            "earliest_expiry = excluded.earliest_expiry",
            (change.station_id, body["item"], body["available"], body["requested"],
             body["earliest_expiry"]),
        )


class Backoff:
    """Exponential backoff with full jitter, capped (AWS architecture blog's 'full jitter')."""

    def __init__(self, base: float = 2.0, cap: float = 600.0,
                 rng: random.Random | None = None) -> None:
        self.base = base
        self.cap = cap
        self.failures = 0
        self.rng = rng or random.Random()

    def next_delay(self) -> float:
        ceiling = min(self.cap, self.base * 2 ** min(self.failures, 30))
        self.failures += 1
        return self.rng.uniform(0, ceiling)

    def reset(self) -> None:
        self.failures = 0
