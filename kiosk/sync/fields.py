"""Field checks of the sync wire contract: each raises InvalidInput with a reason
written for a person."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from kiosk.errors import InvalidInput
from kiosk.sync.versions import (
    _CONTROL,
    _CONTROL_SINGLE_LINE,
    _DAY,
    _MONTH,
    CURSOR_PATTERN,
    ITEM_PATTERN,
    MAX_UNITS,
    STATION_ID_PATTERN,
    _show,
)

# --- field checks -------------------------------------------------------------


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
    if not isinstance(value, str) or not ITEM_PATTERN.fullmatch(value):
        raise InvalidInput(
            f"{what} must be a catalog id (lower-case letters, digits and hyphens, "
            f"at most 80), not {_show(value)}"
        )
    return value


def station_id(value: object, what: str = "station_id") -> str:
    if not isinstance(value, str) or not STATION_ID_PATTERN.fullmatch(value):
        raise InvalidInput(f"{what} is not a station id: {_show(value)}")
    return value


def cursor_value(value: object) -> int:
    """A pull cursor (opaque to clients; a decimal change id here) as an int."""
    if value is None or value == "":
        return 0
    if not isinstance(value, str) or not CURSOR_PATTERN.fullmatch(value):
        raise InvalidInput(f"cursor must be one returned by the server, not {_show(value)}")
    return int(value)


def _month(value: object, what: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not _MONTH.fullmatch(value):
        raise InvalidInput(f"{what} must be a month like 2025-03, or null, not {_show(value)}")
    return value


def _day(value: object, what: str) -> str:
    if isinstance(value, str) and _DAY.fullmatch(value):
        try:
            date.fromisoformat(value)
        except ValueError:
            pass
        else:
            return value
    raise InvalidInput(f"{what} must be a date like 2025-03-31, not {_show(value)}")
