"""The desk app against a real station folder, driven through its widgets."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from kiosk.clock import Clock
from kiosk.db import staff
from kiosk.db.station import init, open_station
from kiosk.db.store import Store
from kiosk.ui.app import build_window
from kiosk.ui.i18n import translations
from kiosk.ui.mainwindow import MainWindow

MANAGER = "Ana"
MANAGER_PIN = "2468"
STAFF = "Bo"
STAFF_PIN = "1357"


@pytest.fixture
def data_dir(tmp_path: Path, clock: Clock) -> Path:
    """A station made with the core's own `init`, and two desk accounts."""
    folder = tmp_path / "station"
    store = init(folder, "TEST1", "Test Station", "1 Test Road", 31.2, 121.4)
    store.clock = clock
    staff.create(store, MANAGER, "manager", MANAGER_PIN)
    staff.create(store, STAFF, "staff", STAFF_PIN)
    store.close()
    return folder


@pytest.fixture
def store(data_dir: Path, clock: Clock) -> Iterator[Store]:
    """A second connection, for setting up and for checking the ledger afterwards."""
    opened = open_station(data_dir)
    opened.clock = clock
    yield opened
    opened.close()


def open_window(qtbot: QtBot, folder: Path, clock: Clock, **options: Any) -> MainWindow:
    """The desk on `folder`, shown, its database opened (in English unless told otherwise)."""
    options.setdefault("language", "en")
    window = build_window(folder, clock=clock, **options)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    qtbot.waitUntil(lambda: window.services.state is not None)
    return window


@pytest.fixture
def window(qtbot: QtBot, data_dir: Path, clock: Clock) -> Iterator[MainWindow]:
    opened = open_window(qtbot, data_dir, clock)
    yield opened
    opened.close()
    translations().set_language("en")


def idle(qtbot: QtBot, window: MainWindow) -> None:
    """Wait until the worker has answered everything asked so far."""
    qtbot.waitUntil(lambda: not window.services.busy, timeout=10_000)


def type_into(qtbot: QtBot, widget: QWidget, text: str, *, enter: bool = False) -> None:
    widget.setFocus()
    qtbot.keyClicks(widget, text)
    if enter:
        qtbot.keyClick(widget, Qt.Key.Key_Return)


def ime_type(widget: QWidget, text: str) -> None:
    """Chinese typed as an input method sends it: one committed string (not key presses)."""
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtGui import QInputMethodEvent

    event = QInputMethodEvent("", [])
    event.setCommitString(text)
    QCoreApplication.sendEvent(widget, event)


def sign_in(qtbot: QtBot, window: MainWindow, name: str = MANAGER,
            pin: str = MANAGER_PIN) -> None:
    screen = window.signin
    qtbot.waitUntil(lambda: screen.name.findData(name) >= 0)
    screen.choose(name)
    type_into(qtbot, screen.pin, pin, enter=True)
    idle(qtbot, window)


@pytest.fixture
def desk(qtbot: QtBot, window: MainWindow) -> MainWindow:
    """The window with the manager signed in."""
    sign_in(qtbot, window)
    assert window.services.account is not None
    return window


Waiter = Callable[[], None]
