"""The request and reply bodies of enrol, push and pull."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from kiosk.errors import InvalidInput
from kiosk.sync.events import (
    Event,
    normalise_enrolment_code,
    validate_body,
    validate_events,
)
from kiosk.sync.fields import (
    _exact_keys,
    _object,
    cursor_value,
    station_id,
    text_field,
)
from kiosk.sync.history import (
    Anchor,
    Seen,
    history_id,
    parse_anchor,
    parse_seen,
)
from kiosk.sync.versions import (
    FEED_KINDS,
    MAX_SEQ,
    PROTOCOL_HEADER,
    PROTOCOL_VERSION,
    _show,
    check_protocol_version,
)

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
