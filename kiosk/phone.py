"""Phone numbers: checked, masked for display, hashed for limits.

A station never stores a phone number in clear: the full number is kept
encrypted so staff can call back (kiosk/db/contact.py), and the keyed hash
(HMAC with a key from the key file, kiosk/keyfile.py) lets it recognise the
same caller for limits and flags. Neither key is in station.db, so the
database or a backup alone gives no number back. The mask shows only the
last four digits, so staff can match a request to the person at the desk.
"""

from __future__ import annotations

import hashlib
import hmac
import re

from kiosk.errors import InvalidInput

_ALLOWED = re.compile(r"^\+?[0-9(][0-9 ()-]*$")
MASK_STARS = "*******"  # always seven: the mask tells nothing about the number's length


def normalise(raw: str) -> str:
    """Digits only (with a leading + kept), or InvalidInput with a plain reason."""
    text = raw.strip()
    if not text:
        raise InvalidInput("The phone number is empty. Leave it out or type the whole number.")
    if any(ch.isdigit() and ch not in "0123456789" for ch in text):
        raise InvalidInput("Write the phone number with the digits 0 to 9.")
    if not _ALLOWED.match(text):
        raise InvalidInput(
            "The phone number may contain only digits, spaces, dashes, brackets and a "
            "leading +."
        )
    digits = re.sub(r"[^0-9]", "", text)
    if not 7 <= len(digits) <= 15:
        raise InvalidInput(
            f"The phone number has {len(digits)} digits; a phone number has 7 to 15."
        )
    return ("+" if text.startswith("+") else "") + digits


def mask(normalised: str) -> str:
    """`*******5678`: the last four digits only, enough to match a person at the desk."""
    return MASK_STARS + normalised.lstrip("+")[-4:]


def keyed_hash(normalised: str, key: bytes) -> str:
    # Leading + and country code differ between how people say their number;
    # the last 11 digits identify a mobile in practice and avoid two hashes
    # for one person.
    digits = normalised.lstrip("+")[-11:]
    return hmac.new(key, digits.encode("ascii"), hashlib.sha256).hexdigest()
