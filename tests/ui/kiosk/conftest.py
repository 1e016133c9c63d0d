"""The resident kiosk against a real station folder, driven through its widgets."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton
from pytestqt.qtbot import QtBot

from kiosk.clock import Clock
from kiosk.ui.i18n import translations
from kiosk.ui.kiosk.app import build_kiosk
from kiosk.ui.kiosk.receipts import PdfReceiptPrinter
from kiosk.ui.kiosk.window import KioskWindow

IBU = "ibuprofen-200mg-tablet"
PARA = "paracetamol-500mg-tablet"


@pytest.fixture
def receipts(tmp_path: Path) -> Path:
    return tmp_path / "receipts"


def open_kiosk(qtbot: QtBot, folder: Path, clock: Clock, receipts: Path | None = None,
               **options: object) -> KioskWindow:
    """The kiosk on `folder`, shown (not full screen: the tests run offscreen), ready."""
    options.setdefault("language", "en")
    printer = PdfReceiptPrinter(receipts) if receipts is not None else None
    window = build_kiosk(folder, clock=clock, printer=printer, fullscreen=False,
                         **options)  # type: ignore[arg-type]
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    qtbot.waitUntil(lambda: window.context.settings is not None
                    and window.context.menu is not None, timeout=10_000)
    idle(qtbot, window)
    return window


@pytest.fixture
def kiosk(qtbot: QtBot, data_dir: Path, clock: Clock, receipts: Path) -> Iterator[KioskWindow]:
    window = open_kiosk(qtbot, data_dir, clock, receipts)
    yield window
    window.shut_down()
    translations().set_language("en")


def idle(qtbot: QtBot, window: KioskWindow) -> None:
    """Wait until the database thread has answered everything asked so far."""
    qtbot.waitUntil(lambda: not window.services.busy, timeout=10_000)


def tap(qtbot: QtBot, button: QAbstractButton) -> None:
    """A finger on a button (a mouse click where the button is)."""
    assert button.isVisible() and button.isEnabled(), button.text()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def pdf_text(path: Path) -> str:
    """The words of a PDF, with line breaks and runs of spaces as single spaces."""
    import pypdfium2

    document = pypdfium2.PdfDocument(str(path))
    try:
        text = " ".join(page.get_textpage().get_text_range() for page in document)
    finally:
        document.close()
    return " ".join(text.split())


def choose_item(qtbot: QtBot, page: object, item_id: str) -> None:
    """Touch a medicine's row in a page's list."""
    items = page.items  # type: ignore[attr-defined]
    for row in range(items.list.count()):
        entry = items.list.item(row)
        if entry.data(Qt.ItemDataRole.UserRole) == item_id:
            items.list.scrollToItem(entry)
            rect = items.list.visualItemRect(entry)
            qtbot.mouseClick(items.list.viewport(), Qt.MouseButton.LeftButton,
                             pos=rect.center())
            return
    raise AssertionError(f"{item_id} is not listed")
