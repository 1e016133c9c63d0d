"""Outbox events and their bodies, and enrolment codes, as they cross the wire."""

from __future__ import annotations

import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

from kiosk.errors import InvalidInput
from kiosk.sync.fields import (
    _coordinate,
    _count,
    _day,
    _exact_keys,
    _month,
    _object,
    item_slug,
    text_field,
)
from kiosk.sync.history import (
    MAX_SNAPSHOT_LISTINGS,
)
from kiosk.sync.versions import (
    EVENT_KINDS,
    KIND_DAILY,
    KIND_LISTING,
    KIND_PROFILE,
    KIND_SNAPSHOT,
    MAX_BATCH_EVENTS,
    MAX_SEQ,
    _show,
)

# --- event bodies ----------------------------------------------------------------

PROFILE_KEYS: Final = ("name", "address", "lat", "lon", "opening_hours")
LISTING_KEYS: Final = ("item", "available", "requested", "earliest_expiry")
DAILY_KEYS: Final = ("day", "received", "requested", "collected", "written_off")


def validate_profile(body: object) -> dict[str, Any]:
    obj = _object(body, "profile")
    _exact_keys(obj, "profile", PROFILE_KEYS)
    lat = _coordinate(obj["lat"], "profile.lat", 90)
    lon = _coordinate(obj["lon"], "profile.lon", 180)
    if (lat is None) != (lon is None):
        raise InvalidInput("profile.lat and profile.lon must both be numbers or both be null")
    return {
        "name": text_field(obj["name"], "profile.name", 120, empty_ok=False),
        "address": text_field(obj["address"], "profile.address", 300, multiline=True),
        "lat": lat,
        "lon": lon,
        "opening_hours": text_field(
            obj["opening_hours"], "profile.opening_hours", 200, multiline=True
        ),
    }


def validate_listing(body: object) -> dict[str, Any]:
    obj = _object(body, "listing")
    _exact_keys(obj, "listing", LISTING_KEYS)
    return {
        "item": item_slug(obj["item"], "listing.item"),
        "available": _count(obj["available"], "listing.available"),
        "requested": _count(obj["requested"], "listing.requested"),
        "earliest_expiry": _month(obj["earliest_expiry"], "listing.earliest_expiry"),
    }


def validate_snapshot(body: object) -> dict[str, Any]:
    obj = _object(body, "snapshot")
    _exact_keys(obj, "snapshot", ("profile", "listings"))
    raw = obj["listings"]
    if not isinstance(raw, list) or len(raw) > MAX_SNAPSHOT_LISTINGS:
        raise InvalidInput(
            f"snapshot.listings must be a list of at most {MAX_SNAPSHOT_LISTINGS} listings")
    listings = [validate_listing(item) for item in raw]
    items = [entry["item"] for entry in listings]
    if len(set(items)) != len(items):
        raise InvalidInput("snapshot.listings names an item twice")
    return {"profile": validate_profile(obj["profile"]),
            "listings": sorted(listings, key=lambda entry: str(entry["item"]))}


def validate_daily(body: object) -> dict[str, Any]:
    obj = _object(body, "daily")
    _exact_keys(obj, "daily", DAILY_KEYS)
    result: dict[str, Any] = {"day": _day(obj["day"], "daily.day")}
    for key in DAILY_KEYS[1:]:
        result[key] = _count(obj[key], f"daily.{key}")
    return result


_VALIDATORS: Final = {
    KIND_PROFILE: validate_profile,
    KIND_LISTING: validate_listing,
    KIND_DAILY: validate_daily,
    KIND_SNAPSHOT: validate_snapshot,
}


def validate_body(kind: object, body: object) -> dict[str, Any]:
    """The body of an event of `kind`, checked and normalised (ints as floats for lat/lon)."""
    if not isinstance(kind, str) or kind not in _VALIDATORS:
        raise InvalidInput(
            f"kind must be one of {', '.join(EVENT_KINDS)}, not {_show(kind)}"
        )
    return _VALIDATORS[kind](body)


