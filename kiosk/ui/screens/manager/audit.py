"""Audit: the movement ledger, searchable and read-only, and the ledger check one click away.

The ledger may hold a million movements, so the table never holds them:
`LedgerModel` knows how many rows match (one count job) and fetches the
pages the view shows, PAGE_ROWS at a time through jobs, keeping at most
KEEP_PAGES of them; a row not fetched yet shows "…" until its page arrives.
"""

from __future__ import annotations

from collections import OrderedDict
from datetime import date
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from kiosk.rules import MOVEMENT_KINDS
from kiosk.ui import labels, manager_jobs, style
from kiosk.ui.errors import Failure
from kiosk.ui.screens.base import Screen
from kiosk.ui.screens.manager.common import local_time
from kiosk.ui.services import Call, Services
from kiosk.ui.widgets import Message, heading, hint

PAGE_ROWS = 200
KEEP_PAGES = 12
# pages asked for and not answered yet; dragging the scroll bar across a million rows
# cancels the oldest asks, so the database thread never works through a backlog
IN_FLIGHT = 4
Index = QModelIndex | QPersistentModelIndex


class LedgerModel(QAbstractTableModel):
    """Movements matching a search, newest first, fetched by page on demand."""

    COLUMNS = 9

    def __init__(self, services: Services, parent: Any = None) -> None:
        super().__init__(parent)
        self.services = services
        self.search: Any = None
        self.total = 0
        self.pages: OrderedDict[int, tuple[Any, ...]] = OrderedDict()  # least recent first
        self.asked: OrderedDict[int, Call] = OrderedDict()  # oldest first
        self.headers: list[str] = [""] * self.COLUMNS
        self.on_counted: Any = None
        self.on_error: Any = None

    # -- the search -----------------------------------------------------------------------

    def set_search(self, search: Any) -> None:
        """Count the matches (a job); the view shows them once the count is back."""
        self.services.call(manager_jobs.audit_count, search,
                           on_done=lambda total: self._counted(search, int(total)),
                           on_error=self.on_error)

    def _counted(self, search: Any, total: int) -> None:
        self.beginResetModel()
        self.search = search
        self.total = total
        self.pages.clear()
        for call in self.asked.values():
            call.cancel()
        self.asked.clear()
        self.endResetModel()
        if self.on_counted is not None:
            self.on_counted(total)

    @property
    def loaded_rows(self) -> int:
        return sum(len(rows) for rows in self.pages.values())

    def row(self, number: int) -> Any:
        """The movement in row `number` if its page is here; asks for the page otherwise."""
        page, offset = divmod(number, PAGE_ROWS)
        rows = self.pages.get(page)
        if rows is None:
            self._ask(page)
            return None
        self.pages.move_to_end(page)
        return rows[offset] if offset < len(rows) else None

    def _ask(self, page: int) -> None:
        if page in self.asked or self.search is None:
            return
        while len(self.asked) >= IN_FLIGHT:
            _old, call = self.asked.popitem(last=False)
            call.cancel()  # scrolled past: asked again if it comes back into view
        def failed(failure: Failure) -> None:
            self._failed(page, failure)

        self.asked[page] = self.services.call(
            manager_jobs.audit_page, self.search, page, PAGE_ROWS, on_done=self._arrived,
            on_error=failed)

    def _failed(self, page: int, failure: Failure) -> None:
        self.asked.pop(page, None)
        if type(failure.error).__name__ != "Cancelled" and self.on_error is not None:
            self.on_error(failure)

    def _arrived(self, result: manager_jobs.AuditPage) -> None:
        self.asked.pop(result.number, None)
        if result.search != self.search:
            return  # an answer to an earlier search
        self.pages[result.number] = result.rows
        while len(self.pages) > KEEP_PAGES:
            self.pages.popitem(last=False)
        first = result.number * PAGE_ROWS
        last = min(self.total, first + PAGE_ROWS) - 1
        if last >= first:
            self.dataChanged.emit(self.index(first, 0), self.index(last, self.COLUMNS - 1))

    # -- the model ------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self.total

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self.COLUMNS

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.headers[section]
        return None

    def set_headers(self, headers: list[str]) -> None:
        self.headers = headers
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, self.COLUMNS - 1)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() in (0, 2, 5, 6, 7):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        movement = self.row(index.row())
        if movement is None:
            return "…" if index.column() == 0 else ""
        return self.text(movement, index.column())

    def text(self, m: Any, column: int) -> str:
        values = (
            str(m.id), local_time(m.at), str(m.lot_id),
            labels.item_name(self.services.catalog, m.item_id), kind_label(m.kind),
            f"{m.on_hand_delta:+d}", f"{m.reserved_delta:+d}",
            "" if m.request_id is None else str(m.request_id),
            " · ".join(part for part in (m.reason, m.staff) if part),
        )
        return values[column]

    def refresh_texts(self) -> None:
        if self.total:
            self.dataChanged.emit(self.index(0, 0),
                                  self.index(self.total - 1, self.COLUMNS - 1))


