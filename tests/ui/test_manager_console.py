"""The manager console: only managers reach it; reports with charts and CSV exports."""

from __future__ import annotations

import csv
from datetime import timedelta
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from kiosk.clock import Clock
from kiosk.db import ledger
from kiosk.db import slips as slip_store
from kiosk.db.allocation import allocate
from kiosk.db.requests import create
from kiosk.db.store import Store
from kiosk.ui.mainwindow import MainWindow
from kiosk.ui.screens.manager import MANAGER_PAGES
from tests.conftest import NOW, days
from tests.ui.conftest import STAFF, STAFF_PIN, idle, sign_in

IBU = "ibuprofen-200mg-tablet"
PARA = "paracetamol-500mg-tablet"


def test_staff_see_no_manager_screens_and_cannot_open_them(qtbot: QtBot,
                                                          window: MainWindow) -> None:
    sign_in(qtbot, window, STAFF, STAFF_PIN)
    assert window.services.account.role == "staff"
    assert not window.nav_buttons["manager"].isVisible()
    assert not window.nav_buttons["manager"].isEnabled()
    before = window.current
    for key in ("manager", *(key for key, _module, _name in MANAGER_PAGES)):
        window.show_screen(key)
        assert window.current is before, key
    qtbot.keyClick(window, Qt.Key.Key_6, Qt.KeyboardModifier.ControlModifier)
    assert window.current is before
    # nothing of the console was even built for them
    console = window.screens.get("manager")
    assert console is None or console.pages == {}  # type: ignore[attr-defined]
    # a manager signing in after them gets the console
    window.services.sign_out()
    sign_in(qtbot, window)
    assert window.nav_buttons["manager"].isVisible()
    qtbot.keyClick(window, Qt.Key.Key_6, Qt.KeyboardModifier.ControlModifier)
    assert window.current is window.screens["manager"]


def test_every_manager_page_opens_from_its_tab(qtbot: QtBot, desk: MainWindow) -> None:
    qtbot.mouseClick(desk.nav_buttons["manager"], Qt.MouseButton.LeftButton)
    console: Any = desk.current
    assert console is desk.screens["manager"]
    for index, (key, _module, _name) in enumerate(MANAGER_PAGES):
        console.tabs.setCurrentIndex(index)
        idle(qtbot, desk)
        assert console.current_page is console.pages[key]
        assert console.current_page.isVisible()
    assert desk.show_screen("sync") is console.pages["sync"]
    assert console.tabs.tabText(0) == "Reports"


def busy_fortnight(store: Store) -> None:
    """Lots in, requests made and collected over the last two weeks."""
    start = NOW - timedelta(days=13)
    store.clock = Clock(start)
    ledger.receive(store, IBU, 60, days(200), "A")
    ledger.receive(store, PARA, 20, days(15), "B")  # expires within 30 days
    for day in range(0, 12, 3):
        store.clock = Clock(start + timedelta(days=day))
        request = create(store, IBU, 2)
        [made] = allocate(store, request.id)
        store.clock = Clock(start + timedelta(days=day, hours=4))
        slip_store.redeem(store, str(made.extra["token"]))
    store.clock = Clock(NOW)
    create(store, PARA, 3)


def test_reports_show_charts_tables_and_fulfilment(qtbot: QtBot, desk: MainWindow,
                                                   store: Store) -> None:
    busy_fortnight(store)
    screen: Any = desk.show_screen("reports")
    idle(qtbot, desk)
    assert screen.bundle is not None
    assert screen.summary.text() == ("Fulfilment 80 % · 5 requests, 4 collected, 0 cancelled, "
                                     "1 waiting · median wait 4 h")
    chart = screen.activity_chart.chart()
    series = chart.series()
    assert [s.name() for s in series] == ["Received", "Requested", "Collected", "Written off"]
    assert all(s.count() == 30 for s in series)
    assert max(point.y() for point in series[0].points()) == 80
    assert screen.activity_table.rowCount() == 30
    assert screen.activity_table.item(13, 1).text() == "80"  # newest first: 13 days ago
    requested = screen.requested_chart.chart().series()[0].barSets()[0]
    assert [requested.at(i) for i in range(requested.count())] == [3, 8]  # biggest on top
    assert screen.stock_table.rowCount() == 2
    assert screen.expiring_table.rowCount() == 1
    assert screen.expiring_table.item(0, 3).text() == "15"
    # a shorter period asks again
    screen.period.setCurrentIndex(0)
    idle(qtbot, desk)
    assert screen.bundle.days == 7
    assert all(s.count() == 7 for s in screen.activity_chart.chart().series())


def test_every_report_exports_to_csv(qtbot: QtBot, desk: MainWindow, store: Store,
                                     tmp_path: Path) -> None:
    busy_fortnight(store)
    screen: Any = desk.show_screen("reports")
    idle(qtbot, desk)
    expected = {"activity": 30, "top_requested": 2, "top_donated": 2, "stock": 2,
                "expiring": 1, "fulfilment": 1}
    for report, rows in expected.items():
        path = tmp_path / f"{report}.csv"
        screen.export_to(report, path)
        idle(qtbot, desk)
        assert screen.message.text() == f"✔ Saved {rows} rows to {path}."
        with path.open(encoding="utf-8") as handle:
            assert len(list(csv.reader(handle))) == rows + 1
    screen.export_to("stock", tmp_path / "missing" / "folder" / "stock.csv")
    idle(qtbot, desk)
    assert screen.message.text().startswith("✖ Cannot save: Cannot write")


def test_reports_in_chinese(qtbot: QtBot, desk: MainWindow, store: Store) -> None:
    busy_fortnight(store)
    screen: Any = desk.show_screen("reports")
    idle(qtbot, desk)
    desk.set_language("zh")
    qtbot.waitUntil(lambda: screen.heading.text() == "报表")
    names = [screen.stock_table.item(row, 0).text() for row in range(2)]
    assert any(name.startswith("布洛芬") for name in names), names
    assert [s.name() for s in screen.activity_chart.chart().series()] == [
        "接收", "需求", "已领取", "报损"]
    assert screen.summary.text().startswith("满足率 80 % · 需求 5 条")
    assert desk.nav_buttons["manager"].text() == "管理"
    assert desk.screens["manager"].tabs.tabText(5) == "审计"  # type: ignore[attr-defined]
