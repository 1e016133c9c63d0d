"""What the desk screens ask of the station, as plain functions (no Qt here).

Every function takes a `Context` first and runs on the database worker
thread, the only thread that touches the Store. Each returns plain frozen
data that the GUI thread may read freely.
"""

from __future__ import annotations

import contextlib
import gc
import importlib.util
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Protocol

from kiosk.catalog import Catalog
from kiosk.clock import Clock
from kiosk.db import staff as staff_store
from kiosk.db.store import Store
from kiosk.errors import DataDirError, MedShareError, NotEnoughStock, NotInitialised
from kiosk.ui.demo import DEMO_MANAGER, DEMO_PIN


class Cancelled(MedShareError):
    """The person cancelled a long job; nothing was saved."""

    def __init__(self) -> None:
        super().__init__("Cancelled; nothing was saved.")


class Context(Protocol):
    """What a job may use: the worker's store, progress reports and the cancel flag."""

    @property
    def store(self) -> Store: ...

    def adopt(self, store: Store | None) -> None: ...

    def progress(self, done: int, total: int, phase: str = "") -> None: ...

    @property
    def cancelled(self) -> bool: ...


def check_cancelled(ctx: Context) -> None:
    if ctx.cancelled:
        raise Cancelled()


# -- opening, setup, accounts ------------------------------------------------------------


@dataclass(frozen=True)
class StationState:
    """What the window needs once the database is open (or that there is none yet)."""

    initialised: bool
    code: str = ""
    name: str = ""
    catalog: Catalog | None = None
    accounts: tuple[staff_store.Account, ...] = ()
    today: date | None = None  # the station-local day
    zone: str = ""  # the station's IANA time zone
    training: bool = False  # a training station: every screen says so


def _state(store: Store) -> StationState:
    from kiosk.db import station

    info = station.get(store)
    with store.read() as conn:
        accounts = tuple(staff_store.accounts(conn))
    return StationState(True, info.code, info.name, store.catalog, accounts,
                        store.today(), info.timezone, info.training)


def open_station(ctx: Context, data_dir: Path, clock: Clock | None, demo: bool) -> StationState:
    from kiosk.db import station

    if not (data_dir / "station.db").exists():
        return StationState(False)
    try:
        store = station.open_station(data_dir, clock=clock)
    except NotInitialised:
        return StationState(False)
    ctx.adopt(store)
    station.refresh_catalog(store)
    if demo:
        with store.read() as conn:
            have = [account.name for account in staff_store.accounts(conn)]
        if DEMO_MANAGER not in have:
            staff_store.create(store, DEMO_MANAGER, "manager", DEMO_PIN)
    return _state(store)


def station_zone(ctx: Context) -> str:
    """The station's time zone name (for the status bar after Settings change it)."""
    return ctx.store.zone_name


def init_station(ctx: Context, data_dir: Path, clock: Clock | None, code: str, name: str,
                 address: str, timezone: str | None = None,
                 opening_hours: str = "") -> StationState:
    from kiosk.db import station

    store = station.init(data_dir, code, name, address, opening_hours=opening_hours,
                         timezone=timezone)
    if clock is not None:
        store.clock = clock
    ctx.adopt(store)
    return _state(store)


def create_account(ctx: Context, name: str, role: str, pin: str, again: str) -> (
        staff_store.Account):
    if pin != again:
        from kiosk.errors import InvalidInput

        raise InvalidInput("The two PINs are not the same; type them again.")
    return staff_store.create(ctx.store, name, role, pin)


def accounts(ctx: Context) -> list[staff_store.Account]:
    with ctx.store.read() as conn:
        return staff_store.accounts(conn)


def sign_in(ctx: Context, name: str, pin: str) -> staff_store.Account:
    return staff_store.sign_in(ctx.store, name, pin)


def close(ctx: Context) -> None:
    with contextlib.suppress(Exception):
        ctx.store.close()
    ctx.adopt(None)


# -- drop-off --------------------------------------------------------------------------


@dataclass(frozen=True)
class Received:
    lot_id: int
    item_id: str
    units: int
    expiry: date


def receive(ctx: Context, item_id: str, units: int, expiry: date, lot_number: str,
            source: str, staff: str) -> Received:
    from kiosk.db import ledger

    receipt = ledger.check_receipt(ctx.store, item_id, units, expiry, lot_number, source)
    lot_id = ledger.receive(ctx.store, receipt.item_id, receipt.units, receipt.expiry,
                            receipt.lot_number, receipt.source, staff=staff)
    return Received(lot_id, receipt.item_id, receipt.units, receipt.expiry)


