"""What the manager console and the app's background work ask of the station (no Qt here).

Like kiosk.ui.jobs: plain functions taking a Context first, run through
`Services.call` on the database thread, or with `network=True` on the
network thread (the sync rounds and enrolment, which wait on HTTP). The
network thread opens its own connection to the station database the first
time it needs one and closes it when the app stops or before a restore.
"""

from __future__ import annotations

import contextlib
import threading
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from kiosk.clock import Clock
from kiosk.db import staff as staff_store
from kiosk.errors import InvalidInput, MedShareError, NotInitialised
from kiosk.ui.jobs import Context, StationState

# -- reports --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReportBundle:
    today: date
    days: int
    stock: tuple[Any, ...]
    expiring: tuple[Any, ...]
    top_requested: tuple[Any, ...]
    top_donated: tuple[Any, ...]
    activity: tuple[Any, ...]
    fulfilment: Any


def reports(ctx: Context, days: int) -> ReportBundle:
    from kiosk.db import reports as core

    store = ctx.store
    return ReportBundle(
        store.today(), days, tuple(core.stock_by_item(store)), tuple(core.expiring(store)),
        tuple(core.top_requested(store, days=days)), tuple(core.top_donated(store, days=days)),
        tuple(core.activity(store, days=days)), core.fulfilment(store, days=days))


def export_report(ctx: Context, report: str, path: Path, days: int) -> tuple[Path, int]:
    from kiosk.db import reports as core

    return Path(path), core.export(ctx.store, report, Path(path), days=days)


# -- staff accounts -------------------------------------------------------------------------


def all_accounts(ctx: Context) -> list[staff_store.Account]:
    with ctx.store.read() as conn:
        return staff_store.accounts(conn, include_disabled=True)


def _same_pin(pin: str, again: str) -> None:
    if pin != again:
        raise InvalidInput("The two PINs are not the same; type them again.")


def add_account(ctx: Context, name: str, role: str, pin: str, again: str) -> (
        list[staff_store.Account]):
    _same_pin(pin, again)
    staff_store.create(ctx.store, name, role, pin)
    return all_accounts(ctx)


def reset_pin(ctx: Context, name: str, pin: str, again: str) -> list[staff_store.Account]:
    _same_pin(pin, again)
    staff_store.set_pin(ctx.store, name, pin)
    return all_accounts(ctx)


def set_active(ctx: Context, name: str, active: bool, acting: str) -> (
        list[staff_store.Account]):
    # signing yourself out of existence mid-session helps nobody: another manager does it
    if not active and name.casefold() == acting.casefold():
        raise InvalidInput("You cannot disable the account you are signed in with; "
                           "ask another manager.")
    staff_store.set_active(ctx.store, name, active)
    return all_accounts(ctx)


def set_role(ctx: Context, name: str, role: str, acting: str) -> list[staff_store.Account]:
    if role != "manager" and name.casefold() == acting.casefold():
        raise InvalidInput("You cannot take the manager role from the account you are signed "
                           "in with; ask another manager.")
    staff_store.set_role(ctx.store, name, role)
    return all_accounts(ctx)


# -- settings -------------------------------------------------------------------------------


@dataclass(frozen=True)
class SettingsPage:
    station: Any
    values: dict[str, str]
    limits: tuple[Any, ...]


def load_settings(ctx: Context) -> SettingsPage:
    from kiosk.db import settings, station

    store = ctx.store
    return SettingsPage(station.get(store), settings.current(store),
                        tuple(settings.limits(store)))


def save_profile(ctx: Context, name: str, address: str, lat: str, lon: str,
                 opening_hours: str, timezone: str | None = None) -> Any:
    from kiosk.db import station

    if (lat.strip() == "") != (lon.strip() == ""):
        raise InvalidInput("Give both the latitude and the longitude, or neither.")
    return station.update_profile(ctx.store, name=name, address=address, lat=lat, lon=lon,
                                  opening_hours=opening_hours, timezone=timezone)


def save_settings(ctx: Context, changes: dict[str, str]) -> dict[str, str]:
    from kiosk.db import settings

    return settings.save(ctx.store, changes)


def save_limits(ctx: Context, changes: dict[str, str | None]) -> tuple[Any, ...]:
    from kiosk.db import settings

    return tuple(settings.save_limits(ctx.store, changes))


def station_setting(ctx: Context, key: str) -> str:
    return ctx.store.setting(key)


def desk_language(ctx: Context, data_dir: Path) -> str | None:
    """The station's default language, for a desk that has never chosen one itself."""
    from kiosk.ui import prefs

    if (Path(data_dir) / prefs.FILENAME).exists():
        return None
    return ctx.store.setting("default_language")


# -- backups and housekeeping ---------------------------------------------------------------


@dataclass(frozen=True)
class BackupsPage:
    files: tuple[Any, ...]
    last: datetime | None
    interval_hours: int
    keep: int
    folder: Path
    heads: tuple[str, ...] = ()  # each file's ledger head: '123 / a1b2c3d4e5f6'


def backups(ctx: Context) -> BackupsPage:
    from kiosk.db import maintenance
    from kiosk.db.history import file_head

    store = ctx.store
    files = tuple(maintenance.backups(store.data_dir()))
    heads = tuple("" if head is None else f"{head.movements:,} / {head.hash[:12]}"
                  for head in (file_head(f.path) for f in files))
    return BackupsPage(files, files[0].taken_at if files else None,
                       store.int_setting("backup_interval_hours"), store.int_setting("backup_keep"),
                       store.data_dir() / "backups", heads)


