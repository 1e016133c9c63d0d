"""The central's storage interface (`Storage`) and what its logic needs from a
connection (`Db`).

SQL parameters: every statement is written once, with numbered parameters in
PostgreSQL's own spelling (`$1`, `$2`, ...; the n-th value of the params tuple). psycopg's
`RawCursor` sends them to the server as written: no rewriting on PostgreSQL. SQLite has
the same numbered parameters spelled `?1`, `?2`, ...; its `Db` picks that spelling once
per statement text (cached) and binds by position. SQLite would also take `$1` as a
*named* parameter bound from a {"1": ...} mapping, but that measured 15-18% fewer pushed
events per second. No SQL here has a `$` followed by a digit other than a parameter.
Where the backends need different SQL (PostgreSQL's one-statement feed append and pull)
the backend class holds its own statement.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import Any, Protocol

from kiosk.central import history as hist
from kiosk.central.storage.rows import (
    BBox,
    ChangePage,
    DemandRow,
    Enrolled,
    ListingRow,
    NewCode,
    StationInfo,
)
from kiosk.sync.history import Anchor, SyncState
from kiosk.sync.protocol import Event

DEFAULT_POOL_SIZE = 8
POOL_WAIT_SECONDS = 15.0
BUSY_TIMEOUT_MS = 15_000


class Db(Protocol):
    """What the shared logic needs from a connection inside a transaction."""

    def all(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]: ...
    def one(self, sql: str, params: Sequence[Any] = ()) -> tuple[Any, ...] | None: ...
    def run(self, sql: str, params: Sequence[Any] = ()) -> None: ...
    def many(self, sql: str, rows: Sequence[Sequence[Any]]) -> None: ...
    def later(self, sql: str, params: Sequence[Any] = ()) -> Callable[[], list[tuple[Any, ...]]]:
        """Send a query now, read its rows when the returned function is called (on
        PostgreSQL several such queries share one network round trip)."""
        ...



class Storage(ABC):
    """Everything the central endpoint stores, behind one interface."""

    backend: str
    inline_calls: bool = False
    """True when small calls are cheap enough to run on the event loop (no network)."""
    pool_size: int = DEFAULT_POOL_SIZE
    """At most this many connections (and calls at once)."""

    @abstractmethod
    def migrate(self) -> None:
        """Create or upgrade the schema (idempotent, safe from several processes)."""

    @abstractmethod
    def ping(self) -> None:
        """Raise StorageUnavailable unless the database answers."""

    @abstractmethod
    def add_station(self, name: str, now: datetime, valid_for: timedelta) -> NewCode: ...

    @abstractmethod
    def new_code(self, station_id: str, now: datetime, valid_for: timedelta) -> NewCode: ...

    @abstractmethod
    def stations(self) -> list[StationInfo]: ...

    @abstractmethod
    def revoke(self, station_id: str) -> None:
        """Invalidate the station's token and unused codes (its records stay)."""

    @abstractmethod
    def enrol(self, code: str, now: datetime) -> Enrolled: ...

    @abstractmethod
    def station_for_token(self, token: str) -> str | None: ...

    @abstractmethod
    def push(self, station_id: str, token: str, events: Sequence[Event],
             now: datetime) -> int: ...

    @abstractmethod
    def sync_push(self, station_id: str, token: str, events: Sequence[Event], now: datetime,
                  hello: hist.Hello | None = None) -> SyncState:
        """push, protocol 2: the whole central side of the round."""

    @abstractmethod
    def anchors(self, token: str, history: str | None) -> list[Anchor] | None:
        """The anchors held for the station of `token` (None: unknown token)."""

    @abstractmethod
    def new_epoch(self) -> str:
        """Start a new feed epoch (the database was restored or rebuilt)."""

    @abstractmethod
    def extra_items(self) -> set[str]:
        """Items accepted besides the bundled catalog."""

    @abstractmethod
    def allow_items(self, items: Sequence[str], now: datetime) -> None: ...

    @abstractmethod
    def pull(self, token: str, after: int, limit: int) -> ChangePage | None:
        """Other stations' changes after `after` for the station of `token` (None: unknown)."""

    @abstractmethod
    def listings(self, item: str, bbox: BBox | None) -> list[ListingRow]: ...

    @abstractmethod
    def top_demand(self, bbox: BBox | None, limit: int) -> list[DemandRow]: ...

    @abstractmethod
    def close(self) -> None: ...
