"""The sync wire contract, shared by the station client and the central endpoint.

Pure Python (no Qt, no HTTP library), so both ends validate with the same
code. Everything that crosses the network is built or checked here:

* the protocol version handshake (`check_protocol_version`),
* outbox events a station pushes (`validate_event`, `validate_body`),
* the request and reply bodies of enrol, push and pull,
* enrolment codes and their QR payload.

Events (each `{"seq": int >= 1, "kind": str, "body": {...}}`):

    profile   {"name", "address", "lat", "lon", "opening_hours"}
    listing   {"item", "available", "requested", "earliest_expiry"}
    daily     {"day", "received", "requested", "collected", "written_off"}
    snapshot  {"profile": {...}, "listings": [{...}, ...]}   (version 2)
              the station's whole current state: its listings replace every
              listing the central holds for it; items not in it go to zero.

Protocol version 2 (the only one spoken; version 1 peers get HTTP 426). A push
also carries (all optional, see `kiosk.sync.history`):

    history   the station's history id (random; new after a restore)
    base      first seq of a new history: the central forgets the station's
              older numbering (base must be above every seq it holds)
    seen      {"epoch", "acked_seq", "feed_head"} the station last heard in
              the central's current epoch; a central that holds less than it
              once told a station knows it was restored and starts a new epoch
    anchor    {"movements", "head"}: the station's ledger chain head

and its reply is the central's side of the round: `acked_seq` (highest
contiguous seq held), `max_seq`, `acked_digest` (digest of the event held at
acked_seq, `kiosk.sync.history.event_digest`), `history`, `epoch`,
`feed_head` and the latest `anchor` held for the station. A pull page also
names its `epoch` and the feed's `head`. How a station reconciles is in
`kiosk.sync.reconcile`.

Every key is required and no other key is accepted, so nothing personal can
slip through by accident. Validation raises `kiosk.errors.InvalidInput` with
a reason written for a person.
"""

from __future__ import annotations

import math
import re
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Final

from kiosk.errors import InvalidInput
from kiosk.sync.history import (
    MAX_SNAPSHOT_LISTINGS,
    Anchor,
    Seen,
    history_id,
    parse_anchor,
    parse_seen,
)

# --- versions and limits ----------------------------------------------------

PROTOCOL_VERSION: Final = 2
"""The version this code speaks."""
MIN_PROTOCOL_VERSION: Final = 2
"""The oldest client version a server built from this code accepts."""
MAX_PROTOCOL_VERSION: Final = 2
"""The newest client version a server built from this code accepts."""

API_PREFIX: Final = "/api/v1"
PROTOCOL_HEADER: Final = "X-MedShare-Protocol"
"""Request header carrying the client's protocol version (an integer)."""

MAX_BODY_BYTES: Final = 2 * 1024 * 1024
"""Largest request body the central endpoint reads; bigger gets HTTP 413."""
MAX_BATCH_EVENTS: Final = 5000
"""Most events in one push."""
DEFAULT_PULL_LIMIT: Final = 500
MAX_PULL_LIMIT: Final = 5000
INITIAL_CURSOR: Final = "0"
"""The pull cursor of a station that has seen nothing yet."""

MAX_SEQ: Final = 2**53 - 1
MAX_UNITS: Final = 1_000_000_000

KIND_PROFILE: Final = "profile"
KIND_LISTING: Final = "listing"
KIND_DAILY: Final = "daily"
KIND_SNAPSHOT: Final = "snapshot"
EVENT_KINDS: Final = (KIND_PROFILE, KIND_LISTING, KIND_DAILY, KIND_SNAPSHOT)
FEED_KINDS: Final = (KIND_PROFILE, KIND_LISTING)
"""Kinds the change feed carries today. Clients must skip kinds they do not know
(catalog versions and recall notices will be added)."""

