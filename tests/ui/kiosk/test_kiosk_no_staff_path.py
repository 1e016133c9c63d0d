"""A resident-mode window has no path to staff screens or to another resident's data.

Two proofs: every button reachable in the kiosk window is pressed (on every
page and every view, the corner held down too) and after each press no desk
window, desk screen or dialog exists anywhere in the application and the
kiosk is still up; and a kiosk process never even imports the desk's window
or screens.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from PySide6.QtWidgets import QAbstractButton, QApplication, QDialog, QLabel, QListWidget, QWidget
from pytestqt.qtbot import QtBot

from kiosk.db import ledger, requests
from kiosk.db.allocation import allocate
from kiosk.db.store import Store
from kiosk.ui.kiosk.window import KioskWindow
from kiosk.ui.mainwindow import MainWindow
from kiosk.ui.screens.base import Screen
from tests.conftest import days
from tests.ui.kiosk.conftest import IBU, choose_item, idle

OTHER_PHONE = "13800001111"
OTHER_MASKED = "*******1111"
MAX_PRESSES = 400


def staff_widgets() -> list[QWidget]:
    return [widget for widget in QApplication.allWidgets()
            if isinstance(widget, MainWindow | Screen | QDialog)]


def every_text(window: KioskWindow) -> str:
    texts = [label.text() for label in window.findChildren(QLabel)]
    for widget in window.findChildren(QListWidget):
        texts += [widget.item(row).text() for row in range(widget.count())]
    return "\n".join(texts)


def check(qtbot: QtBot, window: KioskWindow, pressed: str) -> None:
    idle(qtbot, window)
    assert staff_widgets() == [], f"after pressing {pressed!r}"
    tops = [w for w in QApplication.topLevelWidgets() if w.isVisible()]
    assert tops == [window], f"after pressing {pressed!r}: {tops}"
    assert window.isVisible()
    shown = every_text(window)
    assert OTHER_MASKED not in shown and OTHER_PHONE not in shown
    assert "asked for this item" not in shown  # staff flags stay with staff


def needs_a_medicine(page: object) -> bool:
    items = getattr(page, "items", None)
    if items is None or not items.isVisible() or not items.list.count():
        return False
    if hasattr(page, "item_id"):  # what is available: nothing chosen yet
        return page.item_id is None
    return page.views.currentWidget() is page.choose_view  # type: ignore[attr-defined]


def press_everything(qtbot: QtBot, window: KioskWindow) -> set[str]:
    """Press every visible button once (again as new ones appear); return the pages seen."""
    pressed: set[int] = set()
    pages: set[str] = set()
    for _ in range(MAX_PRESSES):
        page = window.current
        pages.add(page.key)
        if needs_a_medicine(page):  # a medicine list: touch a row to reach what is behind it
            choose_item(qtbot, page, page.items.ids()[0])  # type: ignore[attr-defined]
            check(qtbot, window, "a medicine row")
        candidates = [
            button for button in window.findChildren(QAbstractButton)
            if button.isVisible() and button.isEnabled() and id(button) not in pressed
            and button is not window.corner
        ]
        if not candidates:
            return pages
        candidates.sort(key=lambda button: not page.isAncestorOf(button))  # the page's own first
        button = candidates[0]
        pressed.add(id(button))
        button.click()
        check(qtbot, window, button.text() or button.objectName())
    return pages


def test_no_button_leads_to_a_staff_screen_or_another_residents_data(
        qtbot: QtBot, kiosk: KioskWindow, store: Store) -> None:
    # another resident's request, with a phone number and a slip waiting at the desk
    ledger.receive(store, IBU, 40, days(200), "LOT-1")
    other = requests.create(store, IBU, 4, phone=OTHER_PHONE)
    requests.create(store, IBU, 2, phone=OTHER_PHONE)  # flagged for staff
    allocate(store, other.id)
    kiosk.context.refresh_menu()
    check(qtbot, kiosk, "nothing yet")
    seen: set[str] = set()
    for tile in ("available", "need", "spare", "slip"):
        kiosk.show_page("home")
        kiosk.pages["home"].tiles[tile].click()  # type: ignore[attr-defined]
        check(qtbot, kiosk, tile)
        seen |= press_everything(qtbot, kiosk)
    # the corner, held down: the PIN page, where every button is pressed too (no PIN typed
    # right: the keys give 12345678 at most, which is not the manager's)
    kiosk.corner.set_hold_ms(100)
    kiosk.corner.pressed.emit()
    qtbot.waitUntil(lambda: kiosk.current.key == "unlock")
    kiosk.corner.released.emit()
    check(qtbot, kiosk, "the corner")
    seen |= press_everything(qtbot, kiosk)
    assert seen >= {"home", "available", "need", "spare", "slip", "unlock"}
    assert kiosk.isVisible()


def test_a_kiosk_process_never_loads_the_desk_screens(tmp_path: Path, data_dir: Path) -> None:
    script = f"""
import sys
from PySide6.QtCore import QTimer
from kiosk.ui.kiosk.app import build_kiosk
window = build_kiosk({str(data_dir)!r}, language="en", fullscreen=False)
window.show()
app = __import__("PySide6.QtWidgets").QtWidgets.QApplication.instance()
def done():
    if window.context.menu is None:
        QTimer.singleShot(20, done)
        return
    for key in ("available", "need", "spare", "slip", "unlock", "home"):
        window.show_page(key)
    window.shut_down()
    app.quit()
QTimer.singleShot(0, done)
app.exec()
print("\\n".join(sorted(name for name in sys.modules if name.startswith("kiosk.ui"))))
"""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            env=env, timeout=120, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    loaded = result.stdout.split()
    assert "kiosk.ui.kiosk.window" in loaded
    desk = [name for name in loaded if name.startswith(("kiosk.ui.screens", "kiosk.ui.mainwindow",
                                                        "kiosk.ui.setup", "kiosk.ui.printing"))]
    assert desk == []
