"""Small widgets the screens share: the banner, the item picker, Enter-to-next, messages."""

from __future__ import annotations

import time
from collections.abc import Sequence
from datetime import date
from typing import Any

from PySide6.QtCore import QDate, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QAbstractSpinBox,
    QCalendarWidget,
    QComboBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from kiosk.ui import style
from kiosk.ui.errors import Failure
from kiosk.ui.i18n import language

ENTER_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


def set_kind(widget: QWidget, kind: str) -> None:
    widget.setProperty("kind", kind)
    style.repolish(widget)


class Banner(QFrame):
    """A strip across the top of the window: errors stay until dismissed, news fades."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("banner")
        self.setProperty("kind", "info")
        self.sign = QLabel()
        self.sign.setObjectName("bannerSign")
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.close_button = QPushButton()
        self.close_button.clicked.connect(self.clear)
        layout = QHBoxLayout(self)
        layout.addWidget(self.sign)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.close_button)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.clear)
        self.failure: Failure | None = None
        self.retranslate()
        self.hide()

    def retranslate(self) -> None:
        self.close_button.setText(self.tr("Dismiss"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def show_failure(self, failure: Failure) -> None:
        self.failure = failure
        self._timer.stop()
        self.sign.setText("⚠" if failure.is_bug else "✖")
        self.label.setText(f"<b>{escape_text(failure.title)}</b> — {escape_text(failure.message)}")
        set_kind(self, "bug" if failure.is_bug else "error")
        self.show()

    def show_info(self, text: str, *, seconds: float = 8.0) -> None:
        self.failure = None
        self.sign.setText("✔")
        self.label.setText(escape_text(text))
        set_kind(self, "info")
        self.show()
        self._timer.start(int(seconds * 1000))

    def clear(self) -> None:
        self.failure = None
        self.label.clear()
        self.hide()

    @property
    def text(self) -> str:
        return self.label.text() if self.isVisible() else ""


def escape_text(text: str) -> str:
    """Plain text made safe inside a rich-text label (only &, < and > are escaped)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class Message(QLabel):
    """A line under a form: what was saved (✔) or what is wrong (✖), never colour alone."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("message")
        self.setWordWrap(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.setProperty("kind", "none")

    def ok(self, text: str) -> None:
        self.setText(f"✔ {text}")
        set_kind(self, "ok")

    def error(self, text: str) -> None:
        self.setText(f"✖ {text}")
        set_kind(self, "error")

    def failure(self, failure: Failure) -> None:
        self.error(f"{failure.title}: {failure.message}")

    def info(self, text: str) -> None:
        self.setText(text)
        set_kind(self, "none")


class ItemPicker(QWidget):
    """Find a catalog item by part of its English or Chinese name, its id or its barcode.

    Up/Down walk the matches, Enter takes the highlighted one (or the item
    whose barcode was scanned), and the picker then tells the form to move on.
    """

    picked = Signal(object)  # CatalogItem or None

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.search = QLineEdit()
        self.search.setClearButtonEnabled(True)
        self.results = QListWidget()
        self.results.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.results.setMinimumHeight(4 * style.TOUCH)
        self.results.setMaximumHeight(4 * style.TOUCH + 8)
        self.results.itemClicked.connect(self._clicked)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.search)
        layout.addWidget(self.results)
        layout.addStretch(1)
        self._catalog: Any = None
        self._item: Any = None
        self._showing_choice = False
        self.search.textEdited.connect(self._edited)
        self.search.installEventFilter(self)
        self.setFocusProxy(self.search)
        self.retranslate()

    def retranslate(self) -> None:
        self.search.setPlaceholderText(
            self.tr("Type part of the name (English or 中文), or scan the barcode")
        )
        if self._item is not None:
            self._show_choice(self._item)
        else:
            self._fill(self.search.text())

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def set_catalog(self, catalog: Any) -> None:
        self._catalog = catalog
        self._fill(self.search.text())

    @property
    def item(self) -> Any:
        return self._item

    def clear(self) -> None:
        self._item = None
        self.search.clear()
        self._fill("")

    def choose(self, item_id: str) -> None:
        if self._catalog is not None:
            self._set_item(self._catalog.get(item_id))

    @staticmethod
    def label(item: Any) -> str:
        lang = language()
        other = "en" if lang == "zh" else "zh"
        return f"{item.name(lang)}  ·  {item.name(other)}"

    def _matches(self, text: str) -> list[Any]:
        if self._catalog is None:
            return []
        return list(self._catalog.search(text))

    def _fill(self, text: str) -> None:
        self.results.clear()
        for item in self._matches(text):
            row = QListWidgetItem(self.label(item))
            row.setData(Qt.ItemDataRole.UserRole, item.id)
            self.results.addItem(row)
        if self.results.count():
            self.results.setCurrentRow(0)

    def _edited(self, text: str) -> None:
        if self._item is not None:
            self._item = None
            self.picked.emit(None)
        self._fill(text)

    def _clicked(self, row: QListWidgetItem) -> None:
        self._take(row)
        self.search.setFocus()

    def _take(self, row: QListWidgetItem | None) -> bool:
        if row is None or self._catalog is None:
            return False
        self._set_item(self._catalog.get(str(row.data(Qt.ItemDataRole.UserRole))))
        return True

    def _set_item(self, item: Any) -> None:
        self._item = item
        self._show_choice(item)
        self.picked.emit(item)

    def _show_choice(self, item: Any) -> None:
        self.search.setText(item.name(language()))
        self.results.clear()
        row = QListWidgetItem("✔ " + self.label(item))
        row.setData(Qt.ItemDataRole.UserRole, item.id)
        self.results.addItem(row)
        self.results.setCurrentRow(0)

    def accept_enter(self) -> bool:
        """Enter in the search field: take the barcode's item or the highlighted match."""
        if self._item is not None:
            return True
        text = self.search.text().strip()
        if self._catalog is not None and text:
            exact = [item for item in self._catalog.items
                     if item.active and (text in item.barcodes or text == item.id)]
            if len(exact) == 1:
                self._set_item(exact[0])
                return True
        return self._take(self.results.currentItem())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.search and isinstance(event, QKeyEvent) and (
                event.type() == QEvent.Type.KeyPress):
            step = {Qt.Key.Key_Down: 1, Qt.Key.Key_Up: -1}.get(Qt.Key(event.key()))
            if step is not None and self.results.count():
                row = max(0, min(self.results.count() - 1, self.results.currentRow() + step))
                self.results.setCurrentRow(row)
                return True
        return super().eventFilter(watched, event)


