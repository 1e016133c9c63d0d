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
from kiosk.ui.demo import DEMO_MANAGER, DEMO_PIN
from kiosk.ui.errors import Failure
from kiosk.ui.kiosk import style
from kiosk.ui.kiosk.base import KioskContext, KioskPage
from kiosk.ui.kiosk.widgets import KeyPad, big_button, digit_keys
from kiosk.ui.widgets import Message


class UnlockPage(KioskPage):
    key = "unlock"
    unlocked = Signal(object)  # the manager's Account (None: there is no manager to ask)

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
        self.demo_hint = QLabel()
        self.demo_hint.setObjectName("hint")
        self.demo_hint.setWordWrap(True)
        self.demo_hint.setVisible(self.services.demo)

        left = QVBoxLayout()
        left.addWidget(self.heading)
        left.addWidget(self.explain)
        left.addWidget(self.name_label)
        left.addWidget(self.name)
        left.addWidget(self.pin_label)
        left.addWidget(self.pin)
        left.addWidget(self.message)
        left.addWidget(self.demo_hint)
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
        self.open_door = False  # no station, or no manager yet: leaving needs no PIN
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
        self.demo_hint.setText(self.tr("Demo station: the manager is “{name}”, PIN {pin}.")
                               .format(name=DEMO_MANAGER, pin=DEMO_PIN))

    def entered(self, argument: object = None) -> None:
        state = self.services.state
        if state is not None and not state.initialised:
            self._set_open_door(True)  # no station here: nothing to protect, nobody to ask
        else:
            self.context.call(kiosk_jobs.unlock_accounts, on_done=self._accounts)
        self.pin.setFocus()

    def _accounts(self, accounts: kiosk_jobs.UnlockAccounts) -> None:
        current = self.name.currentText()
        self.name.clear()
        self.name.addItems(list(accounts.names))
        if current in accounts.names:
            self.name.setCurrentText(current)
        self._set_open_door(not accounts.has_manager)

    def _set_open_door(self, open_door: bool) -> None:
        self.open_door = open_door
        for widget in (self.name_label, self.name, self.pin_label, self.pin, self.keypad):
            widget.setVisible(not open_door)
        if open_door:
            self.message.info(self.tr("There is no manager account yet, so no PIN is needed. "
                                      "Set the station up at the desk."))

    def reset(self) -> None:
        self.pin.clear()
        self.message.clear()
        self._set_open_door(False)
        self.checking = False
        self.unlock.setEnabled(True)

    def submit(self) -> None:
        if self.open_door and not self.context.ready:
            self.unlocked.emit(None)
            return
        name = self.name.currentText()
        pin = self.pin.text()
        if self.checking or (not name and not self.open_door):
            return
        if not pin and not self.open_door:
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
