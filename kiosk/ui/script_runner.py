"""What the desk's and the kiosk's screenshot runners share: a script of steps in the event loop.

After each step the runner waits until the window's services have answered
everything (the database thread is idle), then runs the next step; a step
that takes a picture calls `_grab`. The script ends the event loop with 0,
or with 1 and the reason on stderr.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QTimer

SIZE = (1280, 800)
TIMEOUT_MS = 60_000


class ScriptRunner:
    """Runs `_script` step by step; subclasses write the script and number the pictures."""

    what = "screenshots"  # in the closing line: "Saved 12 screenshots in …"

    def __init__(self, window: Any, folder: Path) -> None:
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
        self._prepare()
        self._steps = self._script()
        self._timer.start()

    def _prepare(self) -> None:
        """Set the window up before the script's first step."""

    def _script(self) -> Iterator[None]:
        raise NotImplementedError

    def _index(self, language: str, name: str) -> int:
        """The number of the picture `name` in `language`'s run (in its file name)."""
        raise NotImplementedError

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
            sys.stderr.write(f"medshare: {self.what} stopped: {why}\n")
        else:
            sys.stdout.write(f"Saved {len(self.saved)} {self.what} in {self.folder}\n")
        QCoreApplication.exit(code)

    def _grab(self, language: str, name: str) -> None:
        QCoreApplication.processEvents()
        index = self._index(language, name)
        path = self.folder / f"{language}-{index:02d}-{name}.png"
        if not self.window.grab().save(str(path)):
            raise OSError(f"could not write {path}")
        self.saved.append(path)
