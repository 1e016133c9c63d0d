from datetime import timedelta

import pytest

from kiosk.catalog import Catalog, load_bundled_catalog
from kiosk.db import ledger
from kiosk.db.allocation import allocate
from kiosk.db.requests import create, get, release
from kiosk.db.store import Store
from kiosk.db.verify import verify
from kiosk.errors import InvalidInput, NotEnoughStock, NotFound
from tests.conftest import STATION_ZONES, days, ledger_dump, local_days

IBU = "ibuprofen-200mg-tablet"
PARA = "paracetamol-500mg-tablet"


def available(store: Store, item: str = IBU) -> int:
    return ledger.available_units(store.conn, item, store.today())


@pytest.fixture(params=STATION_ZONES)
def station_zone(request: pytest.FixtureRequest) -> str:
    """Every test here runs with the station in each zone (tests/conftest.py)."""
    return str(request.param)


def test_receive_writes_a_lot_a_movement_and_the_balance(station: Store) -> None:
    lot_id = ledger.receive(station, IBU, "24", days(200), "L42", "pharmacy", staff="amy")
    lot = ledger.get_lot(station.conn, lot_id)
    assert (lot.on_hand, lot.reserved, lot.lot_number, lot.source) == (24, 0, "L42", "pharmacy")
    [movement] = ledger.movements(station.conn, lot_id=lot_id)
    assert (movement["kind"], movement["units"], movement["staff"]) == ("received", 24, "amy")
    assert available(station) == 24
    assert verify(station) == []


@pytest.mark.parametrize(
    ("item", "units", "expiry", "lot", "source"),
    [
        ("no-such-item", "5", days(100), "", "donation"),
        (IBU, "0", days(100), "", "donation"),
        (IBU, "-4", days(100), "", "donation"),
        (IBU, "2.5", days(100), "", "donation"),
        (IBU, "5", days(-1), "", "donation"),
        (IBU, "5", "2027-02-30", "", "donation"),
        (IBU, "5", days(100), "L\x07", "donation"),
        (IBU, "5", days(100), "L" * 41, "donation"),
        (IBU, "5", days(100), "", "street"),
    ],
)
def test_bad_drop_offs_are_refused_and_change_nothing(
    station: Store, item: str, units: str, expiry: str, lot: str, source: str
) -> None:
    before = ledger_dump(station.path)
    with pytest.raises((InvalidInput, NotFound)):
        ledger.receive(station, item, units, expiry, lot, source)
    assert ledger_dump(station.path) == before


def test_movements_can_never_be_changed_or_deleted(station: Store) -> None:
    ledger.receive(station, IBU, 5, days(100))
    with pytest.raises(Exception, match="never changed"):
        station.conn.execute("UPDATE movement SET units = 50")
    with pytest.raises(Exception, match="never deleted"):
        station.conn.execute("DELETE FROM movement")


def test_allocation_is_first_expiry_first_out_across_lots(station: Store) -> None:
    late = ledger.receive(station, IBU, 10, days(300))
    early = ledger.receive(station, IBU, 4, days(30))
    request = create(station, IBU, 6)
    [allocation] = allocate(station, request.id)
    assert [(p.lot_id, p.units) for p in allocation.picks] == [(early, 4), (late, 2)]
    assert available(station) == 8
    assert get(station.conn, request.id).status == "reserved"
    release(station, request.id)
    assert available(station) == 14
    assert get(station.conn, request.id).status == "open"
    assert verify(station) == []


def test_expired_and_recalled_lots_are_never_allocated(station: Store) -> None:
    # gone (station-local day) before the 48 h pickup window ends
    soon = ledger.receive(station, IBU, 12, local_days(station, 1))
    recalled = ledger.receive(station, IBU, 12, days(90))
    ledger.recall_lot(station, recalled, "manufacturer recall")
    request = create(station, IBU, 2)
    with pytest.raises(NotEnoughStock, match="Only 0 of the 2"):
        allocate(station, request.id)
    good = ledger.receive(station, IBU, 12, days(120))
    [allocation] = allocate(station, request.id)
    assert {p.lot_id for p in allocation.picks} == {good}
    assert soon != good


def test_reserved_units_are_not_available_to_the_next_request(station: Store) -> None:
    ledger.receive(station, IBU, 10, days(100))
    first = create(station, IBU, 8, household=2)
    second = create(station, IBU, 4)
    made = allocate(station)
    assert [a.request_id for a in made] == [first.id]
    assert get(station.conn, second.id).status == "open"
    assert available(station) == 2


