"""`medshare --demo --screenshot DIR`: a PNG of every screen, in each language, then exit.

Runs inside the real event loop as a little script of steps; after each step
it waits until the worker has nothing left to do before taking the picture.
"""

from __future__ import annotations

from collections.abc import Iterator

from kiosk.ui.demo import DEMO_MANAGER, DEMO_PIN
from kiosk.ui.i18n import LANGUAGES
from kiosk.ui.mainwindow import MainWindow
from kiosk.ui.script_runner import ScriptRunner


class ScreenshotRunner(ScriptRunner):
    window: MainWindow

    def _index(self, language: str, name: str) -> int:
        return sum(1 for saved in self.saved if saved.name.startswith(f"{language}-")) + 1

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
