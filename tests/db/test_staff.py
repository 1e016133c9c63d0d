"""Desk accounts: PINs kept only as slow salted hashes, lockout after wrong PINs."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from kiosk.clock import Clock
from kiosk.db import staff
from kiosk.db.station import init
from kiosk.db.store import Store
from kiosk.errors import InvalidInput


def test_a_pin_is_stored_only_as_a_salted_slow_hash(station: Store) -> None:
    staff.create(station, "Ana", "manager", "2468")
    staff.create(station, "Bo", "staff", "2468")
    rows = station.conn.execute("SELECT name, pin_hash FROM staff_account").fetchall()
    hashes = {row["name"]: row["pin_hash"] for row in rows}
    assert all("2468" not in value for value in hashes.values())
    assert hashes["Ana"] != hashes["Bo"]  # same PIN, different salt
    scheme, n, r, _p, salt, _digest = hashes["Ana"].split("$")
    assert scheme == "scrypt" and int(n) >= 2**14 and int(r) >= 8 and len(salt) >= 32


def test_right_pin_signs_in_and_wrong_pins_lock_the_account(station: Store,
                                                           clock: Clock) -> None:
    staff.create(station, "Ana", "manager", "2468")
    assert staff.sign_in(station, "Ana", "2468").role == "manager"
    for left in range(staff.MAX_FAILURES - 1, 0, -1):
        with pytest.raises(staff.WrongPin) as wrong:
            staff.sign_in(station, "Ana", "0000")
        assert wrong.value.tries_left == left
    with pytest.raises(staff.AccountLocked):
        staff.sign_in(station, "Ana", "0000")
    # locked: even the right PIN is refused until the lock runs out
    with pytest.raises(staff.AccountLocked) as locked:
        staff.sign_in(station, "Ana", "2468")
    assert "locked until" in str(locked.value)
    clock.advance(staff.LOCK_FOR + timedelta(seconds=1))
    assert staff.sign_in(station, "Ana", "2468").failed_attempts == 0


def test_the_lock_survives_reopening_the_database(station: Store, clock: Clock) -> None:
    staff.create(station, "Ana", "staff", "2468")
    for _ in range(staff.MAX_FAILURES - 1):
        with pytest.raises(staff.WrongPin):
            staff.sign_in(station, "Ana", "1111")
    with pytest.raises(staff.AccountLocked):
        staff.sign_in(station, "Ana", "1111")
    again = Store.open(station.data_dir(), clock=clock)
    try:
        with pytest.raises(staff.AccountLocked):
            staff.sign_in(again, "Ana", "2468")
    finally:
        again.close()


@pytest.mark.parametrize("pin", ["", "123", "123456789", "12a4", "１２３４", None])
def test_a_pin_is_4_to_8_ascii_digits(station: Store, pin: object) -> None:
    with pytest.raises(InvalidInput, match="4 to 8 digits"):
        staff.create(station, "Ana", "staff", pin)
    assert staff.count(station.conn) == 0


def test_names_are_unique_ignoring_case_and_roles_are_checked(station: Store) -> None:
    staff.create(station, "Ana", "manager", "2468")
    with pytest.raises(InvalidInput, match="already an account"):
        staff.create(station, "ana", "staff", "1357")
    with pytest.raises(InvalidInput, match="role"):
        staff.create(station, "Bo", "admin", "1357")


def test_the_last_manager_cannot_be_disabled_or_demoted(station: Store) -> None:
    staff.create(station, "Ana", "manager", "2468")
    with pytest.raises(InvalidInput, match="last manager"):
        staff.set_active(station, "Ana", False)
    with pytest.raises(InvalidInput, match="last manager"):
        staff.set_role(station, "Ana", "staff")
    staff.create(station, "Bo", "manager", "1357")
    staff.set_active(station, "Ana", False)
    with pytest.raises(InvalidInput, match="disabled"):
        staff.sign_in(station, "Ana", "2468")
    assert [account.name for account in staff.accounts(station.conn)] == ["Bo"]


def test_a_pin_reset_lifts_the_lock(station: Store) -> None:
    staff.create(station, "Ana", "staff", "2468")
    for _ in range(staff.MAX_FAILURES - 1):
        with pytest.raises(staff.WrongPin):
            staff.sign_in(station, "Ana", "1111")
    with pytest.raises(staff.AccountLocked):
        staff.sign_in(station, "Ana", "1111")
    staff.set_pin(station, "Ana", "9753")
    assert staff.sign_in(station, "Ana", "9753").name == "Ana"


def test_the_lock_says_until_when_on_the_stations_clock(tmp_path: Path, clock: Clock) -> None:
    """A desk in Shanghai run on a computer set to UTC says 18:05, not 10:05."""
    store = init(tmp_path / "sh", "SH01", "Xuhui Centre", timezone="Asia/Shanghai", clock=clock)
    try:
        staff.create(store, "Ana", "staff", "2468")
        for _ in range(staff.MAX_FAILURES - 1):
            with pytest.raises(staff.WrongPin):
                staff.sign_in(store, "Ana", "0000")
        with pytest.raises(staff.AccountLocked) as locked:
            staff.sign_in(store, "Ana", "0000")
        until = (clock.now() + staff.LOCK_FOR).astimezone(ZoneInfo("Asia/Shanghai"))
        assert f"locked until {until:%H:%M}" in str(locked.value)
        assert until.utcoffset() == timedelta(hours=8)
    finally:
        store.close()
