"""Match and print: reserve stock for the next request(s), see the lots, print the slip."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kiosk.ui import labels, printing, style
from kiosk.ui.errors import Failure
from kiosk.ui.screens.base import Screen
from kiosk.ui.services import Services
from kiosk.ui.widgets import Message, heading, hint, table

COLUMNS = 7


class MatchScreen(Screen):
    key = "match"
    topics = ("requests", "stock", "settings")

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(services, parent)
        self.heading = heading()
        self.explain = hint()
        self.match_next = QPushButton()
        self.match_next.setObjectName("primary")
        self.match_all = QPushButton()
        self.message = Message()
        buttons = QHBoxLayout()
        buttons.addWidget(self.match_next)
        buttons.addWidget(self.match_all)
        buttons.addStretch(1)

        self.table_heading = QLabel()
        self.table_heading.setObjectName("heading")
        self.table = table(COLUMNS, 2, 4)

        # printing: the slip chosen in the table, or found by its number / code
        self.print_box = QGroupBox()
        self.find_label = QLabel()
        self.find_field = QLineEdit()
        self.find_button = QPushButton()
        self.slip_summary = QLabel()
        self.slip_summary.setWordWrap(True)
        self.paper = QComboBox()
        for paper in printing.PAPERS:
            self.paper.addItem(paper, paper)
        self.preview = QPushButton()
        self.print_button = QPushButton()
        self.pdf = QPushButton()
        self.print_message = Message()
        find_row = QHBoxLayout()
        find_row.addWidget(self.find_label)
        find_row.addWidget(self.find_field, 1)
        find_row.addWidget(self.find_button)
        print_row = QHBoxLayout()
        print_row.addWidget(self.paper)
        print_row.addWidget(self.preview)
        print_row.addWidget(self.print_button)
        print_row.addWidget(self.pdf)
        print_row.addStretch(1)
        box = QVBoxLayout(self.print_box)
        box.addLayout(find_row)
        box.addWidget(self.slip_summary)
        box.addLayout(print_row)
        box.addWidget(self.print_message)

        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.explain)
        layout.addLayout(buttons)
        layout.addWidget(self.message)
        layout.addWidget(self.table_heading)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.print_box)

        self.match_next.clicked.connect(self.allocate_next)
        self.match_all.clicked.connect(self.allocate_all)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.find_field.returnPressed.connect(self.find_slip)
        self.find_button.clicked.connect(self.find_slip)
        self.preview.clicked.connect(self.print_preview)
        self.print_button.clicked.connect(self.print_to_printer)
        self.pdf.clicked.connect(self.choose_pdf)
        self.waiting: list[Any] = []
        self.view: Any = None
        self.dialog: QWidget | None = None
        self.printer_name = ""  # "" for the system's default printer
        self._select_request: int | None = None
        self._update_print_buttons()
        self.retranslate()

    def title(self) -> str:
        return self.tr("Match and print")

    def retranslate(self) -> None:
        self.heading.setText(self.tr("Match requests to stock"))
        self.explain.setText(self.tr(
            "Stock is reserved first-expiry-first-out; expired or recalled lots are never "
            "used. Priority groups are served first."))
        self.match_next.setText(self.tr("Match the next request"))
        self.match_all.setText(self.tr("Match all waiting requests"))
        self.table_heading.setText(self.tr("Ready for pickup"))
        self.table.setHorizontalHeaderLabels([
            self.tr("Request"), self.tr("Priority"), self.tr("Medicine"), self.tr("Units"),
            self.tr("Lots to take from the shelf"), self.tr("Slip"), self.tr("Short code"),
        ])
        self.print_box.setTitle(self.tr("Print a slip"))
        self.find_label.setText(self.tr("Re-print a lost slip:"))
        self.find_field.setPlaceholderText(self.tr("slip number, short code or scan"))
        self.find_button.setText(self.tr("Find slip"))
        self.preview.setText(self.tr("Print preview…"))
        self.print_button.setText(self.tr("Print…"))
        self.pdf.setText(self.tr("Save as PDF…"))
        paper_names = {"80mm": self.tr("80 mm receipt"), "58mm": self.tr("58 mm receipt"),
                       "a6": self.tr("A6 label")}
        for index in range(self.paper.count()):
            code = str(self.paper.itemData(index))
            self.paper.setItemText(index, paper_names.get(code, code))
        self._fill()
        self._show_summary()

    # -- matching ---------------------------------------------------------------------------

    def allocate_next(self) -> None:
        self.services.allocate_next(on_done=self._matched, on_error=self.message.failure)

    def allocate_all(self) -> None:
        self.services.allocate_all(on_done=self._matched, on_error=self.message.failure)

    def _matched(self, made: list[Any]) -> None:
        if not made:
            self.message.info(self.tr("Nothing could be matched: no waiting request has "
                                      "enough stock."))
            return
        catalog = self.services.catalog
        parts = []
        for match in made:
            parts.append(self.tr("request {number}: {units} of {name} from {lots}").format(
                number=match.request_id,
                units=labels.units_text(catalog, match.item_id, match.units),
                name=labels.item_name(catalog, match.item_id),
                lots=self._lots_text(match)))
        self.message.ok(self.tr("Matched {count}: {list}.").format(count=len(made),
                                                                   list="; ".join(parts)))
        self._select_request = made[0].request_id
        self.refresh()

    def _lots_text(self, match: Any) -> str:
        return ", ".join(
            self.tr("lot {lot} (exp {expiry}) × {units}").format(
                lot=lot.lot_number or f"#{lot.lot_id}", expiry=lot.expiry.isoformat(),
                units=lot.units)
            for lot in match.lots)

    # -- the list of slips waiting --------------------------------------------------------

    def refresh(self) -> None:
        self.services.waiting_for_pickup(on_done=self._show_waiting)
        # the station's printer and paper (manager settings) are where printing starts
        from kiosk.ui import manager_jobs

        self.services.call(manager_jobs.station_setting, "paper", on_done=self._default_paper)
        self.services.call(manager_jobs.station_setting, "printer_name",
                           on_done=self._default_printer)

    def _default_paper(self, paper: str) -> None:
        index = self.paper.findData(paper)
        if index >= 0:
            self.paper.setCurrentIndex(index)

    def _default_printer(self, name: str) -> None:
        self.printer_name = name

    def _show_waiting(self, waiting: list[Any]) -> None:
        self.waiting = list(waiting)
        self._fill()
        if self._select_request is not None:
            for row, match in enumerate(self.waiting):
                if match.request_id == self._select_request:
                    self.table.selectRow(row)
            self._select_request = None

    def _fill(self) -> None:
        catalog = self.services.catalog
        self.table.setRowCount(len(self.waiting))
        for row, match in enumerate(self.waiting):
            cells = [
                str(match.request_id),
                labels.priority_marked(match.priority),
                labels.item_name(catalog, match.item_id),
                labels.units_text(catalog, match.item_id, match.units),
                self._lots_text(match),
                match.slip or "—",
                match.short_code or "—",
            ]
            for column, text in enumerate(cells):
                cell = QTableWidgetItem(text)
                cell.setData(Qt.ItemDataRole.UserRole, row)
                if match.priority != "none":
                    cell.setBackground(QBrush(QColor(style.WARN_BG)))
                self.table.setItem(row, column, cell)

    def selected(self) -> Any:
        rows = self.table.selectionModel().selectedRows()
        if not rows or rows[0].row() >= len(self.waiting):
            return None
        return self.waiting[rows[0].row()]

    def _selection_changed(self) -> None:
        match = self.selected()
        if match is not None and match.slip:
            self.load_slip(match.slip)

    # -- printing ---------------------------------------------------------------------------

    def find_slip(self) -> None:
        text = self.find_field.text().strip()
        if text:
            self.load_slip(text)

    def load_slip(self, text: str) -> None:
        if not printing.available():
            self.print_message.error(self.tr("Slip printing is not installed on this station."))
            return
        self.services.slip_view(text, on_done=self._slip_loaded, on_error=self._slip_missing)

    def _slip_loaded(self, view: Any) -> None:
        self.view = view
        self.print_message.info("")
        self._show_summary()
        self._update_print_buttons()

    def _slip_missing(self, failure: Failure) -> None:
        self.view = None
        self._show_summary()
        self._update_print_buttons()
        self.print_message.failure(failure)

    def _show_summary(self) -> None:
        view = self.view
        if view is None:
            self.slip_summary.setText(self.tr("Choose a row above, or find a slip, to print it."))
            return
        catalog = self.services.catalog
        self.slip_summary.setText(self.tr(
            "Slip {slip} ({code}): {units} of {name}; status: {status}.").format(
            slip=view.slip_id, code=view.short_code,
            units=labels.units_text(catalog, view.item_id, view.units),
            name=labels.item_name(catalog, view.item_id),
            status=labels.slip_status(view.status)))

    def _update_print_buttons(self) -> None:
        ready = self.view is not None and printing.available()
        for button in (self.preview, self.print_button, self.pdf):
            button.setEnabled(ready)

    def _paper(self) -> str:
        return str(self.paper.currentData())

    def print_preview(self) -> None:
        if self.view is not None:
            self.dialog = printing.preview(self, self.view, self._paper())

    def print_to_printer(self) -> None:
        if self.view is not None:
            self.dialog = printing.choose_printer(self, self.view, self._paper(),
                                                  printer_name=self.printer_name)

    def choose_pdf(self) -> None:
        if self.view is None:
            return
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("Save the slip as PDF"), f"slip-{self.view.slip_id}.pdf",
            self.tr("PDF files (*.pdf)"))
        if path:
            self.save_pdf(Path(path))

    def save_pdf(self, path: Path) -> None:
        if self.view is None:
            return
        try:
            printing.to_pdf(self.view, path, self._paper())
        except Exception as error:  # shown by the one error presenter
            self.print_message.failure(self.services.presenter.report(error))
            return
        self.print_message.ok(self.tr("Saved {path}.").format(path=path))
