"""Staff accounts: add one, reset a PIN, change a role, disable or enable.

The core refuses to disable or demote the last active manager; the console
also refuses to disable or demote the account that is signed in (another
manager does that), so nobody locks themselves out mid-session.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QRegularExpression, Qt
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kiosk.ui import labels, manager_jobs
from kiosk.ui.errors import Failure
from kiosk.ui.screens.base import Screen
from kiosk.ui.screens.manager.common import fill, local_time, select_key, selected_key, table
from kiosk.ui.services import Services
from kiosk.ui.widgets import Form, Message, heading, hint

ROLES = ("staff", "manager")


def _pin_field() -> QLineEdit:
    field = QLineEdit()
    field.setEchoMode(QLineEdit.EchoMode.Password)
    field.setMaxLength(8)
    field.setValidator(QRegularExpressionValidator(QRegularExpression(r"[0-9]{0,8}")))
    field.setInputMethodHints(Qt.InputMethodHint.ImhDigitsOnly)
    return field


def _roles() -> QComboBox:
    box = QComboBox()
    for role in ROLES:
        box.addItem("", role)
    return box


class AccountsScreen(Screen):
    key = "accounts"
    topics = ("accounts",)

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(services, parent)
        self.heading = heading()
        self.explain = hint()
        self.table = table(4, 0)
        self.message = Message()

        self.selected_box = QGroupBox()
        self.new_pin = _pin_field()
        self.new_pin_again = _pin_field()
        self.reset_pin = QPushButton()
        self.role = _roles()
        self.change_role = QPushButton()
        self.toggle_active = QPushButton()
        again_row = QHBoxLayout()
        again_row.addWidget(self.new_pin_again, 1)
        again_row.addWidget(self.reset_pin)
        role_row = QHBoxLayout()
        role_row.addWidget(self.role, 1)
        role_row.addWidget(self.change_role)
        self.selected_form = Form()
        self.selected_form.add(self.new_pin)
        self.selected_form.add(again_row)
        self.selected_form.add(role_row)
        self.selected_form.add(self.toggle_active)
        self.selected_box.setLayout(self.selected_form)

        self.add_box = QGroupBox()
        self.add_name = QLineEdit()
        self.add_name.setMaxLength(60)
        self.add_role = _roles()
        self.add_pin = _pin_field()
        self.add_pin_again = _pin_field()
        self.add_button = QPushButton()
        self.add_button.setObjectName("primary")
        self.add_form = Form()
        for field in (self.add_name, self.add_role, self.add_pin, self.add_pin_again,
                      self.add_button):
            self.add_form.add(field)
        self.add_box.setLayout(self.add_form)

        boxes = QHBoxLayout()
        boxes.addWidget(self.selected_box, 1)
        boxes.addWidget(self.add_box, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.explain)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.message)
        layout.addLayout(boxes)

        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.reset_pin.clicked.connect(self.submit_pin)
        self.change_role.clicked.connect(self.submit_role)
        self.toggle_active.clicked.connect(self.submit_active)
        self.add_button.clicked.connect(self.submit_add)
        self.add_pin_again.returnPressed.connect(self.submit_add)
        self.accounts: list[Any] = []
        self._selected: str | None = None
        self._update_actions()
        self.retranslate()

    def title(self) -> str:
        return self.tr("Staff accounts")

    def focus_first(self) -> None:
        self.table.setFocus()

    def retranslate(self) -> None:
        self.heading.setText(self.tr("Staff accounts"))
        self.explain.setText(self.tr(
            "Choose an account to reset its PIN, change its role or disable it. A disabled "
            "account cannot sign in; its name stays in the ledger. There is always at least "
            "one active manager."))
        self.table.setHorizontalHeaderLabels([
            self.tr("Name"), self.tr("Role"), self.tr("State"), self.tr("Last sign-in")])
        self.selected_box.setTitle(self.tr("The selected account"))
        self.selected_form.set_labels([self.tr("New PIN"), self.tr("PIN again"),
                                       self.tr("Role"), ""])
        self.new_pin.setPlaceholderText(self.tr("4 to 8 digits"))
        self.reset_pin.setText(self.tr("Reset PIN"))
        self.change_role.setText(self.tr("Change role"))
        self.add_box.setTitle(self.tr("Add an account"))
        self.add_form.set_labels([self.tr("Name"), self.tr("Role"), self.tr("PIN"),
                                  self.tr("PIN again"), ""])
        self.add_pin.setPlaceholderText(self.tr("4 to 8 digits"))
        self.add_button.setText(self.tr("Add account"))
        for box in (self.role, self.add_role):
            for index in range(box.count()):
                box.setItemText(index, labels.role(str(box.itemData(index))))
        self._fill()
        self._update_actions()

    # -- loading ------------------------------------------------------------------------

    def refresh(self) -> None:
        self.services.call(manager_jobs.all_accounts, on_done=self._show,
                           on_error=self.message.failure)

    def _show(self, accounts: list[Any]) -> None:
        self.accounts = list(accounts)
        self._fill()
        self._update_actions()
        # the sign-in list follows (it shows active accounts only)
        self.services.refresh_accounts(self._signin_accounts)

    def _signin_accounts(self, accounts: list[Any]) -> None:
        window = self.window()
        signin = getattr(window, "signin", None)
        if signin is not None:
            signin.set_accounts(accounts)

    def _state(self, account: Any) -> str:
        if not account.active:
            return self.tr("Disabled")
        if account.locked_until:
            return self.tr("Locked until {time}").format(time=local_time(account.locked_until))
        return self.tr("Active")

    def _fill(self) -> None:
        self.table.blockSignals(True)
        fill(self.table, [[a.name, labels.role(a.role), self._state(a),
                           local_time(a.last_sign_in)] for a in self.accounts],
             keys=[a.name for a in self.accounts])
        if self._selected is not None:
            select_key(self.table, self._selected)
        self.table.blockSignals(False)

    def select(self, name: str) -> None:
        select_key(self.table, name)

    def selected(self) -> Any:
        for account in self.accounts:
            if account.name == self._selected:
                return account
        return None

    def _selection_changed(self) -> None:
        key = selected_key(self.table)
        self._selected = None if key is None else str(key)
        account = self.selected()
        if account is not None:
            self.role.setCurrentIndex(max(0, self.role.findData(account.role)))
        self._update_actions()

    def _update_actions(self) -> None:
        account = self.selected()
        self.selected_box.setEnabled(account is not None)
        active = account is None or account.active
        self.toggle_active.setText(self.tr("Disable") if active else self.tr("Enable"))

    # -- changes ------------------------------------------------------------------------

    def _changed(self, text: str) -> Any:
        def done(accounts: list[Any]) -> None:
            self._show(accounts)
            self.message.ok(text)
        return done

    def _acting(self) -> str:
        return self.services.staff_name

    def submit_pin(self) -> None:
        account = self.selected()
        if account is None:
            return
        pin, again = self.new_pin.text(), self.new_pin_again.text()
        self.new_pin.clear()
        self.new_pin_again.clear()
        self.services.call(manager_jobs.reset_pin, account.name, pin, again,
                           changes=("accounts",),
                           on_done=self._changed(self.tr("New PIN set for {name}; a lock, if "
                                                         "any, is lifted.").format(
                                                             name=account.name)),
                           on_error=self._refused)

    def submit_role(self) -> None:
        account = self.selected()
        if account is None:
            return
        role = str(self.role.currentData())
        self.services.call(manager_jobs.set_role, account.name, role, self._acting(),
                           changes=("accounts",),
                           on_done=self._changed(self.tr("{name} is now: {role}.").format(
                               name=account.name, role=labels.role(role))),
                           on_error=self._refused)

    def submit_active(self) -> None:
        account = self.selected()
        if account is None:
            return
        active = not account.active
        text = (self.tr("{name} can sign in again.") if active
                else self.tr("{name} is disabled and cannot sign in.")).format(name=account.name)
        self.services.call(manager_jobs.set_active, account.name, active, self._acting(),
                           changes=("accounts",), on_done=self._changed(text),
                           on_error=self._refused)

    def submit_add(self) -> None:
        name = self.add_name.text()
        role = str(self.add_role.currentData())
        pin, again = self.add_pin.text(), self.add_pin_again.text()
        self.add_pin.clear()
        self.add_pin_again.clear()

        def added(accounts: list[Any]) -> None:
            self.add_name.clear()
            self._selected = name.strip()
            self._changed(self.tr("Added {name} ({role}).").format(
                name=name.strip(), role=labels.role(role)))(accounts)

        self.services.call(manager_jobs.add_account, name, role, pin, again,
                           changes=("accounts",), on_done=added, on_error=self._refused)

    def _refused(self, failure: Failure) -> None:
        self.message.failure(failure)
