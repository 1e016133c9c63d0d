"""I need medicine: choose it, say how much and for whom, get a numbered receipt.

The request goes through the desk's own `requests.create`, so the same
per-person and per-household limits and repeat-request flags apply; the
units stepper already stops at the household's limit, and a refusal says
only what may be asked for, in the same words whether the phone number
asked before or not: this is a public screen, and a neighbour's number must
not tell its history. The receipt tells the resident what happens next.
Flags are for staff and never shown here.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from PySide6.QtCore import QCoreApplication, QRegularExpression, Qt
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QGridLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from kiosk import hours as hours_module
from kiosk import opening
from kiosk.errors import KeyFileError
from kiosk.localtime import zone as zone_of
from kiosk.rules import MAX_HOUSEHOLD, PRIORITY_GROUPS, household_limit
from kiosk.safety import SafetyConflict, conflict
from kiosk.slips import format_moment
from kiosk.ui import kiosk_jobs, labels
from kiosk.ui.errors import Failure
from kiosk.ui.i18n import language
from kiosk.ui.kiosk.available import here_note
from kiosk.ui.kiosk.base import KioskContext
from kiosk.ui.kiosk.form import FormPage, details_view, focused_field
from kiosk.ui.kiosk.receipts import Receipt, ReceiptLine
from kiosk.ui.kiosk.widgets import Choices, ItemList, KeyPad, Stepper, big_button, digit_keys
from kiosk.ui.widgets import Message

translate = QCoreApplication.translate  # the name lupdate looks for

COME_BACK_SOON = timedelta(minutes=30)  # in stock: time for staff to match and print a slip
COME_BACK_LATER = timedelta(days=1)  # not in stock: the queue needs a donation first


def station_time(context: KioskContext, moment: datetime, lang: str) -> str:
    """A moment on the station's wall clock (its time zone, not the computer's)."""
    settings = context.settings
    return format_moment(moment, lang, settings.zone if settings is not None else None)


def come_after(context: KioskContext, moment: datetime) -> datetime:
    """`moment`, or the next opening time if the station is closed then."""
    settings = context.settings
    if settings is None:
        return moment
    return opening.come_after(moment, settings.hours, zone_of(settings.zone))


def hours_text(context: KioskContext, lang: str) -> str:
    settings = context.settings
    if settings is None:
        return ""
    return hours_module.display(settings.opening_hours, settings.hours, lang)


def station_header(context: KioskContext) -> list[ReceiptLine]:
    """The station's name, address and hours at the top of a receipt, then a rule."""
    settings = context.settings
    lines = []
    if settings is not None and settings.training:
        lines.append(ReceiptLine(translate(
            "Kiosk", "TRAINING — practice only, not valid at any station"), 10, bold=True,
            centre=True))
    if settings is not None:
        lines.append(ReceiptLine(settings.station_name, 11, bold=True, centre=True))
        if settings.address:
            lines.append(ReceiptLine(settings.address, 8, centre=True))
        if settings.opening_hours:
            lines.append(ReceiptLine(translate("Kiosk", "Open: {hours}").format(
                hours=hours_text(context, language())), 8, centre=True))
    if lines:
        lines[-1] = replace(lines[-1], rule_after=True)
    return lines


