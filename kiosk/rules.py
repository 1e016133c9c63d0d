"""Ledger rules that need no database: what is valid input, who is served
first, which lots a reservation takes, how much one person may ask for."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from kiosk.errors import InvalidInput, NotEnoughStock

# The kinds of ledger movement, in the order a lot usually meets them.
MOVEMENT_KINDS = (
    "received", "reserved", "released", "dispensed", "expired", "disposed", "adjusted",
)
PRIORITY_GROUPS = ("child", "pregnant", "elderly", "chronic", "none")
SOURCE_CHANNELS = ("donation", "pharmacy", "hospital", "clinic", "online", "other")
MAX_UNITS_PER_ENTRY = 10_000
MAX_HOUSEHOLD = 20
MAX_SHELF_LIFE_YEARS = 10
LIMIT_WINDOW = timedelta(days=7)


# more digits than this is too large for every number we take (SQLite holds 63 bits)
_MAX_DIGITS = 18
TOO_LARGE: int = 10**_MAX_DIGITS


def ascii_whole(value: object) -> int | None:
    """A whole number written in ASCII digits, with an optional leading minus; else None.

    Python's int() also reads '١٠' or full-width '１０' as 10, and str.isdigit()
    is True for '²', which int() then refuses: a number from outside is only
    ever read through here. Numbers longer than 18 digits come back as
    ±TOO_LARGE, so that every range check refuses them in its own words instead
    of SQLite overflowing.
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    text = str(value).strip()
    digits = text[1:] if text.startswith("-") else text
    if not (digits.isascii() and digits.isdigit()):
        return None
    sign = -1 if text.startswith("-") else 1
    if len(digits.lstrip("0")) > _MAX_DIGITS:
        return sign * TOO_LARGE
    return sign * int(digits)


_DECIMAL = re.compile(r"[+-]?[0-9]{1,12}(\.[0-9]{1,12})?")


def ascii_decimal(value: object) -> float | None:
    """A plain decimal such as 31.2304 in ASCII digits (no exponent, nan or inf); else None."""
    text = str(value).strip()
    return float(text) if _DECIMAL.fullmatch(text) else None


def parse_units(value: object, what: str = "Units") -> int:
    """A whole number of dispensing units, 1..10,000."""
    number = ascii_whole(value)
    if number is None:
        shown = str(value).strip()[:20]
        raise InvalidInput(f"{what} must be a whole number such as 10, not '{shown}'.")
    if number <= 0:
        raise InvalidInput(f"{what} must be at least 1.")
    if number > MAX_UNITS_PER_ENTRY:
        raise InvalidInput(f"{what} must be at most {MAX_UNITS_PER_ENTRY:,}.")
    return number


def parse_expiry(value: object, today: date) -> date:
    """An expiry date that has not passed: YYYY-MM-DD, after today, within 10 years."""
    if isinstance(value, date):
        expiry = value
    else:
        text = str(value).strip()
        try:
            expiry = date.fromisoformat(text)
        except ValueError:
            raise InvalidInput(
                f"The expiry date '{text[:20]}' is not a date; write it as YYYY-MM-DD, "
                "for example 2027-03-31."
            ) from None
        if len(text) != 10:
            raise InvalidInput("Write the expiry date as YYYY-MM-DD, for example 2027-03-31.")
    if expiry < today:
        raise InvalidInput(
            f"This box expired on {expiry.isoformat()}; expired medicine cannot be taken in."
        )
    if expiry == today:
        raise InvalidInput("This box expires today; it cannot be taken in.")
    if expiry > today.replace(year=today.year + MAX_SHELF_LIFE_YEARS):
        raise InvalidInput(
            f"The expiry date {expiry.isoformat()} is more than {MAX_SHELF_LIFE_YEARS} years "
            "away; check the box and type it again."
        )
    return expiry


def clean_text(value: object, what: str, max_length: int, *, required: bool = False) -> str:
    """Free text for a label or a name: trimmed, no control characters, not too long."""
    text = "" if value is None else str(value).replace("\u3000", " ").strip()
    if required and not text:
        raise InvalidInput(f"{what} is required.")
    if len(text) > max_length:
        raise InvalidInput(f"{what} is too long: at most {max_length} characters.")
    # isprintable() is False for control, format, private-use, unassigned and
    # line-breaking characters: anything that would garble a label or a CSV
    if not text.isprintable():
        raise InvalidInput(f"{what} contains a control character or an invisible symbol.")
    return text


def parse_choice(value: object, what: str, choices: Sequence[str]) -> str:
    text = str(value).strip().lower()
    if text not in choices:
        raise InvalidInput(f"{what} must be one of: {', '.join(choices)}.")
    return text


def parse_household(value: object) -> int:
    number = ascii_whole(value)
    if number is None or not 1 <= number <= MAX_HOUSEHOLD:
        raise InvalidInput(f"Household size must be a whole number from 1 to {MAX_HOUSEHOLD}.")
    return number


def serving_key(priority: str, created_at: str, request_id: int) -> tuple[int, str, int]:
    """Priority groups (child, pregnant, elderly, chronic) as one tier first, then oldest."""
    return (1 if priority == "none" else 0, created_at, request_id)


def household_limit(per_person: int, household: int, household_cap: int) -> int:
    return per_person * max(1, min(household, household_cap))


def is_expired(expiry: date, today: date) -> bool:
    """A box is good through its expiry date."""
    return expiry < today


@dataclass(frozen=True)
class LotStock:
    lot_id: int
    expiry: date
    available: int


@dataclass(frozen=True)
class Pick:
    lot_id: int
    units: int
    expiry: date


def pick_fefo(lots: Sequence[LotStock], units: int, usable_from: date) -> list[Pick]:
    """First-expiry-first-out over lots still good on `usable_from`, split across lots."""
    picks: list[Pick] = []
    needed = units
    for lot in sorted(lots, key=lambda lot: (lot.expiry, lot.lot_id)):
        if needed == 0:
            break
        if lot.available <= 0 or is_expired(lot.expiry, usable_from):
            continue
        take = min(needed, lot.available)
        picks.append(Pick(lot.lot_id, take, lot.expiry))
        needed -= take
    if needed:
        have = units - needed
        raise NotEnoughStock(f"Only {have} of the {units} units asked for are in stock.")
    return picks
