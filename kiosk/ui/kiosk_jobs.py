"""What the resident kiosk (and the desk's pending drop-offs) ask of the station.

Plain functions run on the database worker thread through
`Services.call(fn, ...)`, like kiosk.ui.jobs; each returns frozen data the
GUI thread may read freely. Nothing here shows another resident's data: the
kiosk gets counts per item, a slip's status for the code in hand, and the
number of the request or drop-off it has just made.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.errors import InvalidInput, LimitExceeded
from kiosk.hours import NO_HOURS, OpeningHours

if TYPE_CHECKING:
    from kiosk.db.pledges import Pledge
    from kiosk.db.slips import SlipStatus
    from kiosk.db.staff import Account
    from kiosk.sync.nearby import NearbyListing
    from kiosk.ui.jobs import Context
    from kiosk.ui.kiosk.receipts import Printed, Receipt, ReceiptPrinter

# settings the manager console writes (kiosk.db.settings; defaults in kiosk.db.store)
IDLE_KEY = "kiosk_idle_seconds"
IDLE_DEFAULT = 60
IDLE_RANGE = (15, 3600)
PRINTER_KEY = "printer_name"  # "": the system's default printer, if there is one
PAPER_KEY = "paper"  # 58mm, 80mm or a6
PAPER_DEFAULT = "80mm"
LANGUAGE_KEY = "default_language"  # the language each new resident starts in


# -- the station as the kiosk sees it -------------------------------------------------------


@dataclass(frozen=True)
class KioskSettings:
    station_name: str
    address: str
    opening_hours: str
    idle_seconds: int
    printer: str  # "": the system's default printer
    paper: str
    language: str  # the language each resident starts in ("" if the setting is unusable)
    retention_days: int
    zone: str = "UTC"  # the station's time zone: times on receipts are on its wall clock
    hours: OpeningHours = NO_HOURS  # structured opening hours; times told fall inside them
    training: bool = False  # a training station: every page and receipt says so


def _setting(ctx: Context, key: str) -> str | None:
    """A setting's stored value or its default (None if this version has neither)."""
    try:
        return ctx.store.setting(key).strip()
    except KeyError:
        return None


def idle_seconds(raw: str | None) -> int:
    """The idle timeout from its setting: a whole number of seconds in range, else 60."""
    low, high = IDLE_RANGE
    if raw is None or not raw.isdigit():
        return IDLE_DEFAULT
    return max(low, min(high, int(raw)))


def kiosk_settings(ctx: Context) -> KioskSettings:
    from kiosk.db import station

    info = station.get(ctx.store)
    paper = _setting(ctx, PAPER_KEY) or PAPER_DEFAULT
    language = _setting(ctx, LANGUAGE_KEY) or ""
    return KioskSettings(
        station_name=info.name,
        address=info.address,
        opening_hours=info.opening_hours,
        idle_seconds=idle_seconds(_setting(ctx, IDLE_KEY)),
        printer=_setting(ctx, PRINTER_KEY) or "",
        paper=paper if paper in ("58mm", "80mm", "a6") else PAPER_DEFAULT,
        language=language if language in ("en", "zh") else "",
        retention_days=ctx.store.int_setting("retention_days"),
        zone=info.timezone,
        hours=info.hours,
        training=info.training,
    )


@dataclass(frozen=True)
class MenuLine:
    """One catalog item as a resident sees it: no lots, no expiry dates, no requests."""

    item_id: str
    available: int  # units that could be reserved now
    limit: int  # per person per 7 days


@dataclass(frozen=True)
class Menu:
    lines: tuple[MenuLine, ...]
    household_cap: int
    today: date

    def line(self, item_id: str) -> MenuLine | None:
        for line in self.lines:
            if line.item_id == item_id:
                return line
        return None


def menu(ctx: Context) -> Menu:
    """Every active item with what is available here now and its per-person limit."""
    from kiosk.db import ledger, requests

    store = ctx.store
    available = {line.item_id: line.available for line in ledger.stock(store)}
    lines = tuple(
        MenuLine(item.id, max(0, available.get(item.id, 0)), requests.item_limit(store, item.id))
        for item in store.catalog.items if item.active
    )
    return Menu(lines, store.int_setting("household_cap"), store.today())


def nearby(ctx: Context, item_id: str) -> list[NearbyListing]:
    """Other stations that have the item, nearest first (from the last sync)."""
    from kiosk.sync import nearby as nearby_store

    with ctx.store.read():
        return nearby_store.nearby(ctx.store, item_id)


# -- "I need medicine" ----------------------------------------------------------------------


class OverLimit(LimitExceeded):
    """A request over the limit, with only what the kiosk may say: the limit itself.

    Never what the phone number asked for before: the kiosk is a public screen,
    and anyone can type a neighbour's number (issue 12). The words are the same
    for a known and an unknown number.
    """

    def __init__(self, message: str, *, allowed: int) -> None:
        super().__init__(message)
        self.allowed = allowed


