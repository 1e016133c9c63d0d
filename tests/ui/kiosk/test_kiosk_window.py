"""The kiosk window: full screen and frameless, big targets, the languages on every page,
the idle timeout that starts over, and the exit that only a manager's PIN opens."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton
from pytestqt.qtbot import QtBot

from kiosk.clock import Clock
from kiosk.db import staff
from kiosk.db.store import Store
from kiosk.ui.i18n import language, translations
from kiosk.ui.kiosk.app import build_kiosk
from kiosk.ui.kiosk.need import NeedPage
from kiosk.ui.kiosk.unlock import UnlockPage
from kiosk.ui.kiosk.window import KioskWindow
from tests.ui.conftest import MANAGER, MANAGER_PIN, STAFF, STAFF_PIN
from tests.ui.kiosk.conftest import IBU, choose_item, idle, open_kiosk, tap

PAGES = ("home", "available", "need", "spare", "slip", "unlock")


def test_the_home_page_offers_four_choices_and_both_languages(qtbot: QtBot,
                                                              kiosk: KioskWindow) -> None:
    home = kiosk.current
    assert home.key == "home"
    tiles = home.tiles  # type: ignore[attr-defined]
    assert [tile.text() for tile in tiles.values()] == [
        "I need medicine", "I have spare medicine", "Scan my slip", "What is available"]
    assert all(not tile.icon().isNull() for tile in tiles.values())
    assert home.welcome.text() == "Welcome to Test Station"  # type: ignore[attr-defined]
    assert kiosk.station.text() == "Test Station"
    assert not kiosk.home_button.isVisible()
    tap(qtbot, kiosk.language_buttons["zh"])
    assert language() == "zh"
    qtbot.waitUntil(lambda: tiles["need"].text() == "我需要药品")  # Qt tells widgets later
    assert [tile.text() for tile in tiles.values()] == [
        "我需要药品", "我有闲置药品", "查询领取单", "现有药品"]
    assert home.welcome.text() == "欢迎来到Test Station"  # type: ignore[attr-defined]
    assert kiosk.language_buttons["zh"].isChecked()
    tap(qtbot, kiosk.language_buttons["en"])
    qtbot.waitUntil(lambda: tiles["need"].text() == "I need medicine")


@pytest.mark.parametrize("key", PAGES)
def test_every_page_has_the_language_switch_and_big_targets(qtbot: QtBot, kiosk: KioskWindow,
                                                            key: str) -> None:
    page = kiosk.show_page(key)
    if key in ("need", "spare"):
        page.choose(IBU)  # type: ignore[attr-defined]
    qtbot.wait(10)
    for button in kiosk.language_buttons.values():
        assert button.isVisible() and button.height() >= 64
    assert kiosk.home_button.isVisible() == (key != "home")
    small = [
        (button.objectName(), button.text(), button.height())
        for button in kiosk.findChildren(QAbstractButton)
        if button.isVisible() and button is not kiosk.corner and button.height() < 64
    ]
    assert small == []


def test_full_screen_without_window_frame(qtbot: QtBot, data_dir: Path, clock: Clock) -> None:
    window = build_kiosk(data_dir, clock=clock, language="en", fullscreen=True)
    qtbot.addWidget(window)
    window.showFullScreen()
    qtbot.waitExposed(window)
    try:
        assert window.isFullScreen()
        assert window.windowFlags() & Qt.WindowType.FramelessWindowHint
        idle(qtbot, window)
    finally:
        window.shut_down()


# -- the idle timeout -----------------------------------------------------------------------


def test_idle_clears_everything_and_starts_over_in_the_station_language(
        qtbot: QtBot, kiosk: KioskWindow) -> None:
    assert kiosk.idle.seconds == 60  # the default
    page = kiosk.show_page("need")
    assert isinstance(page, NeedPage)
    choose_item(qtbot, page, IBU)
    qtbot.keyClicks(page.phone, "13912345678")
    tap(qtbot, kiosk.language_buttons["zh"])
    kiosk.idle.set_seconds(0.3)
    qtbot.waitUntil(lambda: kiosk.current.key == "home", timeout=3000)
    assert language() == "en"
    assert page.phone.text() == "" and page.item is None
    assert page.views.currentWidget() is page.choose_view


def test_any_input_restarts_the_idle_timer(qtbot: QtBot, kiosk: KioskWindow) -> None:
    page = kiosk.show_page("slip")
    kiosk.idle.set_seconds(0.4)
    for _ in range(6):  # 1.2 s of someone typing slowly: longer than the timeout
        qtbot.wait(200)
        qtbot.keyClick(page.code, Qt.Key.Key_A)  # type: ignore[attr-defined]
        assert kiosk.current.key == "slip"
    qtbot.waitUntil(lambda: kiosk.current.key == "home", timeout=3000)
    assert page.code.text() == ""  # type: ignore[attr-defined]


@pytest.fixture
def kiosk_with_settings(qtbot: QtBot, data_dir: Path, clock: Clock,
                        receipts: Path) -> Iterator[KioskWindow]:
    from kiosk.db.station import open_station

    store = open_station(data_dir)
    with store.write() as conn:
        store.set_setting(conn, "kiosk_idle_seconds", "45")
        store.set_setting(conn, "default_language", "zh")
    store.close()
    window = open_kiosk(qtbot, data_dir, clock, receipts)
    yield window
    window.shut_down()
    translations().set_language("en")


def test_the_manager_settings_set_the_timeout_and_the_starting_language(
        qtbot: QtBot, kiosk_with_settings: KioskWindow) -> None:
    kiosk = kiosk_with_settings
    assert kiosk.idle.seconds == 45
    assert language() == "zh"
    tap(qtbot, kiosk.language_buttons["en"])
    kiosk.idle.set_seconds(0.2)
    qtbot.waitUntil(lambda: language() == "zh", timeout=3000)


# -- leaving kiosk mode ---------------------------------------------------------------------


def test_escape_alt_f4_and_close_do_not_end_kiosk_mode(qtbot: QtBot, kiosk: KioskWindow) -> None:
    kiosk.show_page("available")
    assert kiosk.close() is False
    qtbot.keyClick(kiosk, Qt.Key.Key_Escape)
    qtbot.keyClick(kiosk, Qt.Key.Key_F4, Qt.KeyboardModifier.AltModifier)
    qtbot.keyClick(kiosk, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(kiosk, Qt.Key.Key_W, Qt.KeyboardModifier.ControlModifier)
    assert kiosk.isVisible()
    assert kiosk.current.key == "available"


def hold(qtbot: QtBot, kiosk: KioskWindow, milliseconds: int) -> None:
    qtbot.mousePress(kiosk.corner, Qt.MouseButton.LeftButton)
    qtbot.wait(milliseconds)
    qtbot.mouseRelease(kiosk.corner, Qt.MouseButton.LeftButton)


def unlock_page(qtbot: QtBot, kiosk: KioskWindow) -> UnlockPage:
    kiosk.corner.set_hold_ms(300)
    hold(qtbot, kiosk, 50)  # a tap on the corner does nothing
    assert kiosk.current.key == "home"
    hold(qtbot, kiosk, 450)
    page = kiosk.current
    assert isinstance(page, UnlockPage)
    idle(qtbot, kiosk)
    return page


def type_pin(qtbot: QtBot, page: UnlockPage, name: str, pin: str) -> None:
    page.name.setCurrentText(name)
    for digit in pin:
        tap(qtbot, page.keypad.buttons[digit])
    tap(qtbot, page.unlock)


def test_only_a_manager_pin_ends_kiosk_mode(qtbot: QtBot, kiosk: KioskWindow,
                                            store: Store) -> None:
    page = unlock_page(qtbot, kiosk)
    names = [page.name.itemText(i) for i in range(page.name.count())]
    assert sorted(names) == sorted([MANAGER, STAFF])
    # a wrong PIN: refused, counted towards the desk's lockout
    type_pin(qtbot, page, MANAGER, "0000")
    idle(qtbot, kiosk)
    assert page.message.text().startswith("✖ Wrong PIN")
    assert staff.get(store.conn, MANAGER).failed_attempts == 1
    assert kiosk.isVisible()
    # a staff member's right PIN: refused too
    type_pin(qtbot, page, STAFF, STAFF_PIN)
    idle(qtbot, kiosk)
    assert page.message.text() == "✖ Only a manager can leave kiosk mode."
    assert kiosk.isVisible()
    # Cancel: back to the start, the PIN forgotten
    tap(qtbot, page.cancel)
    assert kiosk.current.key == "home" and page.pin.text() == ""
    page = unlock_page(qtbot, kiosk)
    with qtbot.waitSignal(kiosk.unlocked, timeout=10_000) as unlocked:
        type_pin(qtbot, page, MANAGER, MANAGER_PIN)
    assert unlocked.args is not None and unlocked.args[0].name == MANAGER
    assert not kiosk.isVisible()


def test_the_lockout_holds_at_the_kiosk_too(qtbot: QtBot, kiosk: KioskWindow,
                                            store: Store) -> None:
    page = unlock_page(qtbot, kiosk)
    for _ in range(staff.MAX_FAILURES):
        type_pin(qtbot, page, MANAGER, "9999")
        idle(qtbot, kiosk)
    assert page.message.text().startswith("✖ Account locked")
    type_pin(qtbot, page, MANAGER, MANAGER_PIN)  # even the right PIN, while locked
    idle(qtbot, kiosk)
    assert page.message.text().startswith("✖ Account locked")
    assert kiosk.isVisible()


def test_without_any_manager_account_leaving_needs_no_pin(qtbot: QtBot, tmp_path: Path,
                                                         clock: Clock, receipts: Path) -> None:
    from kiosk.db.station import init

    init(tmp_path / "fresh", "NEW1", "New Station").close()  # `medshare init`, no desk yet
    kiosk = open_kiosk(qtbot, tmp_path / "fresh", clock, receipts)
    try:
        page = unlock_page(qtbot, kiosk)
        assert page.open_door and not page.pin.isVisible()
        assert page.message.text().startswith("There is no manager account yet")
        with qtbot.waitSignal(kiosk.unlocked, timeout=10_000):
            tap(qtbot, page.unlock)
        assert not kiosk.isVisible()
    finally:
        kiosk.shut_down()


def test_a_folder_without_a_station_offers_nothing_but_the_way_out(
        qtbot: QtBot, tmp_path: Path, clock: Clock) -> None:
    kiosk = build_kiosk(tmp_path / "empty", clock=clock, language="en", fullscreen=False)
    qtbot.addWidget(kiosk)
    kiosk.show()
    qtbot.waitUntil(lambda: kiosk.services.state is not None)
    try:
        assert kiosk.notice.text() == "This station is not set up yet. Please ask staff."
        tiles = kiosk.pages["home"].tiles  # type: ignore[attr-defined]
        assert not any(tile.isEnabled() for tile in tiles.values())
        page = unlock_page(qtbot, kiosk)
        assert page.open_door
        with qtbot.waitSignal(kiosk.unlocked, timeout=10_000):
            tap(qtbot, page.unlock)
    finally:
        kiosk.shut_down()


def test_the_demo_says_who_may_leave_kiosk_mode(qtbot: QtBot, data_dir: Path, clock: Clock,
                                                receipts: Path) -> None:
    kiosk = open_kiosk(qtbot, data_dir, clock, receipts, demo=True)
    try:
        page = unlock_page(qtbot, kiosk)
        assert page.demo_hint.isVisible()
        assert page.demo_hint.text() == "Demo station: the manager is “Demo manager”, PIN 1234."
        with qtbot.waitSignal(kiosk.unlocked, timeout=10_000):
            type_pin(qtbot, page, "Demo manager", "1234")
    finally:
        kiosk.shut_down()
