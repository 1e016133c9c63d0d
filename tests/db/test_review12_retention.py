"""Issue 12 review: a phone key is never destroyed while a number it sealed is still kept.

The purge keeps a number through the station-local day `retention_days`
after the request's day; the key file's periods are UTC weeks. Far from UTC
the two must still agree, or staff lose a call back inside retention.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from kiosk import keyfile
from kiosk.clock import Clock
from kiosk.db import contact, ledger, maintenance, station
from kiosk.db.requests import create

IBU = "ibuprofen-200mg-tablet"


@pytest.mark.parametrize("zone", ["Pacific/Auckland", "Pacific/Pago_Pago", "Asia/Shanghai",
                                  "America/New_York", "UTC"])
def test_a_number_sealed_just_before_a_key_period_ends_stays_callable_through_retention(
        tmp_path, zone: str) -> None:
    store = station.init(tmp_path / "s", "RV12", "Review Station", timezone=zone)
    try:
        end = datetime(2026, 11, 23, tzinfo=UTC)  # a Monday: a key period ends here
        assert keyfile.period_start(end) == end
        store.clock = Clock(end - timedelta(minutes=1))
        ledger.receive(store, IBU, 10, "2027-06-01")
        made = create(store, IBU, 1, phone="13812345678")
        # walk the clock hour by hour through the last days of retention and past them
        retention = store.int_setting("retention_days")
        moment = end + timedelta(days=retention - 2)
        while True:
            store.clock = Clock(moment)
            maintenance.housekeeping(store)
            row = store.conn.execute(
                "SELECT phone_masked FROM request WHERE id = ?", (made.id,)).fetchone()
            if row[0] is None:
                break  # erased by the purge: from now on the key may go
            assert contact.reveal(store, made.id, "ann") == "13812345678", moment
            moment += timedelta(hours=1)
            assert moment < end + timedelta(days=retention + 3)
        # and once the number is erased the key goes too, within a day
        store.clock = Clock(moment + timedelta(days=1))
        maintenance.housekeeping(store)
        assert keyfile.load(contact.key_path(store)).keys == ()
    finally:
        store.close()


def test_a_key_file_set_aside_by_keys_new_is_shredded_on_time_too(station) -> None:
    """'keys new' keeps the old file beside the new one; its keys open every backup made
    before, so housekeeping destroys them after retention like the live file's."""
    from tests.db.test_contact_attack import aes_recovers

    ledger.receive(station, IBU, 10, "2027-06-01")
    create(station, IBU, 1, phone="13812345678")
    backup = maintenance.back_up(station).path
    old_keys = keyfile.load(contact.key_path(station))
    contact.start_new_key_file(station, accept_loss=True)
    [aside] = contact.key_path(station).parent.glob("station.keys.replaced-*")
    half_saved = aside.with_name("station.keys.1234abcd.new")  # a crash between write and rename
    keyfile.save(half_saved, old_keys)
    material = [k.aes for k in old_keys.keys]
    assert aes_recovers([backup], material) == {"13812345678"}
    maintenance.housekeeping(station)  # inside retention the set-aside file stays
    assert keyfile.load(aside).keys == old_keys.keys
    station.clock.advance(timedelta(days=7 + station.int_setting("retention_days") + 2))
    maintenance.housekeeping(station)
    assert not aside.exists() and not half_saved.exists()
