"""Small pieces the manager pages share: read-only tables, times in local words."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTableWidget, QTableWidgetItem

from kiosk.ui.widgets import table as table  # the manager pages' read-only tables


def fill(widget: QTableWidget, rows: Sequence[Sequence[object]], *,
         keys: Sequence[object] | None = None, numeric: Sequence[int] = ()) -> None:
    """Put rows of texts in a table; `keys` go in each row's UserRole, numbers align right."""
    widget.setRowCount(len(rows))
    for row_number, row in enumerate(rows):
        for column, value in enumerate(row):
            cell = QTableWidgetItem("" if value is None else str(value))
            if keys is not None:
                cell.setData(Qt.ItemDataRole.UserRole, keys[row_number])
            if column in numeric:
                cell.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            widget.setItem(row_number, column, cell)


def selected_key(widget: QTableWidget) -> object | None:
    rows = widget.selectionModel().selectedRows()
    if not rows:
        return None
    cell = widget.item(rows[0].row(), 0)
    return None if cell is None else cell.data(Qt.ItemDataRole.UserRole)


def select_key(widget: QTableWidget, key: object) -> bool:
    for row in range(widget.rowCount()):
        cell = widget.item(row, 0)
        if cell is not None and cell.data(Qt.ItemDataRole.UserRole) == key:
            widget.selectRow(row)
            return True
    return False


def local_time(moment: datetime | str | None) -> str:
    """An instant on the station's wall clock, 'YYYY-MM-DD HH:MM' ('—' for none)."""
    if moment is None or moment == "":
        return "—"
    if isinstance(moment, str):
        from kiosk.clock import parse_instant

        moment = parse_instant(moment)
    from kiosk.ui.stationclock import on_station_clock

    return on_station_clock(moment).strftime("%Y-%m-%d %H:%M")
