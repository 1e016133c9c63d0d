"""Numbered receipts for residents: drawn with QPainter on a receipt roll, a printer or a PDF.

A receipt is a list of lines already in the resident's language (built on
the GUI thread with tr()); printing it is a job for the worker thread
(kiosk_jobs.print_receipt), since a PDF is a disk write and a printer may be
slow to answer. QPainter may paint on a QPdfWriter or QPrinter from another
thread; the font is registered once, on the GUI thread, by `prepare()`.

`ReceiptPrinter` is the interface; the kiosk uses the station's configured
printer (`SystemReceiptPrinter`) or, with none configured, writes PDFs into
the data folder's receipts/ (`PdfReceiptPrinter`), which is also what the
tests use.
"""

from __future__ import annotations

import contextlib
import math
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from PySide6.QtCore import QMarginsF, QRectF, QSizeF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QPagedPaintDevice,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
)

from kiosk.errors import MedShareError

DPI = 203  # a thermal receipt printer: 8 dots per mm
WIDTHS_MM = {"58mm": (58.0, 5.0), "80mm": (80.0, 4.0), "a6": (105.0, 7.0)}  # paper, margin
KEEP_PDF_DAYS = 30  # receipts may show a masked phone number: keep them no longer than that


@dataclass(frozen=True)
class ReceiptLine:
    text: str
    points: float = 9.0
    bold: bool = False
    centre: bool = False
    rule_after: bool = False


@dataclass(frozen=True)
class Receipt:
    kind: str  # "request" or "pledge"
    number: int
    lines: tuple[ReceiptLine, ...]

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)


@dataclass(frozen=True)
class Printed:
    where: str  # a file or a printer's name
    on_paper: bool  # False: the resident gets no paper (the screen says to note the number)


class ReceiptPrinter(Protocol):
    def print_receipt(self, receipt: Receipt) -> Printed:
        """Print one receipt (on the worker thread); say where it went."""
        ...


_family: str | None = None


def prepare() -> str:
    """Register the shipped CJK font on the GUI thread (the slips use the same one)."""
    global _family
    if _family is None:
        from kiosk.ui.slip_printer import load_slip_font

        _family = load_slip_font()
    return _family


def _font(points: float, dpi: float, *, bold: bool) -> QFont:
    font = QFont(_family or "")
    font.setPixelSize(max(6, round(points * dpi / 72)))
    font.setBold(bold)
    return font


