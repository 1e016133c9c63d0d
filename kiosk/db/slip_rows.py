"""Reading slips: rows, the station's code and secret, and finding a slip by number or code."""

from __future__ import annotations

import sqlite3
from datetime import datetime
from typing import NamedTuple

from kiosk import slips as codes
from kiosk.clock import parse_instant
from kiosk.db import ledger
from kiosk.db import requests as request_store
from kiosk.db.slip_models import Slip, SlipLot
from kiosk.db.store import Store
from kiosk.errors import NotFound, NotInitialised


def _moment(value: object) -> datetime:
    return parse_instant(str(value))


class _Station(NamedTuple):
    code: str
    secret: bytes
    training: bool


def _from_row(row: sqlite3.Row, station: _Station) -> Slip:
    code, secret, training = station
    return Slip(
        id=int(row["id"]),
        request_id=int(row["request_id"]),
        short_code=str(row["short_code"]),
        language=str(row["language"]),
        issued_at=_moment(row["issued_at"]),
        expires_at=_moment(row["expires_at"]),
        status=str(row["status"]),
        status_at=_moment(row["status_at"]),
        collected_at=_moment(row["collected_at"]) if row["collected_at"] else None,
        issued_by=str(row["issued_by"]),
        closed_by=str(row["closed_by"]),
        note=str(row["note"]),
        token=codes.make_token(code, int(row["id"]), secret, str(row["nonce"]), training).text,
    )


def _row(conn: sqlite3.Connection, slip_id: int) -> sqlite3.Row | None:
    row: sqlite3.Row | None = conn.execute(
        "SELECT * FROM slip WHERE id = ?", (slip_id,)
    ).fetchone()
    return row


def _zone(conn: sqlite3.Connection) -> str:
    """The station's zone name, for times in messages (kiosk/localtime.py)."""
    row = conn.execute("SELECT timezone FROM station WHERE id = 1").fetchone()
    return str(row[0]) if row is not None else "UTC"


def _station(conn: sqlite3.Connection) -> _Station:
    row = conn.execute(
        "SELECT code, slip_secret, training FROM station WHERE id = 1").fetchone()
    if row is None:
        raise NotInitialised("This station has not been set up yet.")
    return _Station(str(row[0]), bytes(row[1]), bool(row[2]))


def get(conn: sqlite3.Connection, slip_id: int) -> Slip:
    row = _row(conn, slip_id)
    if row is None:
        raise NotFound(f"There is no slip number {slip_id} at this station.")
    return _from_row(row, _station(conn))


def history(conn: sqlite3.Connection, request_id: int) -> list[Slip]:
    """Every slip a request ever had, oldest first."""
    rows = conn.execute(
        "SELECT * FROM slip WHERE request_id = ? ORDER BY id", (request_id,)
    ).fetchall()
    station = _station(conn)
    return [_from_row(row, station) for row in rows]


def for_request(conn: sqlite3.Connection, request_id: int) -> Slip | None:
    """The request's newest slip (the live one, if it has one), or None."""
    slips = history(conn, request_id)
    return slips[-1] if slips else None


def _checked(conn: sqlite3.Connection, code: codes.Code) -> Slip:
    """The slip a code names, if the code is genuine and from this station."""
    here = _station(conn)
    station, secret, training = here
    if isinstance(code, codes.Token) and code.training != training:
        raise codes.wrong_kind(code, training)
    if isinstance(code, codes.Token) and code.station != station:
        raise codes.other_station(code.station, station, code.slip_id)
    row = _row(conn, code.slip_id)
    if row is None:
        # same words as a bad MAC: without the slip there is nothing to check against
        raise (codes.forged(code.slip_id) if isinstance(code, codes.Token)
               else codes.short_mismatch(code))
    codes.verify(code, station, secret, str(row["nonce"]), training)
    return _from_row(row, here)


def _slip_number(text: str) -> int | None:
    stripped = text.strip()
    if stripped.isascii() and stripped.isdigit() and len(stripped) <= 8:
        return int(stripped)
    return None


def find(store: Store, text: str | int) -> Slip:
    """A slip by its number (staff only), its token, or its short code.

    A token or short code must be genuine; a bare number is trusted, as it
    is typed by staff who can see the slip list.
    """
    with store.read() as conn:
        return _resolve(conn, text)


def _resolve(conn: sqlite3.Connection, text: str | int) -> Slip:
    if isinstance(text, int):
        return get(conn, text)
    number = _slip_number(text)
    if number is not None:
        return get(conn, number)
    return _checked(conn, codes.read(text))


def _lots_of(conn: sqlite3.Connection, slip: Slip) -> tuple[SlipLot, ...]:
    """The lots a slip holds (issued) or handed over (collected)."""
    if slip.status == "collected":
        rows = conn.execute(
            "SELECT lot_id, sum(units) FROM movement WHERE request_id = ? AND kind = 'dispensed' "
            "GROUP BY lot_id ORDER BY lot_id",
            (slip.request_id,),
        ).fetchall()
        pairs = [(int(row[0]), int(row[1])) for row in rows]
    elif slip.status == "issued":
        pairs = request_store.reserved_lots(conn, slip.request_id)
    else:
        pairs = []
    found = []
    for lot_id, units in pairs:
        lot = ledger.get_lot(conn, lot_id)
        found.append(SlipLot(lot_id, units, lot.expiry, lot.lot_number))
    return tuple(found)
