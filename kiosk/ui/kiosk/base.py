"""What every kiosk page shares: the station as the kiosk sees it, and the page contract."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QObject, Signal
from PySide6.QtWidgets import QWidget

from kiosk.ui import kiosk_jobs
from kiosk.ui.kiosk.receipts import ReceiptPrinter
from kiosk.ui.services import Call, Services


class KioskContext(QObject):
    """The services plus what every page reads: settings, what is here now, the printer.

    Only counts per item reach the pages (kiosk_jobs.Menu); never lots or requests.
    """

    menu_changed = Signal()
    settings_changed = Signal()

    def __init__(self, services: Services, printer: ReceiptPrinter | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.settings: kiosk_jobs.KioskSettings | None = None
        self.menu: kiosk_jobs.Menu | None = None
        self._printer = printer

    @property
    def ready(self) -> bool:
        state = self.services.state
        return state is not None and state.initialised

    @property
    def catalog(self) -> Any:
        return self.services.catalog

    def call(self, fn: Callable[..., Any], *args: Any, **callbacks: Any) -> Call | None:
        """Run a kiosk job on the database thread; nothing before the station is open."""
        if not self.ready:
            return None
        return self.services.call(fn, *args, **callbacks)

    def load(self) -> None:
        self.call(kiosk_jobs.kiosk_settings, on_done=self._settings)
        self.refresh_menu()

    def refresh_menu(self) -> None:
        self.call(kiosk_jobs.menu, on_done=self._menu)

    def _settings(self, settings: kiosk_jobs.KioskSettings) -> None:
        self.settings = settings
        self.settings_changed.emit()

    def _menu(self, menu: kiosk_jobs.Menu) -> None:
        self.menu = menu
        self.menu_changed.emit()

    def printer(self) -> ReceiptPrinter:
        """The configured receipt printer, or PDFs in the data folder's receipts/."""
        if self._printer is not None:
            return self._printer
        from kiosk.ui.kiosk.receipts import ConfiguredPrinter

        settings = self.settings
        return ConfiguredPrinter(settings.printer if settings else "",
                                 settings.paper if settings else "80mm",
                                 kiosk_jobs.receipts_dir(Path(self.services.data_dir)))

    def available(self, item_id: str) -> int:
        line = self.menu.line(item_id) if self.menu is not None else None
        return line.available if line is not None else 0


class KioskPage(QWidget):
    """A page of the kiosk window.

    Subclasses set their texts in `retranslate` (again on a language switch),
    clear everything a resident typed or saw in `reset` (the idle timeout and
    "back to start" call it), and load what they show in `entered`.
    """

    key = ""
    navigate = Signal(str, object)  # page key, an argument for it (an item id) or None

    def __init__(self, context: KioskContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.services = context.services

    def retranslate(self) -> None:
        """Set every visible text again in the current language."""

    def reset(self) -> None:
        """Forget everything a resident typed, chose or was shown."""

    def entered(self, argument: object = None) -> None:
        """The page is shown (with the argument of the navigation, if any)."""

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
