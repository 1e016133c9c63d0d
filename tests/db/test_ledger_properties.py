"""Random sequences of everything a station does; the ledger's rules hold after each step."""

from __future__ import annotations

import contextlib
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from tempfile import mkdtemp

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from kiosk.clock import Clock
from kiosk.db import ledger
from kiosk.db.allocation import allocate
from kiosk.db.requests import create, dispense_in, queue, release
from kiosk.db.station import init
from kiosk.db.verify import verify
from kiosk.errors import MedShareError
from kiosk.rules import is_expired
from kiosk.safety import SafetyConflict

ITEMS = ("ibuprofen-200mg-tablet", "antigen-test-kit")


class StationMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.store = init(Path(mkdtemp()) / "s", "PROP", "Property Station")
        self.store.clock = Clock(datetime(2026, 11, 21, 9, tzinfo=UTC))
        self.allocated: list[tuple[int, date]] = []

    def teardown(self) -> None:
        self.store.close()

    @rule(item=st.sampled_from(ITEMS), units=st.integers(1, 30), shelf=st.integers(1, 60))
    def receive(self, item: str, units: int, shelf: int) -> None:
        expiry = self.store.clock.today() + timedelta(days=shelf)
        ledger.receive(self.store, item, units, expiry.isoformat())

    @rule(item=st.sampled_from(ITEMS), units=st.integers(1, 3),
          priority=st.sampled_from(("child", "none", "elderly")))
    def request(self, item: str, units: int, priority: str) -> None:
        # a child's request for an adult form is refused (tests/db/test_safety.py)
        with contextlib.suppress(SafetyConflict):
            create(self.store, item, units, priority=priority)

    @rule()
    def allocate_queue(self) -> None:
        today = self.store.clock.today()
        for allocation in allocate(self.store):
            for pick in allocation.picks:
                self.allocated.append((pick.lot_id, pick.expiry))
                assert not is_expired(pick.expiry, today)

    @rule(data=st.data())
    def release_one(self, data: st.DataObject) -> None:
        reserved = [r for r in queue(self.store.conn) if r.status == "reserved"]
        if reserved:
            release(self.store, data.draw(st.sampled_from(reserved)).id)

    @rule(data=st.data())
    def dispense_one(self, data: st.DataObject) -> None:
        reserved = [r for r in queue(self.store.conn) if r.status == "reserved"]
        if reserved:
            target = data.draw(st.sampled_from(reserved))
            with self.store.write() as conn:
                dispense_in(conn, self.store.now_iso(), target.id, "prop")

    @rule(days=st.integers(1, 20))
    def time_passes(self, days: int) -> None:
        self.store.clock.advance(timedelta(days=days))

    @rule()
    def expire(self) -> None:
        ledger.expire(self.store)

    @rule(data=st.data())
    def dispose_some(self, data: st.DataObject) -> None:
        lots = [lot for lot in ledger.lots(self.store.conn) if lot.available > 0]
        if lots:
            lot = data.draw(st.sampled_from(lots))
            with contextlib.suppress(MedShareError):
                ledger.dispose(self.store, lot.id, data.draw(st.integers(1, lot.available + 2)),
                               "damaged")

    @invariant()
    def balances_equal_movements_and_are_never_negative(self) -> None:
        assert verify(self.store) == []
        for lot in ledger.lots(self.store.conn, in_stock=False):
            assert lot.on_hand >= lot.reserved >= 0

    @invariant()
    def priority_order_holds(self) -> None:
        waiting = queue(self.store.conn, include_reserved=False)
        tiers = [0 if r.priority != "none" else 1 for r in waiting]
        assert tiers == sorted(tiers)


StationMachine.TestCase.settings = settings(
    max_examples=40, stateful_step_count=30, deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
TestStationMachine = StationMachine.TestCase
