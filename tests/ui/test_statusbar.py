"""The status bar: sync state (filled by the sync client), who is signed in, the clock."""

from __future__ import annotations

import re

from pytestqt.qtbot import QtBot

from kiosk.ui.mainwindow import MainWindow


def test_sync_state_is_shown_in_words_not_only_colour(qtbot: QtBot, desk: MainWindow) -> None:
    bar = desk.status
    assert bar.sync.text() == "Sync: not enrolled"
    desk.set_sync_state(True, "2026-11-21 09:58", 3)
    assert bar.sync.text() == "Sync: ● online · last sync 2026-11-21 09:58 · 3 waiting to send"
    desk.set_sync_state(False, None, 12)
    assert bar.sync.text() == "Sync: ○ offline · last sync never · 12 waiting to send"
    desk.set_language("zh")
    qtbot.waitUntil(lambda: bar.sync.text().startswith("同步："))
    assert bar.sync.text() == "同步：○ 离线 · 上次同步 从未 · 12 条待发送"


def test_the_clock_and_the_signed_in_staff_are_shown(desk: MainWindow) -> None:
    # the station's wall clock, and which zone it is (the test station is in UTC)
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}  UTC \(UTC\+00:00\)",
                        desk.status.clock.text())
    assert desk.status.staff.text() == "Signed in: Ana (Manager)"
