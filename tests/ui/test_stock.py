"""Stock: balances, expired and expiring stock marked in words, write-offs, counts."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from kiosk.clock import Clock
from kiosk.db import ledger
from kiosk.db.store import Store
from kiosk.ui.mainwindow import MainWindow
from kiosk.ui.screens.stock import StockScreen
from tests.conftest import days
from tests.ui.conftest import MANAGER, idle

IBU = "ibuprofen-200mg-tablet"
PARA = "paracetamol-500mg-tablet"


def stocked(store: Store, clock: Clock) -> dict[str, int]:
    """Lots received a while ago, so one has expired by now."""
    from datetime import timedelta

    clock.advance(timedelta(days=-100))
    old = ledger.receive(store, IBU, 10, days(-50), "OLD")  # expired 50 days ago
    clock.advance(timedelta(days=100))
    soon = ledger.receive(store, IBU, 20, days(10), "SOON")
    good = ledger.receive(store, PARA, 30, days(300), "GOOD")
    return {"old": old, "soon": soon, "good": good}


def screen_of(qtbot: QtBot, desk: MainWindow) -> StockScreen:
    screen = desk.show_screen("stock")
    assert isinstance(screen, StockScreen)
    idle(qtbot, desk)
    return screen


def row_texts(table: object, row: int) -> list[str]:
    return [table.item(row, column).text()  # type: ignore[attr-defined]
            for column in range(table.columnCount())]  # type: ignore[attr-defined]


def test_expired_and_expiring_stock_is_marked_with_words_and_symbols(
        qtbot: QtBot, desk: MainWindow, store: Store, clock: Clock) -> None:
    lots = stocked(store, clock)
    screen = screen_of(qtbot, desk)
    rows = {row_texts(screen.items, row)[0]: row_texts(screen.items, row)
            for row in range(screen.items.rowCount())}
    ibu = rows["Ibuprofen 200 mg tablets"]
    assert ibu[1:5] == ["30", "0", "20", days(10)]
    assert ibu[5] == "⊘ 10 expired or recalled; ⚠ 20 expire within 30 days"
    assert rows["Paracetamol 500 mg tablets"][5] == "✔ OK"
    screen.select_item(IBU)
    idle(qtbot, desk)
    states = {row_texts(screen.lots_table, row)[1]: row_texts(screen.lots_table, row)[6]
              for row in range(screen.lots_table.rowCount())}
    assert states == {"OLD": "⊘ Expired", "SOON": "⚠ Expires soon"}
    assert lots["old"] in [lot.id for lot in ledger.lots(store.conn, IBU)]


def test_write_off_with_a_reason_and_record_a_count(qtbot: QtBot, desk: MainWindow,
                                                   store: Store, clock: Clock) -> None:
    lots = stocked(store, clock)
    screen = screen_of(qtbot, desk)
    screen.select_item(PARA)
    idle(qtbot, desk)
    assert not screen.lot_actions.isEnabled()
    screen.select_lot(lots["good"])
    assert screen.lot_actions.isEnabled()
    assert screen.counted.value() == 30
    screen.write_off_units.setValue(4)
    screen.reason.setCurrentIndex(0)  # damaged or opened
    qtbot.mouseClick(screen.write_off, Qt.MouseButton.LeftButton)
    idle(qtbot, desk)
    assert screen.message.text() == "✔ Wrote off 4 units of lot 3 (Damaged or opened)."
    last = ledger.movements(store.conn, lot_id=lots["good"])[-1]
    assert (last["kind"], last["units"], last["reason"], last["staff"]) == (
        "disposed", 4, "damaged", MANAGER)
    qtbot.waitUntil(lambda: row_texts(screen.lots_table, 0)[3] == "26")
    # a count that finds two boxes fewer than the ledger says
    screen.select_lot(lots["good"])
    screen.counted.setValue(24)
    qtbot.mouseClick(screen.record_count, Qt.MouseButton.LeftButton)
    idle(qtbot, desk)
    assert screen.message.text() == "✔ Lot 3: 24 counted; recorded an adjustment of -2."
    last = ledger.movements(store.conn, lot_id=lots["good"])[-1]
    assert (last["kind"], last["on_hand_delta"]) == ("adjusted", -2)
    assert ledger.get_lot(store.conn, lots["good"]).on_hand == 24


def test_writing_off_more_than_is_free_is_refused(qtbot: QtBot, desk: MainWindow,
                                                 store: Store, clock: Clock) -> None:
    lots = stocked(store, clock)
    screen = screen_of(qtbot, desk)
    screen.select_item(PARA)
    idle(qtbot, desk)
    screen.select_lot(lots["good"])
    screen.write_off_units.setValue(31)
    qtbot.mouseClick(screen.write_off, Qt.MouseButton.LeftButton)
    idle(qtbot, desk)
    assert screen.message.text().startswith("✖ Please check: Lot 3 has only 30")
    assert ledger.get_lot(store.conn, lots["good"]).on_hand == 30


def test_write_off_all_expired_lots(qtbot: QtBot, desk: MainWindow, store: Store,
                                   clock: Clock) -> None:
    lots = stocked(store, clock)
    screen = screen_of(qtbot, desk)
    qtbot.mouseClick(screen.expire_button, Qt.MouseButton.LeftButton)
    idle(qtbot, desk)
    assert screen.message.text() == "✔ Wrote off 1 expired lots (10 units)."
    assert ledger.get_lot(store.conn, lots["old"]).on_hand == 0
    kinds = [row["kind"] for row in ledger.movements(store.conn, lot_id=lots["old"])]
    assert kinds == ["received", "expired"]
    rows = [row_texts(screen.items, row) for row in range(screen.items.rowCount())]
    assert ["Ibuprofen 200 mg tablets", "20", "0", "20"] in [row[:4] for row in rows]
