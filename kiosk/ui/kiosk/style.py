"""How the resident kiosk looks: large words, targets of 64 px and more, high contrast.

The stylesheet (with the base font size, BASE_POINTS) is set on the kiosk window only, so
it never changes the desk.
"""

from __future__ import annotations

from kiosk.ui.style import BAD_BG, BAD_FG, FOCUS, OK_BG, OK_FG, WARN_BG, WARN_FG

PRIMARY = 72  # px: the smallest primary target (the brief asks for 64 at least)
KEY = 64  # px: the narrowest on-screen key
ROW = 92  # px: a row of the medicine list (two lines of large text)
SIDE = 380  # px: the column of a page that holds an on-screen keypad
TILE_ICON = 96
TILE_MIN_WIDTH = 300
TILE_MIN_HEIGHT = 200
BASE_POINTS = 17


def stylesheet() -> str:
    return f"""
QWidget {{ font-size: {BASE_POINTS}pt; }}
QWidget#kiosk {{ background: white; }}
QLabel#title {{ font-size: {BASE_POINTS + 11}pt; font-weight: bold; }}
QLabel#station {{ font-size: {BASE_POINTS + 1}pt; font-weight: bold; color: #3c4043; }}
QLabel#big {{ font-size: {BASE_POINTS + 5}pt; font-weight: bold; }}
QLabel#number {{ font-size: {BASE_POINTS + 40}pt; font-weight: bold; color: {FOCUS}; }}
QLabel#hint {{ color: #3c4043; }}
QPushButton {{ min-height: {PRIMARY - 6}px; min-width: {PRIMARY}px; padding: 0 24px;
    border-radius: 8px;
    border: 2px solid #80868b; background: #f8f9fa; margin: 2px; }}
QPushButton:pressed {{ background: #dadce0; }}
QPushButton:disabled {{ color: #80868b; border-color: #dadce0; }}
QPushButton:focus {{ border: 3px solid {FOCUS}; margin: 1px; }}
QPushButton#primary {{ background: {FOCUS}; color: white; font-weight: bold;
    font-size: {BASE_POINTS + 3}pt; min-width: 220px; }}
QPushButton#primary:disabled {{ background: #a8c7fa; }}
QPushButton#lang {{ min-width: 150px; padding: 0 16px; }}
QPushButton#choice {{ padding: 0 8px; }}
QPushButton#choice:checked, QPushButton#lang:checked {{ background: {FOCUS}; color: white;
    font-weight: bold; border-color: {FOCUS}; }}
QPushButton#key, QPushButton#step {{ font-size: {BASE_POINTS + 7}pt; font-weight: bold;
    padding: 0; }}
QPushButton#step {{ min-width: {PRIMARY - 4}px; max-width: {PRIMARY - 4}px; }}
QPushButton#key {{ min-width: {KEY}px; }}
QPushButton#cornerLock {{ border: none; background: transparent; min-height: 0;
    min-width: 0; padding: 0; margin: 0; }}
QToolButton#tile {{ font-size: {BASE_POINTS + 7}pt; font-weight: bold; border-radius: 16px;
    border: 3px solid #80868b; background: #f8f9fa; padding: 16px; }}
QToolButton#tile:pressed {{ background: #dadce0; }}
QToolButton#tile:focus {{ border: 4px solid {FOCUS}; }}
QLineEdit {{ min-height: {PRIMARY - 6}px; font-size: {BASE_POINTS + 5}pt; padding: 0 12px;
    border: 2px solid #80868b; border-radius: 8px; background: white; }}
QLineEdit:focus {{ border: 3px solid {FOCUS}; }}
QLineEdit#stepValue {{ font-weight: bold; }}
QComboBox {{ min-height: {PRIMARY - 6}px; padding: 0 12px; border: 2px solid #80868b;
    border-radius: 8px; }}
QComboBox QAbstractItemView::item {{ min-height: {PRIMARY - 8}px; }}
QListWidget {{ border: 2px solid #dadce0; border-radius: 8px; }}
QListWidget::item {{ padding: 6px 12px; border-bottom: 1px solid #dadce0; color: #202124; }}
QListWidget::item:selected {{ background: #e8f0fe; color: #202124; }}
QFrame#panel {{ background: #f8f9fa; border: 2px solid #dadce0; border-radius: 12px; }}
QLabel#verdict {{ padding: 24px; font-size: {BASE_POINTS + 5}pt; border-radius: 12px; }}
QLabel#verdict[kind="ok"] {{ background: {OK_BG}; color: {OK_FG}; border: 4px solid {OK_FG}; }}
QLabel#verdict[kind="no"] {{ background: {BAD_BG}; color: {BAD_FG};
    border: 4px solid {BAD_FG}; }}
QLabel#verdict[kind="warn"] {{ background: {WARN_BG}; color: {WARN_FG};
    border: 4px solid {WARN_FG}; }}
QLabel#verdict[kind="idle"] {{ background: #f1f3f4; color: #202124;
    border: 4px dashed #5f6368; }}
QLabel#message[kind="error"] {{ color: {BAD_FG}; font-weight: bold; }}
QLabel#message[kind="ok"] {{ color: {OK_FG}; font-weight: bold; }}
QLabel#notice {{ background: {BAD_BG}; color: {BAD_FG}; border: 2px solid {BAD_FG};
    padding: 12px; border-radius: 8px; }}
"""
