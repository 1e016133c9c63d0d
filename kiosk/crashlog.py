"""The one place a bug becomes a log entry and a short apology.

Expected problems are MedShareError and are shown as they are; anything
else is a bug: its traceback goes to `logs/medshare.log` in the data dir
(or the temp dir if that is unusable) and the person sees where it is.
"""

from __future__ import annotations

import tempfile
import traceback
from datetime import datetime
from pathlib import Path


def log_dir(data_dir: Path | None) -> Path:
    if data_dir is not None:
        candidate = Path(data_dir) / "logs"
        try:
            candidate.mkdir(parents=True, exist_ok=True)
            return candidate
        except OSError:
            pass
    return Path(tempfile.gettempdir())


def record(error: BaseException, data_dir: Path | None) -> Path:
    path = log_dir(data_dir) / "medshare.log"
    text = "".join(traceback.format_exception(type(error), error, error.__traceback__))
    try:
        with path.open("a", encoding="utf-8") as handle:
            handle.write(f"--- {datetime.now().isoformat(timespec='seconds')}\n{text}\n")
    except OSError:
        pass
    return path


def apology(error: BaseException, log: Path) -> str:
    return (
        f"Something went wrong ({type(error).__name__}); nothing was lost that had been "
        f"saved. Details are in {log}."
    )
