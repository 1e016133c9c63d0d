"""Leaving kiosk mode: a manager's name and PIN, checked with the desk's lockout.

Reached only by holding the discreet corner button; the only thing it can
do is end kiosk mode (the window emits `unlocked`). It opens no staff
screen and shows no data; a staff (not manager) PIN is refused.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QRegularExpression, Qt, Signal
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from kiosk.ui import kiosk_jobs
from kiosk.ui.errors import Failure
from kiosk.ui.kiosk import style
from kiosk.ui.kiosk.base import KioskContext, KioskPage
from kiosk.ui.kiosk.widgets import KeyPad, big_button, digit_keys
from kiosk.ui.widgets import Message


class UnlockPage(KioskPage):
    key = "unlock"
    unlocked = Signal(object)  # the manager's Account

    def __init__(self, context: KioskContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.heading = QLabel()
        self.heading.setObjectName("title")
        self.explain = QLabel()
        self.explain.setWordWrap(True)
        self.name_label = QLabel()
        self.name = QComboBox()
        self.name.setMinimumHeight(64)
        self.pin_label = QLabel()
        self.pin = QLineEdit()
        self.pin.setObjectName("pin")
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin.setMaxLength(8)
        self.pin.setValidator(QRegularExpressionValidator(QRegularExpression(r"[0-9]{0,8}"),
                                                          self.pin))
        self.pin.setInputMethodHints(Qt.InputMethodHint.ImhDigitsOnly)
        self.keypad = KeyPad(digit_keys(), 3, lambda: self.pin)
        self.cancel = big_button()
        self.unlock = big_button("primary")
        self.message = Message()

        left = QVBoxLayout()
        left.addWidget(self.heading)
        left.addWidget(self.explain)
        left.addWidget(self.name_label)
        left.addWidget(self.name)
        left.addWidget(self.pin_label)
        left.addWidget(self.pin)
        left.addWidget(self.message)
        left.addStretch(1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.cancel)
        buttons.addStretch(1)
        buttons.addWidget(self.unlock)
        left.addLayout(buttons)
        right = QVBoxLayout()
        right.addStretch(1)
        right.addWidget(self.keypad)
        side = QWidget()
        side.setLayout(right)
        side.setFixedWidth(style.SIDE)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(48, 16, 48, 24)
        layout.addLayout(left, 1)
        layout.addSpacing(32)
        layout.addWidget(side)

        self.checking = False
        self.pin.returnPressed.connect(self.submit)
        self.unlock.clicked.connect(self.submit)
        self.cancel.clicked.connect(lambda: self.navigate.emit("home", None))
        self.retranslate()

    def retranslate(self) -> None:
        self.heading.setText(self.tr("Staff only: leave kiosk mode"))
        self.explain.setText(self.tr("A manager's PIN closes the resident screen."))
        self.name_label.setText(self.tr("Manager"))
        self.pin_label.setText(self.tr("PIN"))
        self.cancel.setText(self.tr("Cancel"))
        self.unlock.setText(self.tr("Leave kiosk mode"))

    def entered(self, argument: object = None) -> None:
        self.context.call(kiosk_jobs.unlock_accounts, on_done=self._accounts)
        self.pin.setFocus()

    def _accounts(self, names: list[str]) -> None:
        current = self.name.currentText()
        self.name.clear()
        self.name.addItems(names)
        if current in names:
            self.name.setCurrentText(current)

    def reset(self) -> None:
        self.pin.clear()
        self.message.clear()
        self.checking = False
        self.unlock.setEnabled(True)

    def submit(self) -> None:
        name = self.name.currentText()
        pin = self.pin.text()
        if self.checking or not name:
            return
        if not pin:
            self.message.error(self.tr("Type the PIN."))
            self.pin.setFocus()
            return
        self.checking = True
        self.unlock.setEnabled(False)
        self.message.info(self.tr("Checking…"))
        self.context.call(kiosk_jobs.unlock, name, pin, on_done=self._unlocked,
                          on_error=self._refused)

    def _unlocked(self, account: Any) -> None:
        self.checking = False
        self.unlock.setEnabled(True)
        self.pin.clear()
        self.message.clear()
        self.unlocked.emit(account)

    def _refused(self, failure: Failure) -> None:
        self.checking = False
        self.unlock.setEnabled(True)
        self.pin.clear()
        self.pin.setFocus()
        if isinstance(failure.error, kiosk_jobs.NotAManager):
            self.message.error(self.tr("Only a manager can leave kiosk mode."))
        else:
            self.message.failure(failure)
