"""What is available: units here now per medicine (never lots or dates), and, for one
medicine, the nearest other stations that have it, from the last sync."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kiosk.ui import kiosk_jobs
from kiosk.ui.errors import Failure
from kiosk.ui.i18n import language
from kiosk.ui.kiosk.base import KioskContext, KioskPage
from kiosk.ui.kiosk.widgets import ItemList, big_button, touch_scrolling

translate = QCoreApplication.translate  # the name lupdate looks for


def here_note(context: KioskContext, item: Any) -> str:
    """'24 tablets here now' or 'none here now' (shared by the pages that list medicines)."""
    if context.menu is None:
        return ""
    units = context.available(item.id)
    if units <= 0:
        return translate("Kiosk", "none here now")
    return translate("Kiosk", "{units} here now").format(units=item.units_text(units, language()))


class AvailablePage(KioskPage):
    key = "available"

    def __init__(self, context: KioskContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.heading = QLabel()
        self.heading.setObjectName("title")
        self.items = ItemList(note=lambda item: here_note(context, item))
        self.detail = QFrame()
        self.detail.setObjectName("panel")
        self.name = QLabel()
        self.name.setObjectName("big")
        self.name.setWordWrap(True)
        self.other_name = QLabel()
        self.other_name.setObjectName("hint")
        self.here = QLabel()
        self.here.setWordWrap(True)
        self.nearby_heading = QLabel()
        self.nearby_heading.setObjectName("big")
        self.nearby = QListWidget()
        self.nearby.setObjectName("nearby")
        self.nearby.setSelectionMode(QListWidget.SelectionMode.NoSelection)
        self.nearby.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.nearby.setWordWrap(True)
        self.nearby.setVerticalScrollMode(QListWidget.ScrollMode.ScrollPerPixel)
        touch_scrolling(self.nearby.viewport())
        self.ask = big_button("primary")
        self.pick_hint = QLabel()
        self.pick_hint.setObjectName("hint")
        self.pick_hint.setWordWrap(True)
        self.pick_hint.setAlignment(Qt.AlignmentFlag.AlignCenter)

        inner = QVBoxLayout(self.detail)
        inner.setContentsMargins(20, 16, 20, 16)
        inner.addWidget(self.pick_hint)
        inner.addWidget(self.name)
        inner.addWidget(self.other_name)
        inner.addWidget(self.here)
        inner.addSpacing(8)
        inner.addWidget(self.nearby_heading)
        inner.addWidget(self.nearby, 1)
        inner.addWidget(self.ask)
        columns = QHBoxLayout()
        columns.addWidget(self.items, 1)
        columns.addWidget(self.detail, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 8, 24, 16)
        layout.addWidget(self.heading)
        layout.addLayout(columns, 1)

        self.item_id: str | None = None
        self.listings: list[Any] | None = None
        self.failure: Failure | None = None
        self.items.chosen.connect(self.show_item)
        self.ask.clicked.connect(lambda: self.navigate.emit("need", self.item_id))
        context.menu_changed.connect(self._menu_changed)
        self.retranslate()

    # -- texts ------------------------------------------------------------------------------

    def retranslate(self) -> None:
        self.heading.setText(self.tr("What is available"))
        self.items.search.setPlaceholderText(self.tr("Search by name (English or 中文)"))
        self.pick_hint.setText(self.tr("Touch a medicine to see how much is here and which "
                                       "stations nearby have it."))
        self.nearby_heading.setText(self.tr("Other stations nearby"))
        self.ask.setText(self.tr("Ask for this medicine"))
        self.items.fill()
        self._render()

    # -- state ------------------------------------------------------------------------------

    def entered(self, argument: object = None) -> None:
        self.items.set_catalog(self.context.catalog, self._order)
        self.context.refresh_menu()
        if isinstance(argument, str):
            self.show_item(argument)

    def reset(self) -> None:
        self.items.clear()
        self.item_id = None
        self.listings = None
        self.failure = None
        self._render()

    def _order(self, item: Any) -> tuple[bool, int]:
        catalog = self.context.catalog
        position = catalog.items.index(item) if catalog is not None else 0
        return (self.context.available(item.id) <= 0, position)

    def _menu_changed(self) -> None:
        self.items.set_catalog(self.context.catalog, self._order)
        self._render()

    def show_item(self, item_id: str) -> None:
        self.item_id = item_id
        self.listings = None
        self.failure = None
        self._render()
        self.context.call(kiosk_jobs.nearby, item_id, on_done=self._nearby,
                          on_error=self._nearby_failed)

    def _nearby(self, listings: list[Any]) -> None:
        self.listings = list(listings)
        self._render()

    def _nearby_failed(self, failure: Failure) -> None:
        self.failure = failure
        self._render()

    # -- drawing ----------------------------------------------------------------------------

    def _render(self) -> None:
        catalog = self.context.catalog
        chosen = self.item_id is not None and catalog is not None
        for widget in (self.name, self.other_name, self.here, self.nearby_heading, self.nearby,
                       self.ask):
            widget.setVisible(chosen)
        self.pick_hint.setVisible(not chosen)
        self.nearby.clear()
        if not chosen:
            return
        lang = language()
        item = catalog.get(self.item_id)
        self.name.setText(item.name(lang))
        self.other_name.setText(item.name("en" if lang == "zh" else "zh"))
        units = self.context.available(item.id)
        if units > 0:
            self.here.setText("✔ " + self.tr("Here now: {units}").format(
                units=item.units_text(units, lang)))
        else:
            self.here.setText(self.tr("None here right now. You can still ask for it: you "
                                      "join the queue and staff call you when some comes in."))
        if self.failure is not None:
            self._note(self.tr("Nearby stations cannot be shown right now."))
        elif self.listings is None:
            self._note(self.tr("Looking…"))
        elif not self.listings:
            self._note(self.tr("No other station nearby has told us it has this medicine."))
        else:
            for listing in self.listings:
                self._add_listing(listing, item, lang)

    def _note(self, text: str) -> None:
        row = QListWidgetItem(text)
        row.setFlags(Qt.ItemFlag.NoItemFlags)
        self.nearby.addItem(row)

    def _add_listing(self, listing: Any, item: Any, lang: str) -> None:
        if listing.distance_km is None:
            distance = self.tr("distance unknown")
        else:
            distance = self.tr("{km} km away").format(km=f"{listing.distance_km:.1f}")
        lines = [f"{listing.name}  ·  {distance}"]
        if listing.address:
            lines.append(listing.address)
        if listing.opening_hours:
            lines.append(self.tr("Open: {hours}").format(hours=listing.opening_hours))
        lines.append(self.tr("Has {units}").format(units=item.units_text(listing.available,
                                                                           lang)))
        row = QListWidgetItem("\n".join(lines))
        row.setFlags(Qt.ItemFlag.ItemIsEnabled)
        self.nearby.addItem(row)

    def listing_texts(self) -> list[str]:
        return [self.nearby.item(row).text() for row in range(self.nearby.count())]
