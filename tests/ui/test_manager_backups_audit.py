"""Manager console: backups (scheduled, now, restore), housekeeping, and the audit ledger."""

from __future__ import annotations

import sqlite3
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from kiosk.clock import Clock
from kiosk.db import ledger, maintenance
from kiosk.db.allocation import allocate
from kiosk.db.requests import create
from kiosk.db.station import open_station
from kiosk.db.store import Store
from kiosk.db.verify import verify
from kiosk.ui.mainwindow import MainWindow
from kiosk.ui.screens.manager.audit import IN_FLIGHT, KEEP_PAGES, PAGE_ROWS
from tests.conftest import NOW, days, ledger_dump
from tests.ui.conftest import idle, sign_in, type_into

IBU = "ibuprofen-200mg-tablet"
PARA = "paracetamol-500mg-tablet"


def click(qtbot: QtBot, desk: MainWindow, button: Any) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    idle(qtbot, desk)


@pytest.fixture
def backups(qtbot: QtBot, desk: MainWindow) -> Any:
    screen = desk.show_screen("backups")
    idle(qtbot, desk)
    return screen


# -- backups --------------------------------------------------------------------------------


def test_a_backup_is_taken_at_start_and_the_time_is_always_shown(
        qtbot: QtBot, desk: MainWindow, backups: Any, data_dir: Path, store: Store) -> None:
    found = maintenance.backups(data_dir)
    assert len(found) == 1
    assert desk.status.backup.text() == "Last backup: " + found[0].taken_at.astimezone(
    ).strftime("%Y-%m-%d %H:%M")
    assert backups.last.text() == desk.status.backup.text()
    assert backups.files.rowCount() == 1
    head = store.conn.execute("SELECT count(*) FROM movement").fetchone()
    shown = backups.files.item(0, 3).text()  # the ledger head: the backup is an anchor too
    assert shown.startswith(f"{head[0]:,} / ") and len(shown.split(" / ")[1]) == 12
    # the desk screens show it too: it is in the status bar
    desk.show_screen("stock")
    assert desk.status.backup.isVisible()


def test_back_up_now_rotates(qtbot: QtBot, desk: MainWindow, backups: Any, clock: Clock,
                             data_dir: Path, store: Store) -> None:
    store.set_setting(store.conn, "backup_keep", "2")
    for _ in range(3):
        clock.advance(timedelta(minutes=5))
        click(qtbot, desk, backups.back_up)
        assert backups.message.text().startswith("✔ Backed up to ")
    found = maintenance.backups(data_dir)
    assert [b.taken_at for b in found] == [NOW + timedelta(minutes=15),
                                           NOW + timedelta(minutes=10)]
    qtbot.waitUntil(lambda: backups.files.rowCount() == 2)
    assert desk.status.backup.text().endswith(
        (NOW + timedelta(minutes=15)).astimezone().strftime("%H:%M"))


def test_save_a_copy_elsewhere(qtbot: QtBot, desk: MainWindow, backups: Any,
                               tmp_path: Path) -> None:
    target = tmp_path / "usb" / "station-copy.db"
    backups.copy_to_file(target)
    idle(qtbot, desk)
    assert backups.message.text() == f"✔ Saved a copy to {target}."
    assert maintenance.check(target) is None


def test_the_backup_schedule(qtbot: QtBot, desk: MainWindow, backups: Any,
                             store: Store) -> None:
    backups.interval.setText("12")
    backups.keep.setText("30")
    click(qtbot, desk, backups.save_schedule)
    assert (store.setting("backup_interval_hours"), store.setting("backup_keep")) == ("12", "30")
    before = ledger_dump(store.path)
    backups.keep.setText("0")
    click(qtbot, desk, backups.save_schedule)
    assert backups.schedule_message.text().startswith("✖ Nothing was saved.")
    assert ledger_dump(store.path) == before


def test_check_a_backup(qtbot: QtBot, desk: MainWindow, backups: Any) -> None:
    backups.files.selectRow(0)
    click(qtbot, desk, backups.check)
    assert backups.message.text().endswith("is sound: the file, the ledger's chain and every "
                                           "balance check out.")


