"""A small thread-safe pool of SQLite connections (PostgreSQL uses psycopg_pool)."""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from typing import Generic, TypeVar

from kiosk.central.storage.base import POOL_WAIT_SECONDS
from kiosk.central.storage.rows import StorageUnavailable

C = TypeVar("C")


class Pool(Generic[C]):
    def __init__(self, factory: Callable[[], C], close: Callable[[C], None],
                 healthy: Callable[[C], bool], size: int) -> None:
        self._factory = factory
        self._close = close
        self._healthy = healthy
        self._size = size
        self._idle: queue.LifoQueue[C] = queue.LifoQueue()
        self._created = 0
        self._lock = threading.Lock()
        self._closed = False

    @contextmanager
    def connection(self) -> Iterator[C]:
        conn = self._take()
        ok = False
        try:
            yield conn
            ok = True
        finally:
            if ok or self._healthy(conn):
                self._idle.put(conn)
            else:
                self._discard(conn)

    def _take(self) -> C:
        if self._closed:
            raise StorageUnavailable("the central database has been closed")
        try:
            return self._idle.get_nowait()
        except queue.Empty:
            pass
        with self._lock:
            create = self._created < self._size
            if create:
                self._created += 1
        if create:
            try:
                return self._factory()
            except BaseException:
                with self._lock:
                    self._created -= 1
                raise
        try:
            return self._idle.get(timeout=POOL_WAIT_SECONDS)
        except queue.Empty:
            raise StorageUnavailable("the central database is too busy; try again") from None

    @property
    def closed(self) -> bool:
        return self._closed

    def _discard(self, conn: C) -> None:
        with self._lock:
            self._created -= 1
        with suppress(Exception):  # closing a broken connection may fail; nothing to do
            self._close(conn)

    def close(self) -> None:
        self._closed = True
        while True:
            try:
                conn = self._idle.get_nowait()
            except queue.Empty:
                return
            self._discard(conn)


