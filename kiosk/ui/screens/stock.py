"""Stock: what is on the shelf per item and per lot; write-offs and stock counts.

Expired and expiring-soon stock is marked with a symbol and words as well
as a colour, so it reads the same for someone who cannot tell red from green.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kiosk.rules import MAX_UNITS_PER_ENTRY
from kiosk.ui import labels, style
from kiosk.ui.screens.base import Screen
from kiosk.ui.services import Services
from kiosk.ui.widgets import Message, heading, hint, table

SOON_DAYS = 30


def _paint(cells: list[QTableWidgetItem], kind: str) -> None:
    colours = {"bad": (style.BAD_BG, style.BAD_FG), "warn": (style.WARN_BG, style.WARN_FG)}
    if kind in colours:
        background, foreground = colours[kind]
        for cell in cells:
            cell.setBackground(QBrush(QColor(background)))
            cell.setForeground(QBrush(QColor(foreground)))


class StockScreen(Screen):
    key = "stock"
    topics = ("stock",)

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(services, parent)
        self.heading = heading()
        self.explain = hint()
        self.items = table(6, 0)
        self.expire_button = QPushButton()
        self.message = Message()
        self.lots_heading = QLabel()
        self.lots_heading.setObjectName("heading")
        self.lots_table = table(7, 6)

        self.lot_actions = QGroupBox()
        self.write_off_units = QSpinBox()
        self.write_off_units.setRange(1, MAX_UNITS_PER_ENTRY)
        self.reason = QComboBox()
        self.write_off = QPushButton()
        self.counted_label = QLabel()
        self.counted = QSpinBox()
        self.counted.setRange(0, MAX_UNITS_PER_ENTRY * 10)
        self.record_count = QPushButton()
        self.units_label = QLabel()
        self.reason_label = QLabel()
        row1 = QHBoxLayout()
        row1.addWidget(self.units_label)
        row1.addWidget(self.write_off_units)
        row1.addWidget(self.reason_label)
        row1.addWidget(self.reason, 1)
        row1.addWidget(self.write_off)
        row2 = QHBoxLayout()
        row2.addWidget(self.counted_label)
        row2.addWidget(self.counted)
        row2.addWidget(self.record_count)
        row2.addStretch(1)
        box = QVBoxLayout(self.lot_actions)
        box.addLayout(row1)
        box.addLayout(row2)

        top = QHBoxLayout()
        top.addWidget(self.heading, 1)
        top.addWidget(self.expire_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.explain)
        layout.addWidget(self.items, 3)
        layout.addWidget(self.message)
        layout.addWidget(self.lots_heading)
        layout.addWidget(self.lots_table, 2)
        layout.addWidget(self.lot_actions)

        self.items.itemSelectionChanged.connect(self._item_selected)
        self.lots_table.itemSelectionChanged.connect(self._lot_selected)
        self.expire_button.clicked.connect(self.expire_all)
        self.write_off.clicked.connect(self.write_off_selected)
        self.record_count.clicked.connect(self.count_selected)
        self.page: Any = None
        self.lot_page: Any = None
        self._item_id: str | None = None
        self._lot_id: int | None = None
        self._update_actions()
        self.retranslate()

    def title(self) -> str:
        return self.tr("Stock")

    def focus_first(self) -> None:
        self.items.setFocus()

    def retranslate(self) -> None:
        self.heading.setText(self.tr("Stock on the shelf"))
        self.explain.setText(self.tr(
            "⊘ marks expired or recalled stock (never handed over), ⚠ stock that expires "
            "within 30 days. Choose an item to see its lots."))
        self.expire_button.setText(self.tr("Write off all expired lots"))
        self.items.setHorizontalHeaderLabels([
            self.tr("Medicine"), self.tr("On hand"), self.tr("Reserved"), self.tr("Available"),
            self.tr("Earliest expiry"), self.tr("Attention")])
        self.lots_table.setHorizontalHeaderLabels([
            self.tr("Lot"), self.tr("Lot number"), self.tr("Expiry"), self.tr("On hand"),
            self.tr("Reserved"), self.tr("Available"), self.tr("State")])
        self.lot_actions.setTitle(self.tr("The selected lot"))
        self.units_label.setText(self.tr("Units"))
        self.reason_label.setText(self.tr("Reason"))
        current = self.reason.currentIndex()
        self.reason.clear()
        for code, label in labels.write_off_reasons():
            self.reason.addItem(label, code)
        self.reason.setCurrentIndex(max(0, current))
        self.write_off.setText(self.tr("Write off"))
        self.counted_label.setText(self.tr("Counted on the shelf"))
        self.record_count.setText(self.tr("Record count"))
        self._fill_items()
        self._fill_lots()

    # -- loading ------------------------------------------------------------------------

    def refresh(self) -> None:
        self.services.stock(on_done=self._show_stock)
        if self._item_id is not None:
            self.services.lots(self._item_id, on_done=self._show_lots)

    def _show_stock(self, page: Any) -> None:
        self.page = page
        self._fill_items()

    def _attention(self, line: Any) -> tuple[str, str]:
        notes = []
        kind = ""
        if line.expired:
            notes.append(self.tr("⊘ {units} expired or recalled").format(units=line.expired))
            kind = "bad"
        if line.expiring_soon:
            notes.append(self.tr("⚠ {units} expire within 30 days").format(
                units=line.expiring_soon))
            kind = kind or "warn"
        if not notes:
            notes.append(self.tr("✔ OK"))
        return "; ".join(notes), kind

    def _fill_items(self) -> None:
        lines = list(self.page.lines) if self.page is not None else []
        catalog = self.services.catalog
        self.items.blockSignals(True)
        self.items.setRowCount(len(lines))
        for row, line in enumerate(lines):
            note, kind = self._attention(line)
            earliest = line.earliest_expiry.isoformat() if line.earliest_expiry else "—"
            cells = [QTableWidgetItem(text) for text in (
                labels.item_name(catalog, line.item_id), str(line.on_hand), str(line.reserved),
                str(line.available), earliest, note)]
            for column, cell in enumerate(cells):
                cell.setData(Qt.ItemDataRole.UserRole, line.item_id)
                if column:
                    cell.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                self.items.setItem(row, column, cell)
            _paint(cells, kind)
            if line.item_id == self._item_id:
                self.items.selectRow(row)
        self.items.blockSignals(False)

    def _item_selected(self) -> None:
        rows = self.items.selectionModel().selectedRows()
        if not rows:
            return
        cell = self.items.item(rows[0].row(), 0)
        if cell is None:
            return
        self._item_id = str(cell.data(Qt.ItemDataRole.UserRole))
        self._lot_id = None
        self.services.lots(self._item_id, on_done=self._show_lots)

    def select_item(self, item_id: str) -> None:
        for row in range(self.items.rowCount()):
            cell = self.items.item(row, 0)
            if cell is not None and cell.data(Qt.ItemDataRole.UserRole) == item_id:
                self.items.selectRow(row)
                return

    def _show_lots(self, page: Any) -> None:
        if page.item_id != self._item_id:
            return
        self.lot_page = page
        self._fill_lots()

    def lot_state(self, lot: Any, today: date) -> tuple[str, str]:
        if lot.recalled:
            return self.tr("⊘ Recalled"), "bad"
        if lot.expiry < today:
            return self.tr("⊘ Expired"), "bad"
        if lot.expiry <= today + timedelta(days=SOON_DAYS):
            return self.tr("⚠ Expires soon"), "warn"
        return self.tr("✔ OK"), ""

    def _fill_lots(self) -> None:
        page = self.lot_page
        lots = list(page.lots) if page is not None and page.item_id == self._item_id else []
        name = labels.item_name(self.services.catalog, self._item_id) if self._item_id else ""
        self.lots_heading.setText(self.tr("Lots of {name}").format(name=name) if name
                                  else self.tr("Lots"))
        self.lots_table.blockSignals(True)
        self.lots_table.setRowCount(len(lots))
        for row, lot in enumerate(lots):
            state, kind = self.lot_state(lot, page.today)
            cells = [QTableWidgetItem(text) for text in (
                str(lot.id), lot.lot_number or "—", lot.expiry.isoformat(), str(lot.on_hand),
                str(lot.reserved), str(lot.available), state)]
            for column, cell in enumerate(cells):
                cell.setData(Qt.ItemDataRole.UserRole, lot.id)
                self.lots_table.setItem(row, column, cell)
            _paint(cells, kind)
            if lot.id == self._lot_id:
                self.lots_table.selectRow(row)
        self.lots_table.blockSignals(False)
        self._update_actions()

    def _lot_selected(self) -> None:
        rows = self.lots_table.selectionModel().selectedRows()
        cell = self.lots_table.item(rows[0].row(), 0) if rows else None
        self._lot_id = int(cell.data(Qt.ItemDataRole.UserRole)) if cell is not None else None
        lot = self.selected_lot()
        if lot is not None:
            self.counted.setValue(lot.on_hand)
            self.write_off_units.setValue(1)
        self._update_actions()

    def select_lot(self, lot_id: int) -> None:
        for row in range(self.lots_table.rowCount()):
            cell = self.lots_table.item(row, 0)
            if cell is not None and cell.data(Qt.ItemDataRole.UserRole) == lot_id:
                self.lots_table.selectRow(row)
                return

    def selected_lot(self) -> Any:
        if self.lot_page is None or self._lot_id is None:
            return None
        for lot in self.lot_page.lots:
            if lot.id == self._lot_id:
                return lot
        return None

    def _update_actions(self) -> None:
        self.lot_actions.setEnabled(self.selected_lot() is not None)

    # -- changing the ledger --------------------------------------------------------------

    def write_off_selected(self) -> None:
        lot = self.selected_lot()
        if lot is None:
            return
        units = self.write_off_units.value()
        reason = str(self.reason.currentData())
        self.services.dispose(lot.id, units, reason, on_done=lambda _: self.message.ok(
            self.tr("Wrote off {units} units of lot {lot} ({reason}).").format(
                units=units, lot=lot.id, reason=self.reason.currentText())),
            on_error=self.message.failure)

    def count_selected(self) -> None:
        lot = self.selected_lot()
        if lot is None:
            return
        counted = self.counted.value()
        self.services.count_lot(lot.id, counted, on_done=lambda change: self._counted(
            lot.id, counted, int(change)), on_error=self.message.failure)

    def _counted(self, lot_id: int, counted: int, change: int) -> None:
        if change == 0:
            self.message.ok(self.tr("Lot {lot}: {counted} counted, the ledger agrees.").format(
                lot=lot_id, counted=counted))
        else:
            self.message.ok(self.tr(
                "Lot {lot}: {counted} counted; recorded an adjustment of {change:+d}.").format(
                lot=lot_id, counted=counted, change=change))

    def expire_all(self) -> None:
        self.services.expire(on_done=self._expired, on_error=self.message.failure)

    def _expired(self, written_off: list[tuple[int, int]]) -> None:
        if not written_off:
            self.message.info(self.tr("No expired lot was on the shelf."))
            return
        units = sum(count for _, count in written_off)
        self.message.ok(self.tr("Wrote off {lots} expired lots ({units} units).").format(
            lots=len(written_off), units=units))
