"""`medshare` (the GUI): the application, its language, the window, the first frame.

Start-up is kept cheap: the window is built and shown first; the database
opens on the worker thread once the event loop runs.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication

from kiosk.clock import Clock
from kiosk.ui import prefs, style
from kiosk.ui.errors import ErrorPresenter
from kiosk.ui.i18n import translations
from kiosk.ui.services import Services

if TYPE_CHECKING:  # the kiosk process never loads the desk's window or screens
    from kiosk.ui.mainwindow import MainWindow

PROBE_ENV = "MEDSHARE_STARTUP_PROBE"


def application() -> QApplication:
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(sys.argv[:1])
    app.setApplicationName("MedShare")
    app.setOrganizationName("MedShare")
    app.setStyle("Fusion")
    style.load_fonts()
    return app


def build_window(directory: Path, *, demo: bool = False, clock: Clock | None = None,
                 language: str | None = None, start: bool = True) -> MainWindow:
    """The window with its services, not yet shown; the tests build it this way too."""
    from kiosk.ui.mainwindow import MainWindow

    app = application()
    directory = Path(directory)
    preferences = prefs.load(directory)
    if language is not None:
        from dataclasses import replace

        preferences = replace(preferences, language=language)
    languages = translations()
    languages.set_language(preferences.language)
    style.apply(app, large=preferences.large_text)
    presenter = ErrorPresenter(directory)
    services = Services(directory, presenter, clock=clock, demo=demo)
    window = MainWindow(services, languages, preferences)
    presenter.setParent(window)
    services.setParent(window)
    if start:
        # after the first frame: open the database on the worker thread
        window.first_frame.connect(services.start)
    return window


class _FirstPaint(QObject):
    """Reports the moment the window first painted (the start-up benchmark reads it)."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            QTimer.singleShot(0, self.report)
        return False

    def report(self) -> None:
        sys.stdout.write(f"shown {time.monotonic():.6f}\n")
        sys.stdout.flush()
        os._exit(0)


def run(directory: Path, *, kiosk: bool = False, screenshot: str | os.PathLike[str] | None = None,
        demo: bool = False) -> int:
    """The desk app; with `screenshot`, save a PNG of every screen in each language and exit.

    With `kiosk`, the resident kiosk instead (kiosk.ui.kiosk.app); the desk's
    screenshots are followed by the kiosk's, in DIR/kiosk.
    """
    if screenshot is not None and not demo:
        sys.stderr.write("medshare: --screenshot works with --demo only.\n")
        return 2
    if kiosk:
        from kiosk.ui.kiosk.app import run_kiosk

        return run_kiosk(Path(directory), demo=demo, screenshot=screenshot)
    app = application()
    window = build_window(Path(directory), demo=demo,
                          language="en" if screenshot is not None else None)
    presenter = window.services.presenter
    presenter.install_hooks()
    probe = _FirstPaint(window) if os.environ.get(PROBE_ENV) else None
    if probe is not None:
        window.installEventFilter(probe)
    runner = None
    if screenshot is not None:
        from kiosk.ui.screenshots import ScreenshotRunner

        runner = ScreenshotRunner(window, Path(screenshot))
        QTimer.singleShot(0, runner.start)
    window.show()
    try:
        code = app.exec()
    finally:
        presenter.remove_hooks()
        window.services.shutdown()
    if runner is not None:
        if runner.exit_code != 0:
            return runner.exit_code
        window.close()
        from kiosk.ui.kiosk.app import screenshots

        return screenshots(Path(directory), Path(str(screenshot)), demo=demo)
    return int(code)
