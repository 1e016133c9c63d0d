"""How the desk looks: touch-sized targets, a visible focus ring, large text, fonts.

Every control is at least 44 px tall, the keyboard focus is a thick blue
frame, and states are told with text and icons as well as colour.
"""

from __future__ import annotations

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from kiosk.paths import resources_dir

NORMAL_POINTS = 11
LARGE_POINTS = 15
TOUCH = 44  # px: the smallest target a finger can hit reliably
LARGE_TOUCH = 56  # px: with large text, targets grow with it

FOCUS = "#0b57d0"
OK_BG = "#e6f4ea"
OK_FG = "#0d652d"
WARN_BG = "#fef7e0"
WARN_FG = "#7a4f01"
BAD_BG = "#fce8e6"
BAD_FG = "#a50e0e"

# Qt's own arrow pictures (built into QtWidgets), used once the controls are styled
ARROWS = ":/qt-project.org/styles/commonstyle/images"

_fonts_loaded = False


def load_fonts() -> list[str]:
    """Fonts shipped in resources/fonts (a CJK font for machines without one)."""
    global _fonts_loaded
    families: list[str] = []
    if _fonts_loaded:
        return families
    _fonts_loaded = True
    folder = resources_dir() / "fonts"
    if not folder.is_dir():
        return families
    for path in sorted(folder.iterdir()):
        if path.suffix.lower() in (".ttf", ".otf", ".ttc"):
            font_id = QFontDatabase.addApplicationFont(str(path))
            if font_id >= 0:
                families.extend(QFontDatabase.applicationFontFamilies(font_id))
    return families


def stylesheet(large: bool) -> str:
    pad = 10 if large else 6
    touch = LARGE_TOUCH if large else TOUCH
    heading_points = (LARGE_POINTS if large else NORMAL_POINTS) + 5
    verdict_points = (LARGE_POINTS if large else NORMAL_POINTS) + 9
    # A focused control swaps a 1 px border and 2 px margin for a 3 px border, so the
    # focus ring is thick and easy to see without the control changing size.
    return f"""
QPushButton, QLineEdit, QComboBox, QSpinBox, QDateEdit {{
    min-height: {touch - 6}px; margin: 2px; border: 1px solid #80868b; border-radius: 4px;
}}
QPushButton {{ min-width: {touch}px; padding: 0 {pad + 10}px; background: #f8f9fa; }}
QPushButton:hover {{ background: #e8eaed; }}
QPushButton:pressed {{ background: #dadce0; }}
QPushButton:disabled {{ color: #80868b; background: #f1f3f4; border-color: #dadce0; }}
QLineEdit, QComboBox, QSpinBox, QDateEdit {{ padding: 0 {pad}px; background: white; }}
QLineEdit:disabled, QComboBox:disabled, QSpinBox:disabled, QDateEdit:disabled {{
    background: #f1f3f4; color: #80868b;
}}
QPushButton:focus, QLineEdit:focus, QComboBox:focus, QSpinBox:focus, QDateEdit:focus {{
    border: 3px solid {FOCUS}; margin: 0;
}}
QComboBox::drop-down, QDateEdit::drop-down {{ width: 36px; border: none; }}
QComboBox::down-arrow, QDateEdit::down-arrow {{ image: url({ARROWS}/arrow-down-16.png);
    width: 16px; height: 16px; }}
QSpinBox {{ min-width: 110px; padding-left: {pad + 2}px; padding-right: 34px; }}
QSpinBox::up-button, QSpinBox::down-button {{ width: 32px; border: none;
    subcontrol-origin: border; }}
QSpinBox::up-button {{ subcontrol-position: top right; }}
QSpinBox::down-button {{ subcontrol-position: bottom right; }}
QSpinBox::up-arrow {{ image: url({ARROWS}/arrow-up-16.png); width: 14px; height: 14px; }}
QSpinBox::down-arrow {{ image: url({ARROWS}/arrow-down-16.png); width: 14px; height: 14px; }}
QCheckBox, QRadioButton {{ min-height: {touch}px; spacing: 10px; padding: 0 6px;
    border: 3px solid transparent; border-radius: 4px; }}
QCheckBox::indicator, QRadioButton::indicator {{ width: 24px; height: 24px; }}
QCheckBox:focus {{ border: 3px solid {FOCUS}; background: #e8f0fe; }}
QListWidget:focus, QTableWidget:focus {{ border: 3px solid {FOCUS}; }}
QListWidget::item {{ min-height: {touch - 4}px; }}
QPushButton#nav {{ text-align: left; padding-left: 14px; }}
QPushButton#nav:checked {{ background: {FOCUS}; color: white; font-weight: bold; }}
QPushButton#primary {{ background: {FOCUS}; color: white; font-weight: bold; }}
QPushButton#primary:disabled {{ background: #a8c7fa; color: white; }}
QPushButton#primary:focus {{ border: 3px solid #041e49; }}
QLabel#heading {{ font-size: {heading_points}pt; font-weight: bold; }}
QLabel#hint {{ color: #3c4043; }}
QFrame#banner[kind="error"] {{ background: {BAD_BG}; color: {BAD_FG};
    border: 2px solid {BAD_FG}; }}
QFrame#banner[kind="bug"] {{ background: {BAD_BG}; color: {BAD_FG};
    border: 2px dashed {BAD_FG}; }}
QFrame#banner[kind="info"] {{ background: {OK_BG}; color: {OK_FG};
    border: 2px solid {OK_FG}; }}
QLabel#verdict {{ padding: 18px; font-size: {verdict_points}pt; }}
QLabel#verdict[kind="ok"] {{ background: {OK_BG}; color: {OK_FG}; border: 4px solid {OK_FG}; }}
QLabel#verdict[kind="no"] {{ background: {BAD_BG}; color: {BAD_FG}; border: 4px solid {BAD_FG}; }}
QLabel#verdict[kind="idle"] {{ background: #f1f3f4; color: #202124;
    border: 4px dashed #5f6368; }}
QLabel#message[kind="error"] {{ color: {BAD_FG}; font-weight: bold; }}
QLabel#message[kind="ok"] {{ color: {OK_FG}; font-weight: bold; }}
"""


def apply(app: QApplication, *, large: bool) -> None:
    """Set the application's base font size and stylesheet (large text on or off)."""
    font = QFont(app.font())
    font.setPointSize(LARGE_POINTS if large else NORMAL_POINTS)
    app.setFont(font)
    app.setStyleSheet(stylesheet(large))


def repolish(widget: object) -> None:
    """Re-apply the stylesheet after a dynamic property (such as `kind`) changed."""
    from PySide6.QtWidgets import QWidget

    if isinstance(widget, QWidget):
        style = widget.style()
        style.unpolish(widget)
        style.polish(widget)
        widget.update()
