"""Requests: log what a walk-in or a caller needs; see the queue in serving order."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kiosk.rules import MAX_HOUSEHOLD, MAX_UNITS_PER_ENTRY, PRIORITY_GROUPS
from kiosk.safety import SafetyConflict
from kiosk.ui import labels, style
from kiosk.ui.errors import Failure
from kiosk.ui.i18n import language
from kiosk.ui.screens.base import Screen
from kiosk.ui.screens.call_dialog import CallDialog
from kiosk.ui.services import Services
from kiosk.ui.stationclock import on_station_clock
from kiosk.ui.widgets import Form, FormFlow, ItemPicker, Message, heading, hint, table

COLUMNS = 9
MEDICINE = 3  # the column that takes the spare width


class RequestsScreen(Screen):
    key = "requests"
    topics = ("requests",)

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(services, parent)
        self.heading = heading()
        self.explain = hint()
        self.picker = ItemPicker()
        self.units = QSpinBox()
        self.units.setRange(1, MAX_UNITS_PER_ENTRY)
        self.household = QSpinBox()
        self.household.setRange(1, MAX_HOUSEHOLD)
        self.priority = QComboBox()
        for code in PRIORITY_GROUPS:
            self.priority.addItem(code, code)
        self.priority.setCurrentIndex(PRIORITY_GROUPS.index("none"))
        self.phone = QLineEdit()
        self.phone.setInputMethodHints(Qt.InputMethodHint.ImhDialableCharactersOnly)
        self.resident_language = QComboBox()
        self.resident_language.addItem("English", "en")
        self.resident_language.addItem("简体中文", "zh")
        self.log = QPushButton()
        self.log.setObjectName("primary")
        self.message = Message()
        # shown only after the safety facts refused the request: staff may log it anyway
        # with a reason, which the audit records
        self.override_reason = QLineEdit()
        self.override_reason.setMaxLength(200)
        self.override = QPushButton()
        self.override.setObjectName("danger")
        self.override_row = QWidget()
        override_layout = QHBoxLayout(self.override_row)
        override_layout.setContentsMargins(0, 0, 0, 0)
        override_layout.addWidget(self.override_reason, 1)
        override_layout.addWidget(self.override)
        self.override_row.setVisible(False)

        # the item search on the left, the other fields beside it, the queue below
        self.form = Form()
        self.form.add(self.picker)
        self.details = Form()
        for widget in (self.units, self.household, self.priority, self.phone,
                       self.resident_language, self.log):
            self.details.add(widget)

        self.queue_heading = QLabel()
        self.queue_heading.setObjectName("heading")
        self.table = table(COLUMNS, MEDICINE)
        self.table.setWordWrap(True)
        self.cancel = QPushButton()
        self.call = QPushButton()
        self.call.setObjectName("call")
        self.call_dialog: CallDialog | None = None
        self.queue_message = Message()
        queue_buttons = QHBoxLayout()
        queue_buttons.addWidget(self.call)
        queue_buttons.addWidget(self.cancel)
        queue_buttons.addStretch(1)

        fields = QHBoxLayout()
        fields.addLayout(self.form, 3)
        fields.addLayout(self.details, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.explain)
        layout.addLayout(fields)
        layout.addWidget(self.message)
        layout.addWidget(self.override_row)
        layout.addWidget(self.queue_heading)
        layout.addWidget(self.table, 1)
        layout.addLayout(queue_buttons)
        layout.addWidget(self.queue_message)

        self.flow = FormFlow([self.picker, self.units, self.household, self.priority,
                              self.phone, self.resident_language, self.log], self)
        self.log.clicked.connect(self.submit)
        self.override.clicked.connect(self.submit_override)
        self.override_reason.returnPressed.connect(self.submit_override)
        self.priority.currentIndexChanged.connect(self._hide_override)
        self.picker.picked.connect(self._hide_override)
        self.cancel.clicked.connect(self.cancel_selected)
        self.call.clicked.connect(self.call_selected)
        self.requests: list[Any] = []
        self.retranslate()

    def title(self) -> str:
        return self.tr("Requests")

    def retranslate(self) -> None:
        self.heading.setText(self.tr("Log a request"))
        self.explain.setText(self.tr(
            "For a walk-in or a caller. The queue shows only the last 4 digits of a phone "
            "number; \"Call\" shows the whole number and writes your name into the audit. A "
            "number that asks again and again is flagged."))
        self.form.set_labels([self.tr("Medicine")])
        self.details.set_labels([self.tr("Units"), self.tr("People in household"),
                                 self.tr("Priority group"), self.tr("Phone (optional)"),
                                 self.tr("Resident's language"), ""])
        for index in range(self.priority.count()):
            self.priority.setItemText(index, labels.priority(str(self.priority.itemData(index))))
        self.phone.setPlaceholderText(self.tr("e.g. 138 1234 5678"))
        self.log.setText(self.tr("Log request"))
        self.override_reason.setPlaceholderText(self.tr(
            "Why it is right for this person (e.g. she is 14; checked with the pharmacist)"))
        self.override.setText(self.tr("Log anyway (staff override)"))
        self.queue_heading.setText(self.tr("Queue, in serving order"))
        self.table.setHorizontalHeaderLabels([
            self.tr("No."), self.tr("Since"), self.tr("Priority"), self.tr("Medicine"),
            self.tr("Units"), self.tr("Household"), self.tr("Phone"), self.tr("Flag"),
            self.tr("Status"),
        ])
        self.cancel.setText(self.tr("Cancel the selected request"))
        self.call.setText(self.tr("Call…"))
        self.call.setToolTip(self.tr("Show the selected request's phone number to call the "
                                     "resident back (written into the audit)"))
        self._fill()

    def station_ready(self) -> None:
        self.picker.set_catalog(self.services.catalog)

    def focus_first(self) -> None:
        self.picker.search.setFocus()

    # -- logging a request ----------------------------------------------------------------------

    def submit(self) -> None:
        self._send("")

    def _send(self, override_reason: str) -> None:
        item = self.picker.item
        if item is None:
            self.message.error(self.tr("Choose the medicine first."))
            self.picker.search.setFocus()
            return
        self.log.setEnabled(False)
        self.override.setEnabled(False)
        self.services.log_request(item.id, self.units.value(), str(self.priority.currentData()),
                                  self.household.value(), self.phone.text().strip(),
                                  str(self.resident_language.currentData()),
                                  override_reason.strip(),
                                  on_done=self._logged, on_error=self._refused)

    def submit_override(self) -> None:
        reason = self.override_reason.text().strip()
        if not reason:
            self.message.error(self.tr("Type the reason for the override first; the audit "
                                       "records it with your name."))
            self.override_reason.setFocus()
            return
        self._send(reason)

    def _hide_override(self, *_: object) -> None:
        self.override_row.setVisible(False)
        self.override_reason.clear()

    def _logged(self, request: Any) -> None:
        self.log.setEnabled(True)
        self.override.setEnabled(True)
        self._hide_override()
        name = labels.item_name(self.services.catalog, request.item_id)
        text = self.tr("Request {number} logged: {units} of {name}.").format(
            number=request.id,
            units=labels.units_text(self.services.catalog, request.item_id, request.units),
            name=name)
        if request.flag:
            text += " " + self.tr("⚠ Flagged for staff: {flag}.").format(flag=request.flag)
        if request.safety_override:
            text += " " + self.tr("Safety override recorded in the audit: {reason}.").format(
                reason=request.safety_override)
        self.message.ok(text)
        self.picker.clear()
        self.units.setValue(1)
        self.household.setValue(1)
        self.priority.setCurrentIndex(PRIORITY_GROUPS.index("none"))
        self.phone.clear()
        self.focus_first()

    def _refused(self, failure: Failure) -> None:
        self.log.setEnabled(True)
        self.override.setEnabled(True)
        if isinstance(failure.error, SafetyConflict):
            # the core's words (English and Chinese), then the way out for staff
            self.message.error(failure.error.conflict.text(language()) + " " + self.tr(
                "To log it anyway, type why it is right for this person and press "
                "“Log anyway”; the audit records it with your name."))
            self.override_row.setVisible(True)
            self.override_reason.setFocus()
            return
        self.message.failure(failure)

    # -- the queue ------------------------------------------------------------------------------

    def refresh(self) -> None:
        self.services.queue(on_done=self._show_queue)

    def _show_queue(self, requests: list[Any]) -> None:
        self.requests = list(requests)
        self._fill()

    def _fill(self) -> None:
        catalog = self.services.catalog
        self.table.setRowCount(len(self.requests))
        bold = QFont(self.font())
        bold.setBold(True)
        for row, request in enumerate(self.requests):
            since = _local_time(request.created_at)
            cells = [
                str(request.id),
                since,
                labels.priority_marked(request.priority),
                labels.item_name(catalog, request.item_id),
                labels.units_text(catalog, request.item_id, request.units),
                str(request.household),
                request.phone_masked or "—",
                ("⚠ " + request.flag) if request.flag else "",
                labels.status(request.status),
            ]
            for column, text in enumerate(cells):
                cell = QTableWidgetItem(text)
                cell.setData(Qt.ItemDataRole.UserRole, request.id)
                if request.priority != "none":
                    cell.setBackground(QBrush(QColor(style.WARN_BG)))
                    if column == 2:
                        cell.setFont(bold)
                if column == 7 and request.flag:
                    cell.setForeground(QBrush(QColor(style.BAD_FG)))
                    cell.setFont(bold)
                self.table.setItem(row, column, cell)

    def selected_request(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        cell = self.table.item(rows[0].row(), 0)
        return int(cell.data(Qt.ItemDataRole.UserRole)) if cell is not None else None

    def call_selected(self) -> None:
        request_id = self.selected_request()
        if request_id is None:
            self.queue_message.error(self.tr("Select a request in the queue first."))
            return
        self.services.reveal_phone(request_id, on_done=lambda number: self._show_number(
            request_id, str(number)), on_error=self.queue_message.failure)

    def _show_number(self, request_id: int, number: str) -> None:
        self.queue_message.info("")
        dialog = CallDialog(request_id, number, self)
        self.call_dialog = dialog
        dialog.destroyed.connect(self._call_closed)
        dialog.open()

    def _call_closed(self) -> None:
        self.call_dialog = None

    def cancel_selected(self) -> None:
        request_id = self.selected_request()
        if request_id is None:
            self.queue_message.error(self.tr("Select a request in the queue first."))
            return
        self.services.cancel_request(request_id, on_done=lambda _: self.queue_message.ok(
            self.tr("Request {number} cancelled.").format(number=request_id)),
            on_error=self.queue_message.failure)


def _local_time(stamp: str) -> str:
    try:
        moment = on_station_clock(datetime.fromisoformat(stamp))
    except ValueError:
        return stamp
    return moment.strftime("%m-%d %H:%M")
