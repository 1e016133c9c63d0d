"""The resident kiosk window: full screen, no window frame, big targets, two languages.

It composes the kiosk pages and nothing else: it imports no desk screen, so
no button, key or timeout here can reach one. Closing is refused (Escape,
Alt+F4, the window manager) until a manager's PIN is given on the unlock
page, which is reached only by holding the discreet top-right corner. An
idle timeout clears every page and starts over in the station's language.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QKeyEvent, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QLabel,
    QLayout,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from kiosk.ui.errors import Failure
from kiosk.ui.i18n import LANGUAGES, Translations, language
from kiosk.ui.kiosk import style
from kiosk.ui.kiosk.available import AvailablePage
from kiosk.ui.kiosk.base import KioskContext, KioskPage
from kiosk.ui.kiosk.home import HomePage
from kiosk.ui.kiosk.idle import IdleWatch
from kiosk.ui.kiosk.need import NeedPage
from kiosk.ui.kiosk.receipts import ReceiptPrinter
from kiosk.ui.kiosk.slip import SlipPage
from kiosk.ui.kiosk.spare import SparePage
from kiosk.ui.kiosk.unlock import UnlockPage
from kiosk.ui.kiosk.widgets import LongPressButton, big_button, icon
from kiosk.ui.services import Services

LANGUAGE_NAMES = {"en": "English", "zh": "简体中文"}  # each in its own language, never translated
HOLD_TO_UNLOCK_MS = 3000


def swallowed_keys() -> list[QKeySequence]:
    """Keys that close or quit windows elsewhere; a resident must not end kiosk mode with them.

    Built when asked (the platform's standard keys need a running application).
    """
    keys = [QKeySequence(Qt.Key.Key_Escape), QKeySequence(Qt.Modifier.ALT | Qt.Key.Key_F4)]
    for standard in (QKeySequence.StandardKey.Close, QKeySequence.StandardKey.Quit):
        keys.extend(QKeySequence.keyBindings(standard))
    return [key for key in keys if not key.isEmpty()]


class KioskWindow(QWidget):
    unlocked = Signal(object)  # the manager's Account: kiosk mode ends

    def __init__(self, services: Services, translations: Translations, *,
                 printer: ReceiptPrinter | None = None, fullscreen: bool = True,
                 start_language: str = "en", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("kiosk")
        self.services = services
        self.translations = translations
        self.fullscreen = fullscreen
        self.default_language = start_language if start_language in LANGUAGES else "en"
        if fullscreen:
            self.setWindowFlags(Qt.WindowType.FramelessWindowHint
                                | Qt.WindowType.WindowStaysOnTopHint)
        self.setStyleSheet(style.stylesheet())
        self.context = KioskContext(services, printer, self)

        # the bar across the top: back to the start, the station, the languages, the corner
        self.home_button = QPushButton()
        self.home_button.setObjectName("homeButton")
        self.home_button.setIcon(icon("home"))
        self.home_button.setIconSize(QSize(40, 40))
        self.home_button.setMinimumHeight(style.PRIMARY)
        self.station = QLabel()
        self.station.setObjectName("station")
        self.language_group = QButtonGroup(self)
        self.language_group.setExclusive(True)
        self.language_buttons: dict[str, QPushButton] = {}
        bar = QHBoxLayout()
        bar.setContentsMargins(16, 8, 4, 8)
        bar.addWidget(self.home_button)
        bar.addSpacing(12)
        bar.addWidget(self.station, 1)
        for code in LANGUAGES:
            button = big_button("lang")
            button.setText(LANGUAGE_NAMES[code])
            button.setCheckable(True)
            button.clicked.connect(lambda _=False, code=code: self.set_language(code))
            self.language_group.addButton(button)
            self.language_buttons[code] = button
            bar.addWidget(button)
        self.corner = LongPressButton(HOLD_TO_UNLOCK_MS)
        self.corner.setObjectName("cornerLock")
        self.corner.setFixedSize(56, 56)
        self.corner.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        bar.addWidget(self.corner, 0, Qt.AlignmentFlag.AlignTop)

        self.notice = QLabel()
        self.notice.setObjectName("notice")
        self.notice.setWordWrap(True)
        self.notice.hide()
        self.stack = QStackedWidget()
        self.pages: dict[str, KioskPage] = {}
        page_classes: tuple[type[KioskPage], ...] = (HomePage, AvailablePage, NeedPage,
                                                     SparePage, SlipPage, UnlockPage)
        for page_class in page_classes:
            page = page_class(self.context)
            page.navigate.connect(self.show_page)
            self.pages[page.key] = page
            self.stack.addWidget(page)
        self.unlock_page: UnlockPage = self.pages["unlock"]  # type: ignore[assignment]

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(bar)
        layout.addWidget(self.notice)
        layout.addWidget(self.stack, 1)
        # the offscreen platform (tests, screenshots) cannot take size hints from a layout
        layout.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)
        self.setMinimumSize(1024, 700)

        self.idle = IdleWatch(60, self)
        self.idle.timed_out.connect(self.start_over)
        self.home_button.clicked.connect(lambda: self.show_page("home"))
        self.corner.long_pressed.connect(lambda: self.show_page("unlock"))
        self.unlock_page.unlocked.connect(self._unlocked)
        services.opened.connect(self._opened)
        services.presenter.shown.connect(self._failure)
        self.context.settings_changed.connect(self._settings)
        self._may_close = False
        self._started = False
        self.auto_start = True
        self.show_page("home")
        self.retranslate()

    # -- texts ------------------------------------------------------------------------------

    def retranslate(self) -> None:
        settings = self.context.settings
        training = settings is not None and settings.training
        mark = " — " + self.tr("TRAINING (practice only)") if training else ""
        self.setWindowTitle(self.tr("MedShare — resident kiosk") + mark)
        self.home_button.setText(self.tr("Start"))
        self.home_button.setToolTip(self.tr("Back to the start"))
        self.corner.setAccessibleName(self.tr("Staff: hold to leave kiosk mode"))
        self.station.setText((settings.station_name if settings is not None else "MedShare")
                             + mark)
        for code, button in self.language_buttons.items():
            button.setChecked(code == language())
        if not self.context.ready and self.services.state is not None:
            self.notice.setText(self.tr("This station is not set up yet. Please ask staff."))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # -- pages ------------------------------------------------------------------------------

    @property
    def current(self) -> KioskPage:
        page = self.stack.currentWidget()
        assert isinstance(page, KioskPage)
        return page

    def page(self, key: str) -> KioskPage:
        return self.pages[key]

    def show_page(self, key: str, argument: object = None) -> KioskPage:
        page = self.pages[key]
        if key == "home" or page is not self.current:
            # a fresh start for every choice: nothing typed before is still there
            for other in self.pages.values():
                if other is not page:
                    other.reset()
        if self.context.ready or key in ("home", "unlock"):
            self.stack.setCurrentWidget(page)
            page.entered(argument)
        self.home_button.setVisible(key != "home")
        if self.context.ready:
            self.notice.hide()
        return page

    def start_over(self) -> None:
        """The idle timeout: clear every page, the station's language, the start page."""
        for page in self.pages.values():
            page.reset()
        if language() != self.default_language:
            self.set_language(self.default_language)
        self.show_page("home")
        if self.context.ready:
            self.context.refresh_menu()

    def set_language(self, code: str) -> None:
        self.translations.set_language(code)
        for other, button in self.language_buttons.items():
            button.setChecked(other == code)

    # -- the station ------------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._started and self.auto_start:
            self._started = True
            QTimer.singleShot(0, self._start)
        self.idle.start()

    def _start(self) -> None:
        if not self._may_close:  # not when the window was shut down before the loop ran
            self.services.start()

    def _opened(self, state: Any) -> None:
        if not state.initialised:
            self.notice.setText(self.tr("This station is not set up yet. Please ask staff."))
            self.notice.show()
            for tile in self.pages["home"].tiles.values():  # type: ignore[attr-defined]
                tile.setEnabled(False)
            return
        self.context.load()
        self.show_page(self.current.key)

    def _settings(self) -> None:
        settings = self.context.settings
        if settings is None:
            return
        self.idle.set_seconds(settings.idle_seconds)
        if settings.language and settings.language != self.default_language:
            self.default_language = settings.language
            if self.current.key == "home":
                self.set_language(settings.language)
        self.retranslate()

    def _failure(self, failure: Failure) -> None:
        self.notice.setText("⚠ " + self.tr("{problem}. Please ask at the desk.").format(
            problem=failure.title))
        self.notice.show()

    # -- staying open -----------------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if self._swallowed(event):
            event.accept()
            return
        super().keyPressEvent(event)

    def event(self, event: QEvent) -> bool:
        # a shortcut override would let these keys act before keyPressEvent sees them
        if (event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent)
                and self._swallowed(event)):
            event.accept()
            return True
        return super().event(event)

    @staticmethod
    def _swallowed(event: QKeyEvent) -> bool:
        pressed = QKeySequence(event.keyCombination())
        return any(pressed.matches(key) == QKeySequence.SequenceMatch.ExactMatch
                   for key in swallowed_keys())

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self._may_close:
            event.ignore()  # Alt+F4, the window manager, a stray close(): kiosk mode stays
            return
        self.idle.stop()
        self.services.shutdown()
        super().closeEvent(event)

    def _unlocked(self, account: Any) -> None:
        self.unlocked.emit(account)
        self.shut_down()

    def shut_down(self) -> None:
        """Close for good (after a manager's PIN, or when the process is told to stop)."""
        self._may_close = True
        self.idle.stop()
        self.services.shutdown()  # also when hidden: close() then sends no close event
        self.close()
