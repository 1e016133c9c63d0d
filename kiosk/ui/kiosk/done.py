"""The last view of a resident's request or drop-off: the number, what next, the receipt."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from kiosk.ui.errors import Failure
from kiosk.ui.kiosk.receipts import Printed
from kiosk.ui.kiosk.widgets import big_button


class DoneView(QWidget):
    """A big number and plain next steps; says whether a paper receipt came out."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.heading = QLabel()
        self.heading.setObjectName("big")
        self.number = QLabel()
        self.number.setObjectName("number")
        self.what = QLabel()
        self.what.setObjectName("big")
        self.next_steps = QLabel()
        self.print_status = QLabel()
        self.print_status.setObjectName("hint")
        self.finish = big_button("primary")
        self.finish.setMinimumWidth(260)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        for label in (self.heading, self.number, self.what, self.next_steps, self.print_status):
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            label.setWordWrap(True)
            layout.addWidget(label)
        layout.addStretch(1)
        layout.addWidget(self.finish, 0, Qt.AlignmentFlag.AlignHCenter)
        self._number: int | None = None
        self.printed: Printed | None = None
        self.failure: Failure | None = None
        self.retranslate()

    def retranslate(self) -> None:
        self.finish.setText(self.tr("Done"))
        self._show_print()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def show_result(self, heading: str, number: int, what: str, next_steps: str) -> None:
        self._number = number
        self.heading.setText(heading)
        self.number.setText(str(number))
        self.what.setText(what)
        self.next_steps.setText(next_steps)
        self._show_print()

    def printing(self) -> None:
        self.printed = None
        self.failure = None
        self._show_print()

    def set_printed(self, printed: Printed) -> None:
        self.printed = printed
        self._show_print()

    def set_print_failed(self, failure: Failure) -> None:
        self.failure = failure
        self._show_print()

    def clear(self) -> None:
        self._number = None
        self.printed = None
        self.failure = None
        for label in (self.heading, self.number, self.what, self.next_steps, self.print_status):
            label.clear()

    def _show_print(self) -> None:
        number = self._number
        if number is None:
            self.print_status.clear()
        elif self.failure is not None:
            self.print_status.setText(self.tr(
                "The receipt could not be printed. Please remember your number: {number}.")
                .format(number=number))
        elif self.printed is None:
            self.print_status.setText(self.tr("Printing your receipt…"))
        elif self.printed.on_paper:
            self.print_status.setText(self.tr("Take your receipt from the printer."))
        else:
            self.print_status.setText(self.tr(
                "There is no receipt printer here. Please remember your number: {number}.")
                .format(number=number))
