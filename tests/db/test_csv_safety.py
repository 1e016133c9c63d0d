"""Every CSV the station writes is safe to open in a spreadsheet: a text cell that
would run as a formula gets a leading apostrophe (OWASP), and our own numbers stay
numbers. Each export is read back."""

from __future__ import annotations

import csv
from pathlib import Path
from types import SimpleNamespace

import pytest

from kiosk.db import csvio, ledger, reports
from kiosk.db.csvout import FORMULA_START, safe_cell
from kiosk.db.requests import create
from kiosk.db.store import Store
from tests.conftest import days, run_medshare

IBU = "ibuprofen-200mg-tablet"
LINK = '=HYPERLINK("http://x","y")'
LOTS = ("+SUM(A1:A9)", "@cmd", "-2+3", "=1+1")
STAFF = (LINK, "\tTAB", "\rCR", "+plus", "@at", "-minus")


def read_back(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def assert_nothing_runs(rows: list[list[str]]) -> None:
    for row in rows:
        for cell in row:
            if cell.startswith(FORMULA_START):
                float(cell)  # only a number of ours (such as -6) may start with "-"


@pytest.mark.parametrize(("value", "written"), [
    (LINK, "'" + LINK), ("+1", "'+1"), ("-1", "'-1"), ("@SUM(1)", "'@SUM(1)"),
    ("\tx", "'\tx"), ("\rx", "'\rx"), ("plain", "plain"), ("a=b", "a=b"),
    (-6, -6), (3, 3), (0.5, 0.5), (None, ""), (True, "True"),
])
def test_a_cell_that_could_run_gets_an_apostrophe_and_numbers_stay(
        value: object, written: object) -> None:
    assert safe_cell(value) == written


def hostile(station: Store) -> None:
    for lot, staff in zip(LOTS, STAFF, strict=False):
        ledger.receive(station, IBU, 6, days(20), lot, "donation", staff=staff)
    for staff in STAFF[len(LOTS):]:
        ledger.receive(station, IBU, 1, days(20), "", "donation", staff=staff)
    create(station, IBU, 2, phone="13812345678")


def test_every_export_and_every_report_reads_back_without_a_formula(
        station: Store, tmp_path: Path) -> None:
    hostile(station)
    ledger.expire(station, staff=LINK)
    for what in ("stock", "movements", "requests"):
        path = tmp_path / f"{what}.csv"
        csvio.export(station, what, path)
        assert_nothing_runs(read_back(path))
    movements = read_back(tmp_path / "movements.csv")
    staff_column = movements[0].index("staff")
    assert {row[staff_column] for row in movements[1:]} >= {
        "'" + LINK, "'\tTAB", "'\rCR", "'+plus", "'@at", "'-minus"}
    from kiosk.ui import manager_jobs  # the manager console's export

    ctx = SimpleNamespace(store=station)
    for name in reports.REPORTS:
        path = tmp_path / f"report-{name}.csv"
        manager_jobs.export_report(ctx, name, path, 30)  # type: ignore[arg-type]
        assert_nothing_runs(read_back(path))
    expiring = read_back(tmp_path / "report-expiring.csv")
    lot_column = expiring[0].index("lot_number")
    assert {row[lot_column] for row in expiring[1:]} >= {"'" + lot for lot in LOTS}


def test_the_command_line_export_neutralises_a_staff_name(tmp_path: Path) -> None:
    data = ["--data-dir", str(tmp_path / "station")]
    assert run_medshare("init", "--station-code", "CSV1", "--name", "CSV", *data).returncode == 0
    made = run_medshare("receive", IBU, "6", "--expiry", days(90), "--lot", "@lot",
                        "--staff", LINK, *data)
    assert made.returncode == 0, made.stderr
    path = tmp_path / "movements.csv"
    assert run_medshare("export", "movements", "--csv", str(path), *data).returncode == 0
    header, row = read_back(path)
    assert row[header.index("staff")] == "'" + LINK
    assert row[header.index("units")] == "6"
