import csv
from pathlib import Path

import pytest

from kiosk.db import ledger
from kiosk.db.csvio import export, import_lots
from kiosk.db.requests import create
from kiosk.db.store import Store
from kiosk.db.verify import verify
from kiosk.errors import InvalidInput
from tests.conftest import days, ledger_dump

IBU = "ibuprofen-200mg-tablet"


def write_csv(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)
    return path


def test_import_takes_every_row_in_one_go(station: Store, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "lots.csv", [
        ["item", "units", "expiry", "lot", "source"],
        [IBU, "12", days(100), "A1", "pharmacy"],
        ["antigen-test-kit", "5", days(200), "", ""],
    ])
    lot_ids = import_lots(station, path)
    assert len(lot_ids) == 2
    assert {line.item_id: line.on_hand for line in ledger.stock(station)} == {
        IBU: 12, "antigen-test-kit": 5}
    assert verify(station) == []
    ledger.receive(station, IBU, 1, days(10))
    assert verify(station) == []


@pytest.mark.parametrize(
    ("bad_row", "reason"),
    [
        (["aspirin-9000", "5", days(100), "", ""], "Row 3 .* not in the catalog"),
        ([IBU, "0", days(100), "", ""], "Row 3 .* at least 1"),
        ([IBU, "five", days(100), "", ""], "Row 3 .* whole number"),
        ([IBU, "5", days(-3), "", ""], "Row 3 .* expired"),
        ([IBU, "5", "31/12/2027", "", ""], "Row 3 .* not a date"),
        ([IBU, "5", days(100), "bad\x1blot", ""], "Row 3 .* control character"),
        ([IBU, "5", days(100), "", "market"], "Row 3 .* source"),
        ([IBU, "5"], "Row 3 .* 2 cells"),
    ],
)
def test_one_bad_row_rejects_the_whole_file_and_names_it(
    station: Store, tmp_path: Path, bad_row: list[str], reason: str
) -> None:
    path = write_csv(tmp_path / "lots.csv", [
        ["item", "units", "expiry", "lot", "source"],
        [IBU, "12", days(100), "A1", "pharmacy"],
        bad_row,
        [IBU, "12", days(100), "A3", "pharmacy"],
    ])
    before = ledger_dump(station.path)
    with pytest.raises(InvalidInput, match=reason):
        import_lots(station, path)
    assert ledger_dump(station.path) == before


def test_a_file_without_the_needed_columns_is_refused(station: Store, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "lots.csv", [["name", "count"], [IBU, "3"]])
    with pytest.raises(InvalidInput, match="no column item, units, expiry"):
        import_lots(station, path)
    binary = tmp_path / "lots.bin"
    binary.write_bytes(b"\xff\xfe\x00\x81" * 50)
    with pytest.raises(InvalidInput, match="not a readable UTF-8 CSV"):
        import_lots(station, binary)


def test_exports_have_a_header_and_masked_phones(station: Store, tmp_path: Path) -> None:
    ledger.receive(station, IBU, 12, days(100))
    create(station, IBU, 2, phone="13812345678")
    assert export(station, "stock", tmp_path / "stock.csv") == 1
    assert export(station, "movements", tmp_path / "movements.csv") == 1
    assert export(station, "requests", tmp_path / "requests.csv") == 1
    requests_text = (tmp_path / "requests.csv").read_text("utf-8")
    assert "*******5678" in requests_text and "138" not in requests_text
    with (tmp_path / "stock.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert rows[0]["item"] == IBU and rows[0]["available"] == "12"
