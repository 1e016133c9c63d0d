"""The desk's own display preferences (language, large text), kept beside the station data.

Qt-free: a small JSON file read once before the window shows and written
on the worker thread when a preference changes.
"""

from __future__ import annotations

import contextlib
import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

FILENAME = "desk-settings.json"


@dataclass(frozen=True)
class Prefs:
    language: str = "en"
    large_text: bool = False


def load(data_dir: Path) -> Prefs:
    try:
        raw = json.loads((Path(data_dir) / FILENAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return Prefs()
    if not isinstance(raw, dict):
        return Prefs()
    language = raw.get("language")
    return Prefs(
        language=language if language in ("en", "zh") else "en",
        large_text=bool(raw.get("large_text", False)),
    )


def save(data_dir: Path, prefs: Prefs) -> None:
    """Written whole and renamed into place, so a crash never leaves half a file."""
    path = Path(data_dir) / FILENAME
    tmp = path.with_suffix(".tmp")
    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_text(json.dumps(asdict(prefs)), encoding="utf-8")
        os.replace(tmp, path)
