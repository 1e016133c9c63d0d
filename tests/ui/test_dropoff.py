"""Drop-off: a whole box taken in with the keyboard only, checked in the ledger."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from kiosk.catalog import Catalog
from kiosk.db import ledger
from kiosk.db.store import Store
from kiosk.ui.mainwindow import MainWindow
from kiosk.ui.screens.dropoff import DropOffScreen
from tests.conftest import NOW
from tests.ui.conftest import MANAGER, idle, ime_type, open_window, sign_in

IBU = "ibuprofen-200mg-tablet"


def screen_of(desk: MainWindow) -> DropOffScreen:
    screen = desk.show_screen("dropoff")
    assert isinstance(screen, DropOffScreen)
    return screen


def key(qtbot: QtBot, which: Qt.Key) -> None:
    focused = QApplication.focusWidget()
    assert focused is not None
    qtbot.keyClick(focused, which)


def test_a_box_is_taken_in_without_touching_the_mouse(qtbot: QtBot, desk: MainWindow,
                                                     store: Store) -> None:
    screen = screen_of(desk)
    assert screen.picker.search.hasFocus()
    ime_type(screen.picker.search, "布洛芬")  # part of the Chinese name, from the input method
    assert screen.picker.results.count() >= 2
    first = screen.picker.results.item(0).text()
    assert first.startswith("Ibuprofen 200 mg tablets")
    key(qtbot, Qt.Key.Key_Return)
    assert screen.picker.item.id == IBU
    assert screen.units.hasFocus()
    assert screen.unit_name.text() == "tablets"
    qtbot.keyClicks(QApplication.focusWidget(), "24")
    key(qtbot, Qt.Key.Key_Return)
    assert screen.expiry.edit.hasFocus()
    # the date printed on the box: digits only, the dashes are already there
    qtbot.keyClicks(screen.expiry.edit, "20270331")
    assert screen.expiry.value() == date(2027, 3, 31)
    assert screen.expiry.hint.text() == "✔ Good until 2027-03-31."
    key(qtbot, Qt.Key.Key_Return)
    assert screen.lot.hasFocus()
    qtbot.keyClicks(screen.lot, "B2024-07")
    key(qtbot, Qt.Key.Key_Return)
    assert screen.source.hasFocus()
    key(qtbot, Qt.Key.Key_Down)  # donation -> pharmacy
    key(qtbot, Qt.Key.Key_Return)
    assert screen.sealed.hasFocus()
    key(qtbot, Qt.Key.Key_Space)
    assert screen.sealed.isChecked()
    key(qtbot, Qt.Key.Key_Return)
    assert screen.save.hasFocus()
    key(qtbot, Qt.Key.Key_Return)
    idle(qtbot, desk)
    assert screen.message.text().startswith("✔ Saved as lot")
    assert "24 tablets of Ibuprofen 200 mg tablets, expires 2027-03-31" in screen.message.text()
    # the form is ready for the next box
    assert screen.picker.item is None and not screen.sealed.isChecked()
    assert screen.picker.search.hasFocus()
    [lot] = ledger.lots(store.conn, IBU)
    assert (lot.on_hand, lot.expiry.isoformat(), lot.lot_number, lot.source) == (
        24, "2027-03-31", "B2024-07", "pharmacy")
    [movement] = ledger.movements(store.conn, lot_id=lot.id)
    assert (movement["kind"], movement["units"], movement["staff"]) == ("received", 24, MANAGER)


def test_unsealed_or_undated_boxes_are_not_taken_in(qtbot: QtBot, desk: MainWindow,
                                                   store: Store) -> None:
    screen = screen_of(desk)
    qtbot.keyClicks(screen.picker.search, "paracetamol 500")
    qtbot.keyClick(screen.picker.search, Qt.Key.Key_Return)
    qtbot.mouseClick(screen.save, Qt.MouseButton.LeftButton)
    assert "Type or pick the expiry date" in screen.message.text()
    assert screen.expiry.edit.hasFocus()
    qtbot.keyClicks(screen.expiry.edit, "20270131")
    qtbot.mouseClick(screen.save, Qt.MouseButton.LeftButton)
    assert "Tick “Sealed and inspected”" in screen.message.text()
    assert screen.sealed.hasFocus()
    idle(qtbot, desk)
    assert ledger.lots(store.conn) == []


def test_past_dates_are_refused_typed_or_picked(qtbot: QtBot, desk: MainWindow,
                                               store: Store) -> None:
    screen = screen_of(desk)
    today = NOW.date()
    qtbot.keyClicks(screen.picker.search, "antigen")
    qtbot.keyClick(screen.picker.search, Qt.Key.Key_Return)
    qtbot.keyClick(screen.units, Qt.Key.Key_Return)
    yesterday = (today - timedelta(days=1)).strftime("%Y%m%d")
    qtbot.keyClicks(screen.expiry.edit, yesterday)
    assert screen.expiry.value() is None
    assert "has passed" in screen.expiry.hint.text()
    qtbot.keyClick(screen.expiry.edit, Qt.Key.Key_Return)
    assert screen.expiry.edit.hasFocus()  # Enter does not move on past a bad date
    screen.expiry.clear()
    qtbot.keyClicks(screen.expiry.edit, today.strftime("%Y%m%d"))
    assert "has passed (or is today)" in screen.expiry.hint.text()
    screen.sealed.setChecked(True)
    qtbot.mouseClick(screen.save, Qt.MouseButton.LeftButton)
    assert "has passed" in screen.message.text()
    # the calendar offers nothing before tomorrow
    qtbot.mouseClick(screen.expiry.button, Qt.MouseButton.LeftButton)
    calendar = screen.expiry.calendar
    assert calendar.isVisible()
    tomorrow = today + timedelta(days=1)
    assert calendar.minimumDate() == QDate(tomorrow.year, tomorrow.month, tomorrow.day)
    calendar.setSelectedDate(QDate(today.year - 1, 1, 1))
    assert calendar.selectedDate() == calendar.minimumDate()
    key(qtbot, Qt.Key.Key_Return)  # the calendar has the keyboard focus
    assert not calendar.isVisible()
    assert screen.expiry.value() == tomorrow
    qtbot.mouseClick(screen.save, Qt.MouseButton.LeftButton)
    idle(qtbot, desk)
    [lot] = ledger.lots(store.conn)
    assert lot.expiry == tomorrow


def test_an_item_is_found_by_scanning_its_barcode(qtbot: QtBot, data_dir: object,
                                                  clock: object, store: Store) -> None:
    # a newer catalog that knows the box's barcode
    catalog = store.catalog
    items = tuple(dataclasses.replace(item, barcodes=("6901234567892",)) if item.id == IBU
                  else item for item in catalog.items)
    with store.write() as conn:
        store.install_catalog(conn, Catalog(catalog.version + 1, items))
    window = open_window(qtbot, data_dir, clock)  # type: ignore[arg-type]
    sign_in(qtbot, window)
    screen = screen_of(window)
    qtbot.keyClicks(screen.picker.search, "6901234567892")
    qtbot.keyClick(screen.picker.search, Qt.Key.Key_Return)
    assert screen.picker.item.id == IBU
    assert screen.units.hasFocus()
    window.close()


def test_no_match_keeps_the_focus_in_the_search(qtbot: QtBot, desk: MainWindow) -> None:
    screen = screen_of(desk)
    qtbot.keyClicks(screen.picker.search, "zzzz")
    assert screen.picker.results.count() == 0
    qtbot.keyClick(screen.picker.search, Qt.Key.Key_Return)
    assert screen.picker.item is None
    assert screen.picker.search.hasFocus()


def test_the_arrow_keys_choose_among_the_matches(qtbot: QtBot, desk: MainWindow) -> None:
    screen = screen_of(desk)
    qtbot.keyClicks(screen.picker.search, "ibuprofen")
    second = screen.picker.results.item(1).data(Qt.ItemDataRole.UserRole)
    qtbot.keyClick(screen.picker.search, Qt.Key.Key_Down)
    qtbot.keyClick(screen.picker.search, Qt.Key.Key_Return)
    assert screen.picker.item.id == second
