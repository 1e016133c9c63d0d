"""Issue 12 review: no kiosk screenshot shows a full phone number.

The screenshot script types a (made-up) number into the phone field; every
text on screen at the moment of each picture is read back, and none holds
the whole number, only the last four digits at most.
"""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import QAbstractListModel, QModelIndex, QTimer
from PySide6.QtWidgets import QLabel, QLineEdit, QWidget
from pytestqt.qtbot import QtBot

from kiosk.db.demo import PHONES, create_demo
from kiosk.ui.i18n import translations
from kiosk.ui.kiosk.app import build_kiosk
from kiosk.ui.kiosk.screenshots import KioskScreenshotRunner


def _digits(text: str) -> str:
    return re.sub(r"[\s\-()+]", "", text)


class Watching(KioskScreenshotRunner):
    """The real script; at each picture it keeps every visible text instead of a PNG."""

    def __init__(self, *args: object) -> None:
        super().__init__(*args)  # type: ignore[arg-type]
        self.seen: list[str] = []
        self.done = False

    def _grab(self, language: str, name: str) -> None:
        widgets: list[QWidget] = [*self.window.findChildren(QLabel),
                                  *self.window.findChildren(QLineEdit)]
        self.seen += [f"{language}-{name}: {w.text()}" for w in widgets  # type: ignore[attr-defined]
                      if w.isVisible()]

    def _finish(self, code: int, why: str) -> None:
        self._timer.stop()
        self.exit_code, self.done = code, True


def test_no_kiosk_screenshot_shows_a_full_phone_number(qtbot: QtBot, tmp_path: Path) -> None:
    create_demo(tmp_path / "demo").close()
    window = build_kiosk(tmp_path / "demo", demo=True, language="en", fullscreen=False)
    qtbot.addWidget(window)
    runner = Watching(window, tmp_path / "shots")
    try:
        QTimer.singleShot(0, runner.start)  # as `medshare --demo --screenshot` starts it
        window.show()
        qtbot.waitUntil(lambda: runner.done, timeout=60_000)
        assert runner.exit_code == 0
        assert any("need:" in text for text in runner.seen)
        numbers = [*PHONES, "13900001234"]
        for text in runner.seen:
            for number in numbers:
                assert number not in _digits(text), text
                assert number[:-4] not in _digits(text), text
            # nor does the kiosk promise a mask that shows more than the last four digits
            assert not re.search(r"\d\*+\d", text), text
        assert any("*******1234" in text for text in runner.seen)  # the receipt's mask
    finally:
        window.shut_down()
        translations().set_language("en")


def test_no_desk_screenshot_shows_a_full_phone_number(qtbot: QtBot, tmp_path: Path) -> None:
    from PySide6.QtWidgets import QAbstractItemView

    from kiosk.ui.app import build_window
    from kiosk.ui.screenshots import ScreenshotRunner

    class WatchingDesk(ScreenshotRunner):
        seen: list[str]
        done = False

        def _grab(self, language: str, name: str) -> None:
            texts = [w.text() for w in self.window.findChildren(QLabel) if w.isVisible()]
            for view in self.window.findChildren(QAbstractItemView):
                model = view.model()
                if view.isVisible() and model is not None:
                    root = QModelIndex()
                    texts += [str(model.index(r, c, root).data() or "")
                              for r in range(model.rowCount(root))
                              for c in range(1 if isinstance(model, QAbstractListModel)
                                             else model.columnCount(root))]
            self.seen += [f"{language}-{name}: {text}" for text in texts]

        def _finish(self, code: int, why: str) -> None:
            self._timer.stop()
            self.exit_code, self.done, self.why = code, True, why

    create_demo(tmp_path / "demo").close()
    window = build_window(tmp_path / "demo", demo=True, language="en")
    qtbot.addWidget(window)
    runner = WatchingDesk(window, tmp_path / "shots")
    runner.seen = []
    try:
        QTimer.singleShot(0, runner.start)
        window.show()
        qtbot.waitUntil(lambda: runner.done, timeout=90_000)
        assert runner.exit_code == 0, runner.why
        assert any("*******" in text for text in runner.seen)  # the requests' masks
        for text in runner.seen:
            for number in PHONES:
                assert number[:-4] not in _digits(text), text
    finally:
        window.services.shutdown()
        translations().set_language("en")
