"""I have spare medicine: a pre-registration with a receipt; stock only once the desk takes
the inspected box in (one transaction), or declines it with a reason."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from kiosk.db import ledger, pledges
from kiosk.db.store import Store
from kiosk.db.verify import verify
from kiosk.ui.kiosk.spare import SparePage, month_end
from kiosk.ui.kiosk.window import KioskWindow
from kiosk.ui.mainwindow import MainWindow
from kiosk.ui.screens.dropoff import DropOffScreen
from tests.conftest import NOW, days
from tests.ui.conftest import MANAGER
from tests.ui.conftest import idle as desk_idle
from tests.ui.kiosk.conftest import PARA, choose_item, idle, pdf_text, tap


def spare_page(qtbot: QtBot, kiosk: KioskWindow) -> SparePage:
    tap(qtbot, kiosk.pages["home"].tiles["spare"])  # type: ignore[attr-defined]
    page = kiosk.current
    assert isinstance(page, SparePage)
    return page


def test_a_pledge_made_by_touch_is_pending_not_stock_and_gets_a_receipt(
        qtbot: QtBot, kiosk: KioskWindow, store: Store, receipts: Path) -> None:
    page = spare_page(qtbot, kiosk)
    choose_item(qtbot, page, PARA)
    assert page.units_label.text() == "How many tablets"
    # the count by the on-screen keys: the units field has the focus, its 1 selected
    assert page.units.edit.hasFocus()
    for key in "24":
        tap(qtbot, page.keypad.buttons[key])
    assert page.units.value() == 24
    # expiry by year and month (what boxes print); kept as the month's last day
    assert (page.year.value(), page.month.value()) == (NOW.year + 1, NOW.month)
    tap(qtbot, page.month.plus)
    expected = month_end(NOW.year + 1, NOW.month + 1)
    assert page.expiry_hint.text() == (
        f"Good until the end of {expected:%Y-%m} (staff check the date on the box).")
    tap(qtbot, page.send)
    idle(qtbot, kiosk)
    [pledge] = pledges.pending(store.conn)
    assert (pledge.item_id, pledge.units, pledge.status, pledge.language) == (
        PARA, 24, "pending", "en")
    assert pledge.expiry == expected
    assert ledger.lots(store.conn, PARA) == []  # a promise, not stock
    assert page.done.number.text() == str(pledge.id)
    assert page.done.what.text() == "Paracetamol 500 mg tablets — 24 tablets"
    qtbot.waitUntil(lambda: page.done.printed is not None)
    text = pdf_text(receipts / f"pledge-{pledge.id:06d}.pdf")
    assert f"No. {pledge.id}" in text and "24 tablets" in text
    assert "bring the sealed box to the desk" in text


def test_a_month_that_has_passed_is_refused_before_sending(
        qtbot: QtBot, kiosk: KioskWindow, store: Store) -> None:
    page = spare_page(qtbot, kiosk)
    choose_item(qtbot, page, PARA)
    page.year.setValue(NOW.year)
    page.month.setValue(NOW.month - 1)
    assert page.expiry_hint.text().startswith("✖ That date has passed")
    tap(qtbot, page.send)
    assert page.message.text() == "✖ That date has passed: expired medicine cannot be shared."
    assert pledges.pending(store.conn) == []


def dropoff(desk: MainWindow) -> DropOffScreen:
    screen = desk.show_screen("dropoff")
    assert isinstance(screen, DropOffScreen)
    return screen


def test_the_desk_takes_a_pending_drop_off_in_as_a_lot(qtbot: QtBot, desk: MainWindow,
                                                       store: Store) -> None:
    pledge = pledges.create(store, PARA, 24, days(300))
    other = pledges.create(store, "antigen-test-kit", 2, days(100))
    screen = dropoff(desk)
    panel = screen.pending
    panel.refresh()
    desk_idle(qtbot, desk)
    assert panel.list.count() == 2
    assert panel.list.item(0).text().startswith(
        f"No. {pledge.id} · 24 tablets of Paracetamol 500 mg tablets · expires {days(300)}")
    panel.list.setCurrentRow(0)
    qtbot.mouseClick(panel.use, Qt.MouseButton.LeftButton)
    # the form holds what the resident registered; staff correct what differs
    assert screen.picker.item.id == PARA
    assert screen.units.value() == 24
    assert screen.expiry.value() == date.fromisoformat(days(300))
    assert f"Drop-off {pledge.id} from the kiosk" in screen.message.text()
    screen.units.setValue(20)
    screen.lot.setText("K-55")
    screen.sealed.setChecked(True)
    qtbot.mouseClick(screen.save, Qt.MouseButton.LeftButton)
    desk_idle(qtbot, desk)
    assert screen.message.text().startswith("✔ Saved as lot")
    accepted = pledges.get(store.conn, pledge.id)
    assert (accepted.status, accepted.staff) == ("accepted", MANAGER)
    lot = ledger.get_lot(store.conn, accepted.lot_id or 0)
    assert (lot.item_id, lot.on_hand, lot.lot_number, lot.expiry.isoformat()) == (
        PARA, 20, "K-55", days(300))
    [movement] = ledger.movements(store.conn, lot_id=lot.id)
    assert (movement["kind"], movement["units"], movement["staff"]) == ("received", 20, MANAGER)
    assert verify(store) == []
    # the list now holds only the other one, and the form is ready for an ordinary drop-off
    desk_idle(qtbot, desk)
    assert [panel.list.item(i).data(Qt.ItemDataRole.UserRole)
            for i in range(panel.list.count())] == [other.id]
    assert screen.pledge is None


def test_a_drop_off_that_cannot_be_taken_in_is_declined_with_a_reason(
        qtbot: QtBot, desk: MainWindow, store: Store) -> None:
    pledge = pledges.create(store, PARA, 24, days(300))
    panel = dropoff(desk).pending
    panel.refresh()
    desk_idle(qtbot, desk)
    panel.list.setCurrentRow(0)
    qtbot.mouseClick(panel.decline, Qt.MouseButton.LeftButton)
    assert panel.message.text() == "✖ Say why it cannot be taken in."
    panel.reason.setText("box was opened")
    qtbot.mouseClick(panel.decline, Qt.MouseButton.LeftButton)
    desk_idle(qtbot, desk)
    declined = pledges.get(store.conn, pledge.id)
    assert (declined.status, declined.reason, declined.staff) == (
        "declined", "box was opened", MANAGER)
    assert ledger.lots(store.conn, in_stock=False) == []
    assert panel.message.text() == f"✔ Drop-off {pledge.id} declined."
    assert panel.list.item(0).text() == "None waiting."
