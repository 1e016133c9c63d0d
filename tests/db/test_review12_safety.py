"""Issue 12 review: re-allocating a slip respects the safety rule like every other match."""

from __future__ import annotations

import pytest

from kiosk.db import ledger
from kiosk.db import slips as slip_store
from kiosk.db.allocation import allocate
from kiosk.db.requests import create, get
from kiosk.db.store import Store
from kiosk.errors import InvalidInput
from tests.conftest import days, ledger_dump

SPRAY = "xylometazoline-0-1pct-nasal-spray"


def test_a_slip_whose_request_the_safety_facts_now_refuse_is_not_reallocated(
        station: Store) -> None:
    ledger.receive(station, SPRAY, 5, days(200))
    request = create(station, SPRAY, 1)
    [made] = allocate(station, request.id)
    # the request turns out to be for a child with no override (as a request logged
    # before the catalog said "adults and children 12 and over" would)
    with station.write() as conn:
        conn.execute("UPDATE request SET priority = 'child' WHERE id = ?", (request.id,))
    before = ledger_dump(station.path)
    with pytest.raises(InvalidInput, match=f"Request {request.id} cannot be matched: .*12"):
        slip_store.reallocate(station, int(str(made.extra["slip"])), "amy")
    assert ledger_dump(station.path) == before
    assert get(station.conn, request.id).status == "reserved"


def test_a_newer_bundled_catalog_with_a_malformed_safety_field_changes_nothing(
        station: Store, tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    import json

    from kiosk import catalog as catalog_module
    from kiosk.db.station import open_station, refresh_catalog

    document = json.loads(catalog_module.bundled_catalog_path().read_text("utf-8"))
    document["version"] = int(document["version"]) + 1
    document["items"][0]["safety"]["pregnancy"] = "fine"
    broken = tmp_path / "catalog.json"
    broken.write_text(json.dumps(document), "utf-8")
    folder = station.data_dir()
    station.close()
    before = ledger_dump(folder / "station.db")
    monkeypatch.setattr(catalog_module, "bundled_catalog_path", lambda: broken)
    store = open_station(folder)
    try:  # what the desk and the kiosk do when they open the station
        with pytest.raises(InvalidInput, match="safety field 'pregnancy'"):
            refresh_catalog(store)
        assert store.catalog.version == int(document["version"]) - 1
    finally:
        store.close()
    assert ledger_dump(folder / "station.db") == before


def test_the_kiosk_says_in_stock_only_for_stock_that_staff_can_match(station: Store) -> None:
    """A box that expires before the pickup window ends cannot be matched (allocation needs
    it good through the window's last local day), so the kiosk must not promise it."""
    from types import SimpleNamespace

    from kiosk.db.allocation import usable_from
    from kiosk.errors import NotEnoughStock
    from kiosk.ui import kiosk_jobs
    from tests.conftest import local_days

    # the default window ends two local days on, or more
    assert (usable_from(station) - station.today()).days >= 2
    ledger.receive(station, SPRAY, 5, local_days(station, 1))  # good through tomorrow only
    made = kiosk_jobs.request_medicine(SimpleNamespace(store=station),  # type: ignore[arg-type]
                                       SPRAY, 1, "none", 1, "", "en")
    with pytest.raises(NotEnoughStock):
        allocate(station, made.request_id)
    assert not made.in_stock
