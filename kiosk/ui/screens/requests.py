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
from kiosk.ui import labels, style
from kiosk.ui.errors import Failure
from kiosk.ui.screens.base import Screen
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
        self.queue_message = Message()
        queue_buttons = QHBoxLayout()
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
        layout.addWidget(self.queue_heading)
        layout.addWidget(self.table, 1)
        layout.addLayout(queue_buttons)
        layout.addWidget(self.queue_message)

        self.flow = FormFlow([self.picker, self.units, self.household, self.priority,
                              self.phone, self.resident_language, self.log], self)
        self.log.clicked.connect(self.submit)
        self.cancel.clicked.connect(self.cancel_selected)
        self.requests: list[Any] = []
        self.retranslate()

    def title(self) -> str:
        return self.tr("Requests")

    def retranslate(self) -> None:
        self.heading.setText(self.tr("Log a request"))
        self.explain.setText(self.tr(
            "For a walk-in or a caller. The phone number is kept only masked; a number that "
            "asks again and again is flagged."))
        self.form.set_labels([self.tr("Medicine")])
        self.details.set_labels([self.tr("Units"), self.tr("People in household"),
                                 self.tr("Priority group"), self.tr("Phone (optional)"),
                                 self.tr("Resident's language"), ""])
        for index in range(self.priority.count()):
            self.priority.setItemText(index, labels.priority(str(self.priority.itemData(index))))
        self.phone.setPlaceholderText(self.tr("e.g. 138 1234 5678"))
        self.log.setText(self.tr("Log request"))
        self.queue_heading.setText(self.tr("Queue, in serving order"))
        self.table.setHorizontalHeaderLabels([
            self.tr("No."), self.tr("Since"), self.tr("Priority"), self.tr("Medicine"),
            self.tr("Units"), self.tr("Household"), self.tr("Phone"), self.tr("Flag"),
            self.tr("Status"),
        ])
        self.cancel.setText(self.tr("Cancel the selected request"))
        self._fill()

    def station_ready(self) -> None:
        self.picker.set_catalog(self.services.catalog)

    def focus_first(self) -> None:
        self.picker.search.setFocus()

    # -- logging a request ----------------------------------------------------------------------

    def submit(self) -> None:
        item = self.picker.item
        if item is None:
            self.message.error(self.tr("Choose the medicine first."))
            self.picker.search.setFocus()
            return
        self.log.setEnabled(False)
        self.services.log_request(item.id, self.units.value(), str(self.priority.currentData()),
                                  self.household.value(), self.phone.text().strip(),
                                  str(self.resident_language.currentData()),
                                  on_done=self._logged, on_error=self._refused)

    def _logged(self, request: Any) -> None:
        self.log.setEnabled(True)
        name = labels.item_name(self.services.catalog, request.item_id)
        text = self.tr("Request {number} logged: {units} of {name}.").format(
            number=request.id,
            units=labels.units_text(self.services.catalog, request.item_id, request.units),
            name=name)
        if request.flag:
            text += " " + self.tr("⚠ Flagged for staff: {flag}.").format(flag=request.flag)
        self.message.ok(text)
        self.picker.clear()
        self.units.setValue(1)
        self.household.setValue(1)
        self.priority.setCurrentIndex(PRIORITY_GROUPS.index("none"))
        self.phone.clear()
        self.focus_first()

    def _refused(self, failure: Failure) -> None:
        self.log.setEnabled(True)
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
