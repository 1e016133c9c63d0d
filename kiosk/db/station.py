"""The station itself: its code, name and place, and its secrets."""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from pathlib import Path

from kiosk import hours as hours_module
from kiosk import keyfile, localtime
from kiosk.catalog import load_bundled_catalog
from kiosk.clock import Clock, not_training_refusal, override_from_env
from kiosk.db import contact, outbox
from kiosk.db.store import Store
from kiosk.errors import InvalidInput, NotInitialised
from kiosk.hours import NO_HOURS, OpeningHours
from kiosk.paths import DB_FILENAME
from kiosk.rules import ascii_decimal, clean_text

STATION_CODE = re.compile(r"^[A-Z0-9]{2,12}$")


@dataclass(frozen=True)
class Station:
    code: str
    name: str
    address: str
    lat: float | None
    lon: float | None
    opening_hours: str  # the text slips print and the profile sends
    timezone: str = localtime.DEFAULT_ZONE
    hours: OpeningHours = NO_HOURS  # structured; not set when the text did not parse
    training: bool = False


def parse_hours(value: object, kept_text: str = "") -> tuple[OpeningHours, str]:
    """Structured hours and their canonical text; `kept_text` (free text from before
    hours were structured) may be saved again unchanged without parsing."""
    text = clean_text(value, "The opening hours", 200)
    if kept_text and text == kept_text:
        try:
            parsed = hours_module.parse(text)
        except InvalidInput:
            return NO_HOURS, text
    else:
        parsed = hours_module.parse(text)
    return parsed, hours_module.canonical_text(parsed)


def parse_code(value: object) -> str:
    code = str(value).strip().upper()
    if not STATION_CODE.match(code):
        raise InvalidInput(
            "The station code must be 2 to 12 letters or digits, for example HX01."
        )
    return code


def parse_coordinate(value: object, what: str, bound: float) -> float | None:
    if value is None or str(value).strip() == "":
        return None
    number = ascii_decimal(value)
    if number is None:
        raise InvalidInput(f"The {what} must be a number such as 31.2304.")
    if not -bound <= number <= bound:
        raise InvalidInput(f"The {what} must be between -{bound:g} and {bound:g}.")
    return number


def init(data_dir: Path, code: object, name: object, address: object = "",
         lat: object = None, lon: object = None, opening_hours: object = "",
         timezone: object = None, *, training: bool = False,
         clock: Clock | None = None) -> Store:
    """Create the station database, its secrets and its catalog.

    `timezone` None means the computer's own zone. A training station
    (`training=True`) honours MEDSHARE_NOW; a real one refuses it here, before
    anything is created. A `clock` given in code (tests, the self-test) is used
    as it is and the variable is not read.
    """
    if clock is None:
        pinned = override_from_env()
        if pinned is not None and not training:
            raise not_training_refusal()
        clock = Clock(pinned) if pinned else Clock()
    station_code = parse_code(code)
    station_name = clean_text(name, "The station name", 120, required=True)
    station_address = clean_text(address, "The address", 300)
    structured, hours = parse_hours(opening_hours)
    zone_name = (localtime.system_zone_name() if timezone is None
                 else localtime.parse_zone(timezone))
    latitude = parse_coordinate(lat, "latitude", 90)
    longitude = parse_coordinate(lon, "longitude", 180)
    if (latitude is None) != (longitude is None):
        raise InvalidInput("Give both --lat and --lon, or neither.")
    catalog = load_bundled_catalog()
    if keyfile.path_in(data_dir).exists() and not (Path(data_dir) / DB_FILENAME).exists():
        raise InvalidInput(
            f"{data_dir} already holds a phone key file ({keyfile.KEYS_FILENAME}) but no "
            "station; restore that station's backup with 'medshare db restore FILE', or use "
            "another --data-dir."
        )
    store = Store.open(data_dir, create=True, clock=clock)
    try:
        with store.write() as conn:
            if conn.execute("SELECT 1 FROM station").fetchone():
                raise InvalidInput(
                    f"{data_dir} already holds a station; use another --data-dir."
                )
            conn.execute(
                "INSERT INTO station(id, code, name, address, lat, lon, opening_hours, "
                "slip_secret, phone_key, created_at, timezone, hours, training) "
                "VALUES (1,?,?,?,?,?,?,?,?,?,?,?,?)",
                (station_code, station_name, station_address, latitude, longitude, hours,
                 # phone keys live in the key file, never here (kiosk/db/contact.py)
                 secrets.token_bytes(32), bytes(32), store.now_iso(),
                 zone_name, structured.to_json() if structured.is_set else "", int(training)),
            )
            contact.create_for_new_station(store, conn, station_code)
            store.install_catalog(conn, catalog)
            outbox.profile_changed(conn, store)
    except BaseException:
        store.close()
        raise
    return store


def open_station(data_dir: Path, *, clock: Clock | None = None) -> Store:
    """Open an initialised station, taking a newer bundled catalog if there is one.

    Without a `clock` (given in code), the station's own: MEDSHARE_NOW is
    honoured on a training station and refused, changing nothing, on a real one.
    """
    store = Store.open(data_dir, clock=clock)
    if store.conn.execute("SELECT 1 FROM station").fetchone() is None:
        store.close()
        raise NotInitialised(
            f"The station in {data_dir} was never set up; run 'medshare init' first."
        )
    return store


def refresh_catalog(store: Store) -> bool:
    catalog = load_bundled_catalog()
    if catalog.version <= store.catalog.version:
        return False
    with store.write() as conn:
        return store.install_catalog(conn, catalog)


def get(store: Store) -> Station:
    row = store.conn.execute("SELECT * FROM station WHERE id = 1").fetchone()
    if row is None:
        raise NotInitialised("This station has not been set up yet.")
    return Station(
        code=row["code"], name=row["name"], address=row["address"], lat=row["lat"],
        lon=row["lon"], opening_hours=row["opening_hours"], timezone=row["timezone"],
        hours=hours_module.from_json(row["hours"]), training=bool(row["training"]),
    )


def update_profile(store: Store, *, name: object, address: object, lat: object, lon: object,
                   opening_hours: object, timezone: object = None) -> Station:
    station_name = clean_text(name, "The station name", 120, required=True)
    station_address = clean_text(address, "The address", 300)
    structured, hours = parse_hours(opening_hours, get(store).opening_hours)
    latitude = parse_coordinate(lat, "latitude", 90)
    longitude = parse_coordinate(lon, "longitude", 180)
    zone_name = None if timezone is None else localtime.parse_zone(timezone)
    with store.write() as conn:
        conn.execute(
            "UPDATE station SET name = ?, address = ?, lat = ?, lon = ?, opening_hours = ?, "
            "hours = ? WHERE id = 1",
            (station_name, station_address, latitude, longitude, hours,
             structured.to_json() if structured.is_set else ""),
        )
        if zone_name is not None:
            conn.execute("UPDATE station SET timezone = ? WHERE id = 1", (zone_name,))
        outbox.profile_changed(conn, store)
    return get(store)


def set_timezone(store: Store, timezone: object) -> Station:
    """Change the station's zone (an unknown name changes nothing)."""
    zone_name = localtime.parse_zone(timezone)
    with store.write() as conn:
        conn.execute("UPDATE station SET timezone = ? WHERE id = 1", (zone_name,))
    return get(store)
