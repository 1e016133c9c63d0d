"""Settings: the station's profile, limits per item, and how the station behaves.

Three parts, each saved on its own and all-or-nothing: the profile (it goes
to the central endpoint through the outbox; the time zone is saved with it
but stays on the station), the limits per item (blank means
the catalog's), and the rest (retention, pickup window, the kiosk's idle
timeout, printer and paper, default language). The core checks every value,
so a bad one is refused with its reason and nothing is saved.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kiosk.ui import manager_jobs
from kiosk.ui.errors import Failure
from kiosk.ui.i18n import language
from kiosk.ui.screens.base import Screen
from kiosk.ui.screens.manager.common import table
from kiosk.ui.services import Services
from kiosk.ui.widgets import Form, Message, heading, hint
from kiosk.ui.zonepicker import ZonePicker

PAPERS = ("80mm", "58mm", "a6")
NUMBER_KEYS = ("retention_days", "pickup_window_hours", "kiosk_idle_seconds")


def _number() -> QLineEdit:
    field = QLineEdit()
    field.setInputMethodHints(Qt.InputMethodHint.ImhDigitsOnly)
    field.setMaximumWidth(160)
    return field


class SettingsScreen(Screen):
    key = "settings"
    topics = ("settings",)

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(services, parent)
        self.heading = heading()
        # the profile
        self.profile_box = QGroupBox()
        self.name = QLineEdit()
        self.name.setMaxLength(120)
        self.address = QLineEdit()
        self.address.setMaxLength(300)
        self.lat = QLineEdit()
        self.lon = QLineEdit()
        self.hours = QLineEdit()
        self.hours.setMaxLength(200)
        self.zone = ZonePicker()
        self.save_profile = QPushButton()
        self.profile_message = Message()
        self.profile_form = Form()
        for field in (self.name, self.address, self.lat, self.lon, self.hours, self.zone,
                      self.save_profile):
            self.profile_form.add(field)
        profile = QVBoxLayout(self.profile_box)
        profile.addLayout(self.profile_form)
        profile.addWidget(self.profile_message)
        # how the station behaves
        self.station_box = QGroupBox()
        self.fields: dict[str, QLineEdit] = {key: _number() for key in NUMBER_KEYS}
        self.printer = QComboBox()
        self.printer.setEditable(True)
        self.paper = QComboBox()
        for paper in PAPERS:
            self.paper.addItem("", paper)
        self.default_language = QComboBox()
        self.default_language.addItem("English", "en")
        self.default_language.addItem("简体中文", "zh")
        self.save_settings = QPushButton()
        self.settings_message = Message()
        self.settings_form = Form()
        rows: list[QWidget] = [*self.fields.values(), self.printer, self.paper,
                               self.default_language, self.save_settings]
        for row in rows:
            self.settings_form.add(row)
        behaviour = QVBoxLayout(self.station_box)
        behaviour.addLayout(self.settings_form)
        behaviour.addWidget(self.settings_message)
        # limits
        self.limits_box = QGroupBox()
        self.limits_hint = hint()
        self.limits = table(4, 0, editable=True)
        self.limits.setMinimumHeight(360)
        self.save_limits = QPushButton()
        self.reset_limits = QPushButton()
        self.limits_message = Message()
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_limits)
        buttons.addWidget(self.reset_limits)
        buttons.addStretch(1)
        limits = QVBoxLayout(self.limits_box)
        limits.addWidget(self.limits_hint)
        limits.addWidget(self.limits, 1)
        limits.addLayout(buttons)
        limits.addWidget(self.limits_message)

        left = QVBoxLayout()
        left.addWidget(self.profile_box)
        left.addWidget(self.station_box)
        left.addStretch(1)
        columns = QHBoxLayout()
        columns.addLayout(left, 1)
        columns.addWidget(self.limits_box, 1)
        body = QWidget()
        inner = QVBoxLayout(body)
        inner.addWidget(self.heading)
        inner.addLayout(columns, 1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(body)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll)

        self.save_profile.clicked.connect(self.submit_profile)
        self.save_settings.clicked.connect(self.submit_settings)
        self.save_limits.clicked.connect(self.submit_limits)
        self.reset_limits.clicked.connect(self.reset_all_limits)
        self.page: manager_jobs.SettingsPage | None = None
        self.retranslate()

    def title(self) -> str:
        return self.tr("Settings")

    def focus_first(self) -> None:
        self.name.setFocus()

    def retranslate(self) -> None:
        self.heading.setText(self.tr("Settings"))
        self.profile_box.setTitle(self.tr("Station profile (shared with nearby stations)"))
        self.profile_form.set_labels([
            self.tr("Name"), self.tr("Address"), self.tr("Latitude"), self.tr("Longitude"),
            self.tr("Opening hours"), self.tr("Time zone"), ""])
        self.lat.setPlaceholderText(self.tr("for example 31.2304"))
        self.lon.setPlaceholderText(self.tr("for example 121.4737"))
        self.hours.setPlaceholderText(self.tr("for example Mon-Sat 9:00-17:00"))
        self.hours.setToolTip(self.tr(
            "Days then times: Mon-Sat 9:00-17:00, or Mon-Fri 9-12, 14-18; Sat 9-12. "
            "Pickup slips tell residents to come and collect within these hours."))
        self.save_profile.setText(self.tr("Save profile"))
        self.station_box.setTitle(self.tr("Requests, kiosk and printing"))
        self.settings_form.set_labels([
            self.tr("Keep phone numbers (days)"), self.tr("Pickup window (hours)"),
            self.tr("Kiosk idle timeout (seconds)"), self.tr("Printer"),
            self.tr("Paper"), self.tr("Default language"), ""])
        editor = self.printer.lineEdit()
        if editor is not None:
            editor.setPlaceholderText(self.tr("the system's default printer"))
        names = {"80mm": self.tr("80 mm receipt"), "58mm": self.tr("58 mm receipt"),
                 "a6": self.tr("A6 label")}
        for index in range(self.paper.count()):
            self.paper.setItemText(index, names[str(self.paper.itemData(index))])
        self.save_settings.setText(self.tr("Save settings"))
        self.limits_box.setTitle(self.tr("Limits per person per 7 days"))
        self.limits_hint.setText(self.tr(
            "Type this station's own limit in the last column; leave it empty to use the "
            "catalog's. A household may take the limit times its size (up to 6)."))
        self.limits.setHorizontalHeaderLabels([
            self.tr("Medicine"), self.tr("Unit"), self.tr("Catalog limit"),
            self.tr("This station")])
        self.save_limits.setText(self.tr("Save limits"))
        self.reset_limits.setText(self.tr("Use the catalog's limits"))
        self._fill_limits()

    # -- loading ------------------------------------------------------------------------

    def refresh(self) -> None:
        self.services.call(manager_jobs.load_settings, on_done=self._loaded,
                           on_error=self.settings_message.failure)
        self._list_printers()

    def _loaded(self, page: manager_jobs.SettingsPage) -> None:
        self.page = page
        station = page.station
        self.name.setText(station.name)
        self.address.setText(station.address)
        self.lat.setText("" if station.lat is None else f"{station.lat:g}")
        self.lon.setText("" if station.lon is None else f"{station.lon:g}")
        self._show_profile(station)
        values = page.values
        for key, field in self.fields.items():
            field.setText(values[key])
        self.printer.setEditText(values["printer_name"])
        self.paper.setCurrentIndex(max(0, self.paper.findData(values["paper"])))
        self.default_language.setCurrentIndex(
            max(0, self.default_language.findData(values["default_language"])))
        self._fill_limits()

    def _show_profile(self, station: Any) -> None:
        self.hours.setText(station.opening_hours)
        self.zone.set_zone(station.timezone)

    def _profile_saved(self, station: Any) -> None:
        self._show_profile(station)  # the hours as the station reads them back
        self.profile_message.ok(self.tr("Saved; nearby stations will see it at the next sync."))

    def _list_printers(self) -> None:
        """Installed printers, as suggestions (the name can be typed as well).

        Asked on the worker thread: the print system may ask a network printer server.
        """
        self.services.call(printer_names, on_done=self._show_printers)

    def _show_printers(self, names: list[str]) -> None:
        typed = self.printer.currentText()
        self.printer.clear()
        self.printer.addItems(names)
        self.printer.setEditText(typed)

    def _fill_limits(self) -> None:
        limits = list(self.page.limits) if self.page is not None else []
        self.limits.setRowCount(len(limits))
        zh = language() == "zh"
        for row, line in enumerate(limits):
            cells = [QTableWidgetItem(line.name_zh if zh else line.name_en),
                     QTableWidgetItem(line.unit_en), QTableWidgetItem(str(line.default)),
                     QTableWidgetItem("" if line.station is None else str(line.station))]
            for column, cell in enumerate(cells):
                cell.setData(Qt.ItemDataRole.UserRole, line.item_id)
                if column < 3:
                    cell.setFlags(cell.flags() & ~Qt.ItemFlag.ItemIsEditable)
                else:
                    cell.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                self.limits.setItem(row, column, cell)

    # -- saving -------------------------------------------------------------------------

    def submit_profile(self) -> None:
        self.services.call(
            manager_jobs.save_profile, self.name.text(), self.address.text(), self.lat.text(),
            self.lon.text(), self.hours.text(), self.zone.zone(),
            changes=("profile", "settings"), on_done=self._profile_saved,
            on_error=self.profile_message.failure)

    def settings_values(self) -> dict[str, str]:
        values = {key: field.text() for key, field in self.fields.items()}
        values["printer_name"] = self.printer.currentText()
        values["paper"] = str(self.paper.currentData())
        values["default_language"] = str(self.default_language.currentData())
        return values

    def submit_settings(self) -> None:
        self.services.call(manager_jobs.save_settings, self.settings_values(),
                           changes=("settings",),
                           on_done=lambda _: self.settings_message.ok(self.tr("Saved.")),
                           on_error=self._settings_refused)

    def _settings_refused(self, failure: Failure) -> None:
        self.settings_message.error(self.tr("Nothing was saved. {reason}").format(
            reason=failure.message))

    def limit_changes(self) -> dict[str, str | None]:
        """What the last column says now, for every item whose number differs from the saved."""
        changes: dict[str, str | None] = {}
        saved = {line.item_id: line.station for line in (self.page.limits if self.page else ())}
        for row in range(self.limits.rowCount()):
            cell = self.limits.item(row, 3)
            if cell is None:
                continue
            item_id = str(cell.data(Qt.ItemDataRole.UserRole))
            text = cell.text().strip()
            before = saved.get(item_id)
            if text != ("" if before is None else str(before)):
                changes[item_id] = text or None
        return changes

    def submit_limits(self) -> None:
        changes = self.limit_changes()
        if not changes:
            self.limits_message.info(self.tr("No limit was changed."))
            return
        self._send_limits(changes, self.tr("Saved {count} limits.").format(count=len(changes)))

    def reset_all_limits(self) -> None:
        saved = self.page.limits if self.page is not None else ()
        own: dict[str, str | None] = {
            line.item_id: None for line in saved if line.station is not None}
        self._send_limits(own, self.tr("Every item uses the catalog's limit again."))

    def _send_limits(self, changes: dict[str, str | None], text: str) -> None:
        def saved(limits: tuple[Any, ...]) -> None:
            if self.page is not None:
                from dataclasses import replace

                self.page = replace(self.page, limits=limits)
            self._fill_limits()
            self.limits_message.ok(text)

        self.services.call(manager_jobs.save_limits, changes, changes=("settings",),
                           on_done=saved, on_error=self._limits_refused)

    def _limits_refused(self, failure: Failure) -> None:
        self.limits_message.error(self.tr("Nothing was saved. {reason}").format(
            reason=failure.message))


def printer_names(ctx: Any) -> list[str]:
    """A job: the installed printers' names (Qt's print system, no widgets)."""
    from PySide6.QtPrintSupport import QPrinterInfo

    return [str(name) for name in QPrinterInfo.availablePrinterNames()]