@dataclass(frozen=True, slots=True)
class Event:
    """One outbox row as it crosses the network."""

    seq: int
    kind: str
    body: dict[str, Any]

    def to_json(self) -> dict[str, Any]:
        return {"seq": self.seq, "kind": self.kind, "body": self.body}


def validate_event(obj: object) -> Event:
    event = _object(obj, "event")
    _exact_keys(event, "event", ("seq", "kind", "body"))
    seq = event["seq"]
    if not isinstance(seq, int) or isinstance(seq, bool) or not 1 <= seq <= MAX_SEQ:
        raise InvalidInput(f"event seq must be a whole number of 1 or more, not {_show(seq)}")
    try:
        body = validate_body(event["kind"], event["body"])
    except InvalidInput as exc:
        raise InvalidInput(f"event {seq}: {exc.message}") from None
    return Event(seq, event["kind"], body)


def make_event(seq: int, kind: str, body: Mapping[str, Any]) -> Event:
    """An Event for the outbox, checked exactly as the server will check it."""
    return validate_event({"seq": seq, "kind": kind, "body": dict(body)})


def validate_events(obj: object) -> list[Event]:
    if not isinstance(obj, list):
        raise InvalidInput(f"events must be a list, not {_show(obj)}")
    if len(obj) > MAX_BATCH_EVENTS:
        raise InvalidInput(
            f"too many events in one push ({len(obj)}, at most {MAX_BATCH_EVENTS})"
        )
    return [validate_event(item) for item in obj]


# --- enrolment codes ---------------------------------------------------------------

ENROLMENT_CODE_ALPHABET: Final = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford base32
ENROLMENT_CODE_CHARS: Final = 12  # 60 bits, shown as XXXX-XXXX-XXXX
ENROLMENT_QR_PREFIX: Final = "MEDSHARE-ENROL:"
_CROCKFORD_ALIASES: Final = str.maketrans({"O": "0", "I": "1", "L": "1"})


def new_enrolment_code() -> str:
    raw = "".join(secrets.choice(ENROLMENT_CODE_ALPHABET) for _ in range(ENROLMENT_CODE_CHARS))
    return f"{raw[0:4]}-{raw[4:8]}-{raw[8:12]}"


def normalise_enrolment_code(text: object) -> str:
    """'abcd efgh-jk1m' -> 'ABCD-EFGH-JK1M'; typing slips (O/0, I/L/1, case) forgiven."""
    if not isinstance(text, str) or len(text) > 64:
        raise InvalidInput("the enrolment code must be text like ABCD-EFGH-JKMN")
    raw = re.sub(r"[\s-]", "", text).upper().translate(_CROCKFORD_ALIASES)
    if len(raw) != ENROLMENT_CODE_CHARS or any(c not in ENROLMENT_CODE_ALPHABET for c in raw):
        raise InvalidInput(
            "the enrolment code must be 12 letters and digits like ABCD-EFGH-JKMN"
        )
    return f"{raw[0:4]}-{raw[4:8]}-{raw[8:12]}"


def enrolment_qr_payload(code: str, url: str | None = None) -> str:
    """What the enrolment QR code holds: 'MEDSHARE-ENROL:CODE' or '...:CODE@URL'."""
    payload = ENROLMENT_QR_PREFIX + normalise_enrolment_code(code)
    return payload + "@" + url if url else payload


def parse_enrolment_qr(text: str) -> tuple[str, str | None]:
    """(code, url or None) from a scanned enrolment QR payload."""
    if not text.upper().startswith(ENROLMENT_QR_PREFIX):
        raise InvalidInput("this QR code is not a MedShare enrolment code")
    rest = text[len(ENROLMENT_QR_PREFIX):]
    code, _, url = rest.partition("@")
    return normalise_enrolment_code(code), (url or None)
