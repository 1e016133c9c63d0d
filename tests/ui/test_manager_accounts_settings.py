"""Manager console: staff accounts and settings, each action checked in the database."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from kiosk.clock import Clock
from kiosk.db import staff
from kiosk.db.requests import item_limit
from kiosk.db.store import Store
from kiosk.errors import InvalidInput, MedShareError
from kiosk.ui import prefs
from kiosk.ui.i18n import translations
from kiosk.ui.mainwindow import MainWindow
from tests.conftest import ledger_dump
from tests.ui.conftest import MANAGER, STAFF, STAFF_PIN, idle, open_window, type_into

IBU = "ibuprofen-200mg-tablet"


def account(store: Store, name: str) -> staff.Account:
    with store.read() as conn:
        return staff.get(conn, name)


def click(qtbot: QtBot, desk: MainWindow, button: Any) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    idle(qtbot, desk)


# -- accounts -------------------------------------------------------------------------------


@pytest.fixture
def accounts(qtbot: QtBot, desk: MainWindow) -> Any:
    screen = desk.show_screen("accounts")
    idle(qtbot, desk)
    return screen


def test_the_accounts_table_lists_everyone(accounts: Any) -> None:
    names = [accounts.table.item(row, 0).text() for row in range(accounts.table.rowCount())]
    assert names == [MANAGER, STAFF]
    assert accounts.table.item(0, 1).text() == "Manager"
    assert accounts.table.item(1, 2).text() == "Active"
    assert not accounts.selected_box.isEnabled()


def test_add_an_account(qtbot: QtBot, desk: MainWindow, accounts: Any, store: Store) -> None:
    type_into(qtbot, accounts.add_name, "Chen Wei")
    accounts.add_role.setCurrentIndex(accounts.add_role.findData("manager"))
    type_into(qtbot, accounts.add_pin, "8642")
    type_into(qtbot, accounts.add_pin_again, "8642")
    click(qtbot, desk, accounts.add_button)
    assert accounts.message.text() == "✔ Added Chen Wei (Manager)."
    added = account(store, "Chen Wei")
    assert (added.role, added.active) == ("manager", True)
    assert staff.sign_in(store, "Chen Wei", "8642").name == "Chen Wei"
    # the sign-in list knows the new name too
    assert desk.signin.name.findData("Chen Wei") >= 0
    assert accounts.table.rowCount() == 3


@pytest.mark.parametrize(("name", "pin", "again", "words"), [
    ("Dee", "1234", "4321", "The two PINs are not the same"),
    ("Dee", "12", "12", "A PIN is 4 to 8 digits"),
    ("", "1234", "1234", "name"),
    ("bo", "1234", "1234", "already an account"),
])
def test_a_bad_new_account_is_refused_and_nothing_changes(
        qtbot: QtBot, desk: MainWindow, accounts: Any, store: Store, name: str, pin: str,
        again: str, words: str) -> None:
    before = ledger_dump(store.path)
    type_into(qtbot, accounts.add_name, name)
    type_into(qtbot, accounts.add_pin, pin)
    type_into(qtbot, accounts.add_pin_again, again, enter=True)
    idle(qtbot, desk)
    assert accounts.message.text().startswith("✖ ")
    assert words in accounts.message.text()
    assert ledger_dump(store.path) == before


def test_reset_a_pin_lifts_a_lock(qtbot: QtBot, desk: MainWindow, accounts: Any,
                                  store: Store) -> None:
    for _ in range(staff.MAX_FAILURES):
        with pytest.raises(MedShareError):  # WrongPin, then AccountLocked
            staff.sign_in(store, STAFF, "0000")
    accounts.refresh()
    idle(qtbot, desk)
    assert accounts.table.item(1, 2).text().startswith("Locked until")
    accounts.select(STAFF)
    assert accounts.selected_box.isEnabled()
    type_into(qtbot, accounts.new_pin, "97531")
    type_into(qtbot, accounts.new_pin_again, "97531")
    click(qtbot, desk, accounts.reset_pin)
    assert accounts.message.text() == "✔ New PIN set for Bo; a lock, if any, is lifted."
    assert account(store, STAFF).locked_until is None
    assert staff.sign_in(store, STAFF, "97531").name == STAFF
    with pytest.raises(InvalidInput):
        staff.sign_in(store, STAFF, STAFF_PIN)


def test_change_a_role_and_disable_and_enable(qtbot: QtBot, desk: MainWindow, accounts: Any,
                                              store: Store) -> None:
    accounts.select(STAFF)
    accounts.role.setCurrentIndex(accounts.role.findData("manager"))
    click(qtbot, desk, accounts.change_role)
    assert accounts.message.text() == "✔ Bo is now: Manager."
    assert account(store, STAFF).role == "manager"
    assert accounts.toggle_active.text() == "Disable"
    click(qtbot, desk, accounts.toggle_active)
    assert accounts.message.text() == "✔ Bo is disabled and cannot sign in."
    assert not account(store, STAFF).active
    assert accounts.table.item(1, 2).text() == "Disabled"
    assert desk.signin.name.findData(STAFF) < 0  # gone from the sign-in list
    assert accounts.toggle_active.text() == "Enable"
    click(qtbot, desk, accounts.toggle_active)
    assert account(store, STAFF).active
    assert desk.signin.name.findData(STAFF) >= 0


def test_the_signed_in_manager_cannot_disable_or_demote_themselves(
        qtbot: QtBot, desk: MainWindow, accounts: Any, store: Store) -> None:
    before = ledger_dump(store.path)
    accounts.select(MANAGER)
    click(qtbot, desk, accounts.toggle_active)
    assert "cannot disable the account you are signed in with" in accounts.message.text()
    accounts.role.setCurrentIndex(accounts.role.findData("staff"))
    click(qtbot, desk, accounts.change_role)
    assert "cannot take the manager role" in accounts.message.text()
    assert ledger_dump(store.path) == before


def test_the_last_active_manager_stays(qtbot: QtBot, desk: MainWindow, accounts: Any,
                                       store: Store) -> None:
    """Ana signs in, makes Bo a manager, Bo takes Ana's role away; Bo is then the last one."""
    staff.set_role(store, STAFF, "manager")
    staff.set_role(store, MANAGER, "staff")  # Ana stays signed in, as the desk does
    accounts.refresh()
    idle(qtbot, desk)
    before = ledger_dump(store.path)
    accounts.select(STAFF)
    accounts.role.setCurrentIndex(accounts.role.findData("staff"))
    click(qtbot, desk, accounts.change_role)
    assert "last manager account" in accounts.message.text()
    click(qtbot, desk, accounts.toggle_active)
    assert "last manager account" in accounts.message.text()
    assert ledger_dump(store.path) == before


