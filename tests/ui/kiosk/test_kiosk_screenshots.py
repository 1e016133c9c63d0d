"""`medshare --demo --kiosk --screenshot DIR`: every kiosk page in both languages, exit 0.

(`medshare --demo --screenshot DIR` writes the same pages into DIR/kiosk after the desk's;
tests/ui/test_screenshots.py runs that whole command.)
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from PySide6.QtGui import QImage

from kiosk.ui.kiosk.screenshots import PAGES


def test_the_kiosk_screenshots_cover_every_page_in_each_language(tmp_path: Path) -> None:
    out = tmp_path / "shots"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    env.pop("MEDSHARE_NOW", None)
    result = subprocess.run(
        [sys.executable, "-m", "kiosk", "--demo", "--kiosk", "--data-dir",
         str(tmp_path / "demo"), "--screenshot", str(out)],
        capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""  # not one Qt warning on the way
    names = sorted(path.name for path in (out / "kiosk").glob("*.png"))
    assert names == sorted(f"{lang}-{number:02d}-{page}.png" for lang in ("en", "zh")
                           for number, page in enumerate(PAGES, start=1))
    for name in names:
        image = QImage(str(out / "kiosk" / name))
        assert (image.width(), image.height()) == (1280, 800), name
    assert QImage(str(out / "kiosk" / "en-01-home.png")) != QImage(
        str(out / "kiosk" / "zh-01-home.png"))
    assert f"Saved 16 kiosk screenshots in {out / 'kiosk'}" in result.stdout
    # the demo's receipts were printed to PDFs in its data folder (no printer here)
    assert sorted(path.name[:7] for path in (tmp_path / "demo" / "receipts").glob("*.pdf")) == [
        "pledge-", "pledge-", "request", "request"]
