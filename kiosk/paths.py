"""Where a station keeps its files."""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "medshare"
DB_FILENAME = "station.db"


def default_data_dir() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP_NAME, appauthor=False))


def resolve_data_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    """--data-dir, then MEDSHARE_DATA_DIR, then the platform's user data dir."""
    if explicit:
        return Path(explicit).expanduser()
    env = os.environ.get("MEDSHARE_DATA_DIR")
    if env:
        return Path(env).expanduser()
    return default_data_dir()


def resources_dir() -> Path:
    """resources/ beside the package in a checkout, or inside a frozen bundle."""
    import sys

    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return Path(frozen) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"
