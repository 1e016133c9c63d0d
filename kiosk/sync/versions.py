"""Protocol versions, limits, event kinds and the version handshake (see
`kiosk.sync.protocol` for the whole wire contract)."""

from __future__ import annotations

import re
from typing import Final

from kiosk.errors import InvalidInput

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


def _show(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


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
    if text and isinstance(value, str) and re.fullmatch(r"[0-9]{1,40}", value.strip()):
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
