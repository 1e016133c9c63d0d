"""Scan my slip: the slip's status for its holder (ready, collected, expired, cancelled);
nothing is ever handed over or changed from the kiosk."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from kiosk.clock import Clock
from kiosk.db import ledger, requests, slips
from kiosk.db.allocation import allocate
from kiosk.db.store import Store
from kiosk.ui.kiosk.slip import SlipPage
from kiosk.ui.kiosk.window import KioskWindow
from tests.conftest import days, ledger_dump
from tests.ui.kiosk.conftest import IBU, idle, tap


def issue_slip(store: Store, units: int = 6) -> Any:
    ledger.receive(store, IBU, 20, days(200), "B77")
    request = requests.create(store, IBU, units)
    [made] = allocate(store, request.id)
    return made


def slip_page(qtbot: QtBot, kiosk: KioskWindow) -> SlipPage:
    tap(qtbot, kiosk.pages["home"].tiles["slip"])  # type: ignore[attr-defined]
    page = kiosk.current
    assert isinstance(page, SlipPage)
    qtbot.waitUntil(page.scan.hasFocus)
    return page


def scan(qtbot: QtBot, text: str) -> None:
    """A keyboard-wedge scanner: the code typed fast into the focus, then Enter."""
    target = QApplication.focusWidget()
    assert target is not None
    qtbot.keyClicks(target, text)
    qtbot.keyClick(target, Qt.Key.Key_Return)


def test_a_scanned_slip_says_ready_and_changes_nothing(qtbot: QtBot, kiosk: KioskWindow,
                                                       store: Store) -> None:
    made = issue_slip(store)
    page = slip_page(qtbot, kiosk)
    before = ledger_dump(store.path)
    scan(qtbot, str(made.extra["token"]))
    idle(qtbot, kiosk)
    verdict = page.verdict_text
    assert "✔ Ready to collect" in verdict
    assert "Ready: 6 tablets of Ibuprofen 200 mg tablets. Collect at the desk by" in verdict
    assert "B77" not in verdict  # no lot details
    assert page.verdict.property("kind") == "ok"
    assert page.scan.text() == "" and page.scan.hasFocus()
    assert ledger_dump(store.path) == before  # never hands anything over
    assert requests.get(store.conn, made.request_id).status == "reserved"


def test_the_short_code_on_the_on_screen_keys(qtbot: QtBot, kiosk: KioskWindow,
                                              store: Store) -> None:
    made = issue_slip(store, units=3)
    page = slip_page(qtbot, kiosk)
    for key in str(made.extra["short_code"]):
        tap(qtbot, page.keypad.buttons[key])
    assert page.code.text() == made.extra["short_code"]
    tap(qtbot, page.check)
    idle(qtbot, kiosk)
    assert "✔ Ready to collect" in page.verdict_text
    assert page.code.text() == ""


def test_collected_expired_and_cancelled_slips_say_so(qtbot: QtBot, kiosk: KioskWindow,
                                                      store: Store, clock: Clock) -> None:
    collected = issue_slip(store, units=2)
    slips.redeem(store, str(collected.extra["token"]), "Ana")
    cancelled = issue_slip(store, units=2)
    slips.cancel(store, int(cancelled.extra["slip"]), "Ana")
    page = slip_page(qtbot, kiosk)
    scan(qtbot, str(collected.extra["token"]))
    idle(qtbot, kiosk)
    assert "✔ Already collected" in page.verdict_text
    assert "Collected on" in page.verdict_text
    scan(qtbot, str(cancelled.extra["token"]))
    idle(qtbot, kiosk)
    assert "✖ This slip was cancelled" in page.verdict_text
    assert page.verdict.property("kind") == "no"
    late = issue_slip(store, units=2)
    clock.advance(timedelta(days=30))
    scan(qtbot, str(late.extra["token"]))
    idle(qtbot, kiosk)
    assert "✖ The pickup time is over" in page.verdict_text


def test_a_forged_or_foreign_code_is_refused_plainly(qtbot: QtBot, kiosk: KioskWindow,
                                                     store: Store) -> None:
    made = issue_slip(store)
    token = str(made.extra["token"])
    page = slip_page(qtbot, kiosk)
    before = ledger_dump(store.path)
    forged = token[:-1] + ("A" if token[-1] != "A" else "B")
    scan(qtbot, forged)
    idle(qtbot, kiosk)
    assert "✖ This slip cannot be read" in page.verdict_text
    assert "This slip is not genuine" in page.verdict_text
    scan(qtbot, "6901234567892")  # a medicine box's barcode
    idle(qtbot, kiosk)
    assert "This is not a MedShare pickup slip." in page.verdict_text
    assert ledger_dump(store.path) == before


def test_a_scan_that_lands_in_the_short_code_box_still_works(
        qtbot: QtBot, kiosk: KioskWindow, store: Store) -> None:
    made = issue_slip(store)
    page = slip_page(qtbot, kiosk)
    page.code.setFocus()
    qtbot.keyClicks(page.code, "1A")  # a person starts typing, then scans after all
    qtbot.wait(150)
    scan(qtbot, str(made.extra["token"]))
    idle(qtbot, kiosk)
    assert "✔ Ready to collect" in page.verdict_text
    assert page.code.text() == ""
