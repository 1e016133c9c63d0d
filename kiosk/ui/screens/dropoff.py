"""Drop-off: take in one box of spare medicine, or a CSV of many lots."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from kiosk.rules import MAX_SHELF_LIFE_YEARS, MAX_UNITS_PER_ENTRY, SOURCE_CHANNELS
from kiosk.ui import kiosk_jobs, labels
from kiosk.ui.errors import Failure
from kiosk.ui.i18n import language
from kiosk.ui.screens.base import Screen
from kiosk.ui.screens.pending_dropoffs import PendingDropOffs
from kiosk.ui.services import Call, Services
from kiosk.ui.widgets import DateField, Form, FormFlow, ItemPicker, Message, heading, hint


class DropOffScreen(Screen):
    key = "dropoff"

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(services, parent)
        self.heading = heading()
        self.explain = hint()
        self.picker = ItemPicker()
        self.units = QSpinBox()
        self.units.setRange(1, MAX_UNITS_PER_ENTRY)
        self.unit_name = QLabel()
        self.expiry = DateField()
        self.lot = QLineEdit()
        self.lot.setMaxLength(40)
        self.source = QComboBox()
        for code in SOURCE_CHANNELS:
            self.source.addItem(code, code)
        self.sealed = QCheckBox()
        self.save = QPushButton()
        self.save.setObjectName("primary")
        self.message = Message()

        units_row = QHBoxLayout()
        units_row.addWidget(self.units)
        units_row.addWidget(self.unit_name, 1)
        self.form = Form()
        self.form.add(self.picker)
        units_label = self.form.add(units_row)
        units_label.setBuddy(self.units)
        for field in (self.expiry, self.lot, self.source, self.sealed, self.save):
            self.form.add(field)

        # CSV import: long work with progress and cancel
        self.import_box = QGroupBox()
        self.import_button = QPushButton()
        self.cancel_import = QPushButton()
        self.cancel_import.setEnabled(False)
        self.progress = QProgressBar()
        self.progress.setTextVisible(True)
        self.progress.hide()
        self.import_message = Message()
        import_layout = QVBoxLayout(self.import_box)
        buttons = QHBoxLayout()
        buttons.addWidget(self.import_button)
        buttons.addWidget(self.cancel_import)
        buttons.addStretch(1)
        import_layout.addLayout(buttons)
        import_layout.addWidget(self.progress)
        import_layout.addWidget(self.import_message)

        # drop-offs residents pre-registered at the kiosk, beside the form they fill
        self.pending = PendingDropOffs(services)
        self.pledge: Any = None
        top = QHBoxLayout()
        top.addLayout(self.form, 3)
        top.addWidget(self.pending, 2)

        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.explain)
        layout.addLayout(top)
        layout.addWidget(self.message)
        layout.addWidget(self.import_box)
        layout.addStretch(1)

        self.flow = FormFlow([self.picker, self.units, self.expiry, self.lot, self.source,
                              self.sealed, self.save], self)
        self.picker.picked.connect(self._picked)
        self.pending.chosen.connect(self.fill_from_pledge)
        self.save.clicked.connect(self.submit)
        self.import_button.clicked.connect(self.choose_import)
        self.cancel_import.clicked.connect(self._cancel_import)
        self._import: Call | None = None
        self._phase = ""
        self.retranslate()

    # -- texts ------------------------------------------------------------------------------

    def title(self) -> str:
        return self.tr("Drop-off")

    def retranslate(self) -> None:
        self.heading.setText(self.tr("Drop-off: take in spare medicine"))
        self.explain.setText(self.tr(
            "Only sealed, unexpired boxes from the catalog. Press Enter to go to the next field."
        ))
        self.form.set_labels([self.tr("Medicine"), self.tr("Units"), self.tr("Expiry date"),
                              self.tr("Lot number"), self.tr("Where it came from"), "", ""])
        self.lot.setPlaceholderText(self.tr("As printed on the box (optional)"))
        for index in range(self.source.count()):
            self.source.setItemText(index, labels.source(str(self.source.itemData(index))))
        self.sealed.setText(self.tr("Sealed and inspected (required)"))
        self.save.setText(self.tr("Save drop-off"))
        self.import_box.setTitle(self.tr("Many lots at once"))
        self.import_button.setText(self.tr("Import a CSV file…"))
        self.cancel_import.setText(self.tr("Cancel import"))
        self._update_units_label()

    def _update_units_label(self) -> None:
        item = self.picker.item
        if item is None:
            self.unit_name.setText("")
            return
        lang = language()
        self.unit_name.setText(item.unit_zh if lang == "zh" else item.unit_plural_en)

    # -- state ------------------------------------------------------------------------------

    def station_ready(self) -> None:
        self.picker.set_catalog(self.services.catalog)
        self._reset_dates()

    def _today(self) -> date:
        state = self.services.state
        return state.today if state is not None and state.today else date.today()

    def _reset_dates(self) -> None:
        today = self._today()
        # a box that expires today or earlier cannot be taken in
        self.expiry.set_range(today + timedelta(days=1),
                              today.replace(year=today.year + MAX_SHELF_LIFE_YEARS,
                                            day=min(today.day, 28)))
        self.expiry.clear()

    def focus_first(self) -> None:
        self.picker.search.setFocus()

    def _picked(self, item: Any) -> None:
        self._update_units_label()

    def clear_form(self) -> None:
        self.pledge = None
        self.picker.clear()
        self.units.setValue(1)
        self.lot.clear()
        self.sealed.setChecked(False)
        self._reset_dates()
        self._update_units_label()

    # -- saving -----------------------------------------------------------------------------

    def submit(self) -> None:
        item = self.picker.item
        if item is None:
            self.message.error(self.tr("Choose the medicine first."))
            self.picker.search.setFocus()
            return
        expiry = self.expiry.value()
        if expiry is None:
            self.message.error(self.expiry.problem() or self.tr(
                "Type or pick the expiry date printed on the box."))
            self.expiry.setFocus()
            return
        if not self.sealed.isChecked():
            self.message.error(self.tr("Only sealed boxes that you have inspected can be taken "
                                       "in. Tick “Sealed and inspected” to confirm."))
            self.sealed.setFocus()
            return
        self.save.setEnabled(False)
        if self.pledge is not None:  # the lot and the pledge's new state in one transaction
            self.services.call(kiosk_jobs.accept_pledge, self.pledge.id, item.id,
                               self.units.value(), expiry, self.lot.text(),
                               str(self.source.currentData()), self.services.staff_name,
                               changes=("stock",), on_done=self._saved, on_error=self._refused)
            return
        self.services.receive(item.id, self.units.value(), expiry, self.lot.text(),
                              str(self.source.currentData()), on_done=self._saved,
                              on_error=self._refused)

    def fill_from_pledge(self, pledge: Any) -> None:
        """A pre-registered drop-off: its details in the form, for staff to check and correct."""
        self.clear_form()
        self.pledge = pledge
        self.picker.choose(pledge.item_id)
        self.units.setValue(pledge.units)
        self.expiry.set_value(pledge.expiry)
        self.message.info(self.tr(
            "Drop-off {number} from the kiosk: check the box, correct what differs, tick "
            "“Sealed and inspected” and save.").format(number=pledge.id))
        self.units.setFocus()
        self.units.selectAll()

    def _saved(self, received: Any) -> None:
        self.save.setEnabled(True)
        units = labels.units_text(self.services.catalog, received.item_id, received.units)
        name = labels.item_name(self.services.catalog, received.item_id)
        self.message.ok(self.tr("Saved as lot {lot}: {units} of {name}, expires {expiry}.")
                        .format(lot=received.lot_id, units=units, name=name,
                                expiry=received.expiry.isoformat()))
        if isinstance(received, kiosk_jobs.PledgeAccepted):
            self.pending.refresh()
        self.clear_form()
        self.focus_first()

    def _refused(self, failure: Failure) -> None:
        self.save.setEnabled(True)
        self.message.failure(failure)

    # -- CSV import -------------------------------------------------------------------------

    def choose_import(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Import lots"), "",
                                              self.tr("CSV files (*.csv)"))
        if path:
            self.start_import(Path(path))

    def start_import(self, path: Path) -> Call:
        self.import_button.setEnabled(False)
        self.cancel_import.setEnabled(True)
        self.progress.setRange(0, 0)
        self.progress.show()
        self.import_message.info(self.tr("Checking every row of {name}…").format(name=path.name))
        self._import = self.services.import_lots(path, on_done=self._imported,
                                                 on_error=self._import_failed,
                                                 on_progress=self._import_progress)
        return self._import

    def _import_progress(self, done: int, total: int, phase: str) -> None:
        if phase == "saving" and phase != self._phase:
            self.import_message.info(self.tr("Saving {count} lots…").format(count=total))
        self._phase = phase
        if total and done:
            self.progress.setRange(0, total)
            self.progress.setValue(done)

    def _cancel_import(self) -> None:
        if self._import is not None:
            self._import.cancel()
            self.cancel_import.setEnabled(False)

    def _import_finished(self) -> None:
        self._import = None
        self._phase = ""
        self.progress.hide()
        self.import_button.setEnabled(True)
        self.cancel_import.setEnabled(False)

    def _imported(self, imported: Any) -> None:
        self._import_finished()
        self.import_message.ok(self.tr("Imported {lots} lots of {items} items.")
                               .format(lots=imported.lots, items=imported.items))

    def _import_failed(self, failure: Failure) -> None:
        self._import_finished()
        self.import_message.failure(failure)

    @property
    def importing(self) -> bool:
        return self._import is not None