def test_restore_asks_first_then_replaces_the_station_and_signs_out(
        qtbot: QtBot, desk: MainWindow, backups: Any, store: Store, clock: Clock,
        data_dir: Path) -> None:
    ledger.receive(store, IBU, 10, days(300))
    clock.advance(timedelta(minutes=1))
    click(qtbot, desk, backups.back_up)
    kept = maintenance.backups(data_dir)[0].path
    ledger.receive(store, PARA, 7, days(300))  # after the backup: set aside by the restore
    store.close()
    backups.refresh()
    idle(qtbot, desk)
    backups.files.selectRow(0)
    assert backups.selected_path() == kept
    qtbot.mouseClick(backups.restore_selected, Qt.MouseButton.LeftButton)
    dialog = asked(qtbot, backups)
    assert kept.name in dialog.text.text()
    # Cancel does nothing
    dialog.cancel.click()
    idle(qtbot, desk)
    assert desk.services.account is not None
    qtbot.mouseClick(backups.restore_selected, Qt.MouseButton.LeftButton)
    asked(qtbot, backups).confirm.click()
    qtbot.waitUntil(lambda: desk.services.account is None, timeout=10_000)
    idle(qtbot, desk)
    assert desk.current is desk.signin
    restored = open_station(data_dir)
    try:
        items = [row[0] for row in restored.conn.execute("SELECT item_id FROM lot")]
        assert items == [IBU]
        assert verify(restored) == []
    finally:
        restored.close()
    assert list(data_dir.glob("station.db.replaced-*"))
    # the desk works on the restored station
    sign_in(qtbot, desk)
    screen: Any = desk.show_screen("backups")
    idle(qtbot, desk)
    assert screen.message.text().startswith("✔ Restored ")
    stock: Any = desk.show_screen("stock")
    idle(qtbot, desk)
    assert [line.item_id for line in stock.page.lines] == [IBU]


def asked(qtbot: QtBot, backups: Any) -> Any:
    """The confirmation, once the screen has looked whose backup it is."""
    qtbot.waitUntil(lambda: backups.dialog is not None and backups.dialog.isVisible(),
                    timeout=5_000)
    return backups.dialog


def test_another_stations_backup_is_confirmed_naming_both_stations(
        qtbot: QtBot, desk: MainWindow, backups: Any, store: Store, data_dir: Path,
        tmp_path: Path) -> None:
    from kiosk.db.station import get, init
    from tests.db.test_restore import folder_state

    harbour = init(tmp_path / "harbour", "HX02", "Harbour")
    ledger.receive(harbour, PARA, 4, days(200))
    copy = harbour.backup_to(tmp_path / "harbour.db")
    harbour.close()
    store.close()
    dump = ledger_dump(data_dir / "station.db")
    before = folder_state(data_dir)
    backups.ask_restore(copy)
    dialog = asked(qtbot, backups)
    text = dialog.text.text()
    assert "This station is TEST1 Test Station" in text
    assert "the backup's station is HX02 Harbour" in text
    assert "enrolment" in text
    assert dialog.confirm.text() == "Restore HX02 Harbour here"
    dialog.cancel.click()  # cancel changes nothing
    idle(qtbot, desk)
    assert desk.services.account is not None
    assert ledger_dump(data_dir / "station.db") == dump
    assert folder_state(data_dir) == before
    backups.ask_restore(copy)
    asked(qtbot, backups).confirm.click()
    qtbot.waitUntil(lambda: desk.services.account is None, timeout=10_000)
    idle(qtbot, desk)
    restored = open_station(data_dir)
    try:
        assert get(restored).code == "HX02"
    finally:
        restored.close()
    assert len(list(data_dir.glob("station.db.replaced-*"))) == 1


