"""Station tokens, ids and enrolment-code hashes; how bodies are stored as JSON."""

from __future__ import annotations

import hashlib
import json
import secrets
from typing import Any


def hash_secret(kind: str, value: str) -> str:
    """Tokens and codes are stored only as this hash (random secrets: no salt needed)."""
    return hashlib.sha256(f"{kind}:{value}".encode()).hexdigest()


def new_token() -> str:
    return "mst1_" + secrets.token_urlsafe(32)


def new_station_id() -> str:
    alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
    return "st-" + "".join(secrets.choice(alphabet) for _ in range(10))


def dumps(body: dict[str, Any]) -> str:
    return json.dumps(body, separators=(",", ":"), sort_keys=True, ensure_ascii=False)
