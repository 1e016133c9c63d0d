"""One root exception, with messages written for the person at the desk.

Anything raised as a MedShareError is an expected situation (bad input, a
refused slip, a missing data dir) and its message is shown as it is. Any
other exception is a bug and goes to the crash log.
"""


class MedShareError(Exception):
    """Root of every error whose message is meant for a person."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class InvalidInput(MedShareError):
    """A value typed, scanned or sent is not acceptable; nothing was changed."""


class NotFound(MedShareError):
    """The thing asked for does not exist here."""


class LimitExceeded(InvalidInput):
    """A request would take someone over their per-person limit."""


class NotEnoughStock(MedShareError):
    """There are not enough unexpired units to reserve."""


class DataDirError(MedShareError):
    """The data directory is missing, unreadable, read-only or full."""


class DatabaseTooNew(MedShareError):
    """The station database was written by a newer version of MedShare."""


class NotInitialised(MedShareError):
    """The station has not been set up with `medshare init` yet."""


class IntegrityError(MedShareError):
    """`db verify` found something wrong; the message names it."""


class SlipRefused(MedShareError):
    """A scanned or typed slip cannot be collected; the message says why."""


class SyncError(MedShareError):
    """Talking to the central endpoint failed; the message says why."""


class KeyFileError(MedShareError):
    """The phone key file is missing, unreadable or another station's; nothing was changed."""
