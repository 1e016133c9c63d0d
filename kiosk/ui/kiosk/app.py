"""`medshare --kiosk`: the resident kiosk as its own process (no desk window is built).

It shares the desk's machinery (services on one database thread, the error
presenter, translations) but none of its screens. Leaving kiosk mode with a
manager's PIN ends the process with exit code 0; under a kiosk service that
restarts it (packaging/linux/medshare-kiosk.service) the kiosk comes back.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from PySide6.QtCore import QTimer

from kiosk.clock import Clock
from kiosk.ui import prefs, style
from kiosk.ui.errors import ErrorPresenter
from kiosk.ui.i18n import translations
from kiosk.ui.kiosk.receipts import ReceiptPrinter
from kiosk.ui.kiosk.window import KioskWindow
from kiosk.ui.services import Services


def build_kiosk(directory: Path, *, demo: bool = False, clock: Clock | None = None,
                language: str | None = None, printer: ReceiptPrinter | None = None,
                fullscreen: bool = True, start: bool = True) -> KioskWindow:
    """The kiosk window with its services, not yet shown; the tests build it this way too."""
    from kiosk.ui.app import application
    from kiosk.ui.kiosk import receipts

    app = application()
    directory = Path(directory)
    start_language = language or prefs.load(directory).language
    languages = translations()
    languages.set_language(start_language)
    style.apply(app, large=False)
    receipts.prepare()  # the receipt font, registered on the GUI thread before any job prints
    presenter = ErrorPresenter(directory)
    services = Services(directory, presenter, clock=clock, demo=demo)
    window = KioskWindow(services, languages, printer=printer, fullscreen=fullscreen,
                         start_language=start_language)
    presenter.setParent(window)
    services.setParent(window)
    window.auto_start = start
    return window


def run_kiosk(directory: Path, *, demo: bool = False,
              screenshot: str | os.PathLike[str] | None = None) -> int:
    """Full screen until a manager's PIN ends it; with `screenshot`, save the pages and exit."""
    from kiosk.ui.app import application

    app = application()
    if screenshot is not None:
        return screenshots(Path(directory), Path(screenshot), demo=demo)
    window = build_kiosk(Path(directory), demo=demo)
    presenter = window.services.presenter
    presenter.install_hooks()
    window.showFullScreen()
    try:
        code = app.exec()
    finally:
        presenter.remove_hooks()
        window.services.shutdown()
    return int(code)


def screenshots(directory: Path, folder: Path, *, demo: bool) -> int:
    """Every kiosk page in each language as PNGs in `folder`/kiosk (see KioskScreenshotRunner)."""
    from kiosk.ui.app import application
    from kiosk.ui.kiosk.receipts import PdfReceiptPrinter
    from kiosk.ui.kiosk.screenshots import KioskScreenshotRunner
    from kiosk.ui.kiosk_jobs import receipts_dir

    app = application()
    # the demo's receipts go to PDFs in its folder, never to a printer that may be installed
    window = build_kiosk(directory, demo=demo, language="en", fullscreen=False,
                         printer=PdfReceiptPrinter(receipts_dir(directory)))
    runner = KioskScreenshotRunner(window, Path(folder) / "kiosk")
    QTimer.singleShot(0, runner.start)
    window.show()
    try:
        app.exec()
    finally:
        window.shut_down()
    if runner.exit_code != 0:
        sys.stderr.flush()
    return runner.exit_code
