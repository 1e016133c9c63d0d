"""The PostgreSQL backend (`postgresql://...`, psycopg 3 with psycopg_pool).

Several server processes share the database. A push locks its station's row
(`SELECT ... FOR UPDATE`), so pushes of one station are serialised and pushes of
different stations run side by side until the very end, where they take the change-feed
counter row. Holding that row lock until commit means change ids become visible in the
order they were assigned, so a reader can never see change 11 while change 10 is still
in flight and skip it with its cursor. The counter is taken by the push's last
statement, sent in one go with COMMIT (pipeline mode), so the lock is held for that
statement and the commit's WAL flush, not across round trips to the server process; a
pull is one statement (one snapshot).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, suppress
from typing import Any

from kiosk.central.storage.base import DEFAULT_POOL_SIZE, POOL_WAIT_SECONDS, Db
from kiosk.central.storage.logic import SqlStorage
from kiosk.central.storage.rows import ChangePage, ChangeRow, StorageUnavailable
from kiosk.central.storage.tokens import dumps, hash_secret


class _PgDb:
    """Statements go to the server as written ($1, $2, ...): connections use RawCursor."""

    __slots__ = ("conn", "pipelined")

    def __init__(self, conn: Any, pipelined: bool = False) -> None:
        self.conn = conn
        self.pipelined = pipelined

    def all(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        with self.conn.cursor() as cur:
            cur.execute(sql, params)
            rows: list[tuple[Any, ...]] = cur.fetchall()
            return rows

    def one(self, sql: str, params: Sequence[Any] = ()) -> tuple[Any, ...] | None:
        with self.conn.cursor() as cur:
            cur.execute(sql, params)
            row: tuple[Any, ...] | None = cur.fetchone()
            return row

    def run(self, sql: str, params: Sequence[Any] = ()) -> None:
        self.conn.execute(sql, params)

    def many(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        with self.conn.cursor() as cur:
            if not self.pipelined:
                cur.executemany(sql, rows)
            else:  # executemany would open a nested pipeline, whose end waits for the server
                for row in rows:
                    cur.execute(sql, row)

    def later(self, sql: str, params: Sequence[Any] = ()) -> Callable[[], list[tuple[Any, ...]]]:
        cur = self.conn.cursor()
        cur.execute(sql, params)  # in a pipeline: queued, not yet answered

        def rows() -> list[tuple[Any, ...]]:
            with cur:
                result: list[tuple[Any, ...]] = cur.fetchall()
                return result

        return rows


class PostgresStorage(SqlStorage):
    backend = "postgresql"
    for_update = " FOR UPDATE"

    def __init__(self, url: str, pool_size: int = DEFAULT_POOL_SIZE) -> None:
        import psycopg  # the `central` extra; SQLite-only installs need not have it
        import psycopg_pool

        self._psycopg = psycopg
        self.url = url
        self.pool_size = pool_size
        # Opened on first use, so a server's worker processes each start their own
        # (the pool's threads do not survive a fork).
        self._pool = psycopg_pool.ConnectionPool(
            url, min_size=0, max_size=pool_size, open=False, timeout=POOL_WAIT_SECONDS,
            kwargs={"autocommit": True, "connect_timeout": 10,
                    "cursor_factory": psycopg.RawCursor},
        )
        self._timeout = psycopg_pool.PoolTimeout
        self._pool_closed = psycopg_pool.PoolClosed
        self._opened = False
        self._open_lock = threading.Lock()

    def _probe(self) -> None:
        """Connect once by hand: the pool retries a refused connection in the background
        until its timeout, where the operator needs the reason now."""
        try:
            self._psycopg.connect(self.url, connect_timeout=10).close()
        except self._psycopg.Error as exc:
            text = str(exc).strip()
            reason = text.splitlines()[0] if text else type(exc).__name__
            raise StorageUnavailable(f"cannot connect to the central database: {reason}") \
                from exc

    def _open(self) -> None:
        with self._open_lock:
            if not self._opened:
                self._probe()
                self._pool.open()
                self._opened = True

    @contextmanager
    def _connection(self) -> Iterator[Any]:
        if not self._opened:
            self._open()
        try:
            with self._pool.connection() as conn:
                yield conn
        except self._timeout:
            self._probe()  # unreachable now: say why; else every connection is in use
            raise StorageUnavailable("the central database is too busy; try again") from None
        except self._pool_closed:
            raise StorageUnavailable("the central database has been closed") from None

    @contextmanager
    def _tx(self) -> Iterator[Db]:
        """A transaction in pipeline mode: statements whose results are not read yet
        (`run`, `many`, `later`) go out together with the next one that is read, and the
        last ones with COMMIT, so a push takes two network round trips, not a dozen.

        BEGIN and COMMIT are sent by hand: psycopg's `transaction()` in a pipeline waits
        for the results of the block's last statements before it sends COMMIT, which
        would hold the change-feed counter row across a round trip to this process."""
        idle = self._psycopg.pq.TransactionStatus.IDLE
        try:
            with self._connection() as conn:
                try:
                    with conn.pipeline():
                        conn.execute(b"BEGIN")
                        yield _PgDb(conn, pipelined=True)
                        conn.execute(b"COMMIT")
                finally:
                    if not conn.broken and conn.info.transaction_status != idle:
                        with suppress(self._psycopg.Error):  # the pool drops it if this fails
                            conn.execute(b"ROLLBACK")
        except self._psycopg.OperationalError as exc:
            reason = str(exc).strip().splitlines()[0] if str(exc).strip() else "lost connection"
            raise StorageUnavailable(f"the central database is not usable: {reason}") from exc

    def _write(self) -> AbstractContextManager[Db]:
        return self._tx()

    @contextmanager
    def _read(self) -> Iterator[Db]:
        """Autocommit: each statement sees what was committed when it started. Every read
        here is one statement, or (pull) safe across statements by construction."""
        try:
            with self._connection() as conn:
                yield _PgDb(conn)
        except self._psycopg.OperationalError as exc:
            reason = str(exc).strip().splitlines()[0] if str(exc).strip() else "lost connection"
            raise StorageUnavailable(f"the central database is not usable: {reason}") from exc

    def _current_listings(self, db: Db, station_id: str,
                          items: Sequence[str]) -> Callable[[], list[tuple[Any, ...]]]:
        return db.later(
            "SELECT item, seq, available, requested, earliest_expiry FROM listings "
            "WHERE station_id = $1 AND item = ANY($2)",
            (station_id, list(items)),
        )

    def _append_changes(self, db: Db, station_id: str,
                        changes: Sequence[tuple[str, str, dict[str, Any]]], stamp: str) -> None:
        """One statement, sent with COMMIT: the counter row (which orders the change
        ids, see the module docstring) is locked only for this statement and the commit,
        never across a round trip to this process."""
        db.run(
            "WITH head AS (UPDATE counters SET value = value + $1 WHERE name = 'changes' "
            "RETURNING value), "
            "gone AS (DELETE FROM changes WHERE station_id = $2 AND key = ANY($3::text[])) "
            "INSERT INTO changes (id, station_id, kind, key, body, created_at) "
            "SELECT head.value - $4 + u.n, $5, u.kind, u.key, u.body, $6 FROM head, "
            "unnest($7::text[], $8::text[], $9::text[]) WITH ORDINALITY AS u(kind, key, body, n)",
            (len(changes), station_id, [key for _, key, _ in changes], len(changes),
             station_id, stamp, [kind for kind, _, _ in changes],
             [key for _, key, _ in changes], [dumps(body) for _, _, body in changes]),
        )

    def pull(self, token: str, after: int, limit: int) -> ChangePage | None:
        """One statement, so one snapshot: the head and the changes up to it agree."""
        with self._read() as db:
            rows = db.all(
                "SELECT h.value, c.id, c.station_id, c.kind, c.body, e.value FROM stations s "
                "JOIN counters h ON h.name = 'changes' JOIN meta e ON e.key = 'epoch' "
                "LEFT JOIN LATERAL (SELECT id, station_id, kind, body FROM changes "
                "WHERE id > $1 AND id <= h.value AND (station_id IS NULL OR station_id <> s.id) "
                "ORDER BY id LIMIT $2) c ON true "
                "WHERE s.token_hash = $3 ORDER BY c.id",
                (after, limit + 1, hash_secret("token", token)),
            )
        if not rows:
            return None
        head = int(rows[0][0])
        found = [r for r in rows if r[1] is not None]
        more = len(found) > limit
        changes = [ChangeRow(int(r[1]), r[2], r[3], json.loads(r[4])) for r in found[:limit]]
        next_cursor = changes[-1].id if more else max(after, head)
        return ChangePage(changes, next_cursor, more, str(rows[0][5]), head)

    def migrate(self) -> None:
        self._migrate()

    @contextmanager
    def _step(self) -> Iterator[Db]:
        with self._tx() as db:
            # Serialise concurrent migrations (several workers starting at once).
            db.run("SELECT pg_advisory_xact_lock(7351204981)")
            yield db

    def close(self) -> None:
        self._pool.close()
        self._opened = True  # a closed pool refuses, it does not reopen
