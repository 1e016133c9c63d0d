"""Receipts: a PDF on a receipt roll with the number on it, in either language; old PDFs go."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pypdfium2
import pytest
from pytestqt.qtbot import QtBot

from kiosk.ui.kiosk import receipts
from kiosk.ui.kiosk.receipts import (
    ConfiguredPrinter,
    PdfReceiptPrinter,
    Receipt,
    ReceiptLine,
    SystemReceiptPrinter,
)
from tests.ui.kiosk.conftest import pdf_text

RECEIPT = Receipt("request", 42, (
    ReceiptLine("Test Station", 11, bold=True, centre=True, rule_after=True),
    ReceiptLine("No. 42", 26, bold=True, centre=True),
    ReceiptLine("布洛芬片 200mg", 12, bold=True, centre=True),
    ReceiptLine("What happens next: come back after 10:30.", 9),
))


@pytest.fixture(autouse=True)
def font(qtbot: QtBot) -> None:
    receipts.prepare()


@pytest.mark.parametrize(("paper", "width_mm"), [("58mm", 58), ("80mm", 80), ("a6", 105)])
def test_a_receipt_prints_to_a_pdf_page_of_the_paper(tmp_path: Path, paper: str,
                                                     width_mm: int) -> None:
    printed = PdfReceiptPrinter(tmp_path / "receipts", paper).print_receipt(RECEIPT)
    assert not printed.on_paper
    path = Path(printed.where)
    assert path == tmp_path / "receipts" / "request-000042.pdf"
    text = pdf_text(path)
    for line in ("Test Station", "No. 42", "布洛芬片 200mg", "come back after 10:30"):
        assert line in text
    document = pypdfium2.PdfDocument(str(path))
    try:
        assert len(document) == 1
        width, height = document[0].get_size()
    finally:
        document.close()
    assert abs(width / 72 * 25.4 - width_mm) < 1
    if paper != "a6":
        assert height < width * 2  # a roll: as long as the receipt, no more


def test_old_receipts_are_removed(tmp_path: Path) -> None:
    folder = tmp_path / "receipts"
    folder.mkdir()
    old = folder / "request-000001.pdf"
    old.write_bytes(b"%PDF-1.4 old")
    month_ago = time.time() - 31 * 86_400
    os.utime(old, (month_ago, month_ago))
    recent = folder / "pledge-000002.pdf"
    recent.write_bytes(b"%PDF-1.4 recent")
    PdfReceiptPrinter(folder).print_receipt(RECEIPT)
    assert not old.exists() and recent.exists()


def test_no_printer_configured_means_pdfs_in_the_data_folder(tmp_path: Path) -> None:
    from PySide6.QtPrintSupport import QPrinterInfo

    chosen = ConfiguredPrinter("No Such Printer 9000", "58mm", tmp_path / "receipts").resolve()
    assert isinstance(chosen, PdfReceiptPrinter) and chosen.paper == "58mm"
    default = ConfiguredPrinter("", "80mm", tmp_path / "receipts").resolve()
    if QPrinterInfo.defaultPrinterName():
        assert isinstance(default, SystemReceiptPrinter)
    else:
        assert isinstance(default, PdfReceiptPrinter)