# -- settings -------------------------------------------------------------------------------


@pytest.fixture
def settings_page(qtbot: QtBot, desk: MainWindow) -> Any:
    screen = desk.show_screen("settings")
    idle(qtbot, desk)
    return screen


def test_settings_show_the_station_and_its_values(settings_page: Any) -> None:
    assert settings_page.name.text() == "Test Station"
    assert settings_page.lat.text() == "31.2"
    assert settings_page.fields["kiosk_idle_seconds"].text() == "60"
    assert settings_page.paper.currentData() == "80mm"
    assert settings_page.limits.rowCount() > 20


def test_save_the_station_profile_goes_to_the_outbox(qtbot: QtBot, desk: MainWindow,
                                                     settings_page: Any, store: Store) -> None:
    page = settings_page
    for field, text in ((page.name, "Harbour Centre"), (page.address, "2 Quay St"),
                        (page.lat, "22.28"), (page.lon, "114.16"),
                        (page.hours, "Daily 8:00-20:00")):
        field.clear()
        type_into(qtbot, field, text)
    click(qtbot, desk, page.save_profile)
    assert page.profile_message.text().startswith("✔ Saved")
    row = store.conn.execute("SELECT name, address, lat, lon, opening_hours FROM station"
                             ).fetchone()
    # the hours are read into days and times, and written back the one way
    assert tuple(row) == ("Harbour Centre", "2 Quay St", 22.28, 114.16, "Mon-Sun 08:00-20:00")
    assert page.hours.text() == "Mon-Sun 08:00-20:00"
    kind, body = store.conn.execute(
        "SELECT kind, body FROM outbox ORDER BY seq DESC LIMIT 1").fetchone()
    assert kind == "profile" and json.loads(body)["name"] == "Harbour Centre"


@pytest.mark.parametrize(("field", "text", "words"), [
    ("lat", "north", "latitude must be a number"),
    ("lon", "500", "longitude must be between"),
    ("name", "", "station name"),
    ("hours", "Mon-Sat 17:00-9:00", "ends before it starts"),
    ("hours", "mornings", "not a day or a time"),
])
def test_a_bad_profile_is_refused_and_nothing_changes(
        qtbot: QtBot, desk: MainWindow, settings_page: Any, store: Store, field: str,
        text: str, words: str) -> None:
    before = ledger_dump(store.path)
    widget = getattr(settings_page, field)
    widget.clear()
    type_into(qtbot, widget, text)
    click(qtbot, desk, settings_page.save_profile)
    assert settings_page.profile_message.text().startswith("✖ ")
    assert words in settings_page.profile_message.text()
    assert ledger_dump(store.path) == before


def test_the_time_zone_is_changed_in_settings_and_shown_in_the_status_bar(
        qtbot: QtBot, desk: MainWindow, settings_page: Any, store: Store) -> None:
    assert settings_page.zone.zone() == "UTC"
    before = ledger_dump(store.path)
    settings_page.zone.set_zone("Asia/Peking")
    click(qtbot, desk, settings_page.save_profile)
    assert "not a time zone" in settings_page.profile_message.text()
    assert ledger_dump(store.path) == before
    settings_page.zone.set_zone("Asia/Shanghai")
    click(qtbot, desk, settings_page.save_profile)
    assert settings_page.profile_message.text().startswith("✔ Saved")
    assert store.zone_name == "Asia/Shanghai"
    qtbot.waitUntil(lambda: desk.status.clock.text().endswith("Asia/Shanghai (UTC+08:00)"))
    # the desk's other times follow the station's clock too
    from kiosk.ui import stationclock
    from kiosk.ui.screens.manager.common import local_time

    try:
        assert local_time("2026-11-21T10:00:00.000000+00:00") == "2026-11-21 18:00"
    finally:
        stationclock.set_zone("")


