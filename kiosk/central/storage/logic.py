"""The central's logic on either backend, given a connection that offers `Db`:
stations and enrolment, protocol 2 reads, the pull and the public reads (the push is
in `push.py`). See `base.py` for how the SQL is written (numbered `$n` parameters).
"""

from __future__ import annotations

import json
from abc import abstractmethod
from collections.abc import Sequence
from contextlib import AbstractContextManager
from datetime import datetime, timedelta
from typing import Any

from kiosk.central import history as hist
from kiosk.central.storage import schema
from kiosk.central.storage.base import Db, Storage
from kiosk.central.storage.push import PushLogic
from kiosk.central.storage.rows import (
    BBox,
    ChangePage,
    ChangeRow,
    DemandRow,
    Enrolled,
    EnrolmentRefused,
    ListingRow,
    NewCode,
    StationInfo,
)
from kiosk.central.storage.tokens import hash_secret, new_station_id, new_token
from kiosk.clock import iso, parse_instant
from kiosk.errors import NotFound
from kiosk.sync.history import Anchor
from kiosk.sync.protocol import new_enrolment_code, normalise_enrolment_code, text_field


def _bbox_sql(bbox: BBox | None, first: int) -> tuple[str, list[Any]]:
    """The WHERE terms for `bbox`, with parameters numbered from `$first`."""
    if bbox is None:
        return "", []
    a, b, c, d = (f"${first + i}" for i in range(4))
    sql = f" AND s.lat IS NOT NULL AND s.lat BETWEEN {a} AND {b}"
    params: list[Any] = [bbox.min_lat, bbox.max_lat]
    if bbox.min_lon <= bbox.max_lon:
        sql += f" AND s.lon BETWEEN {c} AND {d}"
    else:
        sql += f" AND (s.lon >= {c} OR s.lon <= {d})"
    params += [bbox.min_lon, bbox.max_lon]
    return sql, params


