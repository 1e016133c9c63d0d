"""Issue 12 review: the desk and the kiosk refuse MEDSHARE_NOW on a real station too.

One plain line on stderr, exit 1, no window, and the data folder exactly as it
was (nothing migrated, no file created), like every command.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli.test_training import REFUSAL, real_station
from tests.conftest import NOW


def files(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def run_gui(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "MEDSHARE_NOW": NOW.isoformat(), "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run([sys.executable, "-m", "kiosk", *args], env=env,
                          capture_output=True, text=True, timeout=30)


@pytest.mark.parametrize("mode", [[], ["--kiosk"]])
def test_the_desk_and_the_kiosk_refuse_the_pinned_clock_on_a_real_station(
        tmp_path: Path, mode: list[str]) -> None:
    directory = real_station(tmp_path)
    before = files(directory)
    result = run_gui(*mode, "--data-dir", str(directory))
    assert result.returncode == 1
    [line] = result.stderr.splitlines()
    assert line.startswith(f"medshare: {REFUSAL}; ") and "Nothing was changed" in line
    assert files(directory) == before


@pytest.mark.parametrize("mode", [[], ["--kiosk"]])
def test_the_pinned_clock_on_an_empty_folder_opens_no_set_up_and_creates_nothing(
        tmp_path: Path, mode: list[str]) -> None:
    # the desk's set-up would make a real station, which refuses the pinned clock
    directory = tmp_path / "empty"
    result = run_gui(*mode, "--data-dir", str(directory))
    assert result.returncode == 1
    [line] = result.stderr.splitlines()
    assert line.startswith(f"medshare: {REFUSAL}; ")
    assert not directory.exists()


def test_restore_with_the_pinned_clock_says_the_clock_is_the_problem(tmp_path: Path) -> None:
    from tests.conftest import run_medshare

    directory = real_station(tmp_path)
    env = {k: v for k, v in os.environ.items() if k != "MEDSHARE_NOW"}
    subprocess.run([sys.executable, "-m", "kiosk", "db", "backup", str(tmp_path / "b.db"),
                    "--data-dir", str(directory)], env=env, check=True, capture_output=True)
    before = files(directory)
    result = run_medshare("db", "restore", str(tmp_path / "b.db"), "--data-dir", str(directory))
    assert result.returncode == 1
    [line] = result.stderr.splitlines()
    assert line.startswith(f"medshare: {REFUSAL}; "), line  # not "the app could not open it"
    assert files(directory) == before