class NeedPage(FormPage):
    key = "need"

    def __init__(self, context: KioskContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.made: kiosk_jobs.RequestMade | None = None
        context.menu_changed.connect(self._menu_changed)
        self.retranslate()

    # -- building ---------------------------------------------------------------------------

    def _build_choose(self) -> None:
        self.choose_heading = QLabel()
        self.choose_heading.setObjectName("title")
        self.items = ItemList(note=lambda item: here_note(self.context, item))
        self.items.chosen.connect(self.choose)
        view = QWidget()
        layout = QVBoxLayout(view)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.choose_heading)
        layout.addWidget(self.items, 1)
        self.choose_view = view
        self.views.addWidget(view)

    def _build_details(self) -> None:
        self.item_name = QLabel()
        self.item_name.setObjectName("title")
        self.item_name.setWordWrap(True)
        self.here = QLabel()
        self.here.setWordWrap(True)
        self.limit = QLabel()
        self.limit.setObjectName("big")
        self.limit.setWordWrap(True)
        self.units = Stepper(1, 1)
        self.household = Stepper(1, MAX_HOUSEHOLD)
        self.priority = Choices(PRIORITY_GROUPS, columns=3)
        self.priority.set_current("none")
        self.phone = QLineEdit()
        self.phone.setObjectName("phone")
        self.phone.setMaxLength(20)
        self.phone.setValidator(QRegularExpressionValidator(QRegularExpression(r"[0-9 +-]*"),
                                                            self.phone))
        self.phone.setInputMethodHints(Qt.InputMethodHint.ImhDialableCharactersOnly)
        self.phone_hint = QLabel()
        self.phone_hint.setObjectName("hint")
        self.phone_hint.setWordWrap(True)
        self.keypad = KeyPad(digit_keys(), 3, self._typing_target)
        self.back = big_button()
        self.send = big_button("primary")
        self.message = Message()

        self.units_label, self.household_label = QLabel(), QLabel()
        self.priority_label, self.phone_label = QLabel(), QLabel()
        form = QGridLayout()
        form.setVerticalSpacing(10)
        form.addWidget(self.units_label, 0, 0)
        form.addWidget(self.units, 0, 1)
        form.addWidget(self.household_label, 1, 0)
        form.addWidget(self.household, 1, 1)
        form.addWidget(self.priority_label, 2, 0, Qt.AlignmentFlag.AlignTop)
        form.addWidget(self.priority, 2, 1)
        form.setColumnStretch(1, 1)
        left = QVBoxLayout()
        left.addWidget(self.item_name)
        left.addWidget(self.here)
        left.addWidget(self.limit)
        left.addLayout(form)
        # the phone number beside its keypad
        view = details_view(left, self.message, self.back, self.send,
                            [self.phone_label, self.phone, self.phone_hint, self.keypad])
        self.details_view = view
        self.views.addWidget(view)
        self.household.changed.connect(self._update_limit)
        self.priority.changed.connect(self._warn_if_unsafe)
        self.back.clicked.connect(self.back_to_list)
        self.send.clicked.connect(self.submit)

    # -- texts ------------------------------------------------------------------------------

    def retranslate(self) -> None:
        self.choose_heading.setText(self.tr("Which medicine do you need?"))
        self.items.search.setPlaceholderText(self.tr("Search by name (English or 中文)"))
        self.units_label.setText(self.tr("How many"))
        self.household_label.setText(self.tr("People in your home"))
        self.priority_label.setText(self.tr("Is it for"))
        texts = {code: labels.priority(code) for code in PRIORITY_GROUPS}
        texts["none"] = self.tr("None of these")
        self.priority.set_texts(texts)
        self.phone_label.setText(self.tr("Phone (optional)"))
        self.phone.setPlaceholderText(self.tr("So staff can call you"))
        days = self.context.settings.retention_days if self.context.settings else 30
        self.phone_hint.setText(self.tr(
            "Staff see only its last four digits (such as *******5678); the whole number is "
            "shown only when staff call you back. It is deleted after {days} days and never "
            "leaves this station.").format(days=days))
        self.back.setText(self.tr("◀ Back"))
        self.send.setText(self.tr("Send my request"))
        self.items.fill()
        self._show_item()
        self._show_done()

    # -- navigation -------------------------------------------------------------------------

    def _load_list(self) -> None:
        self.items.set_catalog(self.context.catalog, self._order)
        self.context.refresh_menu()

    def _forget_made(self) -> None:
        self.made = None

    def _clear_form(self) -> None:
        self.household.setValue(1)
        self.units.setRange(1, 1)
        self.units.setValue(1)
        self.priority.set_current("none")
        self.phone.clear()
        self.message.clear()

    def _order(self, item: Any) -> tuple[bool, int]:
        catalog = self.context.catalog
        return (self.context.available(item.id) <= 0, catalog.items.index(item))

    def _menu_changed(self) -> None:
        self.items.set_catalog(self.context.catalog, self._order)
        self._show_item()

    def choose(self, item_id: str) -> None:
        catalog = self.context.catalog
        if catalog is None:
            return
        self.item = catalog.get(item_id)
        self._clear_form()
        self._show_item()
        self.views.setCurrentWidget(self.details_view)
        self.phone.setFocus()

    # -- the form ---------------------------------------------------------------------------

    def _typing_target(self) -> QLineEdit | None:
        return focused_field(self.phone, self.units.edit, self.household.edit)

    def allowed(self) -> int:
        """Units this household may ask for in 7 days (the core checks it again)."""
        if self.item is None or self.context.menu is None:
            return 1
        line = self.context.menu.line(self.item.id)
        per_person = line.limit if line is not None else self.item.limit_per_7_days
        return household_limit(per_person, self.household.value(), self.context.menu.household_cap)

    def _update_limit(self) -> None:
        self.units.setRange(1, self.allowed())
        self._show_item()

    def _show_item(self) -> None:
        item = self.item
        if item is None:
            return
        lang = language()
        self.units.setRange(1, self.allowed())
        self.item_name.setText(item.name(lang))
        available = self.context.available(item.id)
        if available > 0:
            self.here.setText("✔ " + self.tr("Here now: {units}").format(
                units=item.units_text(available, lang)))
        else:
            self.here.setText(self.tr("None here right now: you join the queue."))
        self.limit.setText(self.tr("You may ask for up to {units} in 7 days for your home.")
                           .format(units=item.units_text(self.allowed(), lang)))

    def _warn_if_unsafe(self, group: str) -> None:
        """Say at once, before Send, when the item is not for this group (the core refuses
        it again on Send): what to ask for instead."""
        catalog = self.context.catalog
        if self.item is None or catalog is None:
            return
        found = conflict(self.item, group, {item.id: item for item in catalog.items})
        if found is not None:
            self.message.error(found.text(language()))
        else:
            self.message.clear()

    def phone_problem(self) -> str:
        text = self.phone.text().strip()
        digits = re.sub(r"[^0-9]", "", text)
        if text and not 7 <= len(digits) <= 15:
            return self.tr("That phone number does not look right: type the whole number "
                           "(7 to 15 digits), or leave it empty.")
        return ""

    def submit(self) -> None:
        if self.item is None or self._sending:
            return
        problem = self.phone_problem()
        if problem:
            self.message.error(problem)
            self.phone.setFocus()
            return
        self._sending = True
        self.send.setEnabled(False)
        self.message.info(self.tr("Sending…"))
        self.context.call(kiosk_jobs.request_medicine, self.item.id, self.units.value(),
                          self.priority.current() or "none", self.household.value(),
                          self.phone.text().strip(), language(),
                          on_done=self._made, on_error=self._refused)

    def _refused(self, failure: Failure) -> None:
        self._sent()
        self.message.error(self.refusal_text(failure))

    def refusal_text(self, failure: Failure) -> str:
        error = failure.error
        if isinstance(error, SafetyConflict):
            # the catalog's safety facts, in the resident's language, with what to ask for
            return error.conflict.text(language())
        if isinstance(error, kiosk_jobs.OverLimit) and self.item is not None:
            lang = language()
            return self.tr("Sorry, the kiosk cannot take this request. You can ask for at most "
                           "{allowed} of {name} in 7 days for your home, counting earlier "
                           "requests. Ask for fewer, or ask the staff at the desk.").format(
                allowed=self.item.units_text(error.allowed, lang), name=self.item.name(lang))
        if isinstance(error, KeyFileError):
            return self.tr("This station cannot take phone numbers right now. Leave the phone "
                           "number empty, or ask the staff at the desk.")
        return f"{failure.title}: {failure.message}"

    # -- done: the number and the receipt ----------------------------------------------------

    def _made(self, made: kiosk_jobs.RequestMade) -> None:
        self._sent()
        self.made = made
        self.receipt = self.build_receipt(made)
        self._show_receipt()
        self.context.refresh_menu()
        self._print_receipt()


    def next_steps_text(self, made: kiosk_jobs.RequestMade) -> str:
        lang = language()
        if made.in_stock:
            when = station_time(self.context, come_after(self.context,
                                                         made.at + COME_BACK_SOON), lang)
            if made.phone_masked:
                return self.tr("It is in stock. Staff will prepare it and call {phone}. You can "
                               "also come to the desk after {time} with this number.").format(
                    phone=made.phone_masked, time=when)
            return self.tr("It is in stock. Come to the desk after {time} with this number; "
                           "staff will give you a pickup slip.").format(time=when)
        when = station_time(self.context, come_after(self.context, made.at + COME_BACK_LATER),
                            lang)
        if made.phone_masked:
            return self.tr("None is in stock right now, so you are in the queue (children, "
                           "pregnant, elderly and chronically ill people first). Staff will call "
                           "{phone} when it is ready.").format(phone=made.phone_masked)
        return self.tr("None is in stock right now, so you are in the queue (children, pregnant, "
                       "elderly and chronically ill people first). Please ask at the desk after "
                       "{time} with this number.").format(time=when)

    def build_receipt(self, made: kiosk_jobs.RequestMade) -> Receipt:
        lang = language()
        item = self.context.catalog.get(made.item_id)
        lines = station_header(self.context)
        lines += [
            ReceiptLine(self.tr("Medicine request"), 10, centre=True),
            ReceiptLine(self.tr("No. {number}").format(number=made.request_id), 26, bold=True,
                        centre=True),
            ReceiptLine(item.name(lang), 12, bold=True, centre=True),
            ReceiptLine(item.units_text(made.units, lang), 14, bold=True, centre=True),
            ReceiptLine(station_time(self.context, made.at, lang), 8, centre=True,
                        rule_after=True),
            ReceiptLine(self.tr("What happens next"), 9, bold=True),
            ReceiptLine(self.next_steps_text(made), 9, rule_after=True),
            ReceiptLine(self.tr("Free of charge — not for sale"), 9, bold=True, centre=True),
        ]
        return Receipt("request", made.request_id, tuple(lines))

    def _show_done(self) -> None:
        made = self.made
        if made is None or self.context.catalog is None:
            return
        lang = language()
        item = self.context.catalog.get(made.item_id)
        self.done.show_result(self.tr("Your request number"), made.request_id,
                              f"{item.name(lang)} — {item.units_text(made.units, lang)}",
                              self.next_steps_text(made))