class SqlStorage(PushLogic, Storage):
    """The logic, on any connection that offers `Db` inside `_write()` / `_read()`."""

    @abstractmethod
    def _read(self) -> AbstractContextManager[Db]: ...

    # schema ------------------------------------------------------------------

    def _step(self) -> AbstractContextManager[Db]:
        """The transaction one migration step runs in."""
        return self._write()

    def _migrate(self) -> None:
        schema.migrate(self._step)

    def ping(self) -> None:
        with self._read() as db:
            db.one("SELECT value FROM counters WHERE name = 'changes'")

    # stations and enrolment -------------------------------------------------------

    def add_station(self, name: str, now: datetime, valid_for: timedelta) -> NewCode:
        name = text_field(name.strip(), "the station name", 120, empty_ok=False)
        station = new_station_id()
        with self._write() as db:
            db.run("INSERT INTO stations (id, name, created_at) VALUES ($1, $2, $3)",
                   (station, name, iso(now)))
            return self._issue_code(db, station, name, now, valid_for)

    def new_code(self, station_id: str, now: datetime, valid_for: timedelta) -> NewCode:
        with self._write() as db:
            row = db.one("SELECT name FROM stations WHERE id = $1", (station_id,))
            if row is None:
                raise NotFound(f"there is no station {station_id}")
            return self._issue_code(db, station_id, str(row[0]), now, valid_for)

    def _issue_code(self, db: Db, station: str, name: str, now: datetime,
                    valid_for: timedelta) -> NewCode:
        code = new_enrolment_code()
        expires = iso(now + valid_for)
        db.run(
            "INSERT INTO enrolment_codes (code_hash, station_id, created_at, expires_at) "
            "VALUES ($1, $2, $3, $4)",
            (hash_secret("enrol", code), station, iso(now), expires),
        )
        return NewCode(station, name, code, expires)

    def stations(self) -> list[StationInfo]:
        with self._read() as db:
            rows = db.all(
                "SELECT id, name, created_at, token_hash IS NOT NULL, acked_seq, last_push_at "
                "FROM stations ORDER BY created_at, id"
            )
        return [StationInfo(r[0], r[1], r[2], bool(r[3]), int(r[4]), r[5]) for r in rows]

    def revoke(self, station_id: str) -> None:
        with self._write() as db:
            if db.one("SELECT 1 FROM stations WHERE id = $1", (station_id,)) is None:
                raise NotFound(f"there is no station {station_id}")
            db.run("UPDATE stations SET token_hash = NULL WHERE id = $1", (station_id,))
            db.run("DELETE FROM enrolment_codes WHERE station_id = $1 AND used_at IS NULL",
                   (station_id,))

    def enrol(self, code: str, now: datetime) -> Enrolled:
        code = normalise_enrolment_code(code)
        token = new_token()
        with self._write() as db:
            row = db.one(
                "SELECT c.station_id, c.expires_at, c.used_at, s.name FROM enrolment_codes c "
                "JOIN stations s ON s.id = c.station_id WHERE c.code_hash = $1" + self.for_update,
                (hash_secret("enrol", code),),
            )
            if row is None:
                raise EnrolmentRefused(
                    "this enrolment code is not known here; check it, or ask the central "
                    "operator for a new one"
                )
            station, expires_at, used_at, name = row
            if used_at is not None:
                raise EnrolmentRefused(
                    f"this enrolment code was already used ({used_at[:16].replace('T', ' ')}"
                    " UTC); ask the central operator for a new one"
                )
            if parse_instant(expires_at) <= now:
                raise EnrolmentRefused(
                    f"this enrolment code expired on {expires_at[:10]}; ask the central "
                    "operator for a new one"
                )
            db.run("UPDATE enrolment_codes SET used_at = $1 WHERE code_hash = $2",
                   (iso(now), hash_secret("enrol", code)))
            db.run("UPDATE stations SET token_hash = $1, enrolled_at = $2 WHERE id = $3",
                   (hash_secret("token", token), iso(now), station))
        return Enrolled(station, name, token)

    def station_for_token(self, token: str) -> str | None:
        with self._read() as db:
            row = db.one("SELECT id FROM stations WHERE token_hash = $1",
                         (hash_secret("token", token),))
        return None if row is None else str(row[0])

    # protocol 2 -----------------------------------------------------------------------

    def anchors(self, token: str, history: str | None) -> list[Anchor] | None:
        with self._read() as db:
            station = db.one("SELECT id FROM stations WHERE token_hash = $1",
                             (hash_secret("token", token),))
            return None if station is None else hist.anchors_of(db, str(station[0]), history)

    def new_epoch(self) -> str:
        with self._write() as db:
            return hist.new_epoch(db)

    def extra_items(self) -> set[str]:
        with self._read() as db:
            return {str(r[0]) for r in db.all("SELECT item FROM catalog_extra")}

    def allow_items(self, items: Sequence[str], now: datetime) -> None:
        with self._write() as db:
            db.many("INSERT INTO catalog_extra (item, added_at) VALUES ($1, $2) "
                    "ON CONFLICT (item) DO NOTHING", [(item, iso(now)) for item in items])

    # pull and public reads -------------------------------------------------------------

    def pull(self, token: str, after: int, limit: int) -> ChangePage | None:
        with self._read() as db:
            station = db.one("SELECT id FROM stations WHERE token_hash = $1",
                             (hash_secret("token", token),))
            if station is None:
                return None
            head_row = db.one("SELECT c.value, m.value FROM counters c JOIN meta m "
                              "ON m.key = 'epoch' WHERE c.name = 'changes'")
            head = int(head_row[0]) if head_row else 0
            epoch = str(head_row[1]) if head_row else ""
            # Only ids <= head: every change up to head was committed when head was read
            # (see the module docstring), so this needs no snapshot across statements.
            rows = db.all(
                "SELECT id, station_id, kind, body FROM changes "
                "WHERE id > $1 AND id <= $2 AND (station_id IS NULL OR station_id <> $3) "
                "ORDER BY id LIMIT $4",
                (after, head, station[0], limit + 1),
            )
        more = len(rows) > limit
        rows = rows[:limit]
        changes = [ChangeRow(int(r[0]), r[1], r[2], json.loads(r[3])) for r in rows]
        next_cursor = changes[-1].id if more else max(after, head)
        return ChangePage(changes, next_cursor, more, epoch, head)

    def listings(self, item: str, bbox: BBox | None) -> list[ListingRow]:
        where, params = _bbox_sql(bbox, 2)
        with self._read() as db:
            rows = db.all(
                "SELECT s.id, s.name, s.profile, s.lat, s.lon, l.available, l.requested, "
                "l.earliest_expiry, l.updated_at FROM listings l "
                "JOIN stations s ON s.id = l.station_id "
                "WHERE l.item = $1 AND l.available > 0" + where,
                [item, *params],
            )
        result = []
        for sid, name, profile_json, lat, lon, available, requested, expiry, updated in rows:
            profile = json.loads(profile_json) if profile_json else {}
            result.append(ListingRow(
                station_id=sid,
                name=profile.get("name", name),
                address=profile.get("address", ""),
                opening_hours=profile.get("opening_hours", ""),
                lat=None if lat is None else float(lat),
                lon=None if lon is None else float(lon),
                available=int(available),
                requested=int(requested),
                earliest_expiry=expiry,
                updated_at=updated,
            ))
        return result

    def top_demand(self, bbox: BBox | None, limit: int) -> list[DemandRow]:
        where, params = _bbox_sql(bbox, 2)
        with self._read() as db:
            rows = db.all(
                "SELECT l.item, CAST(SUM(l.requested) AS BIGINT), "
                "CAST(SUM(l.available) AS BIGINT), "
                "CAST(SUM(CASE WHEN l.requested > 0 THEN 1 ELSE 0 END) AS BIGINT) "
                "FROM listings l JOIN stations s ON s.id = l.station_id WHERE 1 = 1" + where
                + " GROUP BY l.item HAVING SUM(l.requested) > 0 "
                "ORDER BY 2 DESC, l.item LIMIT $1",
                [limit, *params],
            )
        return [DemandRow(r[0], int(r[1]), int(r[2]), int(r[3])) for r in rows]
