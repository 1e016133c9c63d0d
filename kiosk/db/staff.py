"""Desk accounts: who may sign in, their role, and their PIN as a salted slow hash.

A PIN is never stored: only an scrypt hash with its own salt and cost
parameters (so the cost can be raised later without breaking old hashes).
A few wrong PINs in a row lock the account for a while; the lock is kept in
the database, so restarting the app does not reset it.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timedelta

from kiosk.clock import iso, parse_instant
from kiosk.db.store import Store
from kiosk.errors import InvalidInput, MedShareError, NotFound
from kiosk.rules import clean_text, parse_choice

ROLES = ("staff", "manager")
PIN_LENGTH = (4, 8)
MAX_FAILURES = 5
LOCK_FOR = timedelta(minutes=5)

# scrypt cost: about 75 ms and 32 MiB per check on a desk PC. Brute force of
# a short PIN is stopped by the lock, the cost protects a stolen database.
_SCRYPT_N = 2**15
_SCRYPT_R = 8
_SCRYPT_P = 1
_MAXMEM = 64 * 1024 * 1024


class WrongPin(InvalidInput):
    """The PIN typed does not match; the message says how many tries are left."""

    def __init__(self, message: str, tries_left: int) -> None:
        super().__init__(message)
        self.tries_left = tries_left


class AccountLocked(MedShareError):
    """Too many wrong PINs; the message says until when."""

    def __init__(self, message: str, until: datetime) -> None:
        super().__init__(message)
        self.until = until


@dataclass(frozen=True)
class Account:
    id: int
    name: str
    role: str
    active: bool
    failed_attempts: int
    locked_until: str | None
    last_sign_in: str | None

    @property
    def is_manager(self) -> bool:
        return self.role == "manager"


def _from_row(row: sqlite3.Row) -> Account:
    return Account(
        id=int(row["id"]),
        name=str(row["name"]),
        role=str(row["role"]),
        active=bool(row["active"]),
        failed_attempts=int(row["failed_attempts"]),
        locked_until=row["locked_until"],
        last_sign_in=row["last_sign_in"],
    )


def parse_pin(value: object) -> str:
    text = "" if value is None else str(value).strip()
    low, high = PIN_LENGTH
    if not text.isdigit() or not text.isascii() or not low <= len(text) <= high:
        raise InvalidInput(f"A PIN is {low} to {high} digits.")
    return text


def parse_name(value: object) -> str:
    return clean_text(value, "The name", 60, required=True)


def hash_pin(pin: str, *, salt: bytes | None = None) -> str:
    salt = salt if salt is not None else secrets.token_bytes(16)
    digest = hashlib.scrypt(pin.encode("ascii"), salt=salt, n=_SCRYPT_N, r=_SCRYPT_R,
                            p=_SCRYPT_P, maxmem=_MAXMEM, dklen=32)
    return f"scrypt${_SCRYPT_N}${_SCRYPT_R}${_SCRYPT_P}${salt.hex()}${digest.hex()}"


def check_pin(pin: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt_hex, digest_hex = stored.split("$")
        if scheme != "scrypt":
            return False
        digest = hashlib.scrypt(pin.encode("ascii", "replace"), salt=bytes.fromhex(salt_hex),
                                n=int(n), r=int(r), p=int(p), maxmem=_MAXMEM, dklen=32)
    except (ValueError, UnicodeError):
        return False
    return hmac.compare_digest(digest, bytes.fromhex(digest_hex))


def accounts(conn: sqlite3.Connection, *, include_disabled: bool = False) -> list[Account]:
    clause = "" if include_disabled else " WHERE active = 1"
    rows = conn.execute(f"SELECT * FROM staff_account{clause} ORDER BY name COLLATE NOCASE")
    return [_from_row(row) for row in rows.fetchall()]


def count(conn: sqlite3.Connection) -> int:
    return int(conn.execute("SELECT count(*) FROM staff_account WHERE active = 1").fetchone()[0])


def get(conn: sqlite3.Connection, name: str) -> Account:
    row = conn.execute("SELECT * FROM staff_account WHERE name = ?", (name,)).fetchone()
    if row is None:
        raise NotFound(f"There is no staff account called '{name}'.")
    return _from_row(row)


def create(store: Store, name: object, role: object, pin: object) -> Account:
    """Add an account; the name must be new (ignoring case)."""
    account_name = parse_name(name)
    account_role = parse_choice(role, "The role", ROLES)
    pin_hash = hash_pin(parse_pin(pin))
    with store.write() as conn:
        taken = conn.execute(
            "SELECT 1 FROM staff_account WHERE name = ?", (account_name,)
        ).fetchone()
        if taken:
            raise InvalidInput(f"There is already an account called '{account_name}'.")
        conn.execute(
            "INSERT INTO staff_account(name, role, pin_hash, created_at) VALUES (?,?,?,?)",
            (account_name, account_role, pin_hash, store.now_iso()),
        )
        return get(conn, account_name)


def set_pin(store: Store, name: str, pin: object) -> None:
    """A new PIN (a manager's reset); also lifts a lock."""
    pin_hash = hash_pin(parse_pin(pin))
    with store.write() as conn:
        get(conn, name)
        conn.execute(
            "UPDATE staff_account SET pin_hash = ?, failed_attempts = 0, locked_until = NULL "
            "WHERE name = ?",
            (pin_hash, name),
        )


def set_active(store: Store, name: str, active: bool) -> None:
    with store.write() as conn:
        account = get(conn, name)
        if not active and account.is_manager and _other_managers(conn, account.id) == 0:
            raise InvalidInput("This is the last manager account; add another manager first.")
        conn.execute("UPDATE staff_account SET active = ? WHERE id = ?", (int(active), account.id))


def set_role(store: Store, name: str, role: object) -> None:
    new_role = parse_choice(role, "The role", ROLES)
    with store.write() as conn:
        account = get(conn, name)
        if account.is_manager and new_role != "manager" and _other_managers(conn, account.id) == 0:
            raise InvalidInput("This is the last manager account; add another manager first.")
        conn.execute("UPDATE staff_account SET role = ? WHERE id = ?", (new_role, account.id))


def _other_managers(conn: sqlite3.Connection, account_id: int) -> int:
    row = conn.execute(
        "SELECT count(*) FROM staff_account WHERE role = 'manager' AND active = 1 AND id != ?",
        (account_id,),
    ).fetchone()
    return int(row[0])


def _lock_text(store: Store, until: datetime) -> str:
    # on the station's wall clock, which the desk's status bar shows, not the computer's
    return until.astimezone(store.zone).strftime("%H:%M")


def sign_in(store: Store, name: str, pin: object) -> Account:
    """The account if the PIN is right; WrongPin or AccountLocked otherwise.

    Every wrong PIN is counted durably; the MAX_FAILURES-th in a row locks
    the account for LOCK_FOR. A right PIN resets the count.
    """
    text = "" if pin is None else str(pin).strip()
    now = store.clock.now()
    with store.read() as conn:
        account = get(conn, name)
    if not account.active:
        raise InvalidInput(f"The account '{account.name}' is disabled; ask a manager.")
    if account.locked_until is not None:
        until = parse_instant(account.locked_until)
        if until > now:
            raise AccountLocked(
                f"Too many wrong PINs: '{account.name}' is locked until "
                f"{_lock_text(store, until)}. Wait, or ask a manager to reset the PIN.",
                until,
            )
    row = store.conn.execute(
        "SELECT pin_hash FROM staff_account WHERE id = ?", (account.id,)
    ).fetchone()
    right = bool(text) and check_pin(text, str(row[0]))
    with store.write() as conn:
        if right:
            conn.execute(
                "UPDATE staff_account SET failed_attempts = 0, locked_until = NULL, "
                "last_sign_in = ? WHERE id = ?",
                (iso(now), account.id),
            )
            return get(conn, account.name)
        expired_lock = account.locked_until is not None
        failures = (0 if expired_lock else account.failed_attempts) + 1
        locked_until = iso(now + LOCK_FOR) if failures >= MAX_FAILURES else None
        conn.execute(
            "UPDATE staff_account SET failed_attempts = ?, locked_until = ? WHERE id = ?",
            (0 if locked_until else failures, locked_until, account.id),
        )
    if locked_until is not None:
        raise AccountLocked(
            f"Too many wrong PINs: '{account.name}' is locked until "
            f"{_lock_text(store, now + LOCK_FOR)}. Wait, or ask a manager to reset the PIN.",
            now + LOCK_FOR,
        )
    left = MAX_FAILURES - failures
    raise WrongPin(
        f"That PIN is not right. {left} {'try' if left == 1 else 'tries'} left.", left
    )
