"""A push, on either backend: the central side of one sync round (protocol 1 and 2)."""

from __future__ import annotations

import json
from abc import abstractmethod
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from datetime import datetime
from typing import Any

from kiosk.central import history as hist
from kiosk.central.storage.base import Db
from kiosk.central.storage.rows import PushAuth
from kiosk.central.storage.tokens import dumps, hash_secret
from kiosk.clock import iso
from kiosk.sync.history import SyncState
from kiosk.sync.protocol import KIND_DAILY, KIND_LISTING, KIND_PROFILE, KIND_SNAPSHOT, Event


class PushLogic:
    """Storing pushed events and the projections and feed changes they make."""

    for_update = ""
    """Appended to the reads of rows a push then writes (PostgreSQL: " FOR UPDATE")."""

    @abstractmethod
    def _write(self) -> AbstractContextManager[Db]: ...

    def push(self, station_id: str, token: str, events: Sequence[Event],
             now: datetime) -> int:
        return self.sync_push(station_id, token, events, now).acked_seq

    def sync_push(self, station_id: str, token: str, events: Sequence[Event], now: datetime,
                  hello: hist.Hello | None = None) -> SyncState:
        hello = hello or hist.Hello()
        token_hash = hash_secret("token", token)
        snapshot = any(e.kind == KIND_SNAPSHOT for e in events)
        items = sorted({e.body["item"] for e in events if e.kind == KIND_LISTING})
        stamp = iso(now)
        with self._write() as db:
            station_row = db.later(
                "SELECT token_hash, acked_seq, max_seq, profile_seq, profile, history "
                "FROM stations WHERE id = $1" + self.for_update,
                (station_id,),
            )
            # Sent with the row lock above (PostgreSQL: the same round trip) and run
            # after it, so it reads the listings as they are with the lock held.
            current_listings = None
            if snapshot:  # a snapshot zeroes every listing it does not name: all of them
                current_listings = PushLogic._current_listings(self, db, station_id, items)
            elif items:
                current_listings = self._current_listings(db, station_id, items)
            feed = db.later("SELECT m.value, c.value FROM meta m JOIN counters c "
                            "ON c.name = 'changes' WHERE m.key = 'epoch'")
            rows = station_row()
            row = rows[0] if rows else None
            if row is None or row[0] != token_hash:
                known = db.one("SELECT 1 FROM stations WHERE token_hash = $1", (token_hash,))
                raise PushAuth(token_known=known is not None)
            acked, max_seq, history = int(row[1]), int(row[2]), row[5]
            epoch_row = feed()[0]
            epoch, feed_head = str(epoch_row[0]), int(epoch_row[1])
            if hist.restored_copy(hello.seen, epoch, feed_head,
                                  hello.history is not None and hello.history == history,
                                  acked) and hist.claim_may_renew(db, feed_head):
                epoch = hist.new_epoch(db)
            accept = True
            if hello.history is not None and hello.history != history:
                if history is None and hello.base is None:  # first push that names one
                    history = hello.history
                    db.run("UPDATE stations SET history = $1 WHERE id = $2", (history, station_id))
                elif hello.base is not None and hello.base > max(max_seq, acked):
                    history, acked = hello.history, hello.base - 1
                    max_seq = acked
                    db.run("UPDATE stations SET history = $1, acked_seq = $2, max_seq = $3 "
                           "WHERE id = $4", (history, acked, max_seq, station_id))
                else:
                    accept = False  # the station must start a new history above max_seq
            changes: list[tuple[str, str, dict[str, Any]]] = []
            if accept:
                acked, max_seq, changes = self._store(db, station_id, events, stamp, acked,
                                                      max_seq, row, current_listings)
            anchor = hist.keep_anchor(db, station_id, history, hello.anchor, stamp)
            digest = hist.acked_digest(db, station_id, acked)
            if changes:
                self._append_changes(db, station_id, changes, stamp)
            return SyncState(acked, max_seq, digest, history, epoch, feed_head, anchor)

    def _store(self, db: Db, station_id: str, events: Sequence[Event], stamp: str, acked: int,
               max_seq: int, row: tuple[Any, ...],
               current_listings: Callable[[], list[tuple[Any, ...]]] | None,
               ) -> tuple[int, int, list[tuple[str, str, dict[str, Any]]]]:
        """Store the events not yet held; (acked, max_seq, feed changes to append)."""
        batch: dict[int, Event] = {}
        for event in events:
            batch.setdefault(event.seq, event)  # the first copy in a batch wins
        candidates = sorted(seq for seq in batch if seq > acked)
        if not candidates:
            return acked, max_seq, []
        held: set[int] = set()
        if candidates[0] <= max_seq:  # some of these may be held beyond a gap
            held = {
                int(r[0])
                for r in db.all(
                    "SELECT seq FROM events WHERE station_id = $1 AND seq BETWEEN $2 AND $3",
                    (station_id, candidates[0], min(candidates[-1], max_seq)),
                )
            }
        new = [batch[seq] for seq in candidates if seq not in held]
        if not new:
            return acked, max_seq, []
        db.many(
            "INSERT INTO events (station_id, seq, kind, body, received_at) "
            "VALUES ($1, $2, $3, $4, $5)",
            [(station_id, e.seq, e.kind, dumps(e.body), stamp) for e in new],
        )
        if max_seq == acked and new[-1].seq == acked + len(new):
            acked = new[-1].seq  # the usual case: the next seqs, in order, no gap
        else:
            acked = self._contiguous(db, station_id, acked)
        if current_listings is not None:
            fetched = current_listings()
            current_listings = lambda: fetched  # noqa: E731 - read once, used twice
            new = _expand_snapshots(new, hist.station_items(fetched))
        changes = self._apply(db, station_id, new, int(row[3]), row[4], stamp,
                              current_listings)
        max_seq = max(max_seq, new[-1].seq)
        db.run("UPDATE stations SET acked_seq = $1, max_seq = $2, last_push_at = $3 "
               "WHERE id = $4", (acked, max_seq, stamp, station_id))
        return acked, max_seq, changes

    @staticmethod
    def _contiguous(db: Db, station_id: str, acked: int) -> int:
        while True:
            seqs = db.all(
                "SELECT seq FROM events WHERE station_id = $1 AND seq > $2 "
                "ORDER BY seq LIMIT 10000",
                (station_id, acked),
            )
            for (seq,) in seqs:
                if int(seq) != acked + 1:
                    return acked
                acked += 1
            if len(seqs) < 10000:
                return acked

    def _current_listings(self, db: Db, station_id: str,
                          items: Sequence[str]) -> Callable[[], list[tuple[Any, ...]]]:
        """(item, seq, available, requested, earliest_expiry) of the station's listings,
        at least those of `items`."""
        return db.later(
            "SELECT item, seq, available, requested, earliest_expiry FROM listings "
            "WHERE station_id = $1",
            (station_id,),
        )

    def _apply(self, db: Db, station_id: str, new: Sequence[Event], profile_seq: int,
               profile_json: str | None, stamp: str,
               current_listings: Callable[[], list[tuple[Any, ...]]] | None,
               ) -> list[tuple[str, str, dict[str, Any]]]:
        """Update the projections; return the feed changes (kind, key, body) they make."""
        changes: list[tuple[str, str, dict[str, Any]]] = []
        profiles = [e for e in new if e.kind == KIND_PROFILE]
        if profiles:
            latest = max(profiles, key=lambda e: e.seq)
            if latest.seq > profile_seq:
                body = latest.body
                db.run(
                    "UPDATE stations SET profile = $1, profile_seq = $2, lat = $3, lon = $4 "
                    "WHERE id = $5",
                    (dumps(body), latest.seq, body["lat"], body["lon"], station_id),
                )
                if profile_json is None or json.loads(profile_json) != body:
                    changes.append((KIND_PROFILE, "profile", body))

        listings: dict[str, Event] = {}
        for e in new:
            if e.kind == KIND_LISTING:
                item = e.body["item"]
                if item not in listings or listings[item].seq < e.seq:
                    listings[item] = e
        if listings:
            assert current_listings is not None  # push fetched them for every listing item
            current = {r[0]: r[1:] for r in current_listings()}
            rows = []
            for item, e in sorted(listings.items()):
                b = e.body
                old = current.get(item)
                if old is not None and int(old[0]) >= e.seq:
                    continue
                rows.append((station_id, item, e.seq, b["available"], b["requested"],
                             b["earliest_expiry"], stamp))
                if old is None or (old[1], old[2], old[3]) != (
                    b["available"], b["requested"], b["earliest_expiry"]
                ):
                    changes.append((KIND_LISTING, "listing:" + item, b))
            if rows:
                db.many(
                    "INSERT INTO listings (station_id, item, seq, available, requested, "
                    "earliest_expiry, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7) "
                    "ON CONFLICT (station_id, item) DO UPDATE SET seq = excluded.seq, "
                    "available = excluded.available, requested = excluded.requested, "
                    "earliest_expiry = excluded.earliest_expiry, updated_at = excluded.updated_at "
                    "WHERE listings.seq < excluded.seq",
                    rows,
                )

        days: dict[str, Event] = {}
        for e in new:
            if e.kind == KIND_DAILY:
                day = e.body["day"]
                if day not in days or days[day].seq < e.seq:
                    days[day] = e
        if days:
            held = {
                r[0]: int(r[1])
                for r in db.all(
                    "SELECT day, seq FROM daily_counts WHERE station_id = $1 "
                    "AND day BETWEEN $2 AND $3",
                    (station_id, min(days), max(days)),
                )
            }
            rows = [
                (station_id, day, e.seq, e.body["received"], e.body["requested"],
                 e.body["collected"], e.body["written_off"])
                for day, e in sorted(days.items())
                if held.get(day, 0) < e.seq
            ]
            if rows:
                db.many(
                    "INSERT INTO daily_counts (station_id, day, seq, received, requested, "
                    "collected, written_off) VALUES ($1, $2, $3, $4, $5, $6, $7) "
                    "ON CONFLICT (station_id, day) DO UPDATE SET seq = excluded.seq, "
                    "received = excluded.received, requested = excluded.requested, "
                    "collected = excluded.collected, written_off = excluded.written_off "
                    "WHERE daily_counts.seq < excluded.seq",
                    rows,
                )
        return changes

    def _append_changes(self, db: Db, station_id: str,
                        changes: Sequence[tuple[str, str, dict[str, Any]]], stamp: str) -> None:
        # Taken last: on PostgreSQL this row lock is what orders the change ids.
        row = db.one(
            "UPDATE counters SET value = value + $1 WHERE name = 'changes' RETURNING value",
            (len(changes),),
        )
        assert row is not None
        first = int(row[0]) - len(changes) + 1
        db.many("DELETE FROM changes WHERE station_id = $1 AND key = $2",
                [(station_id, key) for _, key, _ in changes])
        db.many(
            "INSERT INTO changes (id, station_id, kind, key, body, created_at) "
            "VALUES ($1, $2, $3, $4, $5, $6)",
            [(first + i, station_id, kind, key, dumps(body), stamp)
             for i, (kind, key, body) in enumerate(changes)],
        )


def _expand_snapshots(events: Sequence[Event], held_items: set[str]) -> list[Event]:
    """A snapshot as the profile and listing events it stands for, at its own seq: every
    listing the central holds for the station and the snapshot does not name goes to 0."""
    out: list[Event] = []
    for e in events:
        if e.kind != KIND_SNAPSHOT:
            out.append(e)
            continue
        out.append(Event(e.seq, KIND_PROFILE, e.body["profile"]))
        named = {listing["item"] for listing in e.body["listings"]}
        out += [Event(e.seq, KIND_LISTING, listing) for listing in e.body["listings"]]
        out += [Event(e.seq, KIND_LISTING, hist.zero_listing(item))
                for item in sorted(held_items - named)]
    return out
