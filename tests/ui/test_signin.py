"""Signing in, the PIN lockout, and the first run of a new station."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from kiosk.clock import Clock
from kiosk.db import staff
from kiosk.db.station import get, init, open_station
from kiosk.ui.mainwindow import MainWindow
from kiosk.ui.setup import FirstAccountDialog, StationSetupDialog
from tests.ui.conftest import MANAGER, MANAGER_PIN, STAFF, STAFF_PIN, idle, open_window, sign_in


def test_staff_sign_in_with_their_pin_and_see_the_desk(qtbot: QtBot,
                                                      window: MainWindow) -> None:
    assert window.current is window.signin
    assert not window.nav_buttons["dropoff"].isEnabled()
    sign_in(qtbot, window, STAFF, STAFF_PIN)
    assert window.current is window.page("dropoff")
    assert window.nav_buttons["stock"].isEnabled()
    assert window.status.staff.text() == "Signed in: Bo (Staff)"
    qtbot.mouseClick(window.sign_out, Qt.MouseButton.LeftButton)
    assert window.current is window.signin
    assert window.status.staff.text() == "Not signed in"
    assert not window.nav_buttons["dropoff"].isEnabled()


def test_wrong_pins_lock_the_account_for_a_while(qtbot: QtBot, window: MainWindow,
                                                clock: Clock, data_dir: Path) -> None:
    screen = window.signin
    for left in range(staff.MAX_FAILURES - 1, 0, -1):
        sign_in(qtbot, window, MANAGER, "0000")
        assert window.services.account is None
        assert f"Tries left before the account locks: {left}" in screen.message.text()
    sign_in(qtbot, window, MANAGER, "0000")
    assert "locked until" in screen.message.text()
    # the right PIN does not help while the lock lasts
    sign_in(qtbot, window, MANAGER, MANAGER_PIN)
    assert window.services.account is None
    assert "locked until" in screen.message.text()
    # the other account is not affected
    sign_in(qtbot, window, STAFF, STAFF_PIN)
    assert window.services.account.name == STAFF
    window.services.sign_out()
    store = open_station(data_dir)
    try:
        assert staff.get(store.conn, MANAGER).locked_until is not None
    finally:
        store.close()
    clock.advance(staff.LOCK_FOR + timedelta(seconds=1))
    sign_in(qtbot, window, MANAGER, MANAGER_PIN)
    assert window.services.account.name == MANAGER


def test_first_run_sets_up_the_station_and_the_manager_account(qtbot: QtBot, tmp_path: Path,
                                                              clock: Clock) -> None:
    folder = tmp_path / "new-station"
    window = open_window(qtbot, folder, clock)
    dialog = window.dialog
    assert isinstance(dialog, StationSetupDialog)
    qtbot.waitExposed(dialog)
    qtbot.waitUntil(dialog.code.hasFocus)  # ready to type, no mouse needed
    # Enter walks from field to field and presses the button at the end
    qtbot.keyClicks(dialog.code, "hx01")
    qtbot.keyClick(dialog.code, Qt.Key.Key_Return)
    assert dialog.name.hasFocus()
    qtbot.keyClicks(dialog.name, "Hengshan Road Centre")
    qtbot.keyClick(dialog.name, Qt.Key.Key_Return)
    qtbot.keyClicks(dialog.address, "8 Hengshan Road")
    qtbot.keyClick(dialog.address, Qt.Key.Key_Return)
    # the time zone starts as the computer's (UTC in the tests); the station is in Shanghai
    assert dialog.zone.zone() == "UTC" and dialog.zone.hasFocus()
    dialog.zone.lineEdit().selectAll()
    qtbot.keyClicks(dialog.zone.lineEdit(), "Asia/Shanghai")
    qtbot.keyClick(dialog.zone.lineEdit(), Qt.Key.Key_Return)
    assert dialog.hours.hasFocus()
    qtbot.keyClicks(dialog.hours, "Mon-Sat 9-17")
    qtbot.keyClick(dialog.hours, Qt.Key.Key_Return)
    assert dialog.submit_button.hasFocus()
    qtbot.keyClick(dialog.submit_button, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: isinstance(window.dialog, FirstAccountDialog))
    account = window.dialog
    assert isinstance(account, FirstAccountDialog)
    qtbot.keyClicks(account.name, "Mei")
    qtbot.keyClick(account.name, Qt.Key.Key_Return)
    qtbot.keyClicks(account.pin, "8642")
    qtbot.keyClick(account.pin, Qt.Key.Key_Return)
    qtbot.keyClicks(account.again, "8640")  # a slip of the finger
    qtbot.keyClick(account.again, Qt.Key.Key_Return)
    qtbot.keyClick(account.submit_button, Qt.Key.Key_Return)
    idle(qtbot, window)
    assert "not the same" in account.message.text()
    assert window.services.account is None
    account.again.clear()
    qtbot.keyClicks(account.again, "8642")
    qtbot.mouseClick(account.submit_button, Qt.MouseButton.LeftButton)
    idle(qtbot, window)
    assert window.services.account.name == "Mei"
    assert window.current is window.page("dropoff")
    assert not account.isVisible()
    store = open_station(folder)
    try:
        assert get(store).code == "HX01"
        assert get(store).name == "Hengshan Road Centre"
        assert (get(store).timezone, get(store).opening_hours) == (
            "Asia/Shanghai", "Mon-Sat 09:00-17:00")
        [mei] = staff.accounts(store.conn)
        assert (mei.name, mei.role) == ("Mei", "manager")
        assert staff.sign_in(store, "Mei", "8642").name == "Mei"
    finally:
        store.close()
    window.close()


def test_a_bad_station_code_is_refused_in_the_dialog(qtbot: QtBot, tmp_path: Path,
                                                    clock: Clock) -> None:
    window = open_window(qtbot, tmp_path / "s", clock)
    dialog = window.dialog
    assert isinstance(dialog, StationSetupDialog)
    qtbot.keyClicks(dialog.code, "H")
    qtbot.keyClicks(dialog.name, "A centre")
    qtbot.mouseClick(dialog.submit_button, Qt.MouseButton.LeftButton)
    idle(qtbot, window)
    assert "2 to 12 letters or digits" in dialog.message.text()
    assert dialog.isVisible()
    assert not (tmp_path / "s" / "station.db").exists()
    window.close()


@pytest.mark.parametrize(("field", "text", "words"), [
    ("zone", "Asia/Peking", "not a time zone"),
    ("hours", "Mon-Sat 17-9", "ends before it starts"),
])
def test_an_unknown_zone_or_bad_hours_are_refused_in_the_dialog(
        qtbot: QtBot, tmp_path: Path, clock: Clock, field: str, text: str, words: str) -> None:
    window = open_window(qtbot, tmp_path / "s", clock)
    dialog = window.dialog
    assert isinstance(dialog, StationSetupDialog)
    qtbot.keyClicks(dialog.code, "HX01")
    qtbot.keyClicks(dialog.name, "A centre")
    if field == "zone":
        dialog.zone.set_zone(text)
    else:
        qtbot.keyClicks(dialog.hours, text)
    qtbot.mouseClick(dialog.submit_button, Qt.MouseButton.LeftButton)
    idle(qtbot, window)
    assert words in dialog.message.text() and dialog.isVisible()
    assert not (tmp_path / "s" / "station.db").exists()
    window.close()


def test_a_station_set_up_on_the_command_line_asks_for_the_first_account(
        qtbot: QtBot, tmp_path: Path, clock: Clock) -> None:
    init(tmp_path / "cli", "CLI1", "Made by the CLI").close()
    window = open_window(qtbot, tmp_path / "cli", clock)
    qtbot.waitUntil(lambda: isinstance(window.dialog, FirstAccountDialog))
    assert window.signin.station.text() == "Made by the CLI"
    window.close()
