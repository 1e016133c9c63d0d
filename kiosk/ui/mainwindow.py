"""The desk window: composes the screens, the navigation, the banner and the status bar,
and wires their signals. It holds no business logic of its own."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QButtonGroup,
    QCheckBox,
    QHBoxLayout,
    QMainWindow,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from kiosk.ui import prefs, style
from kiosk.ui.background import Background
from kiosk.ui.errors import Failure
from kiosk.ui.i18n import Translations, language
from kiosk.ui.screens.base import Screen
from kiosk.ui.screens.signin import SignInScreen
from kiosk.ui.services import Services
from kiosk.ui.statusbar import StatusBar
from kiosk.ui.widgets import Banner, settle_top_level

if TYPE_CHECKING:
    from kiosk.ui import jobs

# The desk's screens in the order of the navigation: (key, module, class). Each is
# imported and built when first needed, after the first frame, so start-up stays cheap.
DESK_SCREENS = (
    ("dropoff", "kiosk.ui.screens.dropoff", "DropOffScreen"),
    ("requests", "kiosk.ui.screens.requests", "RequestsScreen"),
    ("match", "kiosk.ui.screens.match", "MatchScreen"),
    ("pickup", "kiosk.ui.screens.pickup", "PickupScreen"),
    ("stock", "kiosk.ui.screens.stock", "StockScreen"),
    # the manager console: reports, accounts, settings, backups, sync, audit as tabs of one
    # screen (six more buttons would not fit the navigation at 720 px, let alone large text)
    ("manager", "kiosk.ui.screens.manager.console", "ManagerConsole"),
)
# Screens only a manager may open; staff never see their buttons, and asking for one
# (a shortcut, a page key) leaves them where they are.
MANAGER_SCREENS = frozenset({"manager"})


class MainWindow(QMainWindow):
    first_frame = Signal()  # the window has painted once: start the slower work now

    def __init__(self, services: Services, translations: Translations,
                 preferences: prefs.Prefs, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.translations = translations
        self.preferences = preferences
        self.banner = Banner()
        self.stack = QStackedWidget()
        self.signin = SignInScreen(services)
        self.stack.addWidget(self.signin)
        self.screens: dict[str, Screen] = {}
        self.nav_buttons: dict[str, QPushButton] = {}
        self.nav_group = QButtonGroup(self)
        self.nav_group.setExclusive(True)
        nav = QVBoxLayout()
        for number, (key, _module, _name) in enumerate(DESK_SCREENS, start=1):
            button = QPushButton()
            button.setObjectName("nav")
            button.setCheckable(True)
            button.setMinimumHeight(56)
            button.clicked.connect(lambda _=False, key=key: self.show_screen(key))
            self.nav_group.addButton(button)
            self.nav_buttons[key] = button
            nav.addWidget(button)
            shortcut = QShortcut(QKeySequence(f"Ctrl+{number}"), self)
            shortcut.activated.connect(lambda key=key: self.show_screen(key))
        nav.addStretch(1)
        self.language_button = QPushButton()
        self.large_text = QCheckBox()
        self.large_text.setChecked(preferences.large_text)
        self.sign_out = QPushButton()
        nav.addWidget(self.language_button)
        nav.addWidget(self.large_text)
        nav.addWidget(self.sign_out)
        self.nav = QWidget()
        self.nav.setLayout(nav)
        self.nav.setFixedWidth(230)

        right = QVBoxLayout()
        right.addWidget(self.banner)
        right.addWidget(self.stack, 1)
        body = QHBoxLayout()
        body.addWidget(self.nav)
        body.addLayout(right, 1)
        central = QWidget()
        central.setLayout(body)
        self.setCentralWidget(central)
        self.status = StatusBar()
        self.setStatusBar(self.status)
        self.dialog: Any = None
        self.background = Background.of(services)
        self.background.sync_status.connect(self._sync_status)
        self.background.last_backup.connect(self.status.set_last_backup)

        # wiring
        services.presenter.shown.connect(self._show_failure)
        services.opened.connect(self._opened)
        services.account_changed.connect(self._account_changed)
        services.changed.connect(self._data_changed)
        self.language_button.clicked.connect(self.toggle_language)
        self.large_text.toggled.connect(self.set_large_text)
        self.sign_out.clicked.connect(services.sign_out)
        self._set_signed_in(False)
        self.retranslate()
        settle_top_level(self, 1100, 720)
        self.installEventFilter(self)
        self.first_frame.connect(self.build_screens, Qt.ConnectionType.QueuedConnection)

    # -- texts ------------------------------------------------------------------------------

    def retranslate(self) -> None:
        state = self.services.state
        training = " — " + self.tr("TRAINING (practice only)") if (
            state is not None and state.training) else ""
        self.setWindowTitle(self.tr("MedShare — staff desk") + training)
        titles = {"dropoff": self.tr("Drop-off"), "requests": self.tr("Requests"),
                  "match": self.tr("Match and print"), "pickup": self.tr("Pickup"),
                  "stock": self.tr("Stock"), "manager": self.tr("Manager")}
        for number, (key, button) in enumerate(self.nav_buttons.items(), start=1):
            button.setText(titles[key])
            button.setToolTip(self.tr("Ctrl+{number}").format(number=number))
        # the button names the language it switches to, in that language
        self.language_button.setText("English" if language() == "zh" else "中文")
        self.language_button.setToolTip(self.tr("Switch the language"))
        self.large_text.setText(self.tr("Large text"))
        self.sign_out.setText(self.tr("Sign out"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # -- navigation -------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self and event.type() == QEvent.Type.Paint:
            self.removeEventFilter(self)
            QTimer.singleShot(0, self.first_frame.emit)
        return False

    def page(self, key: str) -> Screen:
        """The screen called `key`, imported and built the first time it is asked for."""
        if key not in self.screens:
            for name, module, class_name in DESK_SCREENS:
                if name == key:
                    screen_class = getattr(importlib.import_module(module), class_name)
                    break
            else:
                raise KeyError(key)
            screen = screen_class(self.services)
            self.screens[key] = screen
            self.stack.addWidget(screen)
            state = self.services.state
            if state is not None and state.initialised:
                screen.station_ready()
        return self.screens[key]

    def build_screens(self) -> None:
        """Build the screens not built yet, one per turn of the event loop."""
        for key, _module, _name in DESK_SCREENS:
            if key not in self.screens:
                self.page(key)
                QTimer.singleShot(0, self.build_screens)
                return

    @property
    def is_manager(self) -> bool:
        return bool(getattr(self.services.account, "is_manager", False))

    def show_screen(self, key: str) -> Screen:
        if key == SignInScreen.key or self.services.account is None:
            self.stack.setCurrentWidget(self.signin)
            self.signin.focus_first()
            return self.signin
        from kiosk.ui.screens.manager import PAGE_KEYS

        if key in MANAGER_SCREENS or key in PAGE_KEYS:
            current = self.stack.currentWidget()
            if not self.is_manager:
                return current if isinstance(current, Screen) else self.signin
            if key in PAGE_KEYS:  # a tab of the console
                console = self.show_screen("manager")
                return console.show_page(key)  # type: ignore[attr-defined, no-any-return]
        screen = self.page(key)
        self.stack.setCurrentWidget(screen)
        self.nav_buttons[key].setChecked(True)
        screen.focus_first()
        return screen

    @property
    def current(self) -> QWidget | None:
        return self.stack.currentWidget()

    def _set_signed_in(self, signed_in: bool) -> None:
        for key, button in self.nav_buttons.items():
            allowed = signed_in and (key not in MANAGER_SCREENS or self.is_manager)
            button.setEnabled(allowed)
            if key in MANAGER_SCREENS:
                button.setVisible(allowed)
        self.sign_out.setEnabled(signed_in)

    # -- signals from the services ----------------------------------------------------------

    def _show_failure(self, failure: Failure) -> None:
        self.banner.show_failure(failure)

    def _opened(self, state: jobs.StationState) -> None:
        if not state.initialised:
            from kiosk.ui.setup import StationSetupDialog

            self.dialog = StationSetupDialog(self.services, self)
            self.dialog.open()
            return
        self.status.set_zone(state.zone)
        for screen in self.screens.values():
            screen.station_ready()
        self.status.set_training(state.training)
        self.retranslate()
        self.signin.station_opened(state)
        self._adopt_station_language()
        if not state.accounts:
            from kiosk.ui.setup import FirstAccountDialog

            self.dialog = FirstAccountDialog(self.services, self)
            self.dialog.open()
        elif self.services.account is None:
            self.show_screen(SignInScreen.key)

    def _data_changed(self, topic: str) -> None:
        if topic == "profile":  # the time zone may have changed in Settings
            from kiosk.ui import jobs as station_jobs

            self.services.call(station_jobs.station_zone, on_done=self.status.set_zone)

    def _account_changed(self, account: Any) -> None:
        self.status.set_account(account)
        self._set_signed_in(account is not None)
        if account is None:
            for screen in self.screens.values():
                screen.mark_stale()
            self.services.refresh_accounts(self.signin.set_accounts)
            self.show_screen(SignInScreen.key)
        else:
            self.banner.clear()
            self.show_screen("dropoff")

    def set_sync_state(self, online: bool, last_sync: str | None, outbox: int) -> None:
        """For the sync client: shown in the status bar (see StatusBar.set_sync_state)."""
        self.status.set_sync_state(online, last_sync, outbox)

    def _sync_status(self, status: Any) -> None:
        """A kiosk.sync.client.SyncStatus from the background sync: into the status bar."""
        if not status.enrolled:
            self.status.clear_sync_state()
            return
        last = None
        if status.last_success:
            from kiosk.clock import parse_instant

            last = parse_instant(status.last_success).astimezone().strftime("%Y-%m-%d %H:%M")
        self.set_sync_state(bool(status.online), last, int(status.outbox_length))

    def _adopt_station_language(self) -> None:
        """A desk that never chose a language starts in the station's default one."""
        from kiosk.ui import manager_jobs

        def adopt(code: str | None) -> None:
            if code and code != language():
                self.translations.set_language(code)
                from dataclasses import replace

                self.preferences = replace(self.preferences, language=code)

        self.services.call(manager_jobs.desk_language, self.services.data_dir, on_done=adopt)

    # -- preferences ------------------------------------------------------------------------

    def toggle_language(self) -> None:
        self.set_language("en" if language() == "zh" else "zh")

    def set_language(self, code: str) -> None:
        self.translations.set_language(code)
        self._save_prefs(language=code)

    def set_large_text(self, large: bool) -> None:
        app = QApplication.instance()
        if isinstance(app, QApplication):
            style.apply(app, large=large)
        self._save_prefs(large_text=large)

    def _save_prefs(self, **changes: Any) -> None:
        from dataclasses import replace

        self.preferences = replace(self.preferences, **changes)
        self.services.call(_save_prefs, self.services.data_dir, self.preferences)

    # -- closing ----------------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:
        self.background.stop()
        self.services.shutdown()
        super().closeEvent(event)


def _save_prefs(ctx: jobs.Context, data_dir: Any, preferences: prefs.Prefs) -> None:
    prefs.save(data_dir, preferences)
