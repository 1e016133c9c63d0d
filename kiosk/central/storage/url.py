"""Opening the central's storage by URL: `sqlite:///path` or `postgresql://...`."""

from __future__ import annotations

import os
import re
from pathlib import Path

from kiosk.central.storage.base import DEFAULT_POOL_SIZE, Storage
from kiosk.central.storage.postgres import PostgresStorage
from kiosk.central.storage.rows import StorageError
from kiosk.central.storage.sqlite import SqliteStorage


def sqlite_path(url: str) -> Path:
    """'sqlite:///abs/path.db' (or 'sqlite:////abs/path.db') -> Path; a bare path is fine too."""
    rest = url[len("sqlite://"):] if url.startswith("sqlite://") else url
    if re.match(r"^/+[A-Za-z]:[/\\]", rest):  # sqlite:///C:/data/central.db on Windows
        rest = rest.lstrip("/")
    elif rest.startswith("//"):
        rest = "/" + rest.lstrip("/")
    if not rest:
        raise StorageError("the sqlite URL names no file; use sqlite:///path/to/central.db")
    return Path(os.path.expanduser(rest))


def open_storage(url: str, pool_size: int = DEFAULT_POOL_SIZE) -> Storage:
    """A Storage for a `sqlite:///...` or `postgresql://...` URL (not yet migrated)."""
    if url.startswith(("postgresql://", "postgres://")):
        return PostgresStorage(url, pool_size)
    if url.startswith("sqlite:") or "://" not in url:
        return SqliteStorage(sqlite_path(url), pool_size)
    scheme = url.split("://", 1)[0]
    raise StorageError(
        f"unsupported database URL scheme {scheme!r}; use sqlite:///path or postgresql://..."
    )