@dataclass(frozen=True)
class RequestMade:
    request_id: int
    item_id: str
    units: int
    phone_masked: str | None
    in_stock: bool  # enough available now that staff can prepare it today
    at: datetime


def request_medicine(ctx: Context, item_id: str, units: int, priority: str, household: int,
                     phone: str, language: str) -> RequestMade:
    """A resident's request, through the desk's own `requests.create` (same limits and flags)."""
    from kiosk.db import ledger, requests
    from kiosk.rules import household_limit, parse_household

    store = ctx.store
    try:
        request = requests.create(store, item_id, units, priority=priority, household=household,
                                  phone=phone or None, language=language)
    except LimitExceeded:
        # the core refused (its words name the phone's history, for staff); the kiosk
        # keeps only the limit, to say it in words that tell nothing about the number
        allowed = household_limit(requests.item_limit(store, item_id),
                                  parse_household(household), store.int_setting("household_cap"))
        raise OverLimit("That is more than this medicine's limit for now.",
                        allowed=allowed) from None
    from kiosk.db.allocation import usable_from

    with store.read() as conn:
        # what staff can match: good through the day the pickup window ends, not only today
        available = ledger.available_units(conn, item_id, usable_from(store))
    return RequestMade(request.id, request.item_id, request.units, request.phone_masked,
                       available >= request.units, store.clock.now())


# -- "I have spare medicine" ----------------------------------------------------------------


def pledge_medicine(ctx: Context, item_id: str, units: int, expiry: date,
                    language: str) -> Pledge:
    from kiosk.db import pledges

    return pledges.create(ctx.store, item_id, units, expiry, language=language)


# -- "Scan my slip" -------------------------------------------------------------------------


def slip_status(ctx: Context, text: str, source: str) -> SlipStatus:
    """What a slip's holder may know: ready, collected, expired, cancelled. Changes nothing."""
    from kiosk import scanner
    from kiosk.db import slips

    scanned = scanner.scan_text(text, source if source in scanner.SOURCES else "typed")
    return slips.status(ctx.store, scanned.text)


# -- receipts ---------------------------------------------------------------------------------


def print_receipt(ctx: Context, printer: ReceiptPrinter, receipt: Receipt) -> Printed:
    """Print on the worker thread (a PDF is a disk write; a printer may be slow to answer)."""
    return printer.print_receipt(receipt)


# -- leaving kiosk mode ---------------------------------------------------------------------


@dataclass(frozen=True)
class UnlockAccounts:
    names: tuple[str, ...]  # every active account (a staff PIN is refused with a reason)
    has_manager: bool  # False: nobody could ever unlock; leaving needs no PIN


def unlock_accounts(ctx: Context) -> UnlockAccounts:
    from kiosk.db import staff

    with ctx.store.read() as conn:
        accounts = staff.accounts(conn)
    return UnlockAccounts(tuple(account.name for account in accounts),
                          any(account.is_manager for account in accounts))


class NotAManager(InvalidInput):
    """A right PIN of a staff (not manager) account: kiosk mode stays on."""


def unlock(ctx: Context, name: str, pin: str) -> Account | None:
    """A manager's PIN, with the desk's lockout after wrong tries.

    A station without any manager account yet (set up with `medshare init`,
    the desk never opened) lets kiosk mode end without a PIN (None): nobody
    could give one, and the desk's first run creates the first manager.
    """
    from kiosk.db import staff

    with ctx.store.read() as conn:
        if not any(account.is_manager for account in staff.accounts(conn)):
            return None
    account = staff.sign_in(ctx.store, name, pin)
    if not account.is_manager:
        raise NotAManager(f"Only a manager can leave kiosk mode; {account.name} is staff.")
    return account


# -- the desk: drop-offs pre-registered at the kiosk ----------------------------------------


def pending_pledges(ctx: Context) -> list[Pledge]:
    from kiosk.db import pledges

    with ctx.store.read() as conn:
        return pledges.pending(conn)


@dataclass(frozen=True)
class PledgeAccepted:
    pledge_id: int
    lot_id: int
    item_id: str
    units: int
    expiry: date


def accept_pledge(ctx: Context, pledge_id: int, item_id: str, units: int, expiry: date,
                  lot_number: str, source: str, staff: str) -> PledgeAccepted:
    from kiosk.db import pledges

    lot_id = pledges.accept(ctx.store, pledge_id, item_id, units, expiry, lot_number, source,
                            staff)
    return PledgeAccepted(pledge_id, lot_id, item_id, units, expiry)


def decline_pledge(ctx: Context, pledge_id: int, reason: str, staff: str) -> Pledge:
    from kiosk.db import pledges

    return pledges.decline(ctx.store, pledge_id, reason, staff)


def receipts_dir(data_dir: Path) -> Path:
    return Path(data_dir) / "receipts"

