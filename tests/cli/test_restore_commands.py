"""`medshare db restore` when it matters: one line on refusal, nothing changed."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tests.cli.test_ledger_commands import IBU, ok
from tests.conftest import days, ledger_dump, run_medshare
from tests.db.test_restore import folder_state, held_open


def station_dir(tmp_path: Path, code: str, name: str) -> Path:
    directory = tmp_path / code
    result = run_medshare("init", "--data-dir", str(directory), "--station-code", code,
                          "--name", name)
    assert result.returncode == 0, result.stderr
    return directory


def refused(data_dir: Path, *args: str, reason: str) -> None:
    dump = ledger_dump(data_dir / "station.db")
    before = folder_state(data_dir)
    result = run_medshare("db", "restore", *args, "--data-dir", str(data_dir))
    assert result.returncode != 0
    assert result.stderr.count("\n") == 1 and reason in result.stderr, result.stderr
    assert "Traceback" not in result.stderr and "went wrong" not in result.stderr
    assert folder_state(data_dir) == before
    assert ledger_dump(data_dir / "station.db") == dump


def test_another_stations_backup_needs_other_station(tmp_path: Path) -> None:
    riverside = station_dir(tmp_path, "HX01", "Riverside")
    harbour = station_dir(tmp_path, "HX02", "Harbour")
    ok("receive", IBU, "4", "--expiry", days(60), data_dir=harbour)
    copy = tmp_path / "harbour.db"
    ok("db", "backup", str(copy), data_dir=harbour)
    refused(riverside, str(copy), reason="--other-station")
    out = ok("db", "restore", str(copy), "--other-station", data_dir=riverside)
    assert "now the station HX02 Harbour" in out
    assert "(the station HX01 Riverside) is kept as" in out
    assert "not enrolled" in out


def test_a_damaged_live_file_is_replaced(tmp_path: Path) -> None:
    riverside = station_dir(tmp_path, "HX01", "Riverside")
    copy = tmp_path / "copy.db"
    ok("db", "backup", str(copy), data_dir=riverside)
    (riverside / "station.db").write_bytes(b"garbage" * 1000)
    out = ok("db", "restore", str(copy), data_dir=riverside)
    assert "is kept as" in out and "station.db.replaced-" in out
    assert ok("stock", data_dir=riverside).strip() == "No stock."


@pytest.mark.parametrize("case", ["schema", "newer-live", "newer-backup"])
def test_refusals_are_one_line(tmp_path: Path, case: str) -> None:
    riverside = station_dir(tmp_path, "HX01", "Riverside")
    copy = tmp_path / "copy.db"
    ok("db", "backup", str(copy), data_dir=riverside)
    target = riverside / "station.db" if case == "newer-live" else copy
    conn = sqlite3.connect(target)
    if case == "schema":
        conn.execute("PRAGMA writable_schema = ON")
        conn.execute("UPDATE sqlite_master SET sql = 'CREATE TABLE setting (k TEXT PRIMARY "
                     "KEY, v TEXT NOT NULL)' WHERE name = 'setting'")
    else:
        conn.execute("PRAGMA user_version = 99")
    conn.commit()
    conn.close()
    reason = {"schema": "the app could not open it", "newer-live": "--replace-newer",
              "newer-backup": "newer version of MedShare"}[case]
    refused(riverside, str(copy), reason=reason)


def test_a_station_open_elsewhere_is_refused(tmp_path: Path) -> None:
    riverside = station_dir(tmp_path, "HX01", "Riverside")
    copy = tmp_path / "copy.db"
    ok("db", "backup", str(copy), data_dir=riverside)
    with held_open(riverside / "station.db"):
        refused(riverside, str(copy), reason="close it first")
