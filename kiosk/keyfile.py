"""The station's key file: the keys that protect residents' phone numbers.

The keys live beside `station.db`, never inside it, so that the database or
any backup of it (the app backs up only station.db, through SQLite's backup
API) reveals no phone number on its own. Each key covers one period of
PERIOD (7 days, the same as the limit window, so a limit lookup needs at
most two keys, and a number is erased at most one period after its
retention ends). A key is deleted from the file once the retention period
has passed for everything it encrypted: that deletion erases the number in
the live file and in every backup ever taken (crypto-shredding).

The file is JSON, written whole to a new owner-only file and moved into
place (os.replace), then fsynced, so a crash leaves the old file or the new
one, never half of one. It names the station it belongs to (code and a
random key-file id that station.db records too), so another station's key
file is refused rather than silently used.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import secrets
import stat
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from kiosk.errors import KeyFileError

KEYS_FILENAME = "station.keys"
FORMAT = "medshare-station-keys"
VERSION = 1
PERIOD = timedelta(days=7)
_EPOCH = datetime(2024, 1, 1, tzinfo=UTC)  # a Monday: periods run Monday to Monday, UTC


@dataclass(frozen=True)
class PeriodKey:
    id: str  # the period's first day, e.g. "2026-11-16"
    start: datetime
    aes: bytes  # AES-256-GCM key for the full number
    mac: bytes  # HMAC-SHA256 key for the limit and flag hash

    @property
    def end(self) -> datetime:
        return self.start + PERIOD


@dataclass(frozen=True)
class KeyFile:
    station_code: str
    file_id: str
    keys: tuple[PeriodKey, ...]

    def key(self, key_id: str) -> PeriodKey | None:
        return next((k for k in self.keys if k.id == key_id), None)


def path_in(data_dir: Path) -> Path:
    return Path(data_dir) / KEYS_FILENAME


def period_start(moment: datetime) -> datetime:
    periods = (moment.astimezone(UTC) - _EPOCH) // PERIOD
    return _EPOCH + periods * PERIOD


def new_key(moment: datetime) -> PeriodKey:
    start = period_start(moment)
    return PeriodKey(start.date().isoformat(), start, secrets.token_bytes(32),
                     secrets.token_bytes(32))


def new_file(station_code: str) -> KeyFile:
    return KeyFile(station_code, secrets.token_hex(16), ())


def with_key_for(keys: KeyFile, moment: datetime) -> tuple[KeyFile, PeriodKey, bool]:
    """The key of the period holding `moment`, added if missing (and whether it was)."""
    start = period_start(moment)
    for key in keys.keys:
        if key.start == start:
            return keys, key, False
    key = new_key(moment)
    return KeyFile(keys.station_code, keys.file_id, (*keys.keys, key)), key, True


def without_expired(keys: KeyFile, cutoff: datetime) -> KeyFile:
    """The file minus every key whose numbers are all past the retention period.

    `cutoff` is the purge's own boundary (a station-local midnight): a key
    goes only once its whole UTC period lies before it, so no number it
    sealed can still be inside retention, whatever the station's zone."""
    kept = tuple(k for k in keys.keys if k.end > cutoff)
    return KeyFile(keys.station_code, keys.file_id, kept)


# -- reading -----------------------------------------------------------------------------


def _problem(path: Path, what: str) -> KeyFileError:
    return KeyFileError(
        f"The phone key file {path} {what}. Nothing was changed. Copy station.keys from this "
        "station's old computer into the data folder, or start a new key file with "
        "'medshare keys new --accept-loss' (the phone numbers and limit history of the "
        "retention period are then lost; nothing else is)."
    )


def load(path: Path) -> KeyFile:
    """The key file, or KeyFileError saying in plain words what is wrong with it."""
    path = Path(path)
    try:
        info = path.stat()
    except FileNotFoundError:
        raise _problem(path, "is missing") from None
    except OSError as error:
        raise _problem(path, f"cannot be read ({error.strerror})") from None
    if os.name == "posix" and info.st_mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise KeyFileError(
            f"The phone key file {path} can be read by other users of this computer, so it "
            f"is not used. Nothing was changed. Make it readable by its owner only "
            f"(chmod 600 {path}) and try again."
        )
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise _problem(path, f"cannot be read ({error.strerror})") from None
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise _problem(path, "is damaged (it is not a MedShare key file)") from None
    try:
        return _parse(document)
    except (KeyError, TypeError, ValueError):
        raise _problem(path, "is damaged (it is not a MedShare key file)") from None


def _parse(document: object) -> KeyFile:
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise ValueError("not a key file")
    if int(document["version"]) != VERSION:
        raise ValueError("unknown version")
    keys = []
    for entry in document["keys"]:
        aes, mac = base64.b64decode(entry["aes"]), base64.b64decode(entry["hmac"])
        if len(aes) != 32 or len(mac) != 32:
            raise ValueError("bad key length")
        start = datetime.fromisoformat(str(entry["from"])).astimezone(UTC)
        keys.append(PeriodKey(str(entry["id"]), start, aes, mac))
    return KeyFile(str(document["station"]), str(document["file_id"]), tuple(keys))


# -- writing -----------------------------------------------------------------------------


def _document(keys: KeyFile) -> dict[str, object]:
    return {
        "format": FORMAT,
        "version": VERSION,
        "station": keys.station_code,
        "file_id": keys.file_id,
        "period_days": PERIOD.days,
        "keys": [
            {"id": k.id, "from": k.start.isoformat(), "until": k.end.isoformat(),
             "aes": base64.b64encode(k.aes).decode("ascii"),
             "hmac": base64.b64encode(k.mac).decode("ascii")}
            for k in sorted(keys.keys, key=lambda k: k.start)
        ],
    }


def save(path: Path, keys: KeyFile) -> None:
    """Replace the key file atomically; a new file is owner-only from its first byte."""
    path = Path(path)
    data = json.dumps(_document(keys), indent=1).encode("utf-8")
    tmp = path.with_name(f"{path.name}.{secrets.token_hex(4)}.new")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0),
                     0o600)
        try:
            os.write(fd, data)
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
        _fsync_dir(path.parent)
    except OSError as error:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise KeyFileError(
            f"Could not write the phone key file {path} ({error.strerror}); nothing was saved."
        ) from None


def _fsync_dir(folder: Path) -> None:
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
