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

from kiosk.sync.bodies import (
    Change,
    Enrolment,
    EnrolRequest,
    PullPage,
    PushRequest,
    enrol_request_json,
    parse_enrol_reply,
    parse_enrol_request,
    parse_pull_reply,
    parse_push_reply,
    parse_push_request,
    push_request_json,
)
from kiosk.sync.events import (
    DAILY_KEYS,
    ENROLMENT_CODE_ALPHABET,
    ENROLMENT_CODE_CHARS,
    ENROLMENT_QR_PREFIX,
    LISTING_KEYS,
    PROFILE_KEYS,
    Event,
    enrolment_qr_payload,
    make_event,
    new_enrolment_code,
    normalise_enrolment_code,
    parse_enrolment_qr,
    validate_body,
    validate_daily,
    validate_event,
    validate_events,
    validate_listing,
    validate_profile,
    validate_snapshot,
)
from kiosk.sync.fields import (
    cursor_value,
    item_slug,
    station_id,
    text_field,
)
from kiosk.sync.versions import (
    API_PREFIX,
    CURSOR_PATTERN,
    DEFAULT_PULL_LIMIT,
    EVENT_KINDS,
    FEED_KINDS,
    INITIAL_CURSOR,
    ITEM_PATTERN,
    KIND_DAILY,
    KIND_LISTING,
    KIND_PROFILE,
    KIND_SNAPSHOT,
    MAX_BATCH_EVENTS,
    MAX_BODY_BYTES,
    MAX_PROTOCOL_VERSION,
    MAX_PULL_LIMIT,
    MAX_SEQ,
    MAX_UNITS,
    MIN_PROTOCOL_VERSION,
    PROTOCOL_HEADER,
    PROTOCOL_VERSION,
    STATION_ID_PATTERN,
    UnsupportedProtocolVersion,
    check_protocol_version,
)

__all__ = [
    "API_PREFIX",
    "CURSOR_PATTERN",
    "DAILY_KEYS",
    "DEFAULT_PULL_LIMIT",
    "ENROLMENT_CODE_ALPHABET",
    "ENROLMENT_CODE_CHARS",
    "ENROLMENT_QR_PREFIX",
    "EVENT_KINDS",
    "FEED_KINDS",
    "INITIAL_CURSOR",
    "ITEM_PATTERN",
    "KIND_DAILY",
    "KIND_LISTING",
    "KIND_PROFILE",
    "KIND_SNAPSHOT",
    "LISTING_KEYS",
    "MAX_BATCH_EVENTS",
    "MAX_BODY_BYTES",
    "MAX_PROTOCOL_VERSION",
    "MAX_PULL_LIMIT",
    "MAX_SEQ",
    "MAX_UNITS",
    "MIN_PROTOCOL_VERSION",
    "PROFILE_KEYS",
    "PROTOCOL_HEADER",
    "PROTOCOL_VERSION",
    "STATION_ID_PATTERN",
    "Change",
    "EnrolRequest",
    "Enrolment",
    "Event",
    "PullPage",
    "PushRequest",
    "UnsupportedProtocolVersion",
    "check_protocol_version",
    "cursor_value",
    "enrol_request_json",
    "enrolment_qr_payload",
    "item_slug",
    "make_event",
    "new_enrolment_code",
    "normalise_enrolment_code",
    "parse_enrol_reply",
    "parse_enrol_request",
    "parse_enrolment_qr",
    "parse_pull_reply",
    "parse_push_reply",
    "parse_push_request",
    "push_request_json",
    "station_id",
    "text_field",
    "validate_body",
    "validate_daily",
    "validate_event",
    "validate_events",
    "validate_listing",
    "validate_profile",
    "validate_snapshot",
]
