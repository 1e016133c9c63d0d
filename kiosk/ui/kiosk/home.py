"""The kiosk's start: four large choices, nothing to type."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QLabel, QVBoxLayout, QWidget

from kiosk.ui.kiosk.base import KioskContext, KioskPage
from kiosk.ui.kiosk.widgets import Tile


class HomePage(KioskPage):
    key = "home"

    def __init__(self, context: KioskContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.welcome = QLabel()
        self.welcome.setObjectName("title")
        self.welcome.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.welcome.setWordWrap(True)
        self.subtitle = QLabel()
        self.subtitle.setObjectName("hint")
        self.subtitle.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.subtitle.setWordWrap(True)
        self.tiles = {
            "need": Tile("need"),
            "spare": Tile("spare"),
            "slip": Tile("slip"),
            "available": Tile("available"),
        }
        grid = QGridLayout()
        grid.setSpacing(24)
        for index, (key, tile) in enumerate(self.tiles.items()):
            tile.clicked.connect(lambda _=False, key=key: self.navigate.emit(key, None))
            grid.addWidget(tile, index // 2, index % 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(48, 24, 48, 24)
        layout.addWidget(self.welcome)
        layout.addWidget(self.subtitle)
        layout.addSpacing(16)
        layout.addLayout(grid, 1)
        context.settings_changed.connect(self.retranslate)
        self.retranslate()

    def retranslate(self) -> None:
        settings = self.context.settings
        if settings is not None:
            self.welcome.setText(self.tr("Welcome to {station}").format(
                station=settings.station_name))
        else:
            self.welcome.setText(self.tr("Welcome"))
        self.subtitle.setText(self.tr(
            "Free medicine sharing between neighbours. Touch what you would like to do."))
        self.tiles["need"].setText(self.tr("I need medicine"))
        self.tiles["spare"].setText(self.tr("I have spare medicine"))
        self.tiles["slip"].setText(self.tr("Scan my slip"))
        self.tiles["available"].setText(self.tr("What is available"))