@dataclass(frozen=True)
class Imported:
    lots: int
    items: int


@contextlib.contextmanager
def _interruptible(ctx: Context) -> Iterator[None]:
    """Let a cancel stop a long SQLite statement: the transaction rolls back."""
    conn = ctx.store.conn
    conn.set_progress_handler(lambda: 1 if ctx.cancelled else 0, 20_000)
    try:
        yield
    finally:
        conn.set_progress_handler(None, 0)


@contextlib.contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """Hold off Python's cyclic garbage collector while a big job builds many objects.

    The rows of a large import are freed by reference counting; without this
    a full collection walks every one of them while holding the interpreter
    lock, and the GUI thread stalls for tens of milliseconds each time.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def import_lots(ctx: Context, path: Path, staff: str) -> Imported:
    """A CSV of lots, all or nothing; cancel works until the last row is saved."""
    from kiosk.db import csvio, ledger

    ctx.progress(0, 0, "checking")
    with _no_cycle_collection():
        receipts = csvio.read_lots(ctx.store, path)
        check_cancelled(ctx)
        ctx.progress(0, len(receipts), "saving")
        try:
            with _interruptible(ctx):
                lot_ids = ledger.receive_many(ctx.store, receipts, staff=staff)
        except DataDirError:
            if ctx.cancelled:
                raise Cancelled() from None
            raise
        items = len({r.item_id for r in receipts})
        del receipts
    ctx.progress(len(lot_ids), len(lot_ids), "saved")
    return Imported(len(lot_ids), items)


# -- requests --------------------------------------------------------------------------


def log_request(ctx: Context, item_id: str, units: int, priority: str, household: int,
                phone: str, language: str, override_reason: str = "", staff: str = "") -> Any:
    """A request from the desk; one the safety facts refuse needs `override_reason`
    (kept on the request, and audited with `staff` in the same transaction)."""
    from kiosk.db import requests

    return requests.create(ctx.store, item_id, units, priority=priority, household=household,
                           phone=phone or None, language=language,
                           override_reason=override_reason or None, staff=staff)


def queue(ctx: Context) -> list[Any]:
    from kiosk.db import requests

    with ctx.store.read() as conn:
        return requests.queue(conn)


def reveal_phone(ctx: Context, request_id: int, staff: str) -> str:
    """The full number for a call back; the audit records who and when."""
    from kiosk.db import contact

    return contact.reveal(ctx.store, request_id, staff)


def cancel_request(ctx: Context, request_id: int, staff: str) -> None:
    from kiosk.db import requests

    requests.release(ctx.store, request_id, staff, cancel=True, reason="cancelled at the desk")


# -- matching and slips ----------------------------------------------------------------


@dataclass(frozen=True)
class PickedLot:
    lot_id: int
    units: int
    expiry: date
    lot_number: str


@dataclass(frozen=True)
class Matched:
    """One request with the lots reserved for it, and its slip once slips exist."""

    request_id: int
    item_id: str
    units: int
    priority: str
    lots: tuple[PickedLot, ...]
    slip: str = ""
    token: str = ""
    short_code: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


def slips_available() -> bool:
    """Slips arrive in their own issue; until then match works and printing waits."""
    try:
        return importlib.util.find_spec("kiosk.db.slips") is not None
    except (ImportError, ValueError):
        return False


def _picked(conn: Any, lot_units: list[tuple[int, int]]) -> tuple[PickedLot, ...]:
    from kiosk.db import ledger

    picked = []
    for lot_id, units in lot_units:
        lot = ledger.get_lot(conn, lot_id)
        picked.append(PickedLot(lot_id, units, lot.expiry, lot.lot_number))
    return tuple(picked)


def allocate(ctx: Context, request_id: int | None, staff: str) -> list[Matched]:
    """Reserve first-expiry-first-out for one request, or the next one in the queue."""
    from kiosk.db import allocation
    from kiosk.db import requests as request_store

    store = ctx.store
    if request_id is None:
        with store.read() as conn:
            waiting = request_store.queue(conn, include_reserved=False)
        if not waiting:
            from kiosk.errors import NotFound

            raise NotFound("No request is waiting to be matched.")
        # the first in serving order that stock can fill; as in the core, a
        # request that cannot be filled holds back later ones for the same item
        made = []
        blocked: set[str] = set()
        last_short: MedShareError | None = None
        for request in waiting:
            # a request the safety facts refuse, without a staff override, is never matched
            if request.item_id in blocked or allocation.unsafe(store, request):
                continue
            try:
                made = allocation.allocate(store, request.id, staff=staff)
                break
            except NotEnoughStock as error:
                blocked.add(request.item_id)
                last_short = error
        if not made and last_short is not None:
            raise last_short
    else:
        made = allocation.allocate(store, request_id, staff=staff)
    return _matched(ctx, made)


def allocate_all(ctx: Context, staff: str) -> list[Matched]:
    from kiosk.db import allocation

    return _matched(ctx, allocation.allocate(ctx.store, None, staff=staff))


def _matched(ctx: Context, made: list[Any]) -> list[Matched]:
    from kiosk.db import requests as request_store

    out = []
    with ctx.store.read() as conn:
        for allocation_ in made:
            request = request_store.get(conn, allocation_.request_id)
            lots = _picked(conn, [(p.lot_id, p.units) for p in allocation_.picks])
            extra = dict(allocation_.extra)
            out.append(Matched(
                request.id, request.item_id, request.units, request.priority, lots,
                str(extra.get("slip", "") or ""), str(extra.get("token", "") or ""),
                str(extra.get("short_code", "") or ""), extra,
            ))
    return out


def waiting_for_pickup(ctx: Context) -> list[Matched]:
    """Requests with stock reserved, oldest first: the shelf of slips to hand over."""
    from kiosk.db import requests as request_store

    out = []
    with ctx.store.read() as conn:
        for request in request_store.queue(conn):
            if request.status != "reserved":
                continue
            lots = _picked(conn, request_store.reserved_lots(conn, request.id))
            slip, token, short_code = _slip_of(conn, request.id)
            out.append(Matched(request.id, request.item_id, request.units, request.priority,
                               lots, slip, token, short_code))
    return out


def _slip_of(conn: Any, request_id: int) -> tuple[str, str, str]:
    """(slip number, token, short code) of the slip issued for a request, if any."""
    if not slips_available():
        return "", "", ""
    from kiosk.db import slips

    slip = slips.for_request(conn, request_id)
    if slip is None:
        return "", "", ""
    return str(slip.id), slip.token, slip.short_code


def slip_view(ctx: Context, text: str) -> Any:
    """What a slip prints (item, units, window, guidance, QR), found by id, token or code."""
    from kiosk.db import slips

    slip = slips.find(ctx.store, text)
    return slips.slip_view(ctx.store, slip)


def redeem(ctx: Context, text: str, source: str, staff: str) -> Any:
    """Hand over against a scanned token or typed short code (one transaction, or a Refusal)."""
    from kiosk import scanner
    from kiosk.db import slips

    scanned = scanner.scan_text(text, source if source in scanner.SOURCES else "typed")
    return slips.redeem(ctx.store, scanned.text, staff)


# -- stock -----------------------------------------------------------------------------


@dataclass(frozen=True)
class StockPage:
    today: date
    lines: tuple[Any, ...]


def stock(ctx: Context) -> StockPage:
    from kiosk.db import ledger

    lines = ledger.stock(ctx.store)
    return StockPage(ctx.store.today(), tuple(lines))


@dataclass(frozen=True)
class LotPage:
    today: date
    item_id: str
    lots: tuple[Any, ...]


def lots(ctx: Context, item_id: str) -> LotPage:
    from kiosk.db import ledger

    with ctx.store.read() as conn:
        found = ledger.lots(conn, item_id)
    return LotPage(ctx.store.today(), item_id, tuple(found))


def dispose(ctx: Context, lot_id: int, units: int, reason: str, staff: str) -> None:
    from kiosk.db import ledger

    ledger.dispose(ctx.store, lot_id, units, reason, staff=staff)


def count_lot(ctx: Context, lot_id: int, counted: int, staff: str) -> int:
    from kiosk.db import ledger

    return ledger.count_lot(ctx.store, lot_id, counted, "stock count", staff=staff)


def expire(ctx: Context, staff: str) -> list[tuple[int, int]]:
    from kiosk.db import ledger

    return ledger.expire(ctx.store, staff=staff)
