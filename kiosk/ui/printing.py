"""Printing a slip from the desk: preview, a printer chosen by the person, or a PDF.

The drawing itself belongs to kiosk.ui.slip_printer (the slips issue); this
module only offers Qt's dialogs around it. Qt's print support is imported
when a slip is first printed, not at start-up.
"""

from __future__ import annotations

import importlib
import importlib.util
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QWidget

from kiosk.ui.widgets import settle_top_level

PAPERS = ("80mm", "58mm", "a6")


def available() -> bool:
    try:
        return importlib.util.find_spec("kiosk.ui.slip_printer") is not None
    except (ImportError, ValueError):
        return False


def _printer_module() -> Any:
    return importlib.import_module("kiosk.ui.slip_printer")


def to_pdf(view: Any, path: Path, paper: str) -> Path:
    _printer_module().print_slip(view, pdf=Path(path), paper=paper)
    return Path(path)


def preview(parent: QWidget, view: Any, paper: str) -> QWidget:
    """Qt's print preview of the slip; printing from it goes to the printer it shows."""
    from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog

    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    dialog = QPrintPreviewDialog(printer, parent)
    render = _printer_module().render
    dialog.paintRequested.connect(lambda target: render(target, view, paper))
    settle_top_level(dialog, 720, 640)
    dialog.open()
    return dialog


def choose_printer(parent: QWidget, view: Any, paper: str, *,
                   printer_name: str = "") -> QWidget:
    """Qt's printer dialog (any installed printer, or 'print to file'), then print.

    `printer_name` (the station's setting) is chosen first when it is installed.
    """
    from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrinterInfo

    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    if printer_name and printer_name in QPrinterInfo.availablePrinterNames():
        printer.setPrinterName(printer_name)
    dialog = QPrintDialog(printer, parent)
    render = _printer_module().render
    dialog.accepted.connect(lambda: render(printer, view, paper))
    settle_top_level(dialog, 560, 420)
    dialog.show()
    return dialog
