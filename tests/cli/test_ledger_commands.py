"""The `medshare` command line as scripts use it: real processes, real files."""

from __future__ import annotations

import json
import resource
import signal
import subprocess
import sys
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from tests.conftest import NOW, days, ledger_dump, run_medshare

IBU = "ibuprofen-200mg-tablet"


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    directory = tmp_path / "station"
    result = run_medshare("init", "--data-dir", str(directory), "--station-code", "hx01",
                          "--name", "Harbour Centre", "--lat", "31.2", "--lon", "121.5")
    assert result.returncode == 0, result.stderr
    return directory


def ok(*args: str, data_dir: Path, env: dict[str, str] | None = None) -> str:
    result = run_medshare(*args, "--data-dir", str(data_dir), env=env)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_a_day_at_the_desk(data_dir: Path) -> None:
    lot = ok("receive", IBU, "24", "--expiry", days(200), "--lot", "B7", "--source",
             "pharmacy", data_dir=data_dir)
    assert lot.strip() == "1"
    request = ok("request", IBU, "6", "--priority", "elderly", "--phone", "13812345678",
                 data_dir=data_dir)
    assert request.strip() == "1"
    queue = json.loads(ok("requests", "--json", data_dir=data_dir))
    assert queue[0]["phone"] == "*******5678" and queue[0]["priority"] == "elderly"
    allocations = json.loads(ok("allocate", "--json", data_dir=data_dir))
    assert allocations[0]["request"] == 1
    assert allocations[0]["lots"] == [{"lot": 1, "units": 6, "expiry": days(200)}]
    [line] = json.loads(ok("stock", "--json", data_dir=data_dir))
    assert (line["on_hand"], line["reserved"], line["available"]) == (24, 6, 18)
    assert "OK" in ok("db", "verify", data_dir=data_dir)


def test_catalog_list_works_before_any_station_exists(tmp_path: Path) -> None:
    result = run_medshare("catalog", "list", "--json", "--data-dir", str(tmp_path / "none"))
    assert result.returncode == 0
    ids = [item["id"] for item in json.loads(result.stdout)["items"]]
    assert IBU in ids and "antigen-test-kit" in ids


def test_expire_writes_off_what_has_expired_by_now(data_dir: Path) -> None:
    ok("receive", IBU, "5", "--expiry", days(3), data_dir=data_dir)
    later = (NOW.replace(day=NOW.day + 5)).isoformat()
    out = ok("expire", data_dir=data_dir, env={"MEDSHARE_NOW": later})
    assert "lot 1: 5 units written off as expired" in out
    stock = json.loads(ok("stock", "--json", data_dir=data_dir, env={"MEDSHARE_NOW": later}))
    assert stock == []


def test_backup_restore_export_import(data_dir: Path, tmp_path: Path) -> None:
    ok("receive", IBU, "5", "--expiry", days(30), data_dir=data_dir)
    backup = tmp_path / "b.db"
    ok("db", "backup", str(backup), data_dir=data_dir)
    lots = tmp_path / "lots.csv"
    lots.write_text(f"item,units,expiry\n{IBU},7,{days(90)}\n", encoding="utf-8")
    assert "1 lots imported" in ok("import", "lots", str(lots), data_dir=data_dir)
    ok("export", "movements", "--csv", str(tmp_path / "m.csv"), data_dir=data_dir)
    assert len((tmp_path / "m.csv").read_text("utf-8").splitlines()) == 3
    ok("db", "restore", str(backup), data_dir=data_dir)
    [line] = json.loads(ok("stock", "--json", data_dir=data_dir))
    assert line["on_hand"] == 5


BAD_INPUT = [
    (["receive", "unicorn-tears", "5", "--expiry", days(10)], "not in the catalog"),
    (["receive", IBU, "0", "--expiry", days(10)], "at least 1"),
    (["receive", IBU, "-5", "--expiry", days(10)], "at least 1"),
    (["receive", IBU, "1.5", "--expiry", days(10)], "whole number"),
    (["receive", IBU, "5", "--expiry", days(-1)], "expired"),
    (["receive", IBU, "5", "--expiry", "2027-02-30"], "not a date"),
    (["receive", IBU, "5", "--expiry", "soon"], "not a date"),
    (["receive", IBU, "5", "--expiry", days(10), "--lot", "x" * 200], "too long"),
    (["receive", IBU, "5", "--expiry", days(10), "--lot", "a\x1bb"], "control character"),
    (["receive", IBU, "5"], "--expiry"),
    (["request", IBU, "500"], "limit"),
    (["request", IBU, "2", "--phone", "12"], "phone number"),
    (["request", IBU, "2", "--priority", "vip"], "priority group"),
    (["request", IBU, "2", "--household", "0"], "Household size"),
    (["allocate", "abc"], "not a request number"),
    (["allocate", "99"], "no request number 99"),
    (["release", "42"], "no request number 42"),
    (["db", "restore", "/no/such/file.db"], "does not exist"),
    (["export", "stock"], "--csv"),
    (["import", "lots", "/no/such.csv"], "Cannot read"),
    (["frobnicate"], "invalid choice"),
]


