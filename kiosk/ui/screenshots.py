"""`medshare --demo --screenshot DIR`: a PNG of every screen, in each language, then exit.

Runs inside the real event loop as a little script of steps; after each step
it waits until the worker has nothing left to do before taking the picture.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QTimer

from kiosk.ui.demo import DEMO_MANAGER, DEMO_PIN
from kiosk.ui.i18n import LANGUAGES
from kiosk.ui.mainwindow import MainWindow

SIZE = (1280, 800)
TIMEOUT_MS = 60_000


class ScreenshotRunner:
    def __init__(self, window: MainWindow, folder: Path) -> None:
        self.window = window
        self.folder = Path(folder)
        self.saved: list[Path] = []
        self.exit_code = 1
        self._steps: Iterator[None] | None = None
        self._waited = 0
        self._timer = QTimer()
        self._timer.setInterval(25)
        self._timer.timeout.connect(self._tick)

    def start(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        self.window.resize(*SIZE)
        self._steps = self._script()
        self._timer.start()

    def _idle(self) -> bool:
        services = self.window.services
        return services.state is not None and not services.busy

    def _tick(self) -> None:
        if not self._idle():
            self._waited += self._timer.interval()
            if self._waited > TIMEOUT_MS:
                self._finish(1, "timed out waiting for the station")
            return
        self._waited = 0
        assert self._steps is not None
        try:
            next(self._steps)
        except StopIteration:
            self._finish(0, "")
        except Exception as error:  # report, and exit non-zero
            self._finish(1, f"{type(error).__name__}: {error}")

    def _finish(self, code: int, why: str) -> None:
        self._timer.stop()
        self.exit_code = code
        if why:
            sys.stderr.write(f"medshare: screenshots stopped: {why}\n")
        else:
            sys.stdout.write(f"Saved {len(self.saved)} screenshots in {self.folder}\n")
        QCoreApplication.exit(code)

    def _grab(self, language: str, name: str) -> None:
        QCoreApplication.processEvents()
        index = sum(1 for saved in self.saved if saved.name.startswith(f"{language}-")) + 1
        path = self.folder / f"{language}-{index:02d}-{name}.png"
        if not self.window.grab().save(str(path)):
            raise OSError(f"could not write {path}")
        self.saved.append(path)

    def _script(self) -> Iterator[None]:
        window = self.window
        services = window.services
        token = ""
        for language in LANGUAGES:
            window.set_language(language)
            yield
            window.show_screen("signin")
            window.signin.choose(DEMO_MANAGER)
            yield
            self._grab(language, "signin")
            services.sign_in(DEMO_MANAGER, DEMO_PIN)
            yield
            dropoff = window.show_screen("dropoff")
            dropoff_screen = window.page("dropoff")
            picker = getattr(dropoff_screen, "picker", None)
            if picker is not None:
                picker.search.setText("布洛芬" if language == "zh" else "ibu")
                picker.search.textEdited.emit(picker.search.text())
            yield
            self._grab(language, dropoff.key)
            window.show_screen("requests")
            yield
            self._grab(language, "requests")
            match = window.page("match")
            window.show_screen("match")
            yield
            match.allocate_next()  # type: ignore[attr-defined]
            yield
            yield
            self._grab(language, "match")
            waiting = getattr(match, "waiting", [])
            if waiting and getattr(waiting[0], "token", ""):
                token = waiting[0].token
            pickup = window.show_screen("pickup")
            yield
            if token:
                pickup.redeem(token, "scanner")  # type: ignore[attr-defined]
                yield
            self._grab(language, "pickup")
            stock = window.page("stock")
            window.show_screen("stock")
            yield
            page = getattr(stock, "page", None)
            if page is not None:
                flagged = [line for line in page.lines if line.expired] or list(page.lines)
                if flagged:
                    stock.select_item(flagged[0].item_id)  # type: ignore[attr-defined]
                    yield
            self._grab(language, "stock")
            yield from self._manager_pages(language)
            services.sign_out()
            yield

    def _manager_pages(self, language: str) -> Iterator[None]:
        """The manager console's pages (the demo signs in as a manager)."""
        from kiosk.ui.screens.manager import MANAGER_PAGES

        for key, _module, _name in MANAGER_PAGES:
            page = self.window.show_screen(key)
            yield
            if key == "audit":
                page.verify_ledger()  # type: ignore[attr-defined]
                yield
            yield  # charts and tables settle after their data arrives
            self._grab(language, f"manager-{key}")
