"""The one place where an exception becomes what the person at the desk sees.

* A MedShareError is an expected situation: its message is shown as it is,
  under a short translated title for its kind.
* Anything else is a bug: the traceback goes to the crash log in the data
  dir (kiosk.crashlog) and the person is told that something went wrong and
  where the log is. The app keeps running.

`install_hooks` routes uncaught exceptions in the GUI thread (slots, event
handlers) and in other Python threads here too.
"""

from __future__ import annotations

import sys
import threading
import types
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, Signal

from kiosk import crashlog
from kiosk.errors import MedShareError

translate = QCoreApplication.translate  # the name lupdate looks for


@dataclass(frozen=True)
class Failure:
    title: str
    message: str
    is_bug: bool
    error: BaseException
    log: Path | None = None

    @property
    def text(self) -> str:
        return f"{self.title}: {self.message}"


def _title(error: MedShareError) -> str:
    """A translated heading for each kind of expected problem (the detail stays as written)."""
    titles: list[tuple[str, Callable[[], str]]] = [
        ("WrongPin", lambda: translate("Errors", "Wrong PIN")),
        ("AccountLocked", lambda: translate("Errors", "Account locked")),
        ("Refusal", lambda: translate("Errors", "Slip refused")),
        ("SlipRefused", lambda: translate("Errors", "Slip refused")),
        ("LimitExceeded", lambda: translate("Errors", "Over the limit")),
        ("NotEnoughStock", lambda: translate("Errors", "Not enough stock")),
        ("Cancelled", lambda: translate("Errors", "Cancelled")),
        ("InvalidInput", lambda: translate("Errors", "Please check")),
        ("NotFound", lambda: translate("Errors", "Not found")),
        ("DataDirError", lambda: translate("Errors", "Cannot save")),
        ("DatabaseTooNew", lambda: translate("Errors", "Newer database")),
        ("NotInitialised", lambda: translate("Errors", "Station not set up")),
        ("IntegrityError", lambda: translate("Errors", "Ledger check failed")),
        ("SyncError", lambda: translate("Errors", "Sync problem")),
        ("KeyFileError", lambda: translate("Errors", "Phone key file")),
    ]
    names = [cls.__name__ for cls in type(error).__mro__]
    for name, title in titles:
        if name in names:
            return title()
    return translate("Errors", "Cannot do that")


class ErrorPresenter(QObject):
    """Turns exceptions into Failures and announces them (`shown`) for the banner."""

    shown = Signal(object)

    def __init__(self, data_dir: Path | None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.data_dir = data_dir
        self._previous_hook: Callable[..., object] | None = None
        self._previous_thread_hook: Callable[..., object] | None = None

    def failure(self, error: BaseException) -> Failure:
        if isinstance(error, MedShareError):
            return Failure(_title(error), str(error), False, error)
        log = crashlog.record(error, self.data_dir if self._usable_dir() else None)
        message = QCoreApplication.translate(
            "Errors",
            "Something went wrong ({kind}); nothing that had been saved was lost. "
            "Details are in {log}.",
        ).format(kind=type(error).__name__, log=log)
        return Failure(QCoreApplication.translate("Errors", "Something went wrong"), message,
                       True, error, log)

    def report(self, error: BaseException) -> Failure:
        failure = self.failure(error)
        self.shown.emit(failure)
        return failure

    def _usable_dir(self) -> bool:
        return self.data_dir is not None and Path(self.data_dir).is_dir()

    # -- uncaught exceptions -----------------------------------------------------------

    def install_hooks(self) -> None:
        self._previous_hook = sys.excepthook
        self._previous_thread_hook = threading.excepthook
        sys.excepthook = self._excepthook
        threading.excepthook = self._thread_hook

    def remove_hooks(self) -> None:
        if self._previous_hook is not None:
            sys.excepthook = self._previous_hook
        if self._previous_thread_hook is not None:
            threading.excepthook = self._previous_thread_hook

    def _excepthook(self, kind: type[BaseException], error: BaseException,
                    tb: types.TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            QCoreApplication.quit()
            return
        if error.__traceback__ is None:
            error = error.with_traceback(tb)
        self.report(error)

    def _thread_hook(self, args: threading.ExceptHookArgs) -> None:
        if args.exc_value is not None:
            # signals are thread-safe: the banner updates in the GUI thread
            self.report(args.exc_value)
