"""The SQLite backend (the default, zero set-up): one file in WAL mode. Writers are
serialised (a process-local lock plus `BEGIN IMMEDIATE` across processes)."""

from __future__ import annotations

import re
import sqlite3
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, suppress
from pathlib import Path
from typing import Any

from kiosk.central import history as hist
from kiosk.central.storage.base import BUSY_TIMEOUT_MS, DEFAULT_POOL_SIZE, Db
from kiosk.central.storage.logic import SqlStorage
from kiosk.central.storage.pool import Pool
from kiosk.central.storage.rows import StorageError, StorageUnavailable

_NUMBERED = re.compile(r"\$(?=[0-9])")
_FORMS: dict[str, str] = {}


def _q(sql: str) -> str:
    """SQLite's spelling of a statement: `?1`, `?2`, ... for `$1`, `$2`, ... (the same
    numbered parameters, bound by position from a tuple), made once per statement."""
    form = _FORMS.get(sql)
    if form is None:
        form = _FORMS[sql] = _NUMBERED.sub("?", sql)
    return form


class _SqliteDb:
    __slots__ = ("conn",)

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def all(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        return self.conn.execute(_q(sql), params).fetchall()

    def one(self, sql: str, params: Sequence[Any] = ()) -> tuple[Any, ...] | None:
        row: tuple[Any, ...] | None = self.conn.execute(_q(sql), params).fetchone()
        return row

    def run(self, sql: str, params: Sequence[Any] = ()) -> None:
        self.conn.execute(_q(sql), params)

    def many(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        self.conn.executemany(_q(sql), rows)

    def later(self, sql: str, params: Sequence[Any] = ()) -> Callable[[], list[tuple[Any, ...]]]:
        rows = self.conn.execute(_q(sql), params).fetchall()
        return lambda: rows


class SqliteStorage(SqlStorage):
    backend = "sqlite"
    inline_calls = True

    def __init__(self, path: Path, pool_size: int = DEFAULT_POOL_SIZE) -> None:
        self.path = path
        self.pool_size = pool_size
        self._write_lock = threading.Lock()
        self._migrated = False  # the mark describes a migrated database only
        self._pool: Pool[sqlite3.Connection] = Pool(
            self._connect, lambda c: c.close(), lambda c: True, pool_size
        )

    def _connect(self) -> sqlite3.Connection:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000,
                                   isolation_level=None, check_same_thread=False)
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            conn.execute("PRAGMA synchronous = FULL")
            conn.execute("PRAGMA foreign_keys = ON")
        except (sqlite3.Error, OSError) as exc:
            raise StorageError(f"cannot open the central database {self.path}: {exc}") from exc
        return conn

    @contextmanager
    def _tx(self, begin: str) -> Iterator[Db]:
        try:
            with self._pool.connection() as conn:
                conn.execute(begin)
                try:
                    yield _SqliteDb(conn)
                except BaseException:
                    if conn.in_transaction:
                        conn.execute("ROLLBACK")
                    raise
                conn.execute("COMMIT")
        except sqlite3.OperationalError as exc:
            raise StorageUnavailable(f"the central database is not usable: {exc}") from exc

    @contextmanager
    def _write(self) -> Iterator[Db]:
        with self._write_lock, self._tx("BEGIN IMMEDIATE") as db:
            yield db

    def _read(self) -> AbstractContextManager[Db]:
        return self._tx("BEGIN")

    def migrate(self) -> None:
        with self._pool.connection() as conn:
            try:
                mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()
            except sqlite3.DatabaseError as exc:
                raise StorageError(f"{self.path} is not a usable SQLite database: {exc}") from exc
            if mode is None or str(mode[0]).lower() != "wal":
                raise StorageError(f"cannot switch {self.path} to WAL mode")
        self._migrate()
        with self._write() as db:
            if hist.is_older_than_mark(hist.totals(db), hist.read_mark(self._mark)):
                hist.new_epoch(db)  # an older copy of this database was put back
        self._write_mark()
        self._migrated = True

    @property
    def _mark(self) -> Path:
        return hist.mark_path(self.path)

    def _write_mark(self) -> None:
        with suppress(StorageError), self._read() as db:
            hist.write_mark(self._mark, hist.totals(db))

    def new_epoch(self) -> str:
        epoch = super().new_epoch()
        self._write_mark()
        return epoch

    def close(self) -> None:
        if self._migrated and not self._pool.closed and self.path.exists():
            self._write_mark()
        self._pool.close()