def back_up_now(ctx: Context, target: Path | None = None) -> Any:
    from kiosk.db import maintenance

    return maintenance.back_up(ctx.store, Path(target) if target is not None else None)


def check_backup(ctx: Context, path: Path) -> list[str]:
    from kiosk.db import backup

    return backup.check_file(Path(path))


def housekeeping(ctx: Context) -> Any:
    from kiosk.db import maintenance

    return maintenance.housekeeping(ctx.store)


@dataclass(frozen=True)
class RestorePreview:
    """Whose backup it is, before asking: another station's needs its own confirmation."""

    this_station: str  # "HX01 Riverside"
    backup_station: str  # "HX02 Harbour"; "" when the file holds no readable station
    other: bool  # the backup is of another station than this one


def restore_preview(ctx: Context, source: Path) -> RestorePreview:
    from kiosk.db import restoring
    from kiosk.db.station import get

    here = get(ctx.store)
    candidate = restoring.inspect(Path(source))
    backup = candidate.label() if candidate.code else ""
    return RestorePreview(f"{here.code} {here.name}", backup,
                          bool(candidate.code) and candidate.code != here.code)


def restore_backup(ctx: Context, data_dir: Path, source: Path, clock: Clock | None,
                   demo: bool, other_station: bool = False) -> StationState:
    """Verify the file, close the station, swap the file in, open the station again.

    Runs on the database thread, which owns the only connection the desk
    uses; the network thread has closed its own before (Background.restore).
    """
    from kiosk.db import maintenance
    from kiosk.ui import jobs

    maintenance.check(Path(source))  # before anything is closed: a bad file changes nothing
    with contextlib.suppress(Exception):
        ctx.store.close()
    ctx.adopt(None)
    try:
        maintenance.restore(Path(data_dir), Path(source), other_station=other_station)
    finally:
        # the restored station, or the old one untouched if the swap failed
        state = jobs.open_station(ctx, Path(data_dir), clock, demo)
    return state


# -- the ledger, read-only ------------------------------------------------------------------


def audit_count(ctx: Context, search: Any) -> int:
    from kiosk.db import audit

    with ctx.store.read() as conn:
        return audit.count(conn, search, ctx.store.zone)


@dataclass(frozen=True)
class AuditPage:
    search: Any
    number: int
    rows: tuple[Any, ...]


def audit_page(ctx: Context, search: Any, number: int, size: int) -> AuditPage:
    from kiosk.db import audit

    with ctx.store.read() as conn:
        rows = audit.page(conn, search, number * size, size, ctx.store.zone)
    return AuditPage(search, number, tuple(rows))


@dataclass(frozen=True)
class Verified:
    problems: tuple[str, ...]
    movements: int
    lots: int
    training: bool = False  # the verdict says so: a training station honours MEDSHARE_NOW
    head: str = ""  # the first 12 hex digits of the last movement's hash: an anchor on paper


def verify_ledger(ctx: Context) -> Verified:
    from kiosk.db import verify
    from kiosk.db.history import chain_head

    store = ctx.store
    found = verify.verify(store)
    with store.read() as conn:
        movements = int(conn.execute("SELECT count(*) FROM movement").fetchone()[0])
        lots = int(conn.execute("SELECT count(*) FROM lot").fetchone()[0])
        head = chain_head(conn).hash[:12]
    return Verified(tuple(found), movements, lots, store.training, head)


# -- sync -----------------------------------------------------------------------------------


def sync_status(ctx: Context) -> Any:
    from kiosk.sync import client

    return client.status(ctx.store)


@dataclass(frozen=True)
class SyncRound:
    ok: bool
    error: str
    status: Any


# a failed round is over in at most about this long, so closing the app never waits longer
NET_TIMEOUT = (4.0, 10.0)


def _net_store(ctx: Context, data_dir: Path) -> Any:
    try:
        return ctx.store
    except NotInitialised:
        from kiosk.db.station import open_station

        store = open_station(Path(data_dir))
        ctx.adopt(store)
        return store


def sync_round(ctx: Context, data_dir: Path, clock: Clock | None,
               stop: threading.Event) -> SyncRound:
    """One push and pull (network thread). A failed round is a result, not an error."""
    from kiosk.sync import client

    store = _net_store(ctx, data_dir)
    if clock is not None:
        store.clock = clock
    if not client.status(store).enrolled:
        return SyncRound(False, "", client.status(store))
    sync = client.SyncClient(store, timeout=NET_TIMEOUT, stop=stop)
    try:
        sync.sync_once()
    except MedShareError as error:
        return SyncRound(False, str(error), client.status(store))
    return SyncRound(True, "", client.status(store))


def sync_enrol(ctx: Context, data_dir: Path, url: str, code: str,
               stop: threading.Event) -> Any:
    """Enrol with a one-time code (network thread); InvalidInput or SyncError say why not."""
    from kiosk.sync import client, protocol

    text = code.strip()
    if text.upper().startswith(protocol.ENROLMENT_QR_PREFIX):
        text, scanned_url = protocol.parse_enrolment_qr(text)
        url = scanned_url or url
    if not url.strip():
        raise InvalidInput("Type the central endpoint's address, for example "
                           "https://central.example.org")
    normalised = protocol.normalise_enrolment_code(text)
    store = _net_store(ctx, data_dir)
    client.SyncClient(store, timeout=NET_TIMEOUT, stop=stop).enrol(
        url, normalised)
    return client.status(store)


def sync_close(ctx: Context) -> None:
    """Close the network thread's connection (before a restore swaps the file)."""
    with contextlib.suppress(Exception):  # closing must not stop what comes next
        ctx.store.close()
    ctx.adopt(None)