def render(device: QPagedPaintDevice, receipt: Receipt, paper: str = "80mm") -> None:
    """Lay out and paint a receipt on a fresh QPdfWriter or QPrinter (one page)."""
    width_mm, margin_mm = WIDTHS_MM.get(paper, WIDTHS_MM["80mm"])
    dpi = float(device.logicalDpiX())
    margin = round(margin_mm * dpi / 25.4)
    width = round(width_mm * dpi / 25.4) - 2 * margin
    gap = round(0.8 * dpi / 25.4)
    blocks: list[tuple[ReceiptLine, QFont, int, int]] = []
    for line in receipt.lines:
        font = _font(line.points, dpi, bold=line.bold)
        flags = int((Qt.AlignmentFlag.AlignHCenter if line.centre else Qt.AlignmentFlag.AlignLeft)
                    | Qt.TextFlag.TextWordWrap)
        bounds = QFontMetricsF(font).boundingRect(QRectF(0, 0, width, 1_000_000), flags,
                                                   line.text)
        blocks.append((line, font, flags, math.ceil(bounds.height()) + 1))
    content = sum(height + gap + (3 * gap if line.rule_after else 0)
                  for line, _font_, _flags, height in blocks)
    if paper == "a6":
        size = QPageSize(QPageSize.PageSizeId.A6)
    else:
        size = QPageSize(QSizeF(width_mm, (content + 2 * margin) * 25.4 / dpi),
                         QPageSize.Unit.Millimeter, f"{paper} receipt",
                         QPageSize.SizeMatchPolicy.ExactMatch)
    page = QPageLayout(size, QPageLayout.Orientation.Portrait, QMarginsF(0, 0, 0, 0),
                       QPageLayout.Unit.Millimeter, QMarginsF(0, 0, 0, 0))
    if not device.setPageLayout(page):
        raise MedShareError(f"The printer does not accept {paper} paper.")
    painter = QPainter()
    if not painter.begin(device):
        raise MedShareError("The printer could not start the page; check that it is ready.")
    try:
        painter.setPen(QColor("black"))
        top = margin
        for line, font, flags, height in blocks:
            painter.setFont(font)
            painter.drawText(QRectF(margin, top, width, height), flags, line.text)
            top += height + gap
            if line.rule_after:
                painter.fillRect(QRectF(margin, top + gap, width, max(1, gap // 3)),
                                 QColor("black"))
                top += 3 * gap
    finally:
        painter.end()


class PdfReceiptPrinter:
    """Receipts as PDF files in a folder (no printer configured, the demo, the tests)."""

    def __init__(self, folder: Path, paper: str = "80mm", keep_days: int = KEEP_PDF_DAYS) -> None:
        self.folder = Path(folder)
        self.paper = paper
        self.keep_days = keep_days

    def path_for(self, receipt: Receipt) -> Path:
        return self.folder / f"{receipt.kind}-{receipt.number:06d}.pdf"

    def print_receipt(self, receipt: Receipt) -> Printed:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise MedShareError(f"Cannot write receipts into {self.folder}: "
                                f"{error.strerror}.") from None
        self._forget_old()
        path = self.path_for(receipt)
        writer = QPdfWriter(str(path))
        writer.setResolution(DPI)
        writer.setCreator("MedShare Kiosk")
        writer.setTitle(f"MedShare {receipt.kind} {receipt.number}")
        render(writer, receipt, self.paper)
        del writer  # finishes and closes the file
        if not path.is_file() or path.stat().st_size == 0:
            raise MedShareError(f"Could not write {path}; check the folder is writable.")
        return Printed(str(path), on_paper=False)

    def _forget_old(self) -> None:
        cutoff = time.time() - self.keep_days * 86_400
        for old in self.folder.glob("*.pdf"):
            with contextlib.suppress(OSError):
                if old.stat().st_mtime < cutoff:
                    os.remove(old)


class SystemReceiptPrinter:
    """An installed printer (CUPS queue) by name, such as a 58/80 mm thermal printer."""

    def __init__(self, name: str, paper: str = "80mm") -> None:
        self.name = name
        self.paper = paper

    def print_receipt(self, receipt: Receipt) -> Printed:
        from PySide6.QtPrintSupport import QPrinter, QPrinterInfo

        info = QPrinterInfo.printerInfo(self.name)
        if info.isNull():
            raise MedShareError(f"There is no printer called '{self.name}'.")
        printer = QPrinter(info, QPrinter.PrinterMode.HighResolution)
        printer.setDocName(f"MedShare {receipt.kind} {receipt.number}")
        printer.setFullPage(True)
        render(printer, receipt, self.paper)
        if printer.printerState() == QPrinter.PrinterState.Error:
            raise MedShareError(f"The printer '{self.name}' reported an error.")
        return Printed(self.name, on_paper=True)


class ConfiguredPrinter:
    """The station's setting: the printer it names (none named: the system's default), if
    that is installed; else PDFs in the data folder.

    Which printers are installed is asked of the print system (CUPS) at print
    time, on the worker thread, because that question can take a while.
    """

    def __init__(self, name: str, paper: str, folder: Path) -> None:
        self.name = name
        self.paper = paper
        self.folder = Path(folder)

    def resolve(self) -> ReceiptPrinter:
        from PySide6.QtPrintSupport import QPrinterInfo

        name = self.name or QPrinterInfo.defaultPrinterName()
        if name and name in QPrinterInfo.availablePrinterNames():
            return SystemReceiptPrinter(name, self.paper)
        return PdfReceiptPrinter(self.folder, self.paper)

    def print_receipt(self, receipt: Receipt) -> Printed:
        return self.resolve().print_receipt(receipt)
