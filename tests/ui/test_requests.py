"""Requests: logged at the desk, queued in serving order, phones masked, repeats flagged."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from kiosk import keyfile
from kiosk.db import contact, events, requests
from kiosk.db.store import Store
from kiosk.ui.mainwindow import MainWindow
from kiosk.ui.screens.requests import RequestsScreen
from tests.ui.conftest import STAFF, STAFF_PIN, idle, sign_in

PARA = "paracetamol-500mg-tablet"


def screen_of(desk: MainWindow) -> RequestsScreen:
    screen = desk.show_screen("requests")
    assert isinstance(screen, RequestsScreen)
    return screen


def log(qtbot: QtBot, desk: MainWindow, screen: RequestsScreen, search: str, units: int,
        *, priority_steps: int = 0, phone: str = "") -> None:
    """Fill the form with the keyboard: Enter from field to field, Enter on the button."""
    screen.picker.search.setFocus()
    qtbot.keyClicks(screen.picker.search, search)
    qtbot.keyClick(screen.picker.search, Qt.Key.Key_Return)
    assert screen.units.hasFocus()
    screen.units.lineEdit().selectAll()
    qtbot.keyClicks(screen.units.lineEdit(), str(units))
    qtbot.keyClick(screen.units.lineEdit(), Qt.Key.Key_Return)
    qtbot.keyClick(screen.household.lineEdit(), Qt.Key.Key_Return)
    assert screen.priority.hasFocus()
    for _ in range(priority_steps):
        qtbot.keyClick(screen.priority, Qt.Key.Key_Up)
    qtbot.keyClick(screen.priority, Qt.Key.Key_Return)
    assert screen.phone.hasFocus()
    qtbot.keyClicks(screen.phone, phone)
    qtbot.keyClick(screen.phone, Qt.Key.Key_Return)
    qtbot.keyClick(screen.resident_language, Qt.Key.Key_Return)
    assert screen.log.hasFocus()
    qtbot.keyClick(screen.log, Qt.Key.Key_Return)
    idle(qtbot, desk)


def cells(screen: RequestsScreen, row: int) -> list[str]:
    return [screen.table.item(row, column).text() for column in range(screen.table.columnCount())]


def test_a_walk_in_request_is_logged_and_queued_with_the_phone_masked(
        qtbot: QtBot, desk: MainWindow, store: Store) -> None:
    screen = screen_of(desk)
    log(qtbot, desk, screen, "paracetamol 500", 10, phone="138 1234 5678")
    assert screen.message.text().startswith("✔ Request 1 logged: 10 tablets of Paracetamol")
    [request] = requests.queue(store.conn)
    assert (request.item_id, request.units, request.priority, request.phone_masked) == (
        PARA, 10, "none", "*******5678")
    qtbot.waitUntil(lambda: screen.table.rowCount() == 1)
    row = cells(screen, 0)
    assert row[6] == "*******5678"
    assert "5678" in row[6] and "1234" not in " ".join(row)


def test_priority_groups_are_served_first_and_marked_in_words(qtbot: QtBot, desk: MainWindow,
                                                             store: Store) -> None:
    screen = screen_of(desk)
    log(qtbot, desk, screen, "paracetamol 500", 4)
    # up from "none": chronic, elderly, pregnant
    log(qtbot, desk, screen, "antigen", 1, priority_steps=3)
    qtbot.waitUntil(lambda: screen.table.rowCount() == 2)
    first, second = cells(screen, 0), cells(screen, 1)
    assert first[2] == "★ Priority: Pregnant" and first[0] == "2"
    assert second[2] == "No priority" and second[0] == "1"
    assert [r.id for r in requests.queue(store.conn)] == [2, 1]


def test_a_repeat_requester_is_flagged_for_staff(qtbot: QtBot, desk: MainWindow,
                                                store: Store) -> None:
    screen = screen_of(desk)
    log(qtbot, desk, screen, "paracetamol 500", 4, phone="13912345678")
    log(qtbot, desk, screen, "paracetamol 500", 4, phone="139-1234-5678")
    assert "⚠ Flagged for staff" in screen.message.text()
    qtbot.waitUntil(lambda: screen.table.rowCount() == 2)
    flags = [cells(screen, row)[7] for row in range(2)]
    assert flags[0] == "" and flags[1].startswith("⚠ asked for this item 2 times")
    assert requests.queue(store.conn)[1].flag.startswith("asked for this item 2 times")


def test_a_request_over_the_limit_is_refused_with_the_reason(qtbot: QtBot, desk: MainWindow,
                                                            store: Store) -> None:
    screen = screen_of(desk)
    log(qtbot, desk, screen, "paracetamol 500", 500)
    assert screen.message.text().startswith("✖ Over the limit: The limit for Paracetamol")
    assert requests.queue(store.conn) == []


def test_staff_can_cancel_a_queued_request(qtbot: QtBot, desk: MainWindow,
                                          store: Store) -> None:
    requests.create(store, PARA, 2)
    screen = screen_of(desk)
    qtbot.waitUntil(lambda: screen.table.rowCount() == 1)
    qtbot.mouseClick(screen.cancel, Qt.MouseButton.LeftButton)
    assert "Select a request" in screen.queue_message.text()
    screen.table.selectRow(0)
    qtbot.mouseClick(screen.cancel, Qt.MouseButton.LeftButton)
    idle(qtbot, desk)
    qtbot.waitUntil(lambda: screen.table.rowCount() == 0)
    assert requests.get(store.conn, 1).status == "cancelled"


def test_call_shows_the_whole_number_once_and_writes_the_audit(
        qtbot: QtBot, window: MainWindow, store: Store) -> None:
    sign_in(qtbot, window, STAFF, STAFF_PIN)  # staff, not only managers, may call back
    made = requests.create(store, PARA, 2, phone="138 1234 5678")
    screen = screen_of(window)
    qtbot.waitUntil(lambda: screen.table.rowCount() == 1)
    assert "13812345678" not in " ".join(cells(screen, 0))
    qtbot.mouseClick(screen.call, Qt.MouseButton.LeftButton)
    assert "Select a request" in screen.queue_message.text()
    assert events.for_request(store.conn, made.id) == []
    screen.table.selectRow(0)
    qtbot.mouseClick(screen.call, Qt.MouseButton.LeftButton)
    idle(qtbot, window)
    qtbot.waitUntil(lambda: screen.call_dialog is not None and screen.call_dialog.isVisible())
    dialog = screen.call_dialog
    assert dialog is not None
    assert dialog.number.text() == "13812345678"
    assert dialog.what.text() == f"Phone number of request {made.id}:"
    [event] = events.for_request(store.conn, made.id)
    assert (event.staff, event.action) == (STAFF, "phone_revealed")
    # closed: the number is gone from the desk
    qtbot.mouseClick(dialog.close_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: screen.call_dialog is None)
    assert "13812345678" not in " ".join(cells(screen, 0)) + screen.queue_message.text()


def test_call_after_the_retention_period_says_the_number_was_erased(
        qtbot: QtBot, desk: MainWindow, store: Store) -> None:
    made = requests.create(store, PARA, 2, phone="138 1234 5678")
    # the key that encrypted it is gone (as housekeeping does once retention has passed)
    path = contact.key_path(store)
    with store.write():
        keyfile.save(path, replace(keyfile.load(path), keys=()))
    screen = screen_of(desk)
    qtbot.waitUntil(lambda: screen.table.rowCount() == 1)
    screen.table.selectRow(0)
    qtbot.mouseClick(screen.call, Qt.MouseButton.LeftButton)
    idle(qtbot, desk)
    qtbot.waitUntil(lambda: "erased" in screen.queue_message.text())
    assert screen.queue_message.text() == (
        f"✖ Not found: The phone number of request {made.id} was erased after the retention "
        "period; it can no longer be shown.")
    assert screen.call_dialog is None and events.for_request(store.conn, made.id) == []


def test_aspirin_for_a_child_needs_a_staff_override_with_a_reason(
        qtbot: QtBot, desk: MainWindow, store: Store) -> None:
    from kiosk.db import events
    from tests.conftest import ledger_dump

    screen = screen_of(desk)
    before = ledger_dump(store.path)
    assert not screen.override_row.isVisibleTo(screen)
    # up from "none": chronic, elderly, pregnant, child
    log(qtbot, desk, screen, "aspirin", 2, priority_steps=4)
    assert screen.message.text().startswith(
        "✖ Aspirin 300 mg tablets is for adults only. For a child, ask for Children's "
        "paracetamol oral suspension")
    assert "Log anyway" in screen.message.text()
    assert screen.override_row.isVisibleTo(screen)
    assert ledger_dump(store.path) == before
    qtbot.mouseClick(screen.override, Qt.MouseButton.LeftButton)  # no reason yet: refused
    idle(qtbot, desk)
    assert "Type the reason" in screen.message.text()
    assert ledger_dump(store.path) == before
    qtbot.keyClicks(screen.override_reason, "he is 17; GP letter seen")
    qtbot.mouseClick(screen.override, Qt.MouseButton.LeftButton)
    idle(qtbot, desk)
    assert "Safety override recorded in the audit: he is 17; GP letter seen." in (
        screen.message.text())
    assert not screen.override_row.isVisibleTo(screen)
    [request] = requests.queue(store.conn)
    assert (request.item_id, request.priority, request.safety_override) == (
        "aspirin-300mg-tablet", "child", "he is 17; GP letter seen")
    [event] = events.for_request(store.conn, request.id)
    assert (event.staff, event.action, event.detail) == (
        desk.services.staff_name, "safety_override", "he is 17; GP letter seen")
