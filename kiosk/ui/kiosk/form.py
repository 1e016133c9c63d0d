"""What the need and spare pages share: choose an item, fill in its details, get a receipt.

The pages keep their own texts (their `tr` strings stay in their own
translation contexts); this holds only the layout and the flow around them.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from kiosk.ui import kiosk_jobs
from kiosk.ui.kiosk import style
from kiosk.ui.kiosk.base import KioskContext, KioskPage
from kiosk.ui.kiosk.done import DoneView
from kiosk.ui.kiosk.receipts import Receipt
from kiosk.ui.kiosk.widgets import ItemList


def details_view(left: QVBoxLayout, message: QWidget, back: QWidget, send: QWidget,
                 side: list[QWidget]) -> QWidget:
    """The form on the left (message, then Back and Send under it), *side* beside it."""
    left.addWidget(message)
    left.addStretch(1)
    buttons = QHBoxLayout()
    buttons.addWidget(back)
    buttons.addStretch(1)
    buttons.addWidget(send)
    left.addLayout(buttons)
    right = QVBoxLayout()
    right.addStretch(1)
    for widget in side:
        right.addWidget(widget)
    panel = QWidget()
    panel.setLayout(right)
    panel.setFixedWidth(style.SIDE)
    view = QWidget()
    row = QHBoxLayout(view)
    row.setContentsMargins(0, 0, 0, 0)
    row.addLayout(left, 1)
    row.addSpacing(24)
    row.addWidget(panel)
    return view


def focused_field(*fields: QLineEdit) -> QLineEdit:
    """The one of *fields* that has the focus, else the first (where the keypad types)."""
    focused = QApplication.focusWidget()
    if isinstance(focused, QLineEdit) and focused in fields:
        return focused
    return fields[0]


class FormPage(KioskPage):
    """Three views in a stack: the item list, the item's form, and the done view.

    Subclasses build `choose_view` and `details_view` (with `message`, `send`
    and `back_to_list`), and show what was made in `_show_done`.
    """

    choose_view: QWidget
    items: ItemList
    details_view: QWidget
    send: QPushButton
    message: Any

    def __init__(self, context: KioskContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.views = QStackedWidget()
        self._build_choose()
        self._build_details()
        self._build_done()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 8, 24, 16)
        layout.addWidget(self.views)
        self.item: Any = None
        self.receipt: Receipt | None = None
        self._sending = False

    def _build_choose(self) -> None:
        raise NotImplementedError

    def _build_details(self) -> None:
        raise NotImplementedError

    def _build_done(self) -> None:
        self.done = DoneView()
        self.done.finish.clicked.connect(lambda: self.navigate.emit("home", None))
        self.done_view = self.done
        self.views.addWidget(self.done)

    def _clear_form(self) -> None:
        raise NotImplementedError

    def _show_done(self) -> None:
        raise NotImplementedError

    def _load_list(self) -> None:
        """Fill the item list from the catalog (when the page is entered)."""
        raise NotImplementedError

    def _forget_made(self) -> None:
        """Forget what the last sending made (on reset)."""
        raise NotImplementedError

    def entered(self, argument: object = None) -> None:
        self._load_list()
        if isinstance(argument, str):
            self.choose(argument)
        elif self.views.currentWidget() is self.choose_view:
            self.items.search.setFocus()

    def choose(self, item_id: str) -> None:
        raise NotImplementedError

    def reset(self) -> None:
        self.items.clear()
        self.item = None
        self._forget_made()
        self.receipt = None
        self.done.clear()
        self._sent()
        self._clear_form()
        self.views.setCurrentWidget(self.choose_view)

    def back_to_list(self) -> None:
        self.item = None
        self._clear_form()
        self.views.setCurrentWidget(self.choose_view)

    def _sent(self) -> None:
        """The answer came back: the form may be sent again."""
        self._sending = False
        self.send.setEnabled(True)

    def _show_receipt(self) -> None:
        self.views.setCurrentWidget(self.done_view)
        self.done.printing()
        self._show_done()

    def _print_receipt(self) -> None:
        self.context.call(kiosk_jobs.print_receipt, self.context.printer(), self.receipt,
                          on_done=self.done.set_printed,
                          on_error=self.done.set_print_failed)
