"""Every number the command lines and the lot import take: a number too large for SQLite,
a negative one, non-ASCII digits, an exponent or nothing is one plain line, no change."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.central import cli as central_cli
from kiosk.cli import main
from kiosk.db import ledger
from kiosk.db.csvio import import_lots
from kiosk.db.store import Store
from kiosk.errors import InvalidInput
from tests.conftest import REAL_CLOCK, days, ledger_dump, run_medshare
from tests.db.test_restore import folder_state

IBU = "ibuprofen-200mg-tablet"
BAD_NUMBERS = ["99999999999999999999999", "-1", "²", "١٠", "１０", "1e3", ""]

# (arguments with N where the number goes, values that are fine there)
STATION_ARGS: list[tuple[list[str], set[str]]] = [
    (["receive", IBU, "N", "--expiry", days(90)], set()),
    (["request", IBU, "N"], set()),
    (["request", IBU, "1", "--household", "N"], set()),
    (["allocate", "N"], set()),
    (["release", "N"], set()),
    (["slip", "status", "N"], set()),
    (["slip", "cancel", "N"], set()),
    (["sync", "run", "--interval", "N"], set()),
    (["init", "--station-code", "NEW1", "--name", "New", "--lat", "N", "--lon", "121"],
     {"-1"}),
    (["init", "--station-code", "NEW1", "--name", "New", "--lat", "31", "--lon", "N"],
     {"-1"}),
]
CASES = [(args, value) for args, fine in STATION_ARGS for value in BAD_NUMBERS
         if value not in fine]


def _fill(args: list[str], value: str) -> list[str]:
    return [value if part == "N" else part for part in args]


@pytest.fixture
def desk(station: Store) -> Path:
    ledger.receive(station, IBU, 10, days(100))
    station.close()
    return station.data_dir()


@pytest.mark.parametrize(("args", "value"), CASES,
                         ids=[f"{' '.join(a[:2])}={v!r}" for a, v in CASES])
def test_station_numbers(desk: Path, tmp_path: Path, args: list[str], value: str,
                         capsys: pytest.CaptureFixture[str]) -> None:
    where = tmp_path / "new" if args[0] == "init" else desk
    dump = ledger_dump(desk / "station.db")
    before = folder_state(desk)
    code = main([*_fill(args, value), "--data-dir", str(where)])
    err = capsys.readouterr().err
    assert code != 0
    assert err.count("\n") == 1 and err.startswith("medshare: "), err
    assert "went wrong" not in err
    assert ledger_dump(desk / "station.db") == dump
    assert folder_state(desk) == before
    assert not (tmp_path / "new").exists()


CENTRAL_ARGS = [
    ["serve", "--port", "N"],
    ["serve", "--workers", "N"],
    ["stations", "add", "Harbour", "--valid-days", "N"],
]
CENTRAL_CASES = [(args, value) for args in CENTRAL_ARGS for value in BAD_NUMBERS]


@pytest.mark.parametrize(("args", "value"), CENTRAL_CASES,
                         ids=[f"{a[-2]}={v!r}" for a, v in CENTRAL_CASES])
def test_central_numbers(tmp_path: Path, args: list[str], value: str,
                         capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "central.db"
    code = central_cli.main([*_fill(args, value), "--db", f"sqlite:///{db}"])
    err = capsys.readouterr().err
    assert code != 0
    assert err.count("\n") == 1 and err.startswith("medshare-central: "), err
    assert not db.exists()  # refused before anything was opened


def test_a_real_process_says_one_line(desk: Path) -> None:
    # a real station (made in code), so the real clock: the pinned test clock is training-only
    result = run_medshare("allocate", "99999999999999999999999", "--data-dir", str(desk),
                          env=REAL_CLOCK)
    assert result.returncode == 1
    assert result.stderr == "medshare: '99999999999999999999999' is not a request number.\n"


@pytest.mark.parametrize("value", BAD_NUMBERS)
def test_lot_import_cells(station: Store, tmp_path: Path, value: str) -> None:
    lots = tmp_path / "lots.csv"
    lots.write_text(f"item,units,expiry\n{IBU},5,{days(90)}\n{IBU},{value},{days(90)}\n",
                    encoding="utf-8")
    before = ledger_dump(station.path)
    with pytest.raises(InvalidInput, match=r"Row 3 of lots\.csv: Units must be") as raised:
        import_lots(station, lots)
    assert "\n" not in str(raised.value)
    assert ledger_dump(station.path) == before
