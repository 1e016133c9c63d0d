"""The station settings a manager may change, each checked before anything is written.

Values live in the `setting` table as text (defaults in
`kiosk.db.store.DEFAULT_SETTINGS`); per-item limits are the keys
`limit.<item id>` that `kiosk.db.requests.item_limit` reads. A save checks
every value first and writes them all in one transaction, so a bad value
changes nothing.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass

from kiosk.db.store import Store
from kiosk.errors import InvalidInput, NotFound
from kiosk.rules import MAX_UNITS_PER_ENTRY, ascii_whole, clean_text

PAPERS = ("80mm", "58mm", "a6")
LANGUAGES = ("en", "zh")
LIMIT_PREFIX = "limit."


@dataclass(frozen=True)
class Spec:
    what: str  # how the message names it
    low: int | None = None
    high: int | None = None
    choices: tuple[str, ...] = ()
    max_length: int = 0


SPECS: dict[str, Spec] = {
    "retention_days": Spec("The retention period (days)", 1, 3650),
    "pickup_window_hours": Spec("The pickup window (hours)", 1, 24 * 14),
    "kiosk_idle_seconds": Spec("The kiosk's idle timeout (seconds)", 15, 3600),
    "printer_name": Spec("The printer name", max_length=200),
    "paper": Spec("The paper size", choices=PAPERS),
    "default_language": Spec("The default language", choices=LANGUAGES),
    "backup_interval_hours": Spec("The time between automatic backups (hours)", 1, 24 * 31),
    "backup_keep": Spec("The number of automatic backups kept", 1, 1000),
}


def parse(key: str, value: object) -> str:
    """The stored text of a setting's value, or InvalidInput that names the setting."""
    spec = SPECS.get(key)
    if spec is None:
        raise InvalidInput(f"'{key}' is not a setting a manager can change.")
    if spec.choices:
        text = str(value).strip().lower()
        if text not in spec.choices:
            raise InvalidInput(f"{spec.what} must be one of: {', '.join(spec.choices)}.")
        return text
    if spec.max_length:
        return clean_text(value, spec.what, spec.max_length)
    return str(_whole(value, spec.what, spec.low or 0, spec.high or 0))


def _whole(value: object, what: str, low: int, high: int) -> int:
    number = ascii_whole(value)
    if number is None or not low <= number <= high:
        raise InvalidInput(f"{what} must be a whole number from {low} to {high}.")
    return number


def current(store: Store) -> dict[str, str]:
    """Every manager setting with its value now (stored, or the default)."""
    return {key: store.setting(key) for key in SPECS}


def save(store: Store, changes: Mapping[str, object]) -> dict[str, str]:
    """Check every change, then write them together; returns what is stored now."""
    checked = {key: parse(key, value) for key, value in changes.items()}
    with store.write() as conn:
        for key, value in checked.items():
            store.set_setting(conn, key, value)
    return current(store)


# -- limits per item ------------------------------------------------------------------------


@dataclass(frozen=True)
class ItemLimit:
    item_id: str
    name_en: str
    name_zh: str
    unit_en: str
    default: int  # the catalog's per person per 7 days
    station: int | None  # this station's own limit, if it set one

    @property
    def effective(self) -> int:
        return self.station if self.station is not None else self.default


def limits(store: Store) -> list[ItemLimit]:
    """Every active catalog item with its catalog limit and this station's own, if any."""
    own = {
        str(key)[len(LIMIT_PREFIX):]: str(value)
        for key, value in store.conn.execute(
            "SELECT key, value FROM setting WHERE key LIKE 'limit.%'").fetchall()
    }
    out = []
    for item in store.catalog.items:
        if not item.active:
            continue
        text = own.get(item.id)
        out.append(ItemLimit(item.id, item.name_en, item.name_zh, item.unit_plural_en,
                             item.limit_per_7_days,
                             int(text) if text is not None and text.isdigit() else None))
    return out


def save_limits(store: Store, changes: Mapping[str, object | None]) -> list[ItemLimit]:
    """Set (a number) or clear (None: back to the catalog's) limits; all checked first."""
    checked: dict[str, int | None] = {}
    for item_id, value in changes.items():
        try:
            item = store.item(item_id)
        except NotFound:
            raise InvalidInput(f"'{item_id}' is not in the catalog; no limit was changed.") \
                from None
        if value is None or str(value).strip() == "":
            checked[item.id] = None
            continue
        what = f"The limit for {item.name_en}"
        checked[item.id] = _whole(value, what, 1, MAX_UNITS_PER_ENTRY)
    with store.write() as conn:
        for item_id, number in checked.items():
            _set_limit(conn, store, item_id, number)
    return limits(store)


def _set_limit(conn: sqlite3.Connection, store: Store, item_id: str, number: int | None) -> None:
    key = LIMIT_PREFIX + item_id
    if number is None or number == store.item(item_id).limit_per_7_days:
        # the same as the catalog's: keep no override, so a newer catalog's limit applies
        conn.execute("DELETE FROM setting WHERE key = ?", (key,))
    else:
        store.set_setting(conn, key, str(number))
