"""Backup files: unique names, SQLite's online backup API, and the check before a restore.

A backup holds the station database and nothing else (the phone keys and any
other file of the data folder stay where they are). Automatic and "back up
now" backups are named `station-YYYYMMDD-HHMMSS-ffffff.db` by the station's
clock (UTC, to the microsecond), with `-2`, `-3`... added when that name is
taken: the name is claimed with O_EXCL before the copy is written, so two
backups never share a file, even in the same microsecond or from two processes.
"""

from __future__ import annotations

import glob
import os
import re
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from kiosk.db import migrations
from kiosk.db.store import Store
from kiosk.db.verify import problems
from kiosk.errors import DataDirError, InvalidInput
from kiosk.keyfile import KEYS_FILENAME

# station-20261202-101500.db (before microseconds), station-20261202-101500-123456[-2].db
_NAME = re.compile(r"^station-(\d{8}-\d{6})(?:-(\d{6}))?(?:-(\d{1,6}))?\.db$")
_STAMP = "%Y%m%d-%H%M%S-%f"


def backup_dir(store: Store) -> Path:
    return store.data_dir() / "backups"


def name_key(name: str) -> tuple[datetime, int] | None:
    """When a backup was taken (UTC) and its counter, from its file name; None if not ours."""
    found = _NAME.match(name)
    if found is None:
        return None
    try:
        taken = datetime.strptime(found[1] + "-" + (found[2] or "000000"), _STAMP)
    except ValueError:
        return None
    return taken.replace(tzinfo=UTC), int(found[3] or 1)


def claim(folder: Path, stem: str, suffix: str) -> Path:
    """A new empty file `stem+suffix` (or `stem-2+suffix`, ...) that no one else can claim."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise DataDirError(f"Cannot create {folder}: {error.strerror}.") from None
    # above every counter in use, so a name freed by the rotation is not handed out again
    # (that newest backup would sort as the oldest)
    in_use = (_counter(path.name, stem, suffix)
              for path in folder.glob(f"{glob.escape(stem)}*{glob.escape(suffix)}"))
    start = max((n for n in in_use if n is not None), default=0) + 1
    for counter in range(start, start + 10_000):
        path = folder / (f"{stem}{suffix}" if counter == 1 else f"{stem}-{counter}{suffix}")
        try:
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        except FileExistsError:
            continue
        except OSError as error:
            raise DataDirError(f"Cannot write into {folder}: {error.strerror}.") from None
        return path
    raise DataDirError(f"{folder} holds too many files named {stem}; remove some.")


def _counter(name: str, stem: str, suffix: str) -> int | None:
    """1 for `stem+suffix`, N for `stem-N+suffix`, None for any other name."""
    if not (name.startswith(stem) and name.endswith(suffix)):
        return None
    middle = name[len(stem):len(name) - len(suffix)]
    if middle == "":
        return 1
    digits = middle[1:]
    return int(digits) if middle[0] == "-" and digits.isascii() and digits.isdigit() else None


def read_only(path: Path) -> sqlite3.Connection:
    """Read a file without leaving anything behind.

    A read-only connection to a WAL-mode file creates an empty -wal and -shm
    that it cannot remove; with no -wal every page is in the file itself, so
    it is read as immutable and nothing is created beside it.
    """
    immutable = "" if Path(str(path) + "-wal").exists() else "&immutable=1"
    return sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro{immutable}", uri=True)


def _refuse_live_file(store: Store, target: Path) -> None:
    """A backup written over the key file would erase every phone number (and over the
    live database or its journal, damage it): refuse, naming the file."""
    live = {store.path.name, f"{store.path.name}-wal", f"{store.path.name}-shm", KEYS_FILENAME}
    try:
        inside = target.resolve().parent == store.data_dir().resolve()
    except OSError:
        inside = False
    if inside and target.name in live:
        raise InvalidInput(
            f"{target} is one of the station's own files; a backup there would overwrite it. "
            "Nothing was changed. Give another file name, for example on a USB drive."
        )


def backup(store: Store, target: Path | None = None, *, keep: int | None = None) -> Path:
    """Copy the live database; with `keep`, prune older automatic backups."""
    if target is None:
        stamp = store.clock.now().astimezone(UTC).strftime(_STAMP)
        target = claim(backup_dir(store), f"station-{stamp}", ".db")
        try:
            written = store.backup_to(target)
        except BaseException:
            target.unlink(missing_ok=True)
            raise
    else:
        _refuse_live_file(store, Path(target))
        written = store.backup_to(Path(target))
    if keep is not None:
        for stale in automatic_backups(backup_dir(store))[max(keep, 0):]:
            stale.unlink(missing_ok=True)
    return written


def automatic_backups(folder: Path) -> list[Path]:
    """The backups in `folder`, newest first (by the time and counter in their names)."""
    found = []
    for path in folder.glob("station-*.db") if folder.is_dir() else []:
        key = name_key(path.name)
        if key is not None:
            found.append((key, path))
    return [path for _, path in sorted(found, reverse=True)]


def check_file(path: Path) -> list[str]:
    """What is wrong with a backup file, without changing it."""
    if not path.is_file():
        return [f"{path} does not exist"]
    try:
        conn = read_only(path)
        try:
            version = int(conn.execute("PRAGMA user_version").fetchone()[0])
            if version > migrations.LATEST_VERSION:
                return [f"{path.name} was written by a newer version of MedShare (schema "
                        f"{version}; this version knows up to {migrations.LATEST_VERSION}); "
                        "update MedShare on this computer first"]
            if version == 0:
                return [f"{path} is not a MedShare station database"]
            if conn.execute("SELECT count(*) FROM station").fetchone()[0] != 1:
                return [f"{path} holds no station"]
            return problems(conn)
        finally:
            conn.close()
    except sqlite3.Error as error:
        return [f"{path} is not a readable database ({error})"]
