"""Protocol version 2: station histories, feed epochs, snapshots and ledger anchors.

Shared by the station client and the central endpoint (pure Python). See the
module docstring of `kiosk.sync.protocol` for how a round uses them; this
module holds the shapes and their checks.

* A *history* is one unbroken run of a station's outbox numbering. Its id is
  random (`new_history_id`) and changes whenever the station goes back in
  time (a restored backup) or finds the central holding something it does
  not (then it starts a history at a `base` seq above everything the
  central holds and sends a `snapshot`).
* An *epoch* is one unbroken run of the central's change feed; a pull cursor
  or an acknowledgement from another epoch means nothing in this one.
* An *anchor* is a station's ledger chain head (movement count and hash of
  the last movement), kept append-only by the central.
"""

from __future__ import annotations

import hashlib
import json
import re
import secrets
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

from kiosk.errors import InvalidInput

HISTORY_PATTERN: Final = re.compile(r"^[0-9a-f]{16,64}$")
HASH_PATTERN: Final = re.compile(r"^[0-9a-f]{64}$")
DIGEST_CHARS: Final = 32
MAX_SNAPSHOT_LISTINGS: Final = 2000
_MAX_COUNT: Final = 2**53 - 1


def new_history_id() -> str:
    return secrets.token_hex(12)


def new_epoch_id() -> str:
    return secrets.token_hex(12)


def canonical(body: Mapping[str, Any]) -> str:
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def event_digest(seq: int, kind: str, body: Mapping[str, Any]) -> str:
    """What both ends compare to know they hold the same event at `seq`."""
    text = f"{seq}\n{kind}\n{canonical(body)}"
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:DIGEST_CHARS]


def _int(value: object, what: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= _MAX_COUNT:
        raise InvalidInput(f"{what} must be a whole number of 0 or more")
    return value


def history_id(value: object, what: str = "history") -> str:
    if not isinstance(value, str) or not HISTORY_PATTERN.fullmatch(value):
        raise InvalidInput(f"{what} must be 16 to 64 lower-case hex digits")
    return value


def _keys(obj: Mapping[str, Any], what: str, allowed: tuple[str, ...]) -> None:
    unknown = sorted(str(k) for k in obj if k not in allowed)
    if unknown:
        raise InvalidInput(f"{what} has fields that are not allowed: {', '.join(unknown)}")
    missing = [k for k in allowed if k not in obj]
    if missing:
        raise InvalidInput(f"{what} is missing {', '.join(missing)}")


@dataclass(frozen=True, slots=True)
class Anchor:
    movements: int
    head: str
    at: str | None = None

    def to_json(self) -> dict[str, Any]:
        body: dict[str, Any] = {"movements": self.movements, "head": self.head}
        if self.at is not None:
            body["at"] = self.at
        return body

    @property
    def short(self) -> str:
        """'123 movements, head a1b2c3d4e5f6': what a printed report shows."""
        return f"{self.movements} movements, head {self.head[:12]}"


def parse_anchor(obj: object, what: str = "anchor", *, with_at: bool = False) -> Anchor:
    if not isinstance(obj, Mapping):
        raise InvalidInput(f"{what} must be a JSON object")
    _keys(obj, what, ("movements", "head", "at") if with_at else ("movements", "head"))
    head = obj["head"]
    if not isinstance(head, str) or not HASH_PATTERN.fullmatch(head):
        raise InvalidInput(f"{what}.head must be 64 lower-case hex digits")
    at = obj.get("at")
    if with_at and not isinstance(at, str):
        raise InvalidInput(f"{what}.at must be a time")
    return Anchor(_int(obj["movements"], f"{what}.movements"), head, at)


@dataclass(frozen=True, slots=True)
class Seen:
    """What the station last heard from the central in `epoch`: the central uses it to
    notice that it was put back to an older copy of its database."""

    epoch: str
    acked_seq: int
    feed_head: int

    def to_json(self) -> dict[str, Any]:
        return {"epoch": self.epoch, "acked_seq": self.acked_seq, "feed_head": self.feed_head}


def parse_seen(obj: object) -> Seen:
    if not isinstance(obj, Mapping):
        raise InvalidInput("seen must be a JSON object")
    _keys(obj, "seen", ("epoch", "acked_seq", "feed_head"))
    return Seen(history_id(obj["epoch"], "seen.epoch"),
                _int(obj["acked_seq"], "seen.acked_seq"),
                _int(obj["feed_head"], "seen.feed_head"))


@dataclass(frozen=True, slots=True)
class SyncState:
    """The central's side of a round, in every push reply."""

    acked_seq: int
    max_seq: int
    acked_digest: str | None
    history: str | None
    epoch: str
    feed_head: int
    anchor: Anchor | None

    def to_json(self) -> dict[str, Any]:
        return {
            "acked_seq": self.acked_seq, "max_seq": self.max_seq,
            "acked_digest": self.acked_digest, "history": self.history, "epoch": self.epoch,
            "feed_head": self.feed_head,
            "anchor": None if self.anchor is None else self.anchor.to_json(),
        }


def parse_sync_state(obj: object) -> SyncState:
    """Client side: the push reply."""
    if not isinstance(obj, Mapping):
        raise InvalidInput("the push reply must be a JSON object")
    digest = obj.get("acked_digest")
    if digest is not None and (not isinstance(digest, str) or len(digest) > 64):
        raise InvalidInput("the push reply carries an unusable acked_digest")
    history = obj.get("history")
    anchor = obj.get("anchor")
    return SyncState(
        acked_seq=_int(obj.get("acked_seq"), "acked_seq"),
        max_seq=_int(obj.get("max_seq"), "max_seq"),
        acked_digest=digest,
        history=None if history is None else history_id(history),
        epoch=history_id(obj.get("epoch"), "epoch"),
        feed_head=_int(obj.get("feed_head"), "feed_head"),
        anchor=None if anchor is None else parse_anchor(anchor, with_at=True),
    )


# --- text from other stations ------------------------------------------------------------

_LINE_BREAKS: Final = {"\u2028", "\u2029", "\x85"}


def clean_display_text(text: str, *, multiline: bool = False) -> str:
    """Another station's name or address as it may be shown: without control, bidi
    override/isolate or zero-width characters (they reorder or hide what staff read)."""
    out: list[str] = []
    for ch in text:
        if ch == "\n" and multiline:
            out.append(ch)
        elif ch in _LINE_BREAKS or ch in "\t\r\n":
            out.append(" ")
        elif unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co", "Cn"):
            continue
        else:
            out.append(ch)
    return "".join(out).strip()