ITEM_PATTERN: Final = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}$")
STATION_ID_PATTERN: Final = re.compile(r"^[a-z0-9][a-z0-9-]{2,39}$")
CURSOR_PATTERN: Final = re.compile(r"^(0|[1-9][0-9]{0,17})$")
_MONTH = re.compile(r"^[0-9]{4}-(0[1-9]|1[0-2])$")
_DAY = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_CONTROL_SINGLE_LINE = re.compile(r"[\x00-\x1f\x7f]")


class UnsupportedProtocolVersion(InvalidInput):
    """The other end speaks a protocol version outside the supported range."""

    def __init__(self, message: str, version: int | None, too_old: bool) -> None:
        super().__init__(message)
        self.version = version
        self.too_old = too_old


def check_protocol_version(value: object, *, text: bool = False) -> int:
    """The client's version as an int, or UnsupportedProtocolVersion / InvalidInput.

    In a JSON body it must be a JSON integer (not "2", 2.0 or true); `text=True` is
    for a header or query parameter, which can only be digits."""
    if text and isinstance(value, str) and re.fullmatch(r"[0-9]{1,6}", value.strip()):
        value = int(value.strip())
    if not isinstance(value, int) or isinstance(value, bool):
        raise InvalidInput(
            f"protocol_version must be a whole number such as {PROTOCOL_VERSION} "
            f"(not {_show(value)})")
    if value < MIN_PROTOCOL_VERSION:
        raise UnsupportedProtocolVersion(
            f"This station app is too old for this server: it speaks sync protocol "
            f"{value}, the server accepts {MIN_PROTOCOL_VERSION} to {MAX_PROTOCOL_VERSION}. "
            "Update the station app.",
            value,
            too_old=True,
        )
    if value > MAX_PROTOCOL_VERSION:
        raise UnsupportedProtocolVersion(
            f"This station app is too new for this server: it speaks sync protocol "
            f"{value}, the server accepts {MIN_PROTOCOL_VERSION} to {MAX_PROTOCOL_VERSION}. "
            "Ask the central operator to update the server.",
            value,
            too_old=False,
        )
    return value


# --- field checks -------------------------------------------------------------


