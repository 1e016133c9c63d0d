"""Touch widgets for the resident kiosk: big tiles, steppers, on-screen keypads, choices.

Every primary target is at least 64 px (kiosk.ui.kiosk.style); the keypads
never take the keyboard focus, so what they type lands in the field the
resident touched last, and a hardware keyboard or scanner works as well.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QIcon, QIntValidator, QKeyEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QGridLayout,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScroller,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from kiosk.paths import resources_dir
from kiosk.ui.i18n import language
from kiosk.ui.kiosk import style

BACKSPACE = "⌫"


def icon(name: str) -> QIcon:
    """One of our own SVG icons in resources/icons (CC0, see its README)."""
    return QIcon(str(resources_dir() / "icons" / f"{name}.svg"))


def touch_scrolling(widget: QWidget) -> None:
    """Let a finger drag a list (the scroll bar stays for a mouse)."""
    QScroller.grabGesture(widget, QScroller.ScrollerGestureType.TouchGesture)


class Tile(QToolButton):
    """A home-screen button: a large icon over large words."""

    def __init__(self, icon_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("tile")
        self.setIcon(icon(icon_name))
        self.setIconSize(QSize(style.TILE_ICON, style.TILE_ICON))
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextUnderIcon)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(style.TILE_MIN_WIDTH, style.TILE_MIN_HEIGHT)


def big_button(kind: str = "") -> QPushButton:
    """A button at least PRIMARY px tall; `kind` "primary" for the main action of a page."""
    button = QPushButton()
    if kind:
        button.setObjectName(kind)
    button.setMinimumHeight(style.PRIMARY)
    # reachable with Tab, but a touch does not take the focus from the field being typed in
    button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
    return button


class Stepper(QWidget):
    """A whole number with big − and + buttons (they repeat when held) and a typable field."""

    changed = Signal(int)

    def __init__(self, minimum: int = 1, maximum: int = 99, parent: QWidget | None = None
                 ) -> None:
        super().__init__(parent)
        self.minus = QPushButton("−")
        self.plus = QPushButton("+")
        for button in (self.minus, self.plus):
            button.setObjectName("step")
            button.setAutoRepeat(True)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.setFixedSize(style.PRIMARY, style.PRIMARY)
        self.edit = QLineEdit()
        self.edit.setObjectName("stepValue")
        self.edit.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.edit.setInputMethodHints(Qt.InputMethodHint.ImhDigitsOnly)
        self.edit.setMinimumHeight(style.PRIMARY)
        self.edit.setFixedWidth(160)
        self.validator = QIntValidator(0, maximum, self)
        self.edit.setValidator(self.validator)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.minus)
        layout.addWidget(self.edit)
        layout.addWidget(self.plus)
        layout.addStretch(1)
        self.setFocusProxy(self.edit)
        self.minimum, self.maximum = minimum, maximum
        self._value = minimum
        self.minus.clicked.connect(lambda: self.setValue(self._value - 1))
        self.plus.clicked.connect(lambda: self.setValue(self._value + 1))
        self.edit.textEdited.connect(self._typed)
        self.edit.editingFinished.connect(lambda: self.setValue(self._value))
        self._show()

    def value(self) -> int:
        return self._value

    def setRange(self, minimum: int, maximum: int) -> None:
        self.minimum, self.maximum = minimum, max(minimum, maximum)
        self.validator.setRange(0, self.maximum)
        self.setValue(self._value)

    def setValue(self, value: int) -> None:
        clamped = max(self.minimum, min(self.maximum, value))
        changed = clamped != self._value
        self._value = clamped
        self._show()
        if changed:
            self.changed.emit(clamped)

    def _typed(self, text: str) -> None:
        # typing keeps the digits as they are until the field is left (so "1" can become 12)
        if text.isdigit():
            value = max(self.minimum, min(self.maximum, int(text)))
            if value != self._value:
                self._value = value
                self.changed.emit(value)
        self._buttons()

    def _show(self) -> None:
        if self.edit.text() != str(self._value):
            self.edit.setText(str(self._value))
        self._buttons()

    def _buttons(self) -> None:
        self.minus.setEnabled(self._value > self.minimum)
        self.plus.setEnabled(self._value < self.maximum)


class KeyPad(QWidget):
    """On-screen keys that type into the line edit the resident last touched on this page."""

    def __init__(self, keys: Sequence[str], columns: int, target: Callable[[], QLineEdit | None],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.target = target
        self.buttons: dict[str, QPushButton] = {}
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(6)
        for index, key in enumerate([*keys, BACKSPACE]):
            button = QPushButton(key)
            button.setObjectName("key")
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.setMinimumSize(style.KEY, style.PRIMARY)
            button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            button.setAutoRepeat(key == BACKSPACE)
            button.clicked.connect(lambda _=False, key=key: self.press(key))
            grid.addWidget(button, index // columns, index % columns)
            self.buttons[key] = button

    def press(self, key: str) -> None:
        field = self.target()
        if field is None or not field.isEnabled():
            return
        if key == BACKSPACE:
            code, text = Qt.Key.Key_Backspace, ""
        else:
            code, text = Qt.Key.Key_unknown, key
        # a real key event: the field's validator, input mask and signals all apply
        event = QKeyEvent(QEvent.Type.KeyPress, code, Qt.KeyboardModifier.NoModifier, text)
        QCoreApplication.sendEvent(field, event)


def digit_keys() -> list[str]:
    return [*"123456789", "0"]


class Choices(QWidget):
    """One of a few options as big toggle buttons (never a drop-down: easier to touch)."""

    changed = Signal(str)

    def __init__(self, codes: Sequence[str], columns: int = 0, parent: QWidget | None = None
                 ) -> None:
        super().__init__(parent)
        self.group = QButtonGroup(self)
        self.group.setExclusive(True)
        self.buttons: dict[str, QPushButton] = {}
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        columns = columns or len(codes)
        for index, code in enumerate(codes):
            button = QPushButton(code)
            button.setObjectName("choice")
            button.setCheckable(True)
            button.setFocusPolicy(Qt.FocusPolicy.TabFocus)  # a touch leaves the typing focus
            button.setMinimumHeight(style.PRIMARY)
            button.clicked.connect(lambda _=False, code=code: self.changed.emit(code))
            self.group.addButton(button)
            self.buttons[code] = button
            grid.addWidget(button, index // columns, index % columns)
        for column in range(columns):
            grid.setColumnStretch(column, 1)

    def current(self) -> str:
        for code, button in self.buttons.items():
            if button.isChecked():
                return code
        return ""

    def set_current(self, code: str) -> None:
        self.buttons[code].setChecked(True)

    def set_texts(self, texts: dict[str, str]) -> None:
        for code, button in self.buttons.items():
            button.setText(texts.get(code, code))


class LongPressButton(QPushButton):
    """A discreet button that acts only when held down for `hold_ms` (a tap does nothing)."""

    long_pressed = Signal()

    def __init__(self, hold_ms: int = 3000, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(hold_ms)
        self._timer.timeout.connect(self.long_pressed.emit)
        self.pressed.connect(self._timer.start)
        self.released.connect(self._timer.stop)

    @property
    def hold_ms(self) -> int:
        return self._timer.interval()

    def set_hold_ms(self, milliseconds: int) -> None:
        self._timer.setInterval(milliseconds)


class ItemList(QWidget):
    """The catalog as big rows, filtered by part of a name in English or Chinese.

    Each row shows the name in the kiosk's language and, under it, a note per
    item (what is here now) from `note` and the other language's name.
    """

    chosen = Signal(str)  # item id

    def __init__(self, note: Callable[[Any], str] | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.note = note
        self.search = QLineEdit()
        self.search.setObjectName("search")
        self.search.setClearButtonEnabled(True)
        self.list = QListWidget()
        self.list.setObjectName("items")
        self.list.setWordWrap(True)
        self.list.setVerticalScrollMode(QListWidget.ScrollMode.ScrollPerPixel)
        touch_scrolling(self.list.viewport())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.search)
        layout.addWidget(self.list, 1)
        self._catalog: Any = None
        self._order: Callable[[Any], Any] | None = None
        self.search.textChanged.connect(self.fill)
        self.search.returnPressed.connect(self._take_first)
        self.list.itemClicked.connect(self._clicked)

    def set_catalog(self, catalog: Any, order: Callable[[Any], Any] | None = None) -> None:
        self._catalog = catalog
        self._order = order
        self.fill()

    def items(self) -> list[Any]:
        if self._catalog is None:
            return []
        found = list(self._catalog.search(self.search.text()))
        if self._order is not None:
            found.sort(key=self._order)
        return found

    def fill(self) -> None:
        lang = language()
        other = "en" if lang == "zh" else "zh"
        self.list.clear()
        for item in self.items():
            lines = [item.name(lang), item.name(other)]
            if self.note is not None:
                note = self.note(item)
                if note:  # first, so a long name is what gets cut short, never the count
                    lines[1] = note + "  ·  " + lines[1]
            row = QListWidgetItem("\n".join(lines))
            row.setData(Qt.ItemDataRole.UserRole, item.id)
            row.setSizeHint(QSize(0, style.ROW))
            self.list.addItem(row)

    def ids(self) -> list[str]:
        return [str(self.list.item(row).data(Qt.ItemDataRole.UserRole))
                for row in range(self.list.count())]

    def row_text(self, item_id: str) -> str:
        for row in range(self.list.count()):
            if self.list.item(row).data(Qt.ItemDataRole.UserRole) == item_id:
                return self.list.item(row).text()
        return ""

    def choose(self, item_id: str) -> None:
        self.chosen.emit(item_id)

    def clear(self) -> None:
        self.search.clear()
        self.list.clearSelection()
        self.list.scrollToTop()

    def _clicked(self, row: QListWidgetItem) -> None:
        self.chosen.emit(str(row.data(Qt.ItemDataRole.UserRole)))

    def _take_first(self) -> None:
        if self.list.count():
            self._clicked(self.list.item(0))
