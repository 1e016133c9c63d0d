"""Issue 12 review: `db backup FILE` never overwrites the key file or the live database."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from tests.conftest import run_medshare


def test_a_backup_over_the_station_own_files_is_refused_and_changes_nothing(
        tmp_path: Path) -> None:
    folder = tmp_path / "st"
    assert run_medshare("init", "--station-code", "BK1", "--name", "B",
                        "--data-dir", str(folder)).returncode == 0
    made = run_medshare("request", "ibuprofen-200mg-tablet", "1", "--phone", "13812345678",
                        "--data-dir", str(folder))
    assert made.returncode == 0, made.stderr
    for name in ("station.keys", "station.db", "station.db-wal"):
        keys = hashlib.sha256((folder / "station.keys").read_bytes()).hexdigest()
        result = run_medshare("db", "backup", str(folder / name), "--data-dir", str(folder))
        assert result.returncode == 1, name
        [line] = result.stderr.splitlines()
        assert "one of the station's own files" in line and "Nothing was changed" in line
        assert hashlib.sha256((folder / "station.keys").read_bytes()).hexdigest() == keys
    called = run_medshare("--staff", "ann", "call", "1", "--data-dir", str(folder))
    assert called.returncode == 0, called.stderr
    assert "13812345678" in called.stdout


@pytest.mark.parametrize("name", ["copy.db", "station.keys"])
def test_a_backup_elsewhere_still_works(tmp_path: Path, name: str) -> None:
    folder = tmp_path / "st"
    assert run_medshare("init", "--station-code", "BK2", "--name", "B",
                        "--data-dir", str(folder)).returncode == 0
    target = tmp_path / "usb" / name  # another folder: not this station's key file
    result = run_medshare("db", "backup", str(target), "--data-dir", str(folder))
    assert result.returncode == 0, result.stderr
    assert target.stat().st_size > 0


def test_backups_are_readable_by_their_owner_only(tmp_path: Path) -> None:
    import os
    import stat

    folder = tmp_path / "st"
    assert run_medshare("init", "--station-code", "BK3", "--name", "B",
                        "--data-dir", str(folder)).returncode == 0
    assert run_medshare("db", "backup", "--data-dir", str(folder)).returncode == 0
    assert run_medshare("db", "backup", str(tmp_path / "usb.db"),
                        "--data-dir", str(folder)).returncode == 0
    written = [*(folder / "backups").glob("station-*.db"), tmp_path / "usb.db"]
    assert len(written) == 2
    if os.name == "posix":
        for path in written:
            assert stat.S_IMODE(path.stat().st_mode) & 0o077 == 0, path