def _show(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _object(value: object, what: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise InvalidInput(f"{what} must be a JSON object, not {_show(value)}")
    return value


def _exact_keys(obj: Mapping[str, Any], what: str, required: Sequence[str],
                optional: Sequence[str] = ()) -> None:
    unknown = sorted(str(k) for k in obj if k not in required and k not in optional)
    if unknown:
        raise InvalidInput(f"{what} has fields that are not allowed: {', '.join(unknown)}")
    missing = [k for k in required if k not in obj]
    if missing:
        raise InvalidInput(f"{what} is missing {', '.join(missing)}")


def text_field(value: object, what: str, max_len: int, *, empty_ok: bool = True,
               multiline: bool = False) -> str:
    """A string of at most max_len characters, valid UTF-8, no control characters."""
    if not isinstance(value, str):
        raise InvalidInput(f"{what} must be text, not {_show(value)}")
    if len(value) > max_len:
        raise InvalidInput(f"{what} is too long ({len(value)} characters, at most {max_len})")
    if not empty_ok and not value.strip():
        raise InvalidInput(f"{what} must not be empty")
    if (_CONTROL if multiline else _CONTROL_SINGLE_LINE).search(value):
        raise InvalidInput(f"{what} contains a control character")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise InvalidInput(f"{what} is not valid Unicode text") from None
    return value


def _count(value: object, what: str, maximum: int = MAX_UNITS) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise InvalidInput(f"{what} must be a whole number, not {_show(value)}")
    if value < 0:
        raise InvalidInput(f"{what} must be 0 or more, not {value}")
    if value > maximum:
        raise InvalidInput(f"{what} is too large ({value}, at most {maximum})")
    return value


def _coordinate(value: object, what: str, limit: float) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InvalidInput(f"{what} must be a number or null, not {_show(value)}")
    number = float(value)
    if not math.isfinite(number) or not -limit <= number <= limit:
        raise InvalidInput(f"{what} must be between -{limit:g} and {limit:g}, not {value}")
    return number


def item_slug(value: object, what: str = "item") -> str:
    """A catalog id such as 'ibuprofen-200mg-tablet'."""
    if not isinstance(value, str) or not ITEM_PATTERN.match(value):
        raise InvalidInput(
            f"{what} must be a catalog id (lower-case letters, digits and hyphens, "
            f"at most 80), not {_show(value)}"
        )
    return value


def station_id(value: object, what: str = "station_id") -> str:
    if not isinstance(value, str) or not STATION_ID_PATTERN.match(value):
        raise InvalidInput(f"{what} is not a station id: {_show(value)}")
    return value


def cursor_value(value: object) -> int:
    """A pull cursor (opaque to clients; a decimal change id here) as an int."""
    if value is None or value == "":
        return 0
    if not isinstance(value, str) or not CURSOR_PATTERN.match(value):
        raise InvalidInput(f"cursor must be one returned by the server, not {_show(value)}")
    return int(value)


def _month(value: object, what: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not _MONTH.match(value):
        raise InvalidInput(f"{what} must be a month like 2025-03, or null, not {_show(value)}")
    return value


def _day(value: object, what: str) -> str:
    if isinstance(value, str) and _DAY.match(value):
        try:
            date.fromisoformat(value)
        except ValueError:
            pass
        else:
            return value
    raise InvalidInput(f"{what} must be a date like 2025-03-31, not {_show(value)}")


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


# --- request and reply bodies ---------------------------------------------------------


@dataclass(frozen=True, slots=True)
class EnrolRequest:
    code: str
    protocol_version: int
    client: str | None


def enrol_request_json(code: str, client: str | None = None) -> dict[str, Any]:
    """Body of POST /api/v1/enrol."""
    body: dict[str, Any] = {
        "code": normalise_enrolment_code(code),
        "protocol_version": PROTOCOL_VERSION,
    }
    if client is not None:
        body["client"] = client
    return body


def _version_first(req: Mapping[str, Any], header_version: int | None) -> int:
    if "protocol_version" in req:
        return check_protocol_version(req["protocol_version"])
    if header_version is not None:
        return check_protocol_version(header_version, text=True)
    raise InvalidInput(
        f"the request carries no protocol_version (body field or {PROTOCOL_HEADER} header)"
    )


def parse_enrol_request(obj: object, header_version: int | None = None) -> EnrolRequest:
    """Server side. The version (body, else header) is checked before anything else."""
    req = _object(obj, "the request body")
    version = _version_first(req, header_version)
    _exact_keys(req, "the request body", ("code",), ("protocol_version", "client"))
    client = req.get("client")
    if client is not None:
        client = text_field(client, "client", 100)
    return EnrolRequest(normalise_enrolment_code(req["code"]), version, client)


@dataclass(frozen=True, slots=True)
class Enrolment:
    station_id: str
    token: str
    name: str


def parse_enrol_reply(obj: object) -> Enrolment:
    """Client side: the reply of a successful enrol."""
    reply = _object(obj, "the enrol reply")
    token = reply.get("token")
    if not isinstance(token, str) or not 20 <= len(token) <= 200:
        raise InvalidInput("the enrol reply carries no usable token")
    name = reply.get("name", "")
    return Enrolment(
        station_id(reply.get("station_id")), token, name if isinstance(name, str) else ""
    )


@dataclass(frozen=True, slots=True)
class PushRequest:
    station_id: str
    protocol_version: int
    events: list[Event]
    history: str | None = None
    base: int | None = None
    seen: Seen | None = None
    anchor: Anchor | None = None


def push_request_json(station: str, events: Sequence[Event], *, history: str | None = None,
                      base: int | None = None, seen: Seen | None = None,
                      anchor: Anchor | None = None) -> dict[str, Any]:
    """Body of POST /api/v1/push."""
    body: dict[str, Any] = {
        "protocol_version": PROTOCOL_VERSION,
        "station_id": station,
        "events": [event.to_json() for event in events],
    }
    if history is not None:
        body["history"] = history
    if base is not None:
        body["base"] = base
    if seen is not None:
        body["seen"] = seen.to_json()
    if anchor is not None:
        body["anchor"] = anchor.to_json()
    return body


def parse_push_request(obj: object, header_version: int | None = None) -> PushRequest:
    """Server side. The version (body, else header) is checked before anything else."""
    req = _object(obj, "the request body")
    version = _version_first(req, header_version)
    _exact_keys(req, "the request body", ("station_id", "events"),
                ("protocol_version", "history", "base", "seen", "anchor"))
    history = None if req.get("history") is None else history_id(req["history"])
    base = req.get("base")
    if base is not None:
        if history is None:
            raise InvalidInput("base needs the history it starts")
        if not isinstance(base, int) or isinstance(base, bool) or not 1 <= base <= MAX_SEQ:
            raise InvalidInput(f"base must be a whole number of 1 or more, not {_show(base)}")
    seen = None if req.get("seen") is None else parse_seen(req["seen"])
    anchor = None if req.get("anchor") is None else parse_anchor(req["anchor"])
    events = validate_events(req["events"])
    if base is not None and any(event.seq < base for event in events):
        raise InvalidInput("every event of a new history must have a seq of base or more")
    return PushRequest(station_id(req["station_id"]), version, events, history, base, seen,
                       anchor)


def parse_push_reply(obj: object) -> int:
    """Client side: the acked seq (highest contiguous seq the server holds)."""
    reply = _object(obj, "the push reply")
    acked = reply.get("acked_seq")
    if not isinstance(acked, int) or isinstance(acked, bool) or acked < 0:
        raise InvalidInput("the push reply carries no acked_seq")
    return acked


@dataclass(frozen=True, slots=True)
class Change:
    """One entry of the central change feed."""

    cursor: str
    station_id: str | None
    kind: str
    body: dict[str, Any]

    @property
    def known(self) -> bool:
        """False for kinds this version does not understand (skip them, keep the cursor)."""
        return self.kind in FEED_KINDS


@dataclass(frozen=True, slots=True)
class PullPage:
    changes: list[Change]
    next_cursor: str
    more: bool
    epoch: str | None = None
    head: int | None = None


def parse_pull_reply(obj: object) -> PullPage:
    """Client side: a page of GET /api/v1/pull, with known bodies validated."""
    reply = _object(obj, "the pull reply")
    raw_changes = reply.get("changes")
    if not isinstance(raw_changes, list):
        raise InvalidInput("the pull reply carries no changes list")
    changes: list[Change] = []
    for raw in raw_changes:
        entry = _object(raw, "a change")
        cursor = entry.get("cursor")
        cursor_value(cursor)
        kind = entry.get("kind")
        if not isinstance(kind, str):
            raise InvalidInput("a change has no kind")
        raw_station = entry.get("station_id")
        sid = None if raw_station is None else station_id(raw_station)
        body = entry.get("body")
        if kind in FEED_KINDS:
            body = validate_body(kind, body)
        elif not isinstance(body, dict):
            body = {}
        changes.append(Change(str(cursor), sid, kind, body))
    next_cursor = reply.get("next_cursor")
    cursor_value(next_cursor)
    more = reply.get("more")
    if not isinstance(more, bool):
        raise InvalidInput("the pull reply carries no 'more' flag")
    epoch = reply.get("epoch")
    head = reply.get("head")
    if head is not None and (not isinstance(head, int) or isinstance(head, bool) or head < 0):
        raise InvalidInput("the pull reply carries an unusable head")
    return PullPage(changes, str(next_cursor), more,
                    None if epoch is None else history_id(epoch, "epoch"), head)
