"""The manager console: one desk screen whose tabs are the manager's pages.

Each page is a Screen of its own, imported and built the first time its tab
is shown, so a desk where no manager signs in never loads reports or charts.
"""

from __future__ import annotations

import importlib

from PySide6.QtWidgets import QStackedWidget, QTabBar, QVBoxLayout, QWidget

from kiosk.ui.screens.base import Screen
from kiosk.ui.screens.manager import MANAGER_PAGES
from kiosk.ui.services import Services


class ManagerConsole(Screen):
    key = "manager"

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(services, parent)
        self.tabs = QTabBar()
        self.tabs.setExpanding(False)
        self.tabs.setDrawBase(True)
        self.stack = QStackedWidget()
        self.pages: dict[str, Screen] = {}
        self._placeholders: dict[str, QWidget] = {}
        for key, _module, _name in MANAGER_PAGES:
            self.tabs.addTab("")
            placeholder = QWidget()
            self._placeholders[key] = placeholder
            self.stack.addWidget(placeholder)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs)
        layout.addWidget(self.stack, 1)
        self.tabs.currentChanged.connect(self._tab_changed)
        self.retranslate()

    def title(self) -> str:
        return self.tr("Manager")

    def retranslate(self) -> None:
        titles = {"reports": self.tr("Reports"), "accounts": self.tr("Staff accounts"),
                  "settings": self.tr("Settings"), "backups": self.tr("Backups"),
                  "sync": self.tr("Sync"), "audit": self.tr("Audit")}
        for index, (key, _module, _name) in enumerate(MANAGER_PAGES):
            self.tabs.setTabText(index, titles[key])

    def page(self, key: str) -> Screen:
        """The page called `key`, built the first time."""
        if key not in self.pages:
            keys = [name for name, _module, _class in MANAGER_PAGES]
            if key not in keys:
                raise KeyError(key)
            index = keys.index(key)
            _key, module, class_name = MANAGER_PAGES[index]
            screen_class = getattr(importlib.import_module(module), class_name)
            screen: Screen = screen_class(self.services)
            self.pages[key] = screen
            placeholder = self._placeholders.pop(key)
            self.stack.insertWidget(index, screen)
            self.stack.removeWidget(placeholder)
            placeholder.deleteLater()
            state = self.services.state
            if state is not None and state.initialised:
                screen.station_ready()
        return self.pages[key]

    def show_page(self, key: str) -> Screen:
        index = [name for name, _module, _class in MANAGER_PAGES].index(key)
        screen = self.page(key)
        self.tabs.setCurrentIndex(index)
        self.stack.setCurrentWidget(screen)
        screen.focus_first()
        return screen

    @property
    def current_page(self) -> Screen | None:
        widget = self.stack.currentWidget()
        return widget if isinstance(widget, Screen) else None

    def _tab_changed(self, index: int) -> None:
        if 0 <= index < len(MANAGER_PAGES):
            key = MANAGER_PAGES[index][0]
            screen = self.page(key)
            self.stack.setCurrentWidget(screen)
            screen.focus_first()

    def focus_first(self) -> None:
        if self.current_page is None:
            self._tab_changed(self.tabs.currentIndex())
        elif self.current_page is not None:
            self.current_page.focus_first()

    def station_ready(self) -> None:
        for screen in self.pages.values():
            screen.station_ready()

    def mark_stale(self) -> None:
        super().mark_stale()
        for screen in self.pages.values():
            screen.mark_stale()