def test_the_queue_serves_priority_groups_first_then_oldest(station: Store) -> None:
    ors = "ors-iii-sachet"  # fine for every group (kiosk.safety)
    ledger.receive(station, ors, 100, days(100))
    order = []
    for priority in ("none", "elderly", "none", "child", "pregnant", "chronic"):
        order.append((priority, create(station, ors, 2, priority=priority).id))
        station.clock.advance(timedelta(minutes=5))
    made = allocate(station)
    served = [a.request_id for a in made]
    expected = [rid for p, rid in order if p != "none"] + [rid for p, rid in order if p == "none"]
    assert served == expected


def test_a_request_that_cannot_be_filled_holds_back_smaller_later_ones(station: Store) -> None:
    ledger.receive(station, IBU, 5, days(100))
    ledger.receive(station, PARA, 5, days(100))
    big = create(station, IBU, 10, household=2)
    small = create(station, IBU, 2)
    other = create(station, PARA, 2)
    made = allocate(station)
    assert [a.request_id for a in made] == [other.id]
    assert get(station.conn, big.id).status == "open"
    assert get(station.conn, small.id).status == "open"


def test_expire_writes_off_expired_lots_and_returns_their_requests_to_the_queue(
    station: Store,
) -> None:
    short = ledger.receive(station, IBU, 6, local_days(station, 5))
    long = ledger.receive(station, IBU, 6, days(400))
    request = create(station, IBU, 3)
    [allocation] = allocate(station, request.id)
    assert allocation.picks[0].lot_id == short
    station.clock.advance(timedelta(days=6))
    written_off = ledger.expire(station)
    assert written_off == [(short, 6)]
    assert ledger.get_lot(station.conn, short).on_hand == 0
    assert get(station.conn, request.id).status == "open"
    [again] = allocate(station, request.id)
    assert again.picks[0].lot_id == long
    assert verify(station) == []


def test_dispose_and_stock_count_are_recorded_as_movements(station: Store) -> None:
    lot_id = ledger.receive(station, IBU, 20, days(100))
    ledger.dispose(station, lot_id, 3, "box crushed")
    assert ledger.count_lot(station, lot_id, "15", "monthly count") == -2
    kinds = [m["kind"] for m in ledger.movements(station.conn, lot_id=lot_id)]
    assert kinds == ["received", "disposed", "adjusted"]
    assert ledger.get_lot(station.conn, lot_id).on_hand == 15
    with pytest.raises(InvalidInput, match="only 15 unreserved"):
        ledger.dispose(station, lot_id, 16, "lost")
    with pytest.raises(InvalidInput, match="reason"):
        ledger.dispose(station, lot_id, 1, "  ")
    assert verify(station) == []


def test_stock_shows_on_hand_reserved_available_and_expired(station: Store) -> None:
    good = local_days(station, 200)
    ledger.receive(station, IBU, 10, local_days(station, 3))
    ledger.receive(station, IBU, 10, good)
    allocate(station, create(station, IBU, 4).id)
    station.clock.advance(timedelta(days=4))
    [line] = ledger.stock(station)
    assert (line.on_hand, line.reserved, line.available, line.expired) == (20, 4, 10, 10)
    assert line.earliest_expiry is not None and line.earliest_expiry.isoformat() == good


def test_a_newer_catalog_retires_dropped_items_without_breaking_their_lots(
    station: Store,
) -> None:
    lot_id = ledger.receive(station, IBU, 10, days(100))
    bundled = load_bundled_catalog()
    newer = Catalog(version=bundled.version + 1,
                    items=tuple(item for item in bundled.items if item.id != IBU))
    with station.write() as conn:
        assert station.install_catalog(conn, newer)
    assert not station.item(IBU).active
    assert [line.item_id for line in ledger.stock(station)] == [IBU]
    assert ledger.get_lot(station.conn, lot_id).on_hand == 10
    with pytest.raises(InvalidInput, match="no longer in the catalog"):
        ledger.receive(station, IBU, 1, days(100))
    with station.write() as conn:
        assert not station.install_catalog(conn, bundled)  # older: ignored


def test_every_change_to_stock_goes_to_the_outbox_without_personal_data(station: Store) -> None:
    ledger.receive(station, IBU, 10, days(100))
    create(station, IBU, 2, phone="13812345678", priority="elderly")
    rows = station.conn.execute("SELECT seq, kind, body FROM outbox ORDER BY seq").fetchall()
    assert [row["seq"] for row in rows] == list(range(1, len(rows) + 1))
    assert rows[0]["kind"] == "profile"
    assert rows[-1]["kind"] == "listing"
    assert '"requested":2' in rows[-1]["body"] and '"available":10' in rows[-1]["body"]
    everything = " ".join(row["body"] for row in rows)
    assert "1381234" not in everything and "5678" not in everything
    assert "elderly" not in everything