def test_a_damaged_backup_is_not_restored(qtbot: QtBot, desk: MainWindow, backups: Any,
                                          store: Store, tmp_path: Path) -> None:
    ledger.receive(store, IBU, 10, days(300))
    bad = tmp_path / "station-bad.db"
    bad.write_bytes(b"SQLite format 3\x00" + b"\x00" * 4000)
    before = ledger_dump(store.path)
    backups.restore(bad)
    idle(qtbot, desk)
    assert backups.message.text().startswith("✖ Nothing was restored.")
    assert desk.services.account is not None
    assert ledger_dump(store.path) == before
    # and the desk still works on the live station
    stock: Any = desk.show_screen("stock")
    idle(qtbot, desk)
    assert [line.item_id for line in stock.page.lines] == [IBU]


def test_housekeeping_expires_overdue_slips_and_purges_old_phones(
        qtbot: QtBot, desk: MainWindow, store: Store, clock: Clock) -> None:
    ledger.receive(store, IBU, 20, days(300))
    request = create(store, IBU, 2, phone="13812345678")
    allocate(store, request.id)
    clock.advance(timedelta(days=31))
    store.clock = clock
    desk.background.run_housekeeping()
    idle(qtbot, desk)
    status, phone = store.conn.execute("SELECT status, phone_masked FROM request").fetchone()
    assert (status, phone) == ("cancelled", None)
    assert store.conn.execute("SELECT status FROM slip").fetchone()[0] == "expired"
    # a backup was due again after 31 days
    assert len(maintenance.backups(store.data_dir())) == 2


# -- audit ----------------------------------------------------------------------------------


@pytest.fixture
def audit(qtbot: QtBot, desk: MainWindow, store: Store) -> Any:
    for n in range(3):
        store.clock = Clock(NOW + timedelta(days=n))
        ledger.receive(store, IBU if n != 1 else PARA, 10 + n, days(300))
    ledger.dispose(store, 1, 2, "damaged")
    screen = desk.show_screen("audit")
    idle(qtbot, desk)
    return screen


def shown(qtbot: QtBot, desk: MainWindow, screen: Any) -> list[list[str]]:
    idle(qtbot, desk)
    model = screen.model
    for row in range(model.rowCount()):  # ask for every page, then read
        model.data(model.index(row, 0))
    idle(qtbot, desk)
    return [[model.data(model.index(row, column)) for column in (0, 3, 4, 5)]
            for row in range(model.rowCount())]


def test_the_ledger_is_listed_newest_first_and_read_only(qtbot: QtBot, desk: MainWindow,
                                                         audit: Any) -> None:
    assert audit.count.text() == "4 movements"
    assert shown(qtbot, desk, audit) == [
        ["4", "Ibuprofen 200 mg tablets", "Written off", "-2"],
        ["3", "Ibuprofen 200 mg tablets", "Received", "+12"],
        ["2", "Paracetamol 500 mg tablets", "Received", "+11"],
        ["1", "Ibuprofen 200 mg tablets", "Received", "+10"],
    ]
    index = audit.model.index(0, 0)
    assert not audit.model.flags(index) & Qt.ItemFlag.ItemIsEditable


def test_search_by_item_kind_days_and_request(qtbot: QtBot, desk: MainWindow,
                                              audit: Any) -> None:
    audit.item.setCurrentIndex(audit.item.findData(PARA))
    click(qtbot, desk, audit.search)
    assert [row[0] for row in shown(qtbot, desk, audit)] == ["2"]
    audit.item.setCurrentIndex(0)
    audit.kind.setCurrentIndex(audit.kind.findData("received"))
    type_into(qtbot, audit.start, (NOW.date() + timedelta(days=1)).strftime("%Y%m%d"))
    click(qtbot, desk, audit.search)
    assert [row[0] for row in shown(qtbot, desk, audit)] == ["3", "2"]
    type_into(qtbot, audit.request, "7", enter=True)
    assert [row[0] for row in shown(qtbot, desk, audit)] == []
    assert audit.count.text() == "0 movements"
    click(qtbot, desk, audit.clear)
    assert audit.count.text() == "4 movements"


