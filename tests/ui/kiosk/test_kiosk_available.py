"""What is available: units here per medicine (never lots), search in either language, and
the nearest other stations that have a medicine, from the synced listings."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QListWidget
from pytestqt.qtbot import QtBot

from kiosk.db.store import Store
from kiosk.sync import protocol
from kiosk.sync.client import apply_change
from kiosk.ui.kiosk.available import AvailablePage
from kiosk.ui.kiosk.need import NeedPage
from kiosk.ui.kiosk.window import KioskWindow
from tests.conftest import days
from tests.ui.conftest import ime_type
from tests.ui.kiosk.conftest import IBU, PARA, choose_item, idle, tap

# (id, name, address, lat, lon, hours, units of ibuprofen); the test station is at 31.2, 121.4
STATIONS = (
    ("far", "Far Hall", "9 Far Road", 31.40, 121.60, "Sat 9-12", 8),
    ("near", "Near Library", "2 Near Street", 31.21, 121.41, "Daily 10-20", 30),
    ("empty", "Empty Office", "5 Empty Lane", 31.20, 121.40, "Mon 9-17", 0),
)


def synced(store: Store) -> None:
    """Other stations' profiles and listings, as the sync client applies them."""
    with store.write() as conn:
        for station_id, name, address, lat, lon, hours, units in STATIONS:
            apply_change(conn, protocol.Change("1", station_id, protocol.KIND_PROFILE, {
                "name": name, "address": address, "lat": lat, "lon": lon,
                "opening_hours": hours}))
            apply_change(conn, protocol.Change("2", station_id, protocol.KIND_LISTING, {
                "item": IBU, "available": units, "requested": 0,
                "earliest_expiry": "2027-01"}))


def available_page(qtbot: QtBot, kiosk: KioskWindow) -> AvailablePage:
    tap(qtbot, kiosk.pages["home"].tiles["available"])  # type: ignore[attr-defined]
    page = kiosk.current
    assert isinstance(page, AvailablePage)
    idle(qtbot, kiosk)
    return page


def every_text(page: AvailablePage) -> str:
    texts = [label.text() for label in page.findChildren(QLabel)]
    for widget in page.findChildren(QListWidget):
        texts += [widget.item(row).text() for row in range(widget.count())]
    return "\n".join(texts)


def test_units_here_per_medicine_and_never_a_lot(qtbot: QtBot, kiosk: KioskWindow,
                                                 store: Store) -> None:
    from kiosk.db import ledger

    ledger.receive(store, IBU, 20, days(200), "LOT-ABC")
    ledger.receive(store, IBU, 4, days(30), "LOT-XYZ")
    ledger.receive(store, PARA, 10, days(90), "LOT-P")
    page = available_page(qtbot, kiosk)
    assert set(page.items.ids()[:2]) == {PARA, IBU}  # in stock first
    assert "24 tablets here now" in page.items.row_text(IBU)
    assert "10 tablets here now" in page.items.row_text(PARA)
    assert "none here now" in page.items.row_text("antigen-test-kit")
    choose_item(qtbot, page, IBU)
    idle(qtbot, kiosk)
    assert page.here.text() == "✔ Here now: 24 tablets"
    shown = every_text(page)
    for secret in ("LOT-ABC", "LOT-XYZ", days(200), days(30)):
        assert secret not in shown


def test_search_by_name_in_english_or_chinese(qtbot: QtBot, kiosk: KioskWindow) -> None:
    page = available_page(qtbot, kiosk)
    everything = len(page.items.ids())
    page.items.search.setFocus()
    qtbot.keyClicks(page.items.search, "parac")
    assert page.items.ids() and all("paracetamol" in i for i in page.items.ids())
    page.items.search.clear()
    assert len(page.items.ids()) == everything
    ime_type(page.items.search, "布洛芬")
    assert page.items.ids() and all("ibuprofen" in i for i in page.items.ids())
    assert page.items.row_text(IBU) == (
        "Ibuprofen 200 mg tablets\nnone here now  ·  布洛芬片 200mg")


def test_the_nearest_stations_that_have_it_with_address_hours_and_distance(
        qtbot: QtBot, kiosk: KioskWindow, store: Store) -> None:
    synced(store)
    page = available_page(qtbot, kiosk)
    choose_item(qtbot, page, IBU)
    idle(qtbot, kiosk)
    assert page.here.text().startswith("None here right now.")
    listings = page.listing_texts()
    assert len(listings) == 2  # the station with none is left out
    assert listings[0] == ("Near Library  ·  1.5 km away\n2 Near Street\nOpen: Daily 10-20\n"
                           "Has 30 tablets")
    assert listings[1].startswith("Far Hall  ·  ") and "Has 8 tablets" in listings[1]
    # one touch from there to asking for it
    tap(qtbot, page.ask)
    need = kiosk.current
    assert isinstance(need, NeedPage)
    assert need.views.currentWidget() is need.details_view
    assert need.item is not None and need.item.id == IBU


def test_no_listing_says_so(qtbot: QtBot, kiosk: KioskWindow) -> None:
    page = available_page(qtbot, kiosk)
    choose_item(qtbot, page, PARA)
    idle(qtbot, kiosk)
    assert page.listing_texts() == [
        "No other station nearby has told us it has this medicine."]


def test_the_list_follows_the_language(qtbot: QtBot, kiosk: KioskWindow, store: Store) -> None:
    synced(store)
    page = available_page(qtbot, kiosk)
    choose_item(qtbot, page, IBU)
    idle(qtbot, kiosk)
    kiosk.set_language("zh")
    qtbot.waitUntil(lambda: page.heading.text() == "现有药品")
    assert page.name.text() == "布洛芬片 200mg"
    assert page.items.row_text(IBU).startswith("布洛芬片 200mg\n")
    assert page.items.row_text(IBU).endswith("  ·  Ibuprofen 200 mg tablets")
    assert page.listing_texts()[0].endswith("现有 30 片")