def kind_label(kind: str) -> str:
    from PySide6.QtCore import QCoreApplication

    translate = QCoreApplication.translate
    return {
        "received": translate("Audit", "Received"),
        "reserved": translate("Audit", "Reserved"),
        "released": translate("Audit", "Released"),
        "dispensed": translate("Audit", "Handed over"),
        "expired": translate("Audit", "Expired"),
        "disposed": translate("Audit", "Written off"),
        "adjusted": translate("Audit", "Count adjusted"),
    }.get(kind, kind)


def _day(text: str) -> date | None:
    """'' for no bound; raises ValueError for a date that is not whole or real."""
    cleaned = text.strip().strip("-").strip()
    if not cleaned:
        return None
    return date.fromisoformat(text.strip())


class AuditScreen(Screen):
    key = "audit"
    topics = ("stock", "requests")

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(services, parent)
        self.heading = heading()
        self.explain = hint()
        self.item = QComboBox()
        self.kind = QComboBox()
        self.kind.addItem("", None)
        for kind in MOVEMENT_KINDS:
            self.kind.addItem("", kind)
        self.start = QLineEdit()
        self.end = QLineEdit()
        for field in (self.start, self.end):
            field.setInputMask("0000-00-00;_")
            field.setMaximumWidth(170)
        self.request = QLineEdit()
        self.request.setMinimumWidth(110)
        self.request.setMaximumWidth(140)
        self.request.setInputMethodHints(Qt.InputMethodHint.ImhDigitsOnly)
        self.search = QPushButton()
        self.search.setObjectName("primary")
        self.clear = QPushButton()
        for button in (self.search, self.clear):
            button.setMinimumWidth(120)
        self.filter_labels = [QLabel() for _ in range(5)]
        grid = QGridLayout()
        fields: list[QWidget] = [self.item, self.kind, self.start, self.end, self.request]
        for column, (label, widget) in enumerate(zip(self.filter_labels, fields, strict=True)):
            label.setBuddy(widget)
            grid.addWidget(label, 0, column)
            grid.addWidget(widget, 1, column)
        grid.setColumnStretch(0, 1)
        grid.addWidget(self.search, 1, 5)
        grid.addWidget(self.clear, 1, 6)
        self.count = QLabel()
        self.message = Message()
        self.verify = QPushButton()
        self.verdict = Message()
        self.model = LedgerModel(services, self)
        self.model.on_counted = self._counted
        self.model.on_error = self.message.failure
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        # fixed row heights: the view never asks every row for its size
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.verticalHeader().setDefaultSectionSize(style.TOUCH - 8)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for column, width in enumerate((80, 165, 60, 210, 130, 80, 80, 80)):
            self.table.setColumnWidth(column, width)

        top = QHBoxLayout()
        top.addWidget(self.heading, 1)
        top.addWidget(self.verify)
        counts = QHBoxLayout()
        counts.addWidget(self.count)
        counts.addWidget(self.message, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.verdict)
        layout.addWidget(self.explain)
        layout.addLayout(grid)
        layout.addLayout(counts)
        layout.addWidget(self.table, 1)

        self.search.clicked.connect(self.run_search)
        self.clear.clicked.connect(self.clear_search)
        self.request.returnPressed.connect(self.run_search)
        self.verify.clicked.connect(self.verify_ledger)
        self.total: int | None = None
        self.verified: manager_jobs.Verified | None = None
        self.retranslate()

    def title(self) -> str:
        return self.tr("Audit")

    def focus_first(self) -> None:
        self.item.setFocus()

    def retranslate(self) -> None:
        self.heading.setText(self.tr("The movement ledger"))
        self.explain.setText(self.tr(
            "Every movement of stock, newest first. Nothing here can be changed: a mistake is "
            "corrected by a new movement. Dates are UTC days; leave a field empty to match all."))
        for label, text in zip(self.filter_labels, (
                self.tr("Medicine"), self.tr("Kind"), self.tr("From (YYYY-MM-DD)"),
                self.tr("To (YYYY-MM-DD)"), self.tr("Request")), strict=True):
            label.setText(text)
        self.kind.setItemText(0, self.tr("All kinds"))
        for index, kind in enumerate(MOVEMENT_KINDS, start=1):
            self.kind.setItemText(index, kind_label(kind))
        self.search.setText(self.tr("Search"))
        self.clear.setText(self.tr("Clear"))
        self.verify.setText(self.tr("Verify ledger"))
        self.model.set_headers([
            self.tr("No."), self.tr("When"), self.tr("Lot"), self.tr("Medicine"),
            self.tr("Kind"), self.tr("On hand"), self.tr("Reserved"), self.tr("Request"),
            self.tr("Reason · staff")])
        self._fill_items()
        self._show_count()
        self._show_verdict()
        self.model.refresh_texts()

    def station_ready(self) -> None:
        self._fill_items()

    def _fill_items(self) -> None:
        current = self.item.currentData()
        self.item.clear()
        self.item.addItem(self.tr("All medicines"), None)
        catalog = self.services.catalog
        for item in (catalog.items if catalog is not None else ()):
            self.item.addItem(labels.item_name(catalog, item.id), item.id)
        self.item.setCurrentIndex(max(0, self.item.findData(current)))

    # -- searching ----------------------------------------------------------------------

    def refresh(self) -> None:
        self.run_search()

    def current_search(self) -> Any:
        """The search the fields describe; ValueError names a field that is not usable."""
        from kiosk.db.audit import AuditFilter

        try:
            start = _day(self.start.text())
        except ValueError:
            raise ValueError(self.tr("The first day is not a real date (YYYY-MM-DD).")) from None
        try:
            end = _day(self.end.text())
        except ValueError:
            raise ValueError(self.tr("The last day is not a real date (YYYY-MM-DD).")) from None
        text = self.request.text().strip()
        if text and not (text.isascii() and text.isdigit()):
            raise ValueError(self.tr("A request number is digits only."))
        return AuditFilter(item_id=self.item.currentData(), kind=self.kind.currentData(),
                           start=start, end=end, request_id=int(text) if text else None)

    def run_search(self) -> None:
        try:
            search = self.current_search()
        except ValueError as error:
            self.message.error(str(error))
            return
        self.message.info("")
        self.model.set_search(search)

    def clear_search(self) -> None:
        self.item.setCurrentIndex(0)
        self.kind.setCurrentIndex(0)
        for line in (self.start, self.end, self.request):
            line.clear()
        self.run_search()

    def _counted(self, total: int) -> None:
        self.total = total
        self._show_count()

    def _show_count(self) -> None:
        if self.total is not None:
            self.count.setText(self.tr("{count} movements").format(count=f"{self.total:,}"))

    # -- verifying ----------------------------------------------------------------------

    def verify_ledger(self) -> None:
        self.verify.setEnabled(False)
        self.verdict.info(self.tr("Checking the whole ledger…"))
        self.services.call(manager_jobs.verify_ledger, on_done=self._verified,
                           on_error=self._verify_failed)

    def _verified(self, result: manager_jobs.Verified) -> None:
        self.verify.setEnabled(True)
        self.verified = result
        self._show_verdict()

    def _verify_failed(self, failure: Failure) -> None:
        self.verify.setEnabled(True)
        self.verdict.failure(failure)

    def _show_verdict(self) -> None:
        result = self.verified
        if result is None:
            self.verdict.info("")
        elif not result.problems:
            training = " " + self.tr(
                "This is a TRAINING station: it honours MEDSHARE_NOW, and no real station "
                "accepts its slips.") if result.training else ""
            self.verdict.ok(self.tr(
                "The ledger is sound: the file is intact, the chain of {movements} movements "
                "is unbroken and the balances of {lots} lots add up.").format(
                movements=f"{result.movements:,}", lots=f"{result.lots:,}") + " " + self.tr(
                "Ledger head: {movements} movements, {head} (print or note it: it proves "
                "later what the ledger held today).").format(
                movements=f"{result.movements:,}", head=result.head) + training)
        else:
            self.verdict.error(self.tr("The ledger check found problems: {problems}").format(
                problems="; ".join(result.problems)))
