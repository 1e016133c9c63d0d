"""`medshare init --timezone ZONE --hours TEXT`, and days in that zone from the command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kiosk.db.station import get, open_station
from tests.conftest import run_medshare

IBU = "ibuprofen-200mg-tablet"


def init(directory: Path, *extra: str) -> str:
    result = run_medshare("init", "--data-dir", str(directory), "--station-code", "sh01",
                          "--name", "Xuhui Centre", *extra)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_init_takes_the_zone_and_the_hours(tmp_path: Path) -> None:
    out = init(tmp_path / "s", "--timezone", "Asia/Shanghai", "--hours", "周一至周六 9:00-17:00")
    assert "time zone Asia/Shanghai" in out
    store = open_station(tmp_path / "s")
    info = get(store)
    store.close()
    assert (info.timezone, info.opening_hours) == ("Asia/Shanghai", "Mon-Sat 09:00-17:00")


def test_without_timezone_the_station_takes_the_computers(tmp_path: Path) -> None:
    out = init(tmp_path / "s")
    assert "time zone UTC" in out  # the suite runs with TZ=UTC (tests/conftest.py)


@pytest.mark.parametrize(("extra", "words"), [
    (["--timezone", "Asia/Peking"], "not a time zone"),
    (["--timezone", ""], "time zone"),
    (["--hours", "Mon-Sat 17-9"], "ends before it starts"),
    (["--hours", "sometimes"], "not a day or a time"),
])
def test_an_unknown_zone_or_malformed_hours_is_one_line_and_makes_nothing(
        tmp_path: Path, extra: list[str], words: str) -> None:
    result = run_medshare("init", "--data-dir", str(tmp_path / "s"), "--station-code", "sh01",
                          "--name", "Xuhui Centre", *extra)
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and words in lines[0] and "Traceback" not in result.stderr
    assert not (tmp_path / "s" / "station.db").exists()


def test_receive_counts_days_where_the_station_is(tmp_path: Path) -> None:
    init(tmp_path / "s", "--timezone", "Asia/Shanghai")
    one_am_new_year = {"MEDSHARE_NOW": "2026-12-31T17:00:00+00:00"}  # 01:00 on 1 Jan there
    late = run_medshare("receive", IBU, "10", "--expiry", "2026-12-31", "--data-dir",
                        str(tmp_path / "s"), env=one_am_new_year)
    assert late.returncode != 0 and "expired on 2026-12-31" in late.stderr
    today = run_medshare("receive", IBU, "10", "--expiry", "2027-01-01", "--data-dir",
                         str(tmp_path / "s"), env=one_am_new_year)
    assert today.returncode != 0 and "expires today" in today.stderr
    ok = run_medshare("receive", IBU, "10", "--expiry", "2027-01-02", "--data-dir",
                      str(tmp_path / "s"), env=one_am_new_year)
    assert ok.returncode == 0, ok.stderr
    stock = run_medshare("stock", "--json", "--data-dir", str(tmp_path / "s"),
                         env=one_am_new_year)
    assert json.loads(stock.stdout)[0]["earliest_expiry"] == "2027-01-02"
