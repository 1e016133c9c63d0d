"""Pending drop-offs: what residents pre-registered at the kiosk, waiting for their box.

A section of the drop-off screen. Choosing one fills the drop-off form
(the screen then accepts it as a lot and closes the pledge in one
transaction); a box that cannot be taken in is declined with a reason. The
kiosk runs in its own process, so the list is read again every little while
and whenever the screen shows.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QHideEvent, QShowEvent
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kiosk.ui import kiosk_jobs, labels, style
from kiosk.ui.errors import Failure
from kiosk.ui.services import Services
from kiosk.ui.stationclock import on_station_clock
from kiosk.ui.widgets import Message

REFRESH_MS = 20_000


class PendingDropOffs(QGroupBox):
    chosen = Signal(object)  # kiosk.db.pledges.Pledge

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.list = QListWidget()
        self.list.setMinimumHeight(3 * style.TOUCH)
        self.list.setWordWrap(True)
        self.use = QPushButton()
        self.refresh_button = QPushButton()
        self.reason = QLineEdit()
        self.reason.setMaxLength(200)
        self.decline = QPushButton()
        self.message = Message()
        buttons = QHBoxLayout()
        buttons.addWidget(self.use)
        buttons.addWidget(self.refresh_button)
        buttons.addStretch(1)
        declining = QHBoxLayout()
        declining.addWidget(self.reason, 1)
        declining.addWidget(self.decline)
        layout = QVBoxLayout(self)
        layout.addWidget(self.list, 1)
        layout.addLayout(buttons)
        layout.addLayout(declining)
        layout.addWidget(self.message)
        self.pledges: list[Any] = []
        self.timer = QTimer(self)
        self.timer.setInterval(REFRESH_MS)
        self.timer.timeout.connect(self.refresh)
        self.use.clicked.connect(self.use_selected)
        self.list.itemDoubleClicked.connect(lambda _row: self.use_selected())
        self.refresh_button.clicked.connect(self.refresh)
        self.decline.clicked.connect(self.decline_selected)
        self.retranslate()

    def retranslate(self) -> None:
        self.setTitle(self.tr("Pending drop-offs (registered at the kiosk)"))
        self.use.setText(self.tr("Check this box in"))
        self.refresh_button.setText(self.tr("Refresh"))
        self.reason.setPlaceholderText(self.tr("Why it cannot be taken in"))
        self.decline.setText(self.tr("Decline"))
        self._fill()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # -- loading ----------------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.refresh()
        self.timer.start()

    def hideEvent(self, event: QHideEvent) -> None:
        self.timer.stop()
        super().hideEvent(event)

    def refresh(self) -> None:
        state = self.services.state
        if state is None or not state.initialised or self.services.account is None:
            return
        self.services.call(kiosk_jobs.pending_pledges, on_done=self._show)

    def _show(self, pledges: list[Any]) -> None:
        chosen = self.selected()
        self.pledges = list(pledges)
        self._fill()
        if chosen is not None:
            self.select(chosen.id)

    def _fill(self) -> None:
        catalog = self.services.catalog
        self.list.clear()
        for pledge in self.pledges:
            text = self.tr("No. {number} · {units} of {name} · expires {expiry} · {since}").format(
                number=pledge.id, units=labels.units_text(catalog, pledge.item_id, pledge.units),
                name=labels.item_name(catalog, pledge.item_id),
                expiry=pledge.expiry.isoformat(), since=_local_time(pledge.created_at))
            row = QListWidgetItem(text)
            row.setData(Qt.ItemDataRole.UserRole, pledge.id)
            self.list.addItem(row)
        if not self.pledges:
            row = QListWidgetItem(self.tr("None waiting."))
            row.setFlags(Qt.ItemFlag.NoItemFlags)
            self.list.addItem(row)

    # -- choosing and declining -------------------------------------------------------------

    def selected(self) -> Any:
        row = self.list.currentItem()
        if row is None or not row.isSelected():
            return None
        number = row.data(Qt.ItemDataRole.UserRole)
        return next((pledge for pledge in self.pledges if pledge.id == number), None)

    def select(self, pledge_id: int) -> None:
        for index in range(self.list.count()):
            if self.list.item(index).data(Qt.ItemDataRole.UserRole) == pledge_id:
                self.list.setCurrentRow(index)
                return

    def use_selected(self) -> None:
        pledge = self.selected()
        if pledge is None:
            self.message.error(self.tr("Select a drop-off in the list first."))
            return
        self.message.clear()
        self.chosen.emit(pledge)

    def decline_selected(self) -> None:
        pledge = self.selected()
        if pledge is None:
            self.message.error(self.tr("Select a drop-off in the list first."))
            return
        reason = self.reason.text().strip()
        if not reason:
            self.message.error(self.tr("Say why it cannot be taken in."))
            self.reason.setFocus()
            return
        self.services.call(kiosk_jobs.decline_pledge, pledge.id, reason,
                           self.services.staff_name, on_done=self._declined,
                           on_error=self._failed)

    def _declined(self, pledge: Any) -> None:
        self.reason.clear()
        self.message.ok(self.tr("Drop-off {number} declined.").format(number=pledge.id))
        self.refresh()

    def _failed(self, failure: Failure) -> None:
        self.message.failure(failure)
        self.refresh()


def _local_time(stamp: str) -> str:
    try:
        moment = on_station_clock(datetime.fromisoformat(stamp))
    except ValueError:
        return stamp
    return moment.strftime("%m-%d %H:%M")
