"""Phone numbers: checked, masked for display, kept only as a keyed hash.

A station never stores a phone number in clear. The keyed hash (HMAC with a
per-station secret) lets it recognise the same caller for limits and flags
without being able to recover the number; the masked form lets staff match
a request to the person standing at the desk.
"""

from __future__ import annotations

import hashlib
import hmac
import re

from kiosk.errors import InvalidInput

_ALLOWED = re.compile(r"^\+?[0-9][0-9 ()-]*$")


def normalise(raw: str) -> str:
    """Digits only (with a leading + kept), or InvalidInput with a plain reason."""
    text = raw.strip()
    if not text:
        raise InvalidInput("The phone number is empty. Leave it out or type the whole number.")
    if not _ALLOWED.match(text):
        raise InvalidInput(
            "The phone number may contain only digits, spaces, dashes and a leading +."
        )
    digits = re.sub(r"[^0-9]", "", text)
    if not 7 <= len(digits) <= 15:
        raise InvalidInput(
            f"The phone number has {len(digits)} digits; a phone number has 7 to 15."
        )
    return ("+" if text.startswith("+") else "") + digits


def mask(normalised: str) -> str:
    """`138****5678`: the last four digits, the first three only for long numbers."""
    # a country code adds nothing for recognising the person at the desk
    digits = normalised.lstrip("+")[-11:]
    head = digits[:3] if len(digits) >= 11 else ""
    tail = digits[-4:]
    return head + "*" * (len(digits) - len(head) - len(tail)) + tail


def keyed_hash(normalised: str, key: bytes) -> str:
    # Leading + and country code differ between how people say their number;
    # the last 11 digits identify a mobile in practice and avoid two hashes
    # for one person.
    digits = normalised.lstrip("+")[-11:]
    return hmac.new(key, digits.encode("ascii"), hashlib.sha256).hexdigest()
