"""One place for errors: expected ones in plain words, bugs to the crash log, app keeps going."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer
from pytestqt.qtbot import QtBot

from kiosk.errors import NotEnoughStock
from kiosk.ui.mainwindow import MainWindow
from tests.ui.conftest import idle


def refuse(ctx: Any) -> None:
    raise NotEnoughStock("Only 2 of the 5 units asked for are in stock.")


def crash(ctx: Any) -> None:
    return {}["no such key"]  # type: ignore[no-any-return]


def answer(ctx: Any) -> int:
    return 42


def test_an_expected_problem_is_shown_in_plain_words(qtbot: QtBot, desk: MainWindow,
                                                    data_dir: Path) -> None:
    desk.services.call(refuse)
    idle(qtbot, desk)
    assert desk.banner.isVisible()
    assert desk.banner.property("kind") == "error"
    assert desk.banner.text == (
        "<b>Not enough stock</b> — Only 2 of the 5 units asked for are in stock.")
    assert not (data_dir / "logs" / "medshare.log").exists()
    qtbot.mouseClick(desk.banner.close_button, Qt.MouseButton.LeftButton)  # Dismiss
    assert not desk.banner.isVisible()


def test_a_bug_in_a_job_goes_to_the_crash_log_and_the_app_goes_on(
        qtbot: QtBot, desk: MainWindow, data_dir: Path) -> None:
    desk.services.call(crash)
    idle(qtbot, desk)
    log = data_dir / "logs" / "medshare.log"
    assert desk.banner.property("kind") == "bug"
    assert "Something went wrong (KeyError)" in desk.banner.text
    assert str(log) in desk.banner.text
    text = log.read_text(encoding="utf-8")
    assert "KeyError: 'no such key'" in text and "in crash" in text
    results: list[int] = []
    desk.services.call(answer, on_done=results.append)
    idle(qtbot, desk)
    assert results == [42]


def test_a_bug_in_a_screen_callback_is_logged_too(qtbot: QtBot, desk: MainWindow,
                                                 data_dir: Path) -> None:
    def broken(result: int) -> None:
        raise RuntimeError("the screen could not show it")

    desk.services.call(answer, on_done=broken)
    idle(qtbot, desk)
    assert "Something went wrong (RuntimeError)" in desk.banner.text
    assert "the screen could not show it" in (data_dir / "logs" / "medshare.log").read_text(
        encoding="utf-8")


def test_an_uncaught_exception_in_the_gui_thread_is_caught_by_the_hook(
        qtbot: QtBot, desk: MainWindow, data_dir: Path) -> None:
    presenter = desk.services.presenter
    before = sys.excepthook
    presenter.install_hooks()
    try:
        def slot() -> None:
            raise ValueError("a slot went wrong")

        QTimer.singleShot(0, slot)
        qtbot.waitUntil(lambda: desk.banner.property("kind") == "bug")
    finally:
        presenter.remove_hooks()
    assert sys.excepthook is before
    assert "Something went wrong (ValueError)" in desk.banner.text
    assert "a slot went wrong" in (data_dir / "logs" / "medshare.log").read_text(
        encoding="utf-8")
    assert desk.isVisible()
