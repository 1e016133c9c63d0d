"""Screenshots of every kiosk page in each language (`medshare --demo --screenshot DIR`).

A little script of steps run inside the event loop, like the desk's
ScreenshotRunner: after each step it waits until the database thread has
answered everything, then takes the picture. The slip shown is one the
script reserves for the request it has just made, as staff would at the desk.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from kiosk.ui.i18n import LANGUAGES
from kiosk.ui.kiosk.window import KioskWindow
from kiosk.ui.script_runner import ScriptRunner

# (what the resident asks for, what they will bring) in each language's run
ITEMS = {"en": ("ibuprofen-200mg-tablet", "paracetamol-500mg-tablet"),
         "zh": ("paracetamol-500mg-tablet", "antigen-test-kit")}
PAGES = ("home", "available", "need", "need-receipt", "spare", "spare-receipt", "slip",
         "unlock")


class KioskScreenshotRunner(ScriptRunner):
    what = "kiosk screenshots"
    window: KioskWindow

    def __init__(self, window: KioskWindow, folder: Path) -> None:
        super().__init__(window, folder)
        self._token = ""

    def _prepare(self) -> None:
        self.window.idle.set_seconds(3600)  # the script must not be timed out

    def _index(self, language: str, name: str) -> int:
        return PAGES.index(name) + 1

    def _slip_for(self, request_id: int) -> None:
        """Reserve stock for the request (the desk's own job) to have a slip to scan."""
        from kiosk.ui import jobs

        def matched(made: list[Any]) -> None:
            token = str(getattr(made[0], "token", "")) if made else ""
            if token:
                self._token = token

        self.window.services.call(jobs.allocate, request_id, "demo", on_done=matched,
                                  on_error=lambda failure: None)

    def _script(self) -> Iterator[None]:
        window = self.window
        yield
        for language in LANGUAGES:
            need_item, spare_item = ITEMS[language]
            window.start_over()
            window.set_language(language)
            yield
            self._grab(language, "home")
            available = window.show_page("available")
            yield
            available.show_item(need_item)  # type: ignore[attr-defined]
            yield
            self._grab(language, "available")
            need: Any = window.show_page("need", need_item)
            yield
            need.household.setValue(3)
            need.units.setValue(2)
            need.priority.set_current("elderly")
            yield
            self._grab(language, "need")
            # typed after the picture: a screenshot never shows a whole phone number,
            # not even a made-up one (the receipt then shows its last four digits)
            need.phone.setText("139 0000 1234")
            need.submit()
            yield
            yield  # the receipt prints after the request is saved
            self._grab(language, "need-receipt")
            if need.made is not None:
                self._slip_for(need.made.request_id)
            spare: Any = window.show_page("spare", spare_item)
            yield
            spare.units.setValue(20)
            yield
            self._grab(language, "spare")
            spare.submit()
            yield
            yield
            self._grab(language, "spare-receipt")
            slip: Any = window.show_page("slip")
            yield
            if self._token:
                slip.lookup(self._token, "scanner")
                yield
            self._grab(language, "slip")
            window.show_page("unlock")
            yield
            self._grab(language, "unlock")
        window.start_over()
        window.set_language("en")
        yield
