"""First run: set the station up, then create the first (manager) account.

Both are dialogs opened without blocking (`open()`), so the event loop and
the worker keep running while the person types.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QRegularExpression, Qt
from PySide6.QtGui import QRegularExpressionValidator, QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kiosk.localtime import system_zone_name
from kiosk.ui.errors import Failure
from kiosk.ui.services import Services
from kiosk.ui.widgets import Form, FormFlow, Message, heading, hint, settle_top_level
from kiosk.ui.zonepicker import ZonePicker


class _Dialog(QDialog):
    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.heading = heading()
        self.explain = hint()
        self.form = Form()
        self.message = Message()
        self.submit_button = QPushButton()
        self.submit_button.setObjectName("primary")
        self.submit_button.setAutoDefault(False)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.explain)
        layout.addLayout(self.form)
        layout.addWidget(self.message)
        layout.addWidget(self.submit_button)
        self.submit_button.clicked.connect(self.submit)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        first = self.form.labels[0].buddy() if self.form.labels else None
        if first is not None:
            first.setFocus()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        raise NotImplementedError

    def submit(self) -> None:
        raise NotImplementedError

    def reject(self) -> None:
        """Escape does not close a first-run dialog: there is nothing to go back to."""

    def _failed(self, failure: Failure) -> None:
        self.submit_button.setEnabled(True)
        self.message.failure(failure)


class StationSetupDialog(_Dialog):
    """`medshare init` as a form: station code, name, address, time zone, opening hours."""

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(services, parent)
        self.code = QLineEdit()
        self.code.setMaxLength(12)
        self.code.setValidator(QRegularExpressionValidator(QRegularExpression("[A-Za-z0-9]*")))
        self.name = QLineEdit()
        self.name.setMaxLength(120)
        self.address = QLineEdit()
        self.address.setMaxLength(300)
        self.zone = ZonePicker()
        self.zone.set_zone(system_zone_name())
        self.hours = QLineEdit()
        self.hours.setMaxLength(200)
        for widget in (self.code, self.name, self.address, self.zone, self.hours):
            self.form.add(widget)
        self.flow = FormFlow([self.code, self.name, self.address, self.zone, self.hours,
                              self.submit_button], self)
        self.retranslate()
        settle_top_level(self, 560, 440)

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Set up this station"))
        self.heading.setText(self.tr("Welcome to MedShare"))
        self.explain.setText(self.tr(
            "This computer has no station yet. Give it a short code (letters and digits, "
            "for example HX01), a name residents know, and the address. Every day (expiry, "
            "reports) is a day in the station's time zone."))
        self.form.set_labels([self.tr("Station code"), self.tr("Name"), self.tr("Address"),
                              self.tr("Time zone"), self.tr("Opening hours")])
        self.hours.setPlaceholderText(self.tr("for example Mon-Sat 9:00-17:00"))
        self.submit_button.setText(self.tr("Set up the station"))

    def submit(self) -> None:
        self.submit_button.setEnabled(False)
        self.services.init_station(self.code.text(), self.name.text(), self.address.text(),
                                   self.zone.zone(), self.hours.text(),
                                   on_done=self._done, on_error=self._failed)

    def _done(self, state: Any) -> None:
        self.accept()


class FirstAccountDialog(_Dialog):
    """The first account is a manager: it can add the others later."""

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(services, parent)
        self.name = QLineEdit()
        self.name.setMaxLength(60)
        digits = QRegularExpressionValidator(QRegularExpression("[0-9]{0,8}"))
        self.pin = QLineEdit()
        self.again = QLineEdit()
        for field in (self.pin, self.again):
            field.setEchoMode(QLineEdit.EchoMode.Password)
            field.setMaxLength(8)
            field.setValidator(digits)
        for widget in (self.name, self.pin, self.again):
            self.form.add(widget)
        self.flow = FormFlow([self.name, self.pin, self.again, self.submit_button], self)
        self.account: Any = None
        self.retranslate()
        settle_top_level(self, 560, 380)

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("First account"))
        self.heading.setText(self.tr("Create the manager account"))
        self.explain.setText(self.tr(
            "The first account is a manager, who can add staff accounts later. Choose a PIN "
            "of 4 to 8 digits and keep it to yourself."))
        self.form.set_labels([self.tr("Your name"), self.tr("PIN"), self.tr("PIN again")])
        self.submit_button.setText(self.tr("Create account and sign in"))

    def submit(self) -> None:
        self.submit_button.setEnabled(False)
        self.services.create_account(self.name.text(), "manager", self.pin.text(),
                                     self.again.text(), on_done=self._done,
                                     on_error=self._failed)

    def _done(self, account: Any) -> None:
        self.account = account
        self.services.set_account(account)
        self.accept()
