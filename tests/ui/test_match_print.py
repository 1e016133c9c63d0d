"""Match and print: first-expiry-first-out reservations, slips to PDF, re-printing."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from kiosk.db import ledger, requests
from kiosk.db.store import Store
from kiosk.ui.mainwindow import MainWindow
from kiosk.ui.screens.match import MatchScreen
from tests.conftest import days
from tests.ui.conftest import idle

IBU = "ibuprofen-200mg-tablet"


def screen_of(desk: MainWindow) -> MatchScreen:
    screen = desk.show_screen("match")
    assert isinstance(screen, MatchScreen)
    return screen


def test_matching_reserves_the_earliest_expiry_first_for_the_priority_request(
        qtbot: QtBot, desk: MainWindow, store: Store) -> None:
    late = ledger.receive(store, IBU, 24, days(400), "LATE")
    soon = ledger.receive(store, IBU, 6, days(40), "SOON")
    # expires tomorrow, before the 48-hour pickup window ends: never reserved
    ledger.receive(store, IBU, 24, days(1), "TOO-SOON")
    plain = requests.create(store, IBU, 8)
    child = requests.create(store, IBU, 8, priority="child", staff="amy",
                            override_reason="she is 13; checked with the pharmacist")
    screen = screen_of(desk)
    qtbot.mouseClick(screen.match_next, Qt.MouseButton.LeftButton)
    idle(qtbot, desk)
    assert screen.message.text().startswith("✔ Matched 1: request 2: 8 tablets of Ibuprofen")
    qtbot.waitUntil(lambda: screen.table.rowCount() == 1)
    row = [screen.table.item(0, column).text() for column in range(screen.table.columnCount())]
    assert row[0] == str(child.id) and row[1] == "★ Priority: Child"
    assert "lot SOON" in row[4] and "× 6" in row[4] and "× 2" in row[4]
    assert requests.get(store.conn, child.id).status == "reserved"
    assert requests.get(store.conn, plain.id).status == "open"
    held = dict(requests.reserved_lots(store.conn, child.id))
    # the lot that expires inside the pickup window is skipped, then the soonest is used up
    assert held[soon] == 6 and sum(held.values()) == 8 and late in held
    assert row[5] != "—" and row[6] != "—"  # a slip was issued with a short code


def test_nothing_to_match_says_so(qtbot: QtBot, desk: MainWindow, store: Store) -> None:
    requests.create(store, IBU, 4)  # no stock at all
    screen = screen_of(desk)
    qtbot.mouseClick(screen.match_next, Qt.MouseButton.LeftButton)
    idle(qtbot, desk)
    assert screen.message.text().startswith("✖ Not enough stock")
    assert requests.get(store.conn, 1).status == "open"


def test_match_all_then_print_a_slip_to_pdf_and_reprint_it_by_short_code(
        qtbot: QtBot, desk: MainWindow, store: Store, tmp_path: Path) -> None:
    ledger.receive(store, IBU, 40, days(300), "L1")
    for _ in range(3):
        requests.create(store, IBU, 4)
    screen = screen_of(desk)
    qtbot.mouseClick(screen.match_all, Qt.MouseButton.LeftButton)
    idle(qtbot, desk)
    assert screen.message.text().startswith("✔ Matched 3:")
    qtbot.waitUntil(lambda: screen.table.rowCount() == 3)
    screen.table.selectRow(1)
    idle(qtbot, desk)
    assert screen.view is not None and screen.view.slip_id == 2
    assert screen.pdf.isEnabled() and screen.preview.isEnabled()
    target = tmp_path / "slip-2.pdf"
    screen.save_pdf(target)
    assert screen.print_message.text() == f"✔ Saved {target}."
    assert target.read_bytes().startswith(b"%PDF")
    # a lost slip: find it by the short code printed on it
    short_code = screen.table.item(2, 6).text()
    screen.table.clearSelection()
    screen.view = None
    qtbot.keyClicks(screen.find_field, short_code.lower())
    qtbot.keyClick(screen.find_field, Qt.Key.Key_Return)
    idle(qtbot, desk)
    assert screen.view is not None and screen.view.slip_id == 3
    assert screen.slip_summary.text().startswith(f"Slip 3 ({short_code}): 4 tablets")
    screen.find_field.clear()
    qtbot.keyClicks(screen.find_field, "NOT-A-CODE")
    qtbot.keyClick(screen.find_field, Qt.Key.Key_Return)
    idle(qtbot, desk)
    assert screen.view is None
    assert screen.print_message.text().startswith("✖ Slip refused:")
    assert not screen.pdf.isEnabled()


def test_print_preview_opens_qt_preview_of_the_slip(qtbot: QtBot, desk: MainWindow,
                                                   store: Store) -> None:
    ledger.receive(store, IBU, 10, days(300), "L1")
    requests.create(store, IBU, 2)
    screen = screen_of(desk)
    qtbot.mouseClick(screen.match_next, Qt.MouseButton.LeftButton)
    idle(qtbot, desk)
    qtbot.waitUntil(lambda: screen.view is not None)
    from PySide6.QtPrintSupport import QPrintPreviewDialog

    qtbot.mouseClick(screen.preview, Qt.MouseButton.LeftButton)
    dialog = screen.dialog
    assert isinstance(dialog, QPrintPreviewDialog)
    qtbot.waitExposed(dialog)
    dialog.close()


def test_match_all_and_match_next_skip_a_request_the_safety_facts_refuse(
        qtbot: QtBot, desk: MainWindow, store: Store) -> None:
    """A child's aspirin request that nobody overrode (logged before the catalog said so)
    is never matched, and holds nobody else back."""
    aspirin = "aspirin-300mg-tablet"
    ledger.receive(store, aspirin, 20, days(200), "ASP")
    with store.write() as conn:
        conn.execute(
            "INSERT INTO request(created_at, item_id, units, priority, household, language, "
            "flag, status, status_at) VALUES (?, ?, 2, 'child', 1, 'en', '', 'open', ?)",
            (store.now_iso(), aspirin, store.now_iso()))
    adult = requests.create(store, aspirin, 2)
    screen = screen_of(desk)
    qtbot.mouseClick(screen.match_next, Qt.MouseButton.LeftButton)
    idle(qtbot, desk)
    assert screen.message.text().startswith(f"✔ Matched 1: request {adult.id}:")
    qtbot.mouseClick(screen.match_all, Qt.MouseButton.LeftButton)
    idle(qtbot, desk)
    assert screen.message.text().startswith("Nothing could be matched")
    assert requests.get(store.conn, 1).status == "open"
