"""Pre-registered drop-offs: a promise until the desk takes the box in, in one transaction."""

from __future__ import annotations

import sqlite3

import pytest

from kiosk.db import ledger, outbox, pledges
from kiosk.db.store import Store
from kiosk.db.verify import verify
from kiosk.errors import InvalidInput, NotFound
from tests.conftest import days, ledger_dump

IBU = "ibuprofen-200mg-tablet"
PARA = "paracetamol-500mg-tablet"


def test_a_pledge_is_pending_and_is_not_stock(station: Store) -> None:
    before = outbox.length(station.conn, 0)
    pledge = pledges.create(station, IBU, "24", days(300), language="zh")
    assert (pledge.status, pledge.units, pledge.expiry.isoformat(), pledge.language) == (
        "pending", 24, days(300), "zh")
    assert pledge.lot_id is None and pledge.decided_at is None
    assert pledges.pending(station.conn) == [pledge]
    assert ledger.lots(station.conn, IBU) == []
    assert ledger.available_units(station.conn, IBU, station.clock.today()) == 0
    # nothing for other stations to see: a promise is not stock
    assert outbox.length(station.conn, 0) == before


@pytest.mark.parametrize(
    ("item", "units", "expiry"),
    [
        ("no-such-item", "5", days(100)),
        (IBU, "0", days(100)),
        (IBU, "many", days(100)),
        (IBU, "5", days(-1)),
        (IBU, "5", days(0)),
        (IBU, "5", "2027-02-30"),
        (IBU, "5", days(365 * 11)),
    ],
)
def test_bad_pledges_are_refused_and_change_nothing(station: Store, item: str, units: str,
                                                   expiry: str) -> None:
    before = ledger_dump(station.path)
    with pytest.raises((InvalidInput, NotFound)):
        pledges.create(station, item, units, expiry)
    assert ledger_dump(station.path) == before


def test_accepting_writes_the_lot_its_movement_and_the_pledge_together(station: Store) -> None:
    first = pledges.create(station, IBU, 24, days(300))
    second = pledges.create(station, PARA, 10, days(200))
    lot_id = pledges.accept(station, first.id, IBU, 20, days(290), "B7", "donation", "amy")
    lot = ledger.get_lot(station.conn, lot_id)
    # what staff found at inspection is what is taken in
    assert (lot.item_id, lot.on_hand, lot.expiry.isoformat(), lot.lot_number) == (
        IBU, 20, days(290), "B7")
    [movement] = ledger.movements(station.conn, lot_id=lot_id)
    assert (movement["kind"], movement["units"], movement["staff"]) == ("received", 20, "amy")
    accepted = pledges.get(station.conn, first.id)
    assert (accepted.status, accepted.lot_id, accepted.staff) == ("accepted", lot_id, "amy")
    assert accepted.decided_at == station.now_iso()
    assert [p.id for p in pledges.pending(station.conn)] == [second.id]
    last = outbox.pending(station.conn, 0, 1000)[-1]
    assert last["kind"] == "listing" and f'"item":"{IBU}"' in last["body"]
    assert verify(station) == []


def test_a_pledge_is_accepted_once(station: Store) -> None:
    pledge = pledges.create(station, IBU, 24, days(300))
    pledges.accept(station, pledge.id, IBU, 24, days(300), staff="amy")
    before = ledger_dump(station.path)
    with pytest.raises(InvalidInput, match="already accepted"):
        pledges.accept(station, pledge.id, IBU, 24, days(300), staff="amy")
    with pytest.raises(InvalidInput, match="already accepted"):
        pledges.decline(station, pledge.id, "changed my mind", "amy")
    assert ledger_dump(station.path) == before


def test_a_bad_receipt_leaves_the_pledge_pending(station: Store) -> None:
    pledge = pledges.create(station, IBU, 24, days(300))
    before = ledger_dump(station.path)
    with pytest.raises(InvalidInput):
        pledges.accept(station, pledge.id, IBU, 24, days(-3), staff="amy")
    with pytest.raises(NotFound):
        pledges.accept(station, 999, IBU, 24, days(30), staff="amy")
    assert ledger_dump(station.path) == before
    assert pledges.get(station.conn, pledge.id).status == "pending"


def test_a_failure_inside_the_transaction_rolls_the_lot_back(station: Store,
                                                             monkeypatch: pytest.MonkeyPatch
                                                             ) -> None:
    pledge = pledges.create(station, IBU, 24, days(300))
    before = ledger_dump(station.path)

    def broken(*args: object, **kwargs: object) -> int:
        raise sqlite3.OperationalError("disk I/O error")

    real = ledger.receive_in

    def receive_then_fail(*args: object, **kwargs: object) -> int:
        real(*args, **kwargs)  # type: ignore[arg-type]
        return broken()

    monkeypatch.setattr(ledger, "receive_in", receive_then_fail)
    with pytest.raises(Exception, match="disk"):
        pledges.accept(station, pledge.id, IBU, 24, days(300), staff="amy")
    assert ledger_dump(station.path) == before


def test_declining_keeps_the_reason_and_writes_no_stock(station: Store) -> None:
    pledge = pledges.create(station, IBU, 24, days(300))
    with pytest.raises(InvalidInput, match="reason"):
        pledges.decline(station, pledge.id, "  ", "amy")
    declined = pledges.decline(station, pledge.id, "box was opened", "amy")
    assert (declined.status, declined.reason, declined.staff, declined.lot_id) == (
        "declined", "box was opened", "amy", None)
    assert pledges.pending(station.conn) == []
    assert ledger.lots(station.conn, in_stock=False) == []


def test_the_schema_refuses_an_accepted_pledge_without_a_lot(station: Store) -> None:
    pledge = pledges.create(station, IBU, 24, days(300))
    with pytest.raises(sqlite3.IntegrityError):
        station.conn.execute("UPDATE pledge SET status = 'accepted', decided_at = 'x' "
                             "WHERE id = ?", (pledge.id,))