class FormFlow(QObject):
    """Enter moves to the next field; on a button it presses it. The form needs no mouse.

    A field may be a compound widget with a focus proxy (the item picker, the
    date field); if it has `accept_enter()`, Enter moves on only when that
    returns True (a match was taken, the date is good).
    """

    def __init__(self, fields: Sequence[QWidget], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.fields = list(fields)
        self._targets: dict[int, QWidget] = {}
        for field in self.fields:
            for target in self._inputs(field):
                target.installEventFilter(self)
                self._targets[id(target)] = field

    @staticmethod
    def _inputs(field: QWidget) -> list[QWidget]:
        proxy = field.focusProxy() or field
        inputs = [proxy]
        if isinstance(proxy, QAbstractSpinBox):
            line = proxy.findChild(QLineEdit)
            if line is not None:
                inputs.append(line)
        return inputs

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return False
        if event.key() not in ENTER_KEYS:
            return False
        field = self._targets.get(id(watched))
        if field is None:
            return False
        if isinstance(field, QComboBox) and field.view().isVisible():
            return False
        accept = getattr(field, "accept_enter", None)
        if accept is not None and not accept():
            return True
        if isinstance(field, QPushButton):
            field.click()
            return True
        if isinstance(field, QAbstractSpinBox):
            field.interpretText()
        self.next_after(field)
        return True

    def next_after(self, field: QWidget) -> None:
        index = self.fields.index(field)
        for candidate in self.fields[index + 1:]:
            if candidate.isEnabled() and candidate.isVisible():
                candidate.setFocus(Qt.FocusReason.TabFocusReason)
                target = candidate.focusProxy() or candidate
                if isinstance(target, QLineEdit):
                    target.selectAll()
                return


class ScanKeys(QObject):
    """Enter in a scan field and a short-code field, with a keyboard-wedge scanner's bursts.

    A scanner types its code as a fast burst of keys ending in Enter; a burst
    is told from a person typing by its speed (kiosk.scanner.KeyBurst)
    wherever it lands. Its characters come back out of the field they were
    typed into and the code goes to `on_code(text, "scanner")`. Enter typed
    in the scan field sends its text as `on_code(text, "typed")`; Enter in the
    code field calls `on_submit()`.
    """

    def __init__(self, scan: QLineEdit, code: QLineEdit, on_code: Any, on_submit: Any,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        from kiosk.scanner import KeyBurst

        self.scan = scan
        self.code = code
        self.on_code = on_code
        self.on_submit = on_submit
        self.burst = KeyBurst()
        self._before_burst: tuple[QObject | None, str] = (None, "")
        scan.installEventFilter(self)
        code.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if not isinstance(event, QKeyEvent) or event.type() != QEvent.Type.KeyPress:
            return super().eventFilter(watched, event)
        if event.key() in ENTER_KEYS:
            burst = self.burst.feed("\r", time.monotonic())
            if burst is not None:
                # a scanner: take the burst wherever it landed
                self._clear_tail(watched)
                self.on_code(burst, "scanner")
                return True
            if watched is self.scan:
                text = self.scan.text()
                self.scan.clear()
                if text.strip():
                    self.on_code(text, "typed")
                return True
            if watched is self.code:
                self.on_submit()
                return True
        elif event.text():
            self.burst.feed(event.text(), time.monotonic())
            if len(self.burst.pending) == 1 and isinstance(watched, QLineEdit):
                # this key may start a scanner burst: remember the field as it was
                self._before_burst = (watched, watched.text())
        return super().eventFilter(watched, event)

    def _clear_tail(self, watched: QObject) -> None:
        """Take a scanner's characters back out of the field they were typed into."""
        field, before = self._before_burst
        if isinstance(watched, QLineEdit) and watched is not self.scan:
            watched.setText(before if field is watched else "")
        self.scan.clear()


class DateField(QWidget):
    """A date typed as YYYY-MM-DD (digits only, the dashes are there) or picked in a calendar.

    The calendar offers no date before `minimum`; a typed date before it is
    refused with the reason under the field, and Enter does not move on.
    """

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.edit = QLineEdit()
        self.edit.setInputMask("0000-00-00;_")
        self.button = QPushButton()
        self.button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.hint = QLabel()
        self.hint.setObjectName("message")
        # shown in place under the field (no pop-up window), big enough for a finger
        self.calendar = QCalendarWidget()
        self.calendar.setGridVisible(True)
        self.calendar.setMinimumHeight(6 * style.TOUCH)
        self.calendar.hide()
        self.calendar.clicked.connect(self._picked)
        self.calendar.activated.connect(self._picked)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.edit, 1)
        row.addWidget(self.button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.hint)
        layout.addWidget(self.calendar)
        self.setFocusProxy(self.edit)
        self.minimum = date.min
        self.maximum = date.max
        self.edit.textChanged.connect(self._edited)
        self.button.clicked.connect(self.open_calendar)
        self.retranslate()

    def retranslate(self) -> None:
        self.button.setText(self.tr("Calendar…"))
        self._edited()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def set_range(self, minimum: date, maximum: date) -> None:
        self.minimum, self.maximum = minimum, maximum
        self.calendar.setDateRange(_qdate(minimum), _qdate(maximum))
        self._edited()

    def typed(self) -> date | None:
        """The date as typed, in range or not; None while it is not a whole, real date."""
        text = self.edit.text()
        if len(text) != 10 or "_" in text or " " in text:
            return None
        try:
            return date.fromisoformat(text)
        except ValueError:
            return None

    def value(self) -> date | None:
        """The date if it is complete and allowed."""
        typed = self.typed()
        if typed is None or not self.minimum <= typed <= self.maximum:
            return None
        return typed

    def set_value(self, value: date | None) -> None:
        self.edit.setText(value.isoformat() if value is not None else "")

    def clear(self) -> None:
        self.edit.clear()

    def problem(self) -> str:
        """Why the typed date cannot be used ("" when it can, or nothing is typed yet)."""
        text = self.edit.text().replace("-", "").replace("_", "").strip()
        typed = self.typed()
        if not text:
            return ""
        if typed is None:
            return self.tr("Not a whole date yet: type it as YYYY-MM-DD.") if len(text) < 8 \
                else self.tr("There is no such date.")
        if typed < self.minimum:
            return self.tr("This date has passed (or is today); expired medicine cannot be "
                           "taken in.")
        if typed > self.maximum:
            return self.tr("That is too far ahead; check the date on the box.")
        return ""

    def _edited(self) -> None:
        problem = self.problem()
        if problem:
            self.hint.setText("✖ " + problem)
            set_kind(self.hint, "error")
        elif self.value() is not None:
            self.hint.setText("✔ " + self.tr("Good until {date}.").format(
                date=self.edit.text()))
            set_kind(self.hint, "ok")
        else:
            self.hint.setText(self.tr("Type it as YYYY-MM-DD, or pick it in the calendar."))
            set_kind(self.hint, "none")
        self.changed.emit()

    def accept_enter(self) -> bool:
        if self.value() is None:
            self.edit.setFocus()
            return False
        return True

    def open_calendar(self) -> None:
        if self.calendar.isVisible():
            self.calendar.hide()
            self.edit.setFocus()
            return
        current = self.value() or self.minimum
        self.calendar.setSelectedDate(_qdate(current))
        self.calendar.show()
        self.calendar.setFocus()

    def _picked(self, chosen: QDate) -> None:
        self.set_value(date(chosen.year(), chosen.month(), chosen.day()))
        self.calendar.hide()
        self.edit.setFocus()


def _qdate(value: date) -> QDate:
    return QDate(value.year, value.month, value.day)


class Form(QFormLayout):
    """A form whose row labels are set (and set again on a language switch) in one call."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.labels: list[QLabel] = []
        self.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)

    def add(self, field: QWidget | Any) -> QLabel:
        label = QLabel()
        if isinstance(field, QWidget):
            label.setBuddy(field.focusProxy() or field)
        self.labels.append(label)
        self.addRow(label, field)
        return label

    def set_labels(self, texts: Sequence[str]) -> None:
        for label, text in zip(self.labels, texts, strict=False):
            label.setText(text)


def table(columns: int, *stretch: int, editable: bool = False) -> QTableWidget:
    """A table of whole rows, one selected at a time; read-only unless told.

    Rows are touch-high; the `stretch` columns take the spare width, the
    others fit their contents.
    """
    widget = QTableWidget(0, columns)
    if not editable:
        widget.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    widget.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    widget.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    widget.verticalHeader().setVisible(False)
    widget.verticalHeader().setDefaultSectionSize(style.TOUCH)
    header = widget.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    for column in stretch:
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
    return widget


def heading(text: str = "") -> QLabel:
    label = QLabel(text)
    label.setObjectName("heading")
    return label


def hint(text: str = "") -> QLabel:
    label = QLabel(text)
    label.setObjectName("hint")
    label.setWordWrap(True)
    return label


def settle_top_level(widget: QWidget, width: int, height: int) -> None:
    """Fix a top-level window's minimum size before it shows.

    A layout would otherwise push size hints to the platform window each time
    it changes, which some platforms (the offscreen one used for tests and
    screenshots) do not support and warn about.
    """
    layout = widget.layout()
    if layout is not None:
        layout.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)
    widget.setMinimumSize(width, height)
    widget.resize(max(width, widget.sizeHint().width()), max(height, widget.sizeHint().height()))
