"""What every screen has: its services, a title, retranslation and lazy refresh."""

from __future__ import annotations

from PySide6.QtCore import QEvent
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QWidget

from kiosk.ui.services import Services


class Screen(QWidget):
    """A page of the main window.

    Subclasses build their widgets in __init__, set every visible text in
    `retranslate` (called again on a language switch) and load their data in
    `refresh`, which runs when the screen is shown and the data it shows
    (`topics`) has changed since.
    """

    key = ""
    topics: tuple[str, ...] = ()

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self._stale = True
        services.changed.connect(self._data_changed)

    def title(self) -> str:
        raise NotImplementedError

    def retranslate(self) -> None:
        """Set every visible text again in the current language."""

    def refresh(self) -> None:
        """Load what the screen shows (through the services)."""

    def station_ready(self) -> None:
        """The catalog is known: fill pickers."""

    def focus_first(self) -> None:
        """Put the keyboard focus where work on this screen starts."""

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale and self.services.state is not None and self.services.account is not None:
            self._stale = False
            self.refresh()

    def _data_changed(self, topic: str) -> None:
        if topic not in self.topics:
            return
        if self.isVisible():
            self.refresh()
        else:
            self._stale = True

    def mark_stale(self) -> None:
        self._stale = True
