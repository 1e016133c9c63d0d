"""Touch-sized targets, a large-text setting, a focus ring that can be seen."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QComboBox,
    QLineEdit,
    QSpinBox,
    QWidget,
)
from pytestqt.qtbot import QtBot

from kiosk.ui import prefs, style
from kiosk.ui.mainwindow import MainWindow
from tests.ui.conftest import idle

CONTROLS = (QAbstractButton, QLineEdit, QComboBox, QSpinBox)


def controls(screen: QWidget) -> list[QWidget]:
    found = []
    for kind in CONTROLS:
        for widget in screen.findChildren(kind):
            if widget.isVisible() and not isinstance(widget.parent(), (QSpinBox, QComboBox)):
                # the spin box's own line edit and the combo's inner parts do not count
                if isinstance(widget, QLineEdit) and isinstance(widget.parent(), QSpinBox):
                    continue
                found.append(widget)
    return found


def test_every_control_on_every_screen_is_at_least_44_px_tall(qtbot: QtBot,
                                                             desk: MainWindow) -> None:
    too_small = []
    for key in ("dropoff", "requests", "match", "pickup", "stock"):
        screen = desk.show_screen(key)
        idle(qtbot, desk)
        widgets = controls(screen) + controls(desk.nav)
        assert len(widgets) >= 4
        for widget in widgets:
            if widget.height() < style.TOUCH:
                too_small.append(f"{key}: {type(widget).__name__} {widget.objectName()!r} "
                                 f"{getattr(widget, 'text', lambda: '')()!r} "
                                 f"is {widget.height()} px")
    assert too_small == []


def test_large_text_makes_everything_bigger_and_is_remembered(qtbot: QtBot, desk: MainWindow,
                                                             data_dir: Path) -> None:
    screen = desk.show_screen("dropoff")
    save = screen.save  # type: ignore[attr-defined]
    before_points = QApplication.font().pointSize()
    before = save.sizeHint().height()
    desk.large_text.click()
    qtbot.waitUntil(lambda: QApplication.font().pointSize() > before_points)
    assert QApplication.font().pointSize() == style.LARGE_POINTS
    qtbot.waitUntil(lambda: save.sizeHint().height() > before)
    idle(qtbot, desk)
    assert prefs.load(data_dir).large_text is True
    desk.large_text.click()
    qtbot.waitUntil(lambda: QApplication.font().pointSize() == style.NORMAL_POINTS)


def test_the_keyboard_focus_is_drawn_as_a_thick_blue_frame(qtbot: QtBot,
                                                          desk: MainWindow) -> None:
    screen = desk.show_screen("dropoff")
    lot = screen.lot  # type: ignore[attr-defined]
    focus = QColor(style.FOCUS)

    def left_edge() -> list[QColor]:
        image = lot.grab().toImage()
        middle = image.height() // 2
        return [image.pixelColor(x, middle) for x in range(0, 4)]

    screen.picker.search.setFocus()  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: not lot.hasFocus())
    assert focus not in left_edge()
    lot.setFocus()
    qtbot.waitUntil(lot.hasFocus)
    qtbot.waitUntil(lambda: left_edge()[:3] == [focus] * 3)
