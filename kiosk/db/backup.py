"""Backups with SQLite's online backup API, and a restore that checks first."""

from __future__ import annotations

import os
import sqlite3
from datetime import datetime
from pathlib import Path

from kiosk.db import migrations
from kiosk.db.store import Store
from kiosk.db.verify import problems
from kiosk.errors import DataDirError, IntegrityError
from kiosk.paths import DB_FILENAME


def backup_dir(store: Store) -> Path:
    return store.data_dir() / "backups"


def backup(store: Store, target: Path | None = None, *, keep: int | None = None) -> Path:
    """Copy the live database; with `keep`, prune older automatic backups."""
    if target is None:
        stamp = store.clock.now().strftime("%Y%m%d-%H%M%S")
        target = backup_dir(store) / f"station-{stamp}.db"
    written = store.backup_to(Path(target))
    if keep is not None:
        old = sorted(backup_dir(store).glob("station-*.db"))
        for stale in old[:-keep] if keep > 0 else old:
            stale.unlink(missing_ok=True)
    return written


def check_file(path: Path) -> list[str]:
    """What is wrong with a backup file, without changing it."""
    if not path.is_file():
        return [f"{path} does not exist"]
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            version = int(conn.execute("PRAGMA user_version").fetchone()[0])
            if version == 0 or version > migrations.LATEST_VERSION:
                return [f"{path} is not a MedShare station database this version can read"]
            if conn.execute("SELECT count(*) FROM station").fetchone()[0] != 1:
                return [f"{path} holds no station"]
            return problems(conn)
        finally:
            conn.close()
    except sqlite3.Error as error:
        return [f"{path} is not a readable database ({error})"]


def restore(data_dir: Path, source: Path) -> Path:
    """Replace the station database with a verified backup; the old one is kept aside."""
    found = check_file(Path(source))
    if found:
        raise IntegrityError("The backup was not restored: " + "; ".join(found[:3]) + ".")
    data_dir.mkdir(parents=True, exist_ok=True)
    live = data_dir / DB_FILENAME
    staged = data_dir / (DB_FILENAME + ".restoring")
    try:
        src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        dst = sqlite3.connect(staged)
        try:
            src.backup(dst)
        finally:
            src.close()
            dst.close()
        if live.exists():
            stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
            aside = data_dir / f"{DB_FILENAME}.replaced-{stamp}"
            os.replace(live, aside)
            # the WAL may hold committed pages: it travels with its file
            for suffix in ("-wal", "-shm"):
                if Path(str(live) + suffix).exists():
                    os.replace(str(live) + suffix, str(aside) + suffix)
        os.replace(staged, live)
    except (OSError, sqlite3.Error) as error:
        staged.unlink(missing_ok=True)
        raise DataDirError(f"Could not restore into {data_dir}: {error}.") from None
    return live
