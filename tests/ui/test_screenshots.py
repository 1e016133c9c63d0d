"""`medshare --demo --screenshot DIR`: every screen in both languages, offscreen, exit 0."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from PySide6.QtGui import QImage

SCREENS = ("signin", "dropoff", "requests", "match", "pickup", "stock",
           # the manager console's pages (the demo signs in as a manager)
           "manager-reports", "manager-accounts", "manager-settings", "manager-backups",
           "manager-sync", "manager-audit")


def test_the_screenshot_command_writes_every_screen_in_each_language(tmp_path: Path) -> None:
    out = tmp_path / "shots"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    env.pop("MEDSHARE_NOW", None)
    result = subprocess.run(
        [sys.executable, "-m", "kiosk", "--demo", "--data-dir", str(tmp_path / "demo"),
         "--screenshot", str(out)],
        capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""  # not one Qt warning on the way
    names = sorted(path.name for path in out.glob("*.png"))
    expected = sorted(f"{lang}-{number:02d}-{screen}.png" for lang in ("en", "zh")
                      for number, screen in enumerate(SCREENS, start=1))
    assert names == expected
    for name in names:
        image = QImage(str(out / name))
        assert (image.width(), image.height()) == (1280, 800), name
    # the two languages really differ, and the pickup screen shows a verdict
    english = QImage(str(out / "en-02-dropoff.png"))
    chinese = QImage(str(out / "zh-02-dropoff.png"))
    assert english != chinese
    assert f"Saved {len(expected)} screenshots in {out}" in result.stdout


def test_screenshot_without_demo_is_refused(tmp_path: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run(
        [sys.executable, "-m", "kiosk", "--data-dir", str(tmp_path), "--screenshot",
         str(tmp_path / "x")], capture_output=True, text=True, env=env, timeout=60)
    assert result.returncode == 2
    assert "--screenshot works with --demo only" in result.stderr
    assert not (tmp_path / "x").exists()