def test_a_bad_search_says_why(qtbot: QtBot, desk: MainWindow, audit: Any) -> None:
    type_into(qtbot, audit.start, "20261399")
    click(qtbot, desk, audit.search)
    assert audit.message.text() == "✖ The first day is not a real date (YYYY-MM-DD)."
    audit.start.clear()
    type_into(qtbot, audit.start, "20261201")
    type_into(qtbot, audit.end, "20261101")
    click(qtbot, desk, audit.search)
    assert "comes after the last day" in audit.message.text()


def test_verify_the_ledger_in_one_click(qtbot: QtBot, desk: MainWindow, audit: Any,
                                        store: Store) -> None:
    click(qtbot, desk, audit.verify)
    head = store.conn.execute("SELECT hash FROM movement ORDER BY id DESC").fetchone()[0]
    assert audit.verdict.text() == (
        "✔ The ledger is sound: the file is intact, the chain of 4 movements is unbroken "
        f"and the balances of 3 lots add up. Ledger head: 4 movements, {head[:12]} (print or "
        "note it: it proves later what the ledger held today).")
    conn = sqlite3.connect(store.path)  # someone edits the file behind the app's back
    conn.execute("DROP TRIGGER movement_is_append_only_update")
    conn.execute("UPDATE movement SET units = 99 WHERE id = 2")
    conn.commit()
    conn.close()
    click(qtbot, desk, audit.verify)
    assert audit.verdict.text() == ("✖ The ledger check found problems: movement 2 was "
                                    "changed after it was written")


@pytest.mark.slow
def test_a_million_movements_are_paged_never_loaded_whole(qtbot: QtBot, desk: MainWindow,
                                                          store: Store) -> None:
    ledger.receive(store, IBU, 10, days(300))
    rows = 1_000_000
    with store.write() as conn:  # raw rows: the hash chain does not matter to paging
        conn.executemany(
            "INSERT INTO movement(id, at, lot_id, kind, units, on_hand_delta, reserved_delta, "
            "request_id, reason, staff, prev_hash, hash) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
            ((n, f"2026-{1 + n % 12:02d}-{1 + n % 28:02d}T10:00:00.000000+00:00", 1,
              "adjusted", 1, 0, 0, None, "", "", "x", "y") for n in range(2, rows + 1)))
    screen: Any = desk.show_screen("audit")
    idle(qtbot, desk)
    model = screen.model
    assert model.rowCount() == rows
    assert screen.count.text() == "1,000,000 movements"
    view = screen.table
    qtbot.waitUntil(lambda: model.loaded_rows > 0)
    assert model.data(model.index(0, 0)) == str(rows)
    for fraction in (0.25, 0.5, 0.75, 1.0):  # drag the scroll bar across the ledger
        bar = view.verticalScrollBar()
        bar.setValue(int(bar.maximum() * fraction))
        qtbot.wait(10)
        assert len(model.asked) <= IN_FLIGHT
        idle(qtbot, desk)
        assert model.loaded_rows <= KEEP_PAGES * PAGE_ROWS
    # a fast drag through the whole ledger asks for a few pages, not for every one passed
    for step in range(100):
        view.verticalScrollBar().setValue(view.verticalScrollBar().maximum() * step // 100)
        view.viewport().repaint()
    assert len(model.asked) <= IN_FLIGHT
    idle(qtbot, desk)
    assert screen.message.text() == ""  # the cancelled asks are not errors
    last = model.index(rows - 1, 0)
    qtbot.waitUntil(lambda: model.data(last) == "1")
    assert model.loaded_rows <= KEEP_PAGES * PAGE_ROWS


def test_the_last_backup_in_the_status_bar_in_both_languages(qtbot: QtBot,
                                                             desk: MainWindow) -> None:
    bar = desk.status
    bar.set_last_backup(None)
    assert bar.backup.text() == "Last backup: none yet"
    moment = NOW + timedelta(hours=2)
    bar.set_last_backup(moment)
    local = moment.astimezone().strftime("%Y-%m-%d %H:%M")
    desk.set_language("zh")
    qtbot.waitUntil(lambda: bar.backup.text().startswith("上次备份"))
    assert bar.backup.text() == f"上次备份：{local}"
