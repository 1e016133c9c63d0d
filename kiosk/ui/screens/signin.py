"""Sign in: choose your name, type your PIN. A few wrong PINs lock the account for a while."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QRegularExpression, Qt
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QComboBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kiosk.ui import labels
from kiosk.ui.demo import DEMO_MANAGER, DEMO_PIN
from kiosk.ui.errors import Failure
from kiosk.ui.screens.base import Screen
from kiosk.ui.services import Services
from kiosk.ui.widgets import Form, Message, heading, hint

if TYPE_CHECKING:
    from kiosk.ui.jobs import StationState


class SignInScreen(Screen):
    key = "signin"

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(services, parent)
        self.heading = heading()
        self.station = QLabel()
        self.station.setObjectName("heading")
        self.name = QComboBox()
        self.pin = QLineEdit()
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin.setMaxLength(8)
        self.pin.setValidator(QRegularExpressionValidator(QRegularExpression(r"[0-9]{0,8}")))
        self.pin.setInputMethodHints(Qt.InputMethodHint.ImhDigitsOnly)
        self.sign_in = QPushButton()
        self.sign_in.setObjectName("primary")
        self.demo_hint = hint()
        self.demo_hint.setVisible(False)
        self.message = Message()
        self.form = Form()
        for widget in (self.name, self.pin, self.sign_in):
            self.form.add(widget)
        box = QWidget()
        box.setMaximumWidth(560)
        inner = QVBoxLayout(box)
        inner.addWidget(self.station)
        inner.addWidget(self.heading)
        inner.addLayout(self.form)
        inner.addWidget(self.message)
        inner.addWidget(self.demo_hint)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(box, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(2)
        self.pin.returnPressed.connect(self.submit)
        self.sign_in.clicked.connect(self.submit)
        self.accounts: list[Any] = []
        self.retranslate()

    def title(self) -> str:
        return self.tr("Sign in")

    def retranslate(self) -> None:
        self.heading.setText(self.tr("Sign in to the desk"))
        self.form.set_labels([self.tr("Name"), self.tr("PIN"), ""])
        self.pin.setPlaceholderText(self.tr("4 to 8 digits"))
        self.sign_in.setText(self.tr("Sign in"))
        self.demo_hint.setText(self.tr(
            "Demo station: sign in as “{name}” with PIN {pin}. Nothing here is real.").format(
            name=DEMO_MANAGER, pin=DEMO_PIN))
        self._fill_names()
        state = self.services.state
        self.station.setText(state.name if state is not None else self.tr("Opening the station…"))

    def station_opened(self, state: StationState) -> None:
        self.station.setText(state.name)
        self.set_accounts(list(state.accounts))
        self.demo_hint.setVisible(self.services.demo)

    def set_accounts(self, accounts: list[Any]) -> None:
        self.accounts = accounts
        self._fill_names()

    def _fill_names(self) -> None:
        current = self.name.currentData()
        self.name.clear()
        for account in self.accounts:
            self.name.addItem(f"{account.name} ({labels.role(account.role)})", account.name)
        if current is not None:
            index = self.name.findData(current)
            if index >= 0:
                self.name.setCurrentIndex(index)

    def choose(self, name: str) -> None:
        index = self.name.findData(name)
        if index >= 0:
            self.name.setCurrentIndex(index)

    def focus_first(self) -> None:
        self.pin.setFocus()

    def submit(self) -> None:
        name = self.name.currentData()
        if name is None:
            self.message.error(self.tr("There is no account yet."))
            return
        pin = self.pin.text()
        self.pin.clear()
        self.sign_in.setEnabled(False)
        self.services.sign_in(str(name), pin, on_done=self._signed_in, on_error=self._refused)

    def _signed_in(self, account: Any) -> None:
        self.sign_in.setEnabled(True)
        self.message.info("")

    def _refused(self, failure: Failure) -> None:
        self.sign_in.setEnabled(True)
        error = failure.error
        left = getattr(error, "tries_left", None)
        until = getattr(error, "until", None)
        if left is not None:
            self.message.error(self.tr("That PIN is not right. Tries left before the account "
                                       "locks: {left}.").format(left=left))
        elif until is not None:
            self.message.error(self.tr("Too many wrong PINs: this account is locked until "
                                       "{time}. Wait, or ask a manager to reset the PIN.")
                               .format(time=until.astimezone().strftime("%H:%M")))
        else:
            self.message.failure(failure)
        self.pin.setFocus()
