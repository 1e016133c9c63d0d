"""Pickup: a scanner's burst of keys (or a typed short code) hands over, once."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from kiosk.db import ledger, requests
from kiosk.db.allocation import allocate
from kiosk.db.store import Store
from kiosk.ui.mainwindow import MainWindow
from kiosk.ui.screens.pickup import PickupScreen
from tests.conftest import days
from tests.ui.conftest import MANAGER, idle

IBU = "ibuprofen-200mg-tablet"


def issue_slip(store: Store, units: int = 6) -> Any:
    ledger.receive(store, IBU, 20, days(200), "B77")
    request = requests.create(store, IBU, units)
    [made] = allocate(store, request.id)
    return made


def screen_of(desk: MainWindow) -> PickupScreen:
    screen = desk.show_screen("pickup")
    assert isinstance(screen, PickupScreen)
    return screen


def scan(qtbot: QtBot, text: str) -> None:
    """What a keyboard-wedge scanner does: type the code fast, then Enter, into the focus."""
    target = QApplication.focusWidget()
    assert target is not None
    qtbot.keyClicks(target, text)
    qtbot.keyClick(target, Qt.Key.Key_Return)


def test_a_scanned_slip_says_what_to_hand_over_and_dispenses_it(
        qtbot: QtBot, desk: MainWindow, store: Store) -> None:
    made = issue_slip(store)
    screen = screen_of(desk)
    assert screen.scan.hasFocus()
    scan(qtbot, str(made.extra["token"]))
    idle(qtbot, desk)
    verdict = screen.verdict_text
    assert "✔ HAND OVER" in verdict
    assert "6 tablets of Ibuprofen 200 mg tablets" in verdict
    assert "6 from lot B77 (expires" in verdict
    assert screen.verdict.property("kind") == "ok"
    assert screen.scan.text() == "" and screen.scan.hasFocus()
    assert requests.get(store.conn, made.request_id).status == "collected"
    kinds = [(row["kind"], row["units"], row["staff"])
             for row in ledger.movements(store.conn, request_id=made.request_id)]
    assert ("dispensed", 6, MANAGER) in kinds
    # the same slip again: refused, and nothing more leaves the shelf
    scan(qtbot, str(made.extra["token"]))
    idle(qtbot, desk)
    assert "✖ DO NOT HAND OVER" in screen.verdict_text
    assert "already been collected" in screen.verdict_text
    assert screen.verdict.property("kind") == "no"
    [lot] = ledger.lots(store.conn, IBU)
    assert lot.on_hand == 14


def test_the_short_code_typed_by_hand_works_too(qtbot: QtBot, desk: MainWindow,
                                               store: Store) -> None:
    made = issue_slip(store, units=3)
    screen = screen_of(desk)
    qtbot.mouseClick(screen.code, Qt.MouseButton.LeftButton)
    screen.code.setFocus()
    qtbot.keyClicks(screen.code, str(made.extra["short_code"]).lower().replace("-", " "))
    qtbot.keyClick(screen.code, Qt.Key.Key_Return)
    idle(qtbot, desk)
    assert "✔ HAND OVER" in screen.verdict_text
    assert screen.scan.hasFocus()  # back to the scan field for the next person
    assert requests.get(store.conn, made.request_id).status == "collected"


def test_a_burst_into_the_short_code_box_still_counts_as_a_scan(qtbot: QtBot, desk: MainWindow,
                                                              store: Store) -> None:
    made = issue_slip(store)
    screen = screen_of(desk)
    screen.code.setFocus()
    qtbot.keyClicks(screen.code, "1A")  # someone started typing by hand...
    qtbot.wait(150)  # ...at a person's pace, then scanned instead
    scan(qtbot, str(made.extra["token"]))
    idle(qtbot, desk)
    assert "✔ HAND OVER" in screen.verdict_text
    assert requests.get(store.conn, made.request_id).status == "collected"
    assert screen.code.text() == "1A"  # the scanned characters were taken out again


def test_a_forged_slip_is_refused_and_nothing_moves(qtbot: QtBot, desk: MainWindow,
                                                   store: Store) -> None:
    made = issue_slip(store)
    token = str(made.extra["token"])
    forged = token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB")
    screen = screen_of(desk)
    scan(qtbot, forged)
    idle(qtbot, desk)
    assert "✖ DO NOT HAND OVER" in screen.verdict_text
    assert requests.get(store.conn, made.request_id).status == "reserved"
    scan(qtbot, "6901234567892")  # the barcode on a medicine box
    idle(qtbot, desk)
    assert "This is not a MedShare pickup slip." in screen.verdict_text
    assert "product barcode" in screen.verdict_text


def test_the_scan_field_takes_the_focus_back(qtbot: QtBot, desk: MainWindow) -> None:
    screen = screen_of(desk)
    screen.verdict.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
    screen.verdict.setFocus()
    qtbot.waitUntil(screen.scan.hasFocus)
    # the short code box may have it while someone types there
    screen.code.setFocus()
    qtbot.wait(20)
    assert screen.code.hasFocus()


def test_without_a_camera_the_screen_says_so(qtbot: QtBot, desk: MainWindow) -> None:
    screen = screen_of(desk)
    qtbot.waitUntil(lambda: screen.camera.cameras is not None)
    assert screen.camera.cameras == []
    assert screen.camera.notice.text().startswith("✖ No camera found.")