@pytest.mark.parametrize(("args", "reason"), BAD_INPUT, ids=[" ".join(a[:3]) for a, _ in BAD_INPUT])
def test_bad_input_is_one_plain_line_and_changes_nothing(
    data_dir: Path, args: list[str], reason: str
) -> None:
    before = ledger_dump(data_dir / "station.db")
    result = run_medshare(*args, "--data-dir", str(data_dir))
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert reason in lines[0]
    assert "Traceback" not in result.stderr
    assert ledger_dump(data_dir / "station.db") == before


def test_a_missing_data_dir_says_how_to_start(tmp_path: Path) -> None:
    result = run_medshare("stock", "--data-dir", str(tmp_path / "missing"))
    assert result.returncode == 1
    assert "medshare init" in result.stderr
    assert not (tmp_path / "missing").exists()


def test_data_dir_comes_from_the_environment(data_dir: Path) -> None:
    result = run_medshare("stock", "--json", env={"MEDSHARE_DATA_DIR": str(data_dir)})
    assert result.returncode == 0 and json.loads(result.stdout) == []


@pytest.fixture
def immutable(data_dir: Path) -> Iterator[Path]:
    """A read-only data folder that even root cannot write (chattr +i)."""
    db = data_dir / "station.db"
    if subprocess.run(["chattr", "+i", str(db), str(data_dir)],
                      capture_output=True).returncode != 0:
        pytest.skip("chattr +i is not available on this filesystem")
    try:
        yield data_dir
    finally:
        subprocess.run(["chattr", "-i", str(data_dir), str(db)], check=True)


def test_a_read_only_data_dir_is_reported_plainly(immutable: Path) -> None:
    before = (immutable / "station.db").read_bytes()
    result = run_medshare("receive", IBU, "5", "--expiry", days(10), "--data-dir", str(immutable))
    assert result.returncode == 1
    assert "read-only" in result.stderr and len(result.stderr.splitlines()) == 1
    assert (immutable / "station.db").read_bytes() == before


def test_a_full_disk_is_reported_plainly_and_nothing_is_saved(data_dir: Path) -> None:
    before = ledger_dump(data_dir / "station.db")
    wal = data_dir / "station.db-wal"
    size = wal.stat().st_size if wal.exists() else 0

    def limit_file_size() -> None:  # the disk "fills up" at the current file sizes
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))

    result = subprocess.run(
        [sys.executable, "-m", "kiosk", "receive", IBU, "5", "--expiry", days(10),
         "--data-dir", str(data_dir)],
        capture_output=True, text=True, preexec_fn=limit_file_size, timeout=60,
    )
    assert result.returncode == 1
    assert "full or failing" in result.stderr and "nothing was saved" in result.stderr
    assert ledger_dump(data_dir / "station.db") == before


def test_housekeeping_closes_overdue_slips_erases_old_phones_and_backs_up(
    data_dir: Path,
) -> None:
    ok("receive", IBU, "10", "--expiry", days(200), data_dir=data_dir)
    ok("request", IBU, "2", "--phone", "13812345678", data_dir=data_dir)
    ok("allocate", data_dir=data_dir)
    first = ok("housekeeping", data_dir=data_dir)
    assert ("0 overdue slips closed, 0 old phone numbers erased, 0 old phone keys destroyed, "
            "backup written") in first
    assert "no backup due" in ok("housekeeping", data_dir=data_dir)
    later = {"MEDSHARE_NOW": (NOW + timedelta(days=40)).isoformat()}
    out = ok("housekeeping", data_dir=data_dir, env=later)
    assert ("1 overdue slips closed, 1 old phone numbers erased, 1 old phone keys destroyed, "
            "backup written") in out
    queue = json.loads(ok("requests", "--json", data_dir=data_dir, env=later))
    assert queue == []  # the slip ran out, the request was cancelled and its units returned
    [line] = json.loads(ok("stock", "--json", data_dir=data_dir, env=later))
    assert line["available"] == 10
    assert len(list((data_dir / "backups").glob("station-*.db"))) == 2
