from datetime import timedelta

import pytest

from kiosk.db import ledger
from kiosk.db.requests import create, purge_phones, queue
from kiosk.db.store import Store
from kiosk.errors import InvalidInput, LimitExceeded
from tests.conftest import ledger_dump

IBU = "ibuprofen-200mg-tablet"
KIT = "antigen-test-kit"


def limit(store: Store, item: str) -> int:
    return store.item(item).limit_per_7_days


def test_a_request_over_the_per_person_limit_is_refused_with_the_limit(station: Store) -> None:
    per_person = limit(station, IBU)
    before = ledger_dump(station.path)
    with pytest.raises(LimitExceeded, match=rf"limit for .* is {per_person} tablets per person"):
        create(station, IBU, per_person + 1)
    assert ledger_dump(station.path) == before


def test_the_limit_scales_with_household_size_up_to_a_cap(station: Store) -> None:
    per_person = limit(station, IBU)
    assert create(station, IBU, per_person * 3, household=3).units == per_person * 3
    with pytest.raises(LimitExceeded, match=f"{per_person * 6} for a household of 9"):
        create(station, IBU, per_person * 6 + 1, household=9)


def test_the_same_phone_cannot_go_over_the_limit_in_seven_days(station: Store) -> None:
    per_person = limit(station, KIT)
    create(station, KIT, per_person, phone="138 1234 5678")
    with pytest.raises(LimitExceeded, match=r"already asked for .* so at most 0 more"):
        create(station, KIT, 1, phone="+86 13812345678")
    station.clock.advance(timedelta(days=7, minutes=1))
    assert create(station, KIT, 1, phone="13812345678").units == 1


def test_a_station_setting_overrides_the_catalog_limit(station: Store) -> None:
    with station.write() as conn:
        station.set_setting(conn, f"limit.{KIT}", "1")
    with pytest.raises(LimitExceeded, match="is 1 kit"):
        create(station, KIT, 2)


def test_repeat_requesters_are_flagged_for_staff(station: Store) -> None:
    first = create(station, IBU, 2, phone="13812345678")
    assert first.flag == ""
    again = create(station, IBU, 2, phone="13812345678")
    assert "2 times in 7 days" in again.flag
    create(station, "paracetamol-500mg-tablet", 2, phone="13900000000")
    third = create(station, KIT, 1, phone="13900000000")
    assert third.flag == ""
    fourth = create(station, "ors-iii-sachet", 1, phone="13900000000")
    assert "3 requests from this phone" in fourth.flag


def test_phone_numbers_are_never_stored_in_clear(station: Store) -> None:
    request = create(station, IBU, 2, phone="13812345678")
    assert request.phone_masked == "*******5678"
    station.conn.execute("PRAGMA wal_checkpoint(FULL)")
    raw = station.path.read_bytes()
    # no run of the number's digits beyond the mask's last four (runs of 3 or 4 digits
    # turn up by chance in the file's random hex ids: this test failed now and then)
    assert b"13812345678" not in raw and b"1381234" not in raw and b"3812345" not in raw


def test_phones_are_purged_after_the_retention_period(station: Store) -> None:
    old = create(station, IBU, 2, phone="13812345678")
    station.clock.advance(timedelta(days=29))
    recent = create(station, KIT, 1, phone="13700000000")
    station.clock.advance(timedelta(days=2))
    assert purge_phones(station) == 1
    rows = {r.id: r for r in queue(station.conn)}
    assert rows[old.id].phone_masked is None
    assert rows[recent.id].phone_masked == "*******0000"
    hashes = station.conn.execute(
        "SELECT id FROM request WHERE phone_hash IS NOT NULL").fetchall()
    assert [row[0] for row in hashes] == [recent.id]


@pytest.mark.parametrize(
    ("kwargs", "reason"),
    [({"units": 0}, "at least 1"), ({"priority": "vip"}, "priority group"),
     ({"household": "0"}, "Household size"), ({"household": "many"}, "Household size"),
     ({"phone": "call me"}, "phone number"), ({"language": "fr"}, "language")],
)
def test_bad_requests_are_refused_and_change_nothing(
    station: Store, kwargs: dict[str, object], reason: str
) -> None:
    ledger.receive(station, IBU, 10, "2027-06-01")
    before = ledger_dump(station.path)
    arguments: dict[str, object] = {"units": 2, **kwargs}
    units = arguments.pop("units")
    with pytest.raises(InvalidInput, match=reason):
        create(station, IBU, units, **arguments)  # type: ignore[arg-type]
    assert ledger_dump(station.path) == before
