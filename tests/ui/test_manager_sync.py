"""The sync panel and the status bar against a real `medshare-central serve` process."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from kiosk.clock import Clock
from kiosk.db import ledger
from kiosk.db.store import Store
from kiosk.sync import client, protocol
from kiosk.ui.mainwindow import MainWindow
from tests.conftest import days
from tests.sync.conftest import Central
from tests.ui.conftest import idle, open_window, sign_in, type_into

IBU = "ibuprofen-200mg-tablet"
WAIT = 20_000


@pytest.fixture
def central(tmp_path: Path) -> Iterator[Central]:
    server = Central(tmp_path)
    yield server
    server.stop()


@pytest.fixture
def panel(qtbot: QtBot, desk: MainWindow) -> Any:
    screen = desk.show_screen("sync")
    idle(qtbot, desk)
    return screen


def enrol(qtbot: QtBot, desk: MainWindow, panel: Any, central: Central) -> None:
    type_into(qtbot, panel.url, central.url)
    type_into(qtbot, panel.code, central.code("Test Station"), enter=True)
    qtbot.waitUntil(lambda: panel.enrol_message.text().startswith("✔ Enrolled as "),
                    timeout=WAIT)


def test_not_enrolled_is_said_plainly(qtbot: QtBot, desk: MainWindow, panel: Any) -> None:
    assert desk.status.sync.text() == "Sync: not enrolled"
    assert panel.values["enrolled"].text().startswith("No")
    assert not panel.sync_now.isEnabled()
    assert panel.values["outbox"].text() == "1 changes"  # the profile, from init


def test_enrol_from_the_panel_then_the_status_bar_turns_online(
        qtbot: QtBot, desk: MainWindow, panel: Any, central: Central, store: Store) -> None:
    enrol(qtbot, desk, panel, central)
    qtbot.waitUntil(lambda: "● online" in desk.status.sync.text(), timeout=WAIT)
    qtbot.waitUntil(lambda: desk.status.sync.text().endswith("· 0 waiting to send"),
                    timeout=WAIT)
    state = client.status(store)
    assert state.enrolled and state.online and state.server_url == central.url
    assert panel.values["station"].text() == state.station_id
    assert panel.values["online"].text() == "● online"
    assert panel.error.text() == "None"
    # the station's profile reached the central endpoint
    assert [kind for _, kind, _ in central.events(str(state.station_id))] == ["profile"]


def test_a_local_change_is_sent_without_asking(qtbot: QtBot, desk: MainWindow, panel: Any,
                                               central: Central, store: Store) -> None:
    enrol(qtbot, desk, panel, central)
    qtbot.waitUntil(lambda: desk.status.sync.text().endswith("· 0 waiting to send"),
                    timeout=WAIT)
    desk.services.receive(IBU, 24, desk.services.state.today + timedelta(days=200), "L1",
                          "donation")
    station_id = str(client.status(store).station_id)
    qtbot.waitUntil(lambda: any(kind == "listing" for _, kind, _ in central.events(station_id)),
                    timeout=WAIT)
    [listing] = [body for _, kind, body in central.events(station_id) if kind == "listing"]
    assert (listing["item"], listing["available"]) == (IBU, 24)
    qtbot.waitUntil(lambda: desk.status.sync.text().endswith("· 0 waiting to send"),
                    timeout=WAIT)


def test_sync_now_and_offline_shows_the_error(qtbot: QtBot, desk: MainWindow, panel: Any,
                                              central: Central, store: Store) -> None:
    enrol(qtbot, desk, panel, central)
    qtbot.waitUntil(lambda: "● online" in desk.status.sync.text(), timeout=WAIT)
    idle(qtbot, desk)
    qtbot.mouseClick(panel.sync_now, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.round_message.text() == "✔ Synced.", timeout=WAIT)
    central.stop()
    ledger.receive(store, IBU, 5, days(100))  # waits in the outbox while offline
    qtbot.mouseClick(panel.sync_now, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.round_message.text().startswith("✖ Could not sync"),
                    timeout=WAIT)
    assert "○ offline" in desk.status.sync.text()
    assert panel.values["online"].text() == "○ offline"
    assert "Cannot reach the central endpoint" in panel.error.text()
    # the new listing (and the day's anonymous counts) wait to be sent
    waiting = client.status(store).outbox_length
    assert waiting >= 1
    assert desk.status.sync.text().endswith(f"· {waiting} waiting to send")
    # back online: the change goes out and the bar says so
    central.start()
    qtbot.mouseClick(panel.sync_now, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "● online" in desk.status.sync.text(), timeout=WAIT)
    qtbot.waitUntil(lambda: desk.status.sync.text().endswith("· 0 waiting to send"),
                    timeout=WAIT)
    assert panel.error.text() == "None"


def test_a_scanned_enrolment_qr_code_fills_in_address_and_code(
        qtbot: QtBot, desk: MainWindow, panel: Any, central: Central, store: Store) -> None:
    payload = protocol.enrolment_qr_payload(central.code("Test Station"), central.url)
    type_into(qtbot, panel.code, payload, enter=True)  # a keyboard-wedge scanner types this
    qtbot.waitUntil(lambda: panel.enrol_message.text().startswith("✔ Enrolled"), timeout=WAIT)
    assert panel.url.text() == central.url
    assert client.status(store).server_url == central.url


def test_a_wrong_code_is_refused_with_the_reason(qtbot: QtBot, desk: MainWindow, panel: Any,
                                                 central: Central, store: Store) -> None:
    type_into(qtbot, panel.url, central.url)
    type_into(qtbot, panel.code, "ABCD-EFGH-JKMN", enter=True)
    qtbot.waitUntil(lambda: panel.enrol_message.text().startswith("✖"), timeout=WAIT)
    assert not client.status(store).enrolled
    panel.code.clear()
    type_into(qtbot, panel.code, "not a code", enter=True)
    qtbot.waitUntil(lambda: "12 letters and digits" in panel.enrol_message.text(),
                    timeout=WAIT)
    assert desk.status.sync.text() == "Sync: not enrolled"


def test_an_enrolled_station_syncs_when_the_desk_opens(qtbot: QtBot, data_dir: Path,
                                                       clock: Clock, central: Central,
                                                       store: Store) -> None:
    client.SyncClient(store).enrol(central.url, central.code("Test Station"))
    window = open_window(qtbot, data_dir, clock)
    try:
        qtbot.waitUntil(lambda: "● online" in window.status.sync.text(), timeout=WAIT)
        sign_in(qtbot, window)
        assert window.background.enrolled
    finally:
        window.close()


def test_an_ack_the_station_cannot_explain_is_shown_in_the_panel(
    qtbot: QtBot, desk: MainWindow, panel: Any, central: Central, store: Store
) -> None:
    from tests.sync.test_reconcile import LyingProxy

    proxy = LyingProxy(central.url, 1_000_000)
    type_into(qtbot, panel.url, proxy.url)
    type_into(qtbot, panel.code, central.code("Test Station"), enter=True)
    qtbot.waitUntil(lambda: panel.enrol_message.text().startswith("✔ Enrolled as "),
                    timeout=WAIT)
    idle(qtbot, desk)
    ledger.receive(store, IBU, 5, days(100))
    qtbot.mouseClick(panel.sync_now, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Protocol error" in panel.error.text(), timeout=WAIT)
    assert "1000000" in panel.error.text()
    assert client.status(store).acked_seq == 0  # nothing was marked sent
