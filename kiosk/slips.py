"""Pickup slip codes: the signed QR token and the short code typed by hand.

Pure domain: no database, no Qt. A slip carries two codes, both derived
from the station's secret, the slip number and a random per-slip nonce kept
in the station database (never printed):

* the QR token ``MS1:<STATION>:<SLIP>:<MAC>`` (``MST:`` on a training
  station, see below), for example
  ``MS1:HX01:42:K3J5QW7XRT2M4Y6PZ3AB``. Every character is in the QR
  alphanumeric set (0-9 A-Z space $ % * + - . / :), so the QR code stays
  small (version 3 or 4 at error-correction level Q). MAC is HMAC-SHA256
  over ``MS1:<STATION>:<SLIP>`` and the nonce, truncated to 100 bits and
  written in RFC 4648 base32 (upper case, no padding).
* the short code, for when a scanner fails, for example ``1A3-K7M-4QX``:
  the slip number in Crockford base32 (at least 2 characters), 6 characters
  (30 bits) of a second HMAC, and a Luhn mod 32 check character that
  catches every single mistyped character and most swapped neighbours.
  Reading it ignores case, spaces and dashes and takes O for 0, I and L
  for 1, so a code typed by hand is as good as one scanned.

A training station's slips start ``MST:`` and its MACs (token and short code)
are computed over that prefix, so no real station can ever accept one: a real
station refuses an ``MST:`` token by name, and a training short code simply
does not match. A training station likewise refuses real ``MS1:`` slips.

The nonce makes a slip number reused after restoring an old backup unable to
validate an old printed slip: its MAC no longer matches.

Parsing and checking never accept a code they cannot fully verify; each
refusal is a `Refusal` (a `SlipRefused`) with a plain message for the desk
and a `reason` the screens can act on.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import Final
from zoneinfo import ZoneInfo

from kiosk.errors import SlipRefused
from kiosk.messages import say, words

PREFIX: Final = "MS1"
TRAINING_PREFIX: Final = "MST"
MAC_CHARS: Final = 20  # 100 bits of base32
SHORT_MAC_CHARS: Final = 6  # 30 bits of Crockford base32
SHORT_ID_MIN: Final = 2
SHORT_ID_MAX: Final = 4
MAX_SLIP_ID: Final = 32**SHORT_ID_MAX - 1  # 1,048,575 slips per station
QR_ALPHANUMERIC: Final = frozenset("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:")
CROCKFORD: Final = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_CROCKFORD_VALUE: Final = {char: value for value, char in enumerate(CROCKFORD)}
_TYPO_FIXES: Final = str.maketrans({"O": "0", "I": "1", "L": "1"})
_STATION: Final = re.compile(r"[A-Z0-9]{2,12}")
_SLIP_NUMBER: Final = re.compile(r"[1-9][0-9]{0,6}")
_BASE32_MAC: Final = re.compile(r"[A-Z2-7]{20}")
_PRODUCT_BARCODE_LENGTHS: Final = (8, 12, 13, 14)  # EAN-8, UPC-A, EAN-13, GTIN-14

# reasons a code is refused, for screens that offer a next step
NOT_MEDSHARE: Final = "not-medshare"
NEWER_FORMAT: Final = "newer-format"
MISTYPED: Final = "mistyped"
OTHER_STATION: Final = "other-station"
FORGED: Final = "forged"
NUMBER_ONLY: Final = "number-only"
UNKNOWN_SLIP: Final = "unknown-slip"
COLLECTED: Final = "collected"
CANCELLED: Final = "cancelled"
WINDOW_OVER: Final = "window-over"
RELEASED: Final = "released"
LOT_UNUSABLE: Final = "lot-unusable"
NO_CODE: Final = "no-code"
TRAINING: Final = "training"


class Refusal(SlipRefused):
    """A slip code that cannot be used; `reason` is one of the constants above."""

    def __init__(self, reason: str, message: str, *, slip_id: int | None = None,
                 station: str | None = None) -> None:
        super().__init__(message)
        self.reason = reason
        self.slip_id = slip_id
        self.station = station


@dataclass(frozen=True)
class Token:
    """The QR payload of one slip, parsed but not yet checked against a secret."""

    station: str
    slip_id: int
    mac: str
    training: bool = False

    @property
    def signed_part(self) -> str:
        return f"{prefix(self.training)}:{self.station}:{self.slip_id}"

    @property
    def text(self) -> str:
        return f"{self.signed_part}:{self.mac}"

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True)
class ShortCode:
    """The hand-typable code of one slip, parsed (check character good) but not yet checked."""

    slip_id: int
    mac: str

    @property
    def compact(self) -> str:
        body = crockford_encode(self.slip_id, SHORT_ID_MIN) + self.mac
        return body + luhn32_check(body)

    @property
    def text(self) -> str:
        """Grouped in threes for reading aloud and typing: ``1A3-K7M-4QX``."""
        compact = self.compact
        return "-".join(compact[i:i + 3] for i in range(0, len(compact), 3))

    def __str__(self) -> str:
        return self.text


Code = Token | ShortCode


# -- making codes ------------------------------------------------------------------


def _check_slip_id(slip_id: int) -> None:
    if not 1 <= slip_id <= MAX_SLIP_ID:
        raise ValueError(f"slip number {slip_id} is outside 1..{MAX_SLIP_ID}")


def prefix(training: bool) -> str:
    return TRAINING_PREFIX if training else PREFIX


def _digest(secret: bytes, message: str, nonce: str) -> bytes:
    return hmac.new(secret, f"{message}\x1f{nonce}".encode("ascii"), hashlib.sha256).digest()


def token_mac(secret: bytes, station: str, slip_id: int, nonce: str,
              training: bool = False) -> str:
    digest = _digest(secret, f"{prefix(training)}:{station}:{slip_id}", nonce)
    return base64.b32encode(digest[:13]).decode("ascii")[:MAC_CHARS]


def short_mac(secret: bytes, station: str, slip_id: int, nonce: str,
              training: bool = False) -> str:
    digest = _digest(secret, f"{prefix(training)}-SHORT:{station}:{slip_id}", nonce)
    bits = int.from_bytes(digest[:4], "big") >> (32 - 5 * SHORT_MAC_CHARS)
    return crockford_encode(bits, SHORT_MAC_CHARS)


def make_token(station: str, slip_id: int, secret: bytes, nonce: str,
               training: bool = False) -> Token:
    if not _STATION.fullmatch(station):
        raise ValueError(f"station code {station!r} is not 2-12 letters or digits")
    _check_slip_id(slip_id)
    return Token(station, slip_id, token_mac(secret, station, slip_id, nonce, training),
                 training)


def make_short_code(station: str, slip_id: int, secret: bytes, nonce: str,
                    training: bool = False) -> ShortCode:
    _check_slip_id(slip_id)
    return ShortCode(slip_id, short_mac(secret, station, slip_id, nonce, training))


# -- Crockford base32 and its check character -----------------------------------------


def crockford_encode(number: int, width: int = 1) -> str:
    if number < 0:
        raise ValueError("only non-negative numbers")
    chars = []
    while number:
        number, digit = divmod(number, 32)
        chars.append(CROCKFORD[digit])
    return "".join(reversed(chars)).rjust(width, "0")


def crockford_decode(text: str) -> int:
    number = 0
    for char in text:
        number = number * 32 + _CROCKFORD_VALUE[char]
    return number


def luhn32_check(body: str) -> str:
    """Luhn mod N over the Crockford alphabet: the character that makes the sum 0 mod 32."""
    total = 0
    factor = 2
    for char in reversed(body):
        addend = factor * _CROCKFORD_VALUE[char]
        total += addend // 32 + addend % 32
        factor = 1 if factor == 2 else 2
    return CROCKFORD[(32 - total % 32) % 32]


def normalise_short_code(text: str) -> str:
    """Upper case, no spaces or dashes, O read as 0 and I/L as 1."""
    cleaned = "".join(text.split()).replace("-", "").replace("\u2010", "").upper()
    return cleaned.translate(_TYPO_FIXES)


# -- reading codes -----------------------------------------------------------------------


def _shown(text: str) -> str:
    """A safe, short echo of what was read, for the refusal message."""
    visible = "".join(char if char.isprintable() else "?" for char in text.strip())
    return visible if len(visible) <= 24 else visible[:24] + "…"


def not_medshare(text: str) -> Refusal:
    digits = text.strip()
    if digits.isdigit() and len(digits) in _PRODUCT_BARCODE_LENGTHS:
        return Refusal(
            NOT_MEDSHARE,
            f"This is a product barcode ({_shown(text)}), not a MedShare pickup slip. "
            "Scan the square QR code on the slip.",
        )
    return Refusal(
        NOT_MEDSHARE,
        f"This is not a MedShare pickup slip code (it reads '{_shown(text)}'). "
        "Scan the square QR code on the slip, or type the short code printed under it.",
    )


def _damaged() -> Refusal:
    return Refusal(
        FORGED,
        "This slip code is incomplete or has been altered: it is not in the form MedShare "
        "prints. Do not hand anything over; scan the slip again or type its short code.",
    )


def parse_token(text: str) -> Token:
    """Read a QR payload exactly as printed (upper case, no spaces); nothing is guessed."""
    training = text.startswith(f"{TRAINING_PREFIX}:")
    if not (training or text.startswith(f"{PREFIX}:")):
        if re.match(r"MS[0-9]+:", text):
            raise Refusal(
                NEWER_FORMAT,
                f"This slip was printed by a newer version of MedShare ({text.split(':')[0]}); "
                "update MedShare on this computer to read it.",
            )
        raise not_medshare(text)
    parts = text.split(":")
    if len(parts) != 4:
        raise _damaged()
    _, station, number, mac = parts
    if not (_STATION.fullmatch(station) and _SLIP_NUMBER.fullmatch(number)
            and _BASE32_MAC.fullmatch(mac)):
        raise _damaged()
    slip_id = int(number)
    if slip_id > MAX_SLIP_ID:
        raise _damaged()
    return Token(station, slip_id, mac, training)


def parse_short_code(text: str) -> ShortCode:
    """Read a typed short code: tolerant of case, spaces, dashes and O/0, I/1 mix-ups."""
    compact = normalise_short_code(text)
    low = SHORT_ID_MIN + SHORT_MAC_CHARS + 1
    high = SHORT_ID_MAX + SHORT_MAC_CHARS + 1
    if not compact or any(char not in _CROCKFORD_VALUE for char in compact):
        raise not_medshare(text)
    if text.strip().isdigit() and len(text.strip()) in _PRODUCT_BARCODE_LENGTHS:
        raise not_medshare(text)
    if not low - 2 <= len(compact) <= high + 2:
        raise not_medshare(text)
    if not low <= len(compact) <= high:
        raise Refusal(
            MISTYPED,
            f"'{_shown(text)}' is not a slip short code: a short code has {low} to {high} "
            "letters and digits, like 1A3-K7M-4QX. Check it and type it again.",
        )
    body, check = compact[:-1], compact[-1]
    if luhn32_check(body) != check:
        raise Refusal(
            MISTYPED,
            f"The short code {_shown(text)} was mistyped (its last character does not fit "
            "the others). Check each letter and digit and type it again.",
        )
    id_part, mac = body[:-SHORT_MAC_CHARS], body[-SHORT_MAC_CHARS:]
    slip_id = crockford_decode(id_part)
    if slip_id == 0 or (len(id_part) > SHORT_ID_MIN and id_part[0] == "0"):
        raise Refusal(
            MISTYPED,
            f"The short code {_shown(text)} does not belong to any slip. Check it and type it "
            "again.",
        )
    return ShortCode(slip_id, mac)


def parse(text: str) -> Code:
    """A scanned token (exact) or a typed short code (tolerant).

    Scanned text is expected as the QR holds it; `kiosk.scanner` strips line
    ends and upper-cases keyboard-wedge input before calling this.
    """
    if text.startswith("MS") and ":" in text:
        return parse_token(text)
    return parse_short_code(text)


def read(text: str) -> Code:
    """`parse`, tolerant of what scanners and people add: surrounding spaces and line
    ends, and a token in lower case (some keyboard-wedge scanners send it so)."""
    stripped = text.strip()
    if stripped[:2].upper() == "MS" and ":" in stripped:
        return parse_token(stripped.upper())
    return parse_short_code(stripped)


def verify(code: Code, station: str, secret: bytes, nonce: str, training: bool = False) -> int:
    """The slip number, if `code` was made by this station for the slip with this nonce.

    The MAC is compared in constant time. A token from another station, or
    a training slip at a real station (and the other way round), is refused
    by name, before any MAC is computed.
    """
    if isinstance(code, Token):
        if code.training != training:
            raise wrong_kind(code, training)
        if code.station != station:
            raise other_station(code.station, station, code.slip_id)
        expected = token_mac(secret, station, code.slip_id, nonce, training)
        if not hmac.compare_digest(expected.encode("ascii"), code.mac.encode("ascii")):
            raise forged(code.slip_id)
        return code.slip_id
    expected = short_mac(secret, station, code.slip_id, nonce, training)
    if not hmac.compare_digest(expected.encode("ascii"), code.mac.encode("ascii")):
        raise short_mismatch(code)
    return code.slip_id


def short_mismatch(code: ShortCode) -> Refusal:
    return Refusal(
        FORGED,
        f"The short code {code.text} does not match any slip issued at this station. "
        "Check that it was typed correctly; it may belong to another station or be forged. "
        "Do not hand anything over.",
        slip_id=code.slip_id,
    )


def wrong_kind(code: Token, training_here: bool) -> Refusal:
    if code.training:
        return Refusal(
            TRAINING,
            "This is a TRAINING slip, printed for practice on a training station; no real "
            "station hands anything over for it. Do not hand anything over.",
            slip_id=code.slip_id, station=code.station,
        )
    return Refusal(
        TRAINING,
        "This slip was issued by a real station, and this is a training station: it can "
        "only be collected at the real station that issued it.",
        slip_id=code.slip_id, station=code.station,
    )


def other_station(theirs: str, ours: str, slip_id: int) -> Refusal:
    return Refusal(
        OTHER_STATION,
        f"This slip was issued by station {theirs}, not by this station ({ours}). "
        f"The resident must collect it at station {theirs}.",
        slip_id=slip_id,
        station=theirs,
    )


def forged(slip_id: int | None) -> Refusal:
    return Refusal(
        FORGED,
        "This slip's security code does not match this station's records: the slip has been "
        "altered or forged (or was printed before the database was restored from an older "
        "backup). Do not hand anything over.",
        slip_id=slip_id,
    )


def fits_qr_alphanumeric(text: str) -> bool:
    return all(char in QR_ALPHANUMERIC for char in text)




def format_moment(moment: datetime, language: str = "en", zone: tzinfo | str | None = None) -> str:
    """A time on a slip or in a message, on the station's wall clock.

    `zone` is the station's zone (a name or tzinfo; `Store.zone`); without it
    the computer's own zone, which is only right where the two agree.
    Built from fixed tables rather than strftime's %a/%b, which follow the
    process locale (Qt sets it) and would mix languages on one slip.
    """
    if isinstance(zone, str):
        zone = ZoneInfo(zone or "UTC")
    local = moment.astimezone(zone)
    clock = f"{local.hour:02d}:{local.minute:02d}"
    return say("moment", language, weekday=words("weekdays.short", language)[local.weekday()],
               day=local.day, month=words("months.short", language)[local.month - 1],
               year=local.year, clock=clock)