def test_only_one_coordinate_is_refused(qtbot: QtBot, desk: MainWindow, settings_page: Any,
                                        store: Store) -> None:
    before = ledger_dump(store.path)
    settings_page.lon.clear()
    click(qtbot, desk, settings_page.save_profile)
    assert "both the latitude and the longitude" in settings_page.profile_message.text()
    assert ledger_dump(store.path) == before


def test_save_settings(qtbot: QtBot, desk: MainWindow, settings_page: Any,
                       store: Store) -> None:
    page = settings_page
    for key, value in (("retention_days", "14"), ("pickup_window_hours", "24"),
                       ("kiosk_idle_seconds", "90")):
        page.fields[key].clear()
        type_into(qtbot, page.fields[key], value)
    page.printer.setEditText("Desk receipt printer")
    page.paper.setCurrentIndex(page.paper.findData("58mm"))
    page.default_language.setCurrentIndex(page.default_language.findData("zh"))
    click(qtbot, desk, page.save_settings)
    assert page.settings_message.text() == "✔ Saved."
    values = {key: store.setting(key) for key in (
        "retention_days", "pickup_window_hours", "kiosk_idle_seconds", "printer_name", "paper",
        "default_language")}
    assert values == {"retention_days": "14", "pickup_window_hours": "24",
                      "kiosk_idle_seconds": "90", "printer_name": "Desk receipt printer",
                      "paper": "58mm", "default_language": "zh"}
    # the desk's slip printing starts from the station's paper
    match = desk.show_screen("match")
    idle(qtbot, desk)
    assert match.paper.currentData() == "58mm"  # type: ignore[attr-defined]
    assert match.printer_name == "Desk receipt printer"  # type: ignore[attr-defined]


@pytest.mark.parametrize(("key", "value", "words"), [
    ("kiosk_idle_seconds", "5", "idle timeout"),
    ("retention_days", "thirty", "retention period"),
    ("pickup_window_hours", "0", "pickup window"),
])
def test_a_bad_setting_changes_nothing(qtbot: QtBot, desk: MainWindow, settings_page: Any,
                                       store: Store, key: str, value: str, words: str) -> None:
    before = ledger_dump(store.path)
    settings_page.fields["retention_days"].setText("10")  # a good change beside the bad one
    settings_page.fields[key].setText(value)
    click(qtbot, desk, settings_page.save_settings)
    text = settings_page.settings_message.text()
    assert text.startswith("✖ Nothing was saved.") and words in text
    assert ledger_dump(store.path) == before


def _limit_cell(page: Any, item_id: str) -> Any:
    for row in range(page.limits.rowCount()):
        cell = page.limits.item(row, 3)
        if cell.data(Qt.ItemDataRole.UserRole) == item_id:
            return cell
    raise AssertionError(item_id)


def test_limits_per_item(qtbot: QtBot, desk: MainWindow, settings_page: Any,
                         store: Store) -> None:
    default = item_limit(store, IBU)
    _limit_cell(settings_page, IBU).setText("4")
    click(qtbot, desk, settings_page.save_limits)
    assert settings_page.limits_message.text() == "✔ Saved 1 limits."
    assert item_limit(store, IBU) == 4
    assert _limit_cell(settings_page, IBU).text() == "4"
    # a bad number: nothing saved, the reason shown
    before = ledger_dump(store.path)
    _limit_cell(settings_page, IBU).setText("0")
    _limit_cell(settings_page, "antigen-test-kit").setText("2")
    click(qtbot, desk, settings_page.save_limits)
    assert settings_page.limits_message.text().startswith("✖ Nothing was saved.")
    assert ledger_dump(store.path) == before
    # back to the catalog's
    settings_page.refresh()
    idle(qtbot, desk)
    click(qtbot, desk, settings_page.reset_limits)
    assert item_limit(store, IBU) == default
    assert _limit_cell(settings_page, IBU).text() == ""


def test_a_desk_without_its_own_language_starts_in_the_station_default(
        qtbot: QtBot, data_dir: Path, clock: Clock) -> None:
    from kiosk.db import settings
    from kiosk.db.station import open_station

    opened = open_station(data_dir)
    settings.save(opened, {"default_language": "zh"})
    opened.close()
    window = open_window(qtbot, data_dir, clock)
    try:
        qtbot.waitUntil(lambda: window.signin.heading.text() == "登录服务台")
    finally:
        window.close()
        translations().set_language("en")
    # a desk that chose English itself keeps it
    prefs.save(data_dir, prefs.Prefs(language="en"))
    window = open_window(qtbot, data_dir, clock)
    try:
        idle(qtbot, window)
        assert window.signin.heading.text() == "Sign in to the desk"
    finally:
        window.close()
