"""I have spare medicine: say what you will bring, get a numbered receipt for the desk.

This only pre-registers the drop-off (kiosk.db.pledges): it becomes stock
when staff have inspected the sealed box at the desk, where it waits in the
drop-off screen's pending list. The expiry is asked as year and month (what
most boxes print) and kept as the month's last day; staff check the box.
"""

from __future__ import annotations

import calendar
from datetime import date
from typing import Any

from PySide6.QtWidgets import (
    QGridLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from kiosk.rules import MAX_SHELF_LIFE_YEARS, MAX_UNITS_PER_ENTRY
from kiosk.ui import kiosk_jobs
from kiosk.ui.errors import Failure
from kiosk.ui.i18n import language
from kiosk.ui.kiosk.base import KioskContext
from kiosk.ui.kiosk.form import FormPage, details_view, focused_field
from kiosk.ui.kiosk.need import hours_text, station_header, station_time
from kiosk.ui.kiosk.receipts import Receipt, ReceiptLine
from kiosk.ui.kiosk.widgets import ItemList, KeyPad, Stepper, big_button, digit_keys
from kiosk.ui.widgets import Message


def month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


class SparePage(FormPage):
    key = "spare"

    def __init__(self, context: KioskContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.pledge: Any = None
        self.retranslate()

    # -- building ---------------------------------------------------------------------------

    def _build_choose(self) -> None:
        self.choose_heading = QLabel()
        self.choose_heading.setObjectName("title")
        self.choose_hint = QLabel()
        self.choose_hint.setObjectName("hint")
        self.choose_hint.setWordWrap(True)
        self.items = ItemList()
        self.items.chosen.connect(self.choose)
        view = QWidget()
        layout = QVBoxLayout(view)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.choose_heading)
        layout.addWidget(self.choose_hint)
        layout.addWidget(self.items, 1)
        self.choose_view = view
        self.views.addWidget(view)

    def _build_details(self) -> None:
        self.item_name = QLabel()
        self.item_name.setObjectName("title")
        self.item_name.setWordWrap(True)
        self.rules = QLabel()
        self.rules.setWordWrap(True)
        self.units = Stepper(1, MAX_UNITS_PER_ENTRY)
        self.year = Stepper(2000, 2100)
        self.month = Stepper(1, 12)
        self.expiry_hint = QLabel()
        self.expiry_hint.setObjectName("hint")
        self.expiry_hint.setWordWrap(True)
        self.keypad = KeyPad(digit_keys(), 3, self._typing_target)
        self.back = big_button()
        self.send = big_button("primary")
        self.message = Message()
        self.units_label, self.year_label, self.month_label = QLabel(), QLabel(), QLabel()
        form = QGridLayout()
        form.setVerticalSpacing(10)
        form.addWidget(self.units_label, 0, 0)
        form.addWidget(self.units, 0, 1)
        form.addWidget(self.year_label, 1, 0)
        form.addWidget(self.year, 1, 1)
        form.addWidget(self.month_label, 2, 0)
        form.addWidget(self.month, 2, 1)
        form.addWidget(self.expiry_hint, 3, 1)
        form.setColumnStretch(1, 1)
        left = QVBoxLayout()
        left.addWidget(self.item_name)
        left.addWidget(self.rules)
        left.addLayout(form)
        view = details_view(left, self.message, self.back, self.send, [self.keypad])
        self.details_view = view
        self.views.addWidget(view)
        self.year.changed.connect(self._show_expiry)
        self.month.changed.connect(self._show_expiry)
        self.back.clicked.connect(self.back_to_list)
        self.send.clicked.connect(self.submit)

    # -- texts ------------------------------------------------------------------------------

    def retranslate(self) -> None:
        self.choose_heading.setText(self.tr("Which medicine will you bring?"))
        self.choose_hint.setText(self.tr(
            "Thank you! Only sealed, unopened boxes that have not expired can be shared."))
        self.items.search.setPlaceholderText(self.tr("Search by name (English or 中文)"))
        self.rules.setText(self.tr(
            "Tell us what you will bring. Staff check the sealed box at the desk before it "
            "is shared."))
        self.units_label.setText(self.tr("How many"))
        self.year_label.setText(self.tr("Expiry year"))
        self.month_label.setText(self.tr("Expiry month"))
        self.back.setText(self.tr("◀ Back"))
        self.send.setText(self.tr("Register my drop-off"))
        self.items.fill()
        self._show_item()
        self._show_done()

    # -- navigation -------------------------------------------------------------------------

    def _load_list(self) -> None:
        self.items.set_catalog(self.context.catalog)

    def _forget_made(self) -> None:
        self.pledge = None

    def _today(self) -> date:
        menu = self.context.menu
        return menu.today if menu is not None else date.today()

    def _clear_form(self) -> None:
        today = self._today()
        self.units.setValue(1)
        self.year.setRange(today.year, today.year + MAX_SHELF_LIFE_YEARS)
        self.year.setValue(today.year + 1)
        self.month.setValue(today.month)
        self.message.clear()
        self._show_expiry()

    def choose(self, item_id: str) -> None:
        catalog = self.context.catalog
        if catalog is None:
            return
        self.item = catalog.get(item_id)
        self._clear_form()
        self._show_item()
        self.views.setCurrentWidget(self.details_view)
        self.units.setFocus()
        self.units.edit.selectAll()

    # -- the form ---------------------------------------------------------------------------

    def _typing_target(self) -> QLineEdit | None:
        return focused_field(self.units.edit, self.year.edit, self.month.edit)

    def expiry(self) -> date:
        return month_end(self.year.value(), self.month.value())

    def expiry_problem(self) -> str:
        today = self._today()
        if self.expiry() <= today:
            return self.tr("That date has passed: expired medicine cannot be shared.")
        return ""

    def _show_expiry(self) -> None:
        problem = self.expiry_problem()
        if problem:
            self.expiry_hint.setText("✖ " + problem)
        else:
            self.expiry_hint.setText(self.tr(
                "Good until the end of {month} (staff check the date on the box).").format(
                month=self.expiry().strftime("%Y-%m")))

    def _show_item(self) -> None:
        if self.item is None:
            return
        lang = language()
        self.item_name.setText(self.item.name(lang))
        self.units_label.setText(self.tr("How many {unit}").format(
            unit=self.item.unit_name(2, lang)))  # "How many tablets": the plural

    def submit(self) -> None:
        if self.item is None or self._sending:
            return
        problem = self.expiry_problem()
        if problem:
            self.message.error(problem)
            return
        self._sending = True
        self.send.setEnabled(False)
        self.message.info(self.tr("Sending…"))
        self.context.call(kiosk_jobs.pledge_medicine, self.item.id, self.units.value(),
                          self.expiry(), language(), on_done=self._made, on_error=self._refused)

    def _refused(self, failure: Failure) -> None:
        self._sent()
        self.message.error(f"{failure.title}: {failure.message}")

    # -- done --------------------------------------------------------------------------------

    def _made(self, pledge: Any) -> None:
        self._sent()
        self.pledge = pledge
        self.receipt = self.build_receipt(pledge)
        self._show_receipt()
        self._print_receipt()


    def next_steps_text(self) -> str:
        settings = self.context.settings
        if settings is not None and settings.opening_hours:
            return self.tr("Please bring the sealed box to the desk ({hours}) and show this "
                           "number. Staff check it before it is shared.").format(
                hours=hours_text(self.context, language()))
        return self.tr("Please bring the sealed box to the desk and show this number. Staff "
                       "check it before it is shared.")

    def build_receipt(self, pledge: Any) -> Receipt:
        lang = language()
        item = self.context.catalog.get(pledge.item_id)
        lines = station_header(self.context)
        lines += [
            ReceiptLine(self.tr("Spare medicine: drop-off"), 10, centre=True),
            ReceiptLine(self.tr("No. {number}").format(number=pledge.id), 26, bold=True,
                        centre=True),
            ReceiptLine(item.name(lang), 12, bold=True, centre=True),
            ReceiptLine(item.units_text(pledge.units, lang), 14, bold=True, centre=True),
            ReceiptLine(self.tr("Expires {date}").format(date=pledge.expiry.strftime("%Y-%m")),
                        9, centre=True),
            ReceiptLine(station_time(self.context, self._created(pledge), lang), 8, centre=True,
                        rule_after=True),
            ReceiptLine(self.tr("What happens next"), 9, bold=True),
            ReceiptLine(self.next_steps_text(), 9, rule_after=True),
            ReceiptLine(self.tr("Thank you for sharing!"), 9, bold=True, centre=True),
        ]
        return Receipt("pledge", pledge.id, tuple(lines))

    @staticmethod
    def _created(pledge: Any) -> Any:
        from kiosk.clock import parse_instant

        return parse_instant(pledge.created_at)

    def _show_done(self) -> None:
        pledge = self.pledge
        if pledge is None or self.context.catalog is None:
            return
        lang = language()
        item = self.context.catalog.get(pledge.item_id)
        self.done.show_result(self.tr("Your drop-off number"), pledge.id,
                              f"{item.name(lang)} — {item.units_text(pledge.units, lang)}",
                              self.next_steps_text())
