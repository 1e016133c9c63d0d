"""Printing pickup slips with Qt: PDF, any installed printer, or an image for preview.

One layout serves every paper: 58 mm and 80 mm thermal receipt rolls (fixed
width, the height follows the content) and A6 sheets. Everything is laid out
in device pixels, so the QR code is drawn as filled rectangles on whole
device pixels: at least 6 dots per module at 203 dpi (0.75 mm, about what
cheap scanners and phone cameras need), with a 4-module quiet zone.

Text uses the CJK font shipped in resources/fonts (a subset of WenQuanYi
Micro Hei, Apache-2.0), so a Chinese slip prints on a computer without any
CJK font. A QGuiApplication (or QApplication) must exist.

Desk app entry points:

    view = kiosk.db.slips.slip_view(store, slip_id_or_token)
    print_slip(view, pdf=Path("slip.pdf"), paper="58mm")
    print_slip(view, printer="Receipt-58", paper="58mm")
    image = render_image(view, "80mm")          # a QImage for an on-screen preview
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import qrcode
from PySide6.QtCore import QMarginsF, QRect, QRectF, QSizeF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontDatabase,
    QFontMetricsF,
    QImage,
    QPagedPaintDevice,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QPen,
)

from kiosk.db.slips import SlipView
from kiosk.errors import InvalidInput, MedShareError
from kiosk.paths import resources_dir
from kiosk.slips import format_moment

FONT_FILE: Final = "WenQuanYiMicroHei-MedShareSubset.ttf"
REFERENCE_DPI: Final = 203  # the usual thermal receipt printer: 8 dots per mm
INSET: Final = 1 / 64  # of a device pixel, see _Layout.qr
FREE_LINE: Final = "Free of charge — not for sale / 免费领取，禁止转售"


@dataclass(frozen=True)
class Paper:
    name: str
    width_mm: float
    height_mm: float | None  # None: a roll; the page is as long as the slip
    margin_mm: float
    module_dots: int  # QR module size in dots at 203 dpi
    text_scale: float

    @property
    def is_roll(self) -> bool:
        return self.height_mm is None


PAPERS: Final = {
    # 58 mm rolls print 48 mm wide (384 dots), 80 mm rolls 72 mm (576 dots)
    "58mm": Paper("58mm", 58.0, None, 5.0, 6, 1.0),
    "80mm": Paper("80mm", 80.0, None, 4.0, 7, 1.1),
    "a6": Paper("a6", 105.0, 148.0, 7.0, 8, 1.15),
}

LABELS: Final = {
    "en": {
        "title": "MedShare pickup slip",
        "slip": "Slip",
        "window": "Pickup window",
        "hours": "Opening hours",
        "code": "If the QR code does not scan, type this code:",
        "guidance": "How to use",
        "once": "Show this slip at the desk. It can be used once.",
        "lots": "Lot",
        "exp": "exp.",
        "training": "TRAINING — practice slip, not valid at any station",
        "override": "Caution — staff safety override",
    },
    "zh": {
        "title": "MedShare 药品领取单",
        "slip": "领取单号",
        "window": "领取时间",
        "hours": "开放时间",
        "code": "二维码无法扫描时，请输入此代码：",
        "guidance": "用法与注意事项",
        "once": "请在服务台出示此单，仅可使用一次。",
        "lots": "批号",
        "exp": "有效期至",
        "training": "培训用（TRAINING）— 练习单，任何站点均不受理",
        "override": "注意 — 工作人员安全规则破例发放",
    },
}

_font_family: str | None = None


def font_path() -> Path:
    return resources_dir() / "fonts" / FONT_FILE


def load_slip_font() -> str:
    """Register the shipped CJK font with Qt (once) and return its family name."""
    global _font_family
    if _font_family is None:
        path = font_path()
        font_id = QFontDatabase.addApplicationFont(str(path)) if path.is_file() else -1
        families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
        if not families:
            raise MedShareError(
                f"The slip font {path} is missing or damaged; reinstall MedShare."
            )
        _font_family = families[0]
    return _font_family


def paper_spec(name: str) -> Paper:
    key = name.strip().lower().replace(" ", "")
    if key not in PAPERS:
        raise InvalidInput(f"Paper must be one of: {', '.join(PAPERS)} (not '{name}').")
    return PAPERS[key]


def qr_matrix(token: str) -> list[list[bool]]:
    """The QR modules (no quiet zone) at error-correction level Q."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_Q, border=0)
    code.add_data(token)
    code.make(fit=True)
    matrix: list[list[bool]] = code.get_matrix()
    return matrix


def module_pixels(dpi: float, module_dots: int = 6) -> int:
    """Whole device pixels per module, never smaller than `module_dots` dots at 203 dpi."""
    return max(1, math.ceil(module_dots * dpi / REFERENCE_DPI - 1e-9))


# -- layout --------------------------------------------------------------------------------


@dataclass
class _Block:
    height: int
    draw: Callable[[QPainter, int], None]  # (painter, top y)


class _Layout:
    """Blocks stacked top to bottom in device pixels, inside [left, left + width)."""

    def __init__(self, view: SlipView, spec: Paper, dpi: float, left: int, width: int,
                 scale: float) -> None:
        self.view = view
        self.spec = spec
        self.dpi = dpi
        self.left = left
        self.width = width
        self.scale = scale
        self.family = load_slip_font()
        self.blocks: list[_Block] = []

    def font(self, points: float, *, bold: bool = False) -> QFont:
        font = QFont(self.family)
        font.setPixelSize(max(6, round(points * self.scale * self.dpi / 72)))
        font.setBold(bold)
        font.setHintingPreference(QFont.HintingPreference.PreferNoHinting)
        return font

    def mm(self, millimetres: float) -> int:
        return round(millimetres * self.dpi / 25.4)

    def text(self, text: str, points: float, *, bold: bool = False,
             align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignLeft, gap_mm: float = 0.8) -> None:
        if not text:
            return
        font = self.font(points, bold=bold)
        flags = int(align | Qt.TextFlag.TextWordWrap)
        metrics = QFontMetricsF(font)
        bounds = metrics.boundingRect(QRectF(0, 0, self.width, 1_000_000), flags, text)
        height = math.ceil(bounds.height()) + 1
        left, width = self.left, self.width

        def draw(painter: QPainter, top: int) -> None:
            painter.setFont(font)
            painter.setPen(QColor("black"))
            painter.drawText(QRectF(left, top, width, height), flags, text)

        self.blocks.append(_Block(height + self.mm(gap_mm), draw))

    def rule(self) -> None:
        thickness = max(1, self.mm(0.25))
        left, width, gap = self.left, self.width, self.mm(1.2)

        def draw(painter: QPainter, top: int) -> None:
            painter.fillRect(QRect(left, top + gap, width, thickness), QColor("black"))

        self.blocks.append(_Block(thickness + 2 * gap, draw))

    def qr(self, token: str) -> None:
        matrix = qr_matrix(token)
        module = module_pixels(self.dpi, self.spec.module_dots)
        quiet = 4 * module
        side = len(matrix) * module + 2 * quiet
        left = self.left + max(0, (self.width - side) // 2)

        def draw(painter: QPainter, top: int) -> None:
            painter.save()
            painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.fillRect(QRect(left, top, side, side), QColor("white"))
            black = QColor("black")
            for row_index, row in enumerate(matrix):
                y = top + quiet + row_index * module
                column = 0
                while column < len(row):  # one rectangle per run of dark modules
                    if not row[column]:
                        column += 1
                        continue
                    start = column
                    while column < len(row) and row[column]:
                        column += 1
                    # whole device pixels, inset by a hair: rasterisers that round a
                    # fill's edges outwards (pdfium, Ghostscript) then still cover
                    # exactly `module` dots instead of one more
                    painter.fillRect(
                        QRectF(left + quiet + start * module + INSET, y + INSET,
                               (column - start) * module - 2 * INSET, module - 2 * INSET),
                        black,
                    )
            painter.restore()

        self.blocks.append(_Block(side, draw))

    @property
    def height(self) -> int:
        return sum(block.height for block in self.blocks)

    def paint(self, painter: QPainter, top: int) -> None:
        y = top
        for block in self.blocks:
            block.draw(painter, y)
            y += block.height


def _build(view: SlipView, spec: Paper, dpi: float, left: int, width: int,
           scale: float) -> _Layout:
    lang = view.language if view.language in LABELS else "en"
    label = LABELS[lang]
    layout = _Layout(view, spec, dpi, left, width, scale)
    centre = Qt.AlignmentFlag.AlignHCenter
    if view.training:
        layout.text(LABELS["en"]["training"] if lang == "en"
                    else f"{label['training']}\n{LABELS['en']['training']}",
                    10, bold=True, align=centre, gap_mm=0.4)
    layout.text(view.station_name, 11, bold=True, align=centre, gap_mm=0.4)
    layout.text(view.station_address, 8, align=centre, gap_mm=0.2)
    if view.opening_hours:
        layout.text(f"{label['hours']}: {view.hours_text(lang)}", 8, align=centre, gap_mm=0.2)
    layout.rule()
    layout.text(f"{label['title']}  #{view.slip_id}", 9, align=centre)
    layout.text(view.item_name, 12, bold=True, align=centre, gap_mm=0.3)
    if lang != "en":
        layout.text(view.item_name_en, 8, align=centre, gap_mm=0.3)
    layout.text(view.units_text, 16, bold=True, align=centre)
    layout.text(label["window"], 8, align=centre, gap_mm=0.2)
    # both ends on the station's wall clock, inside its opening hours (kiosk/opening.py)
    layout.text(
        f"{format_moment(view.collect_from, lang, view.zone)} – "
        f"{format_moment(view.expires_at, lang, view.zone)}",
        9, bold=True, align=centre, gap_mm=0.3 if view.hours.is_set else 1.0,
    )
    if view.hours.is_set:
        layout.text(view.collect_by_text(lang), 8, align=centre, gap_mm=1.0)
    layout.qr(view.token)
    layout.text(label["code"], 8, align=centre, gap_mm=0.2)
    layout.text(view.short_code, 16, bold=True, align=centre)
    layout.text(label["once"], 8, align=centre)
    layout.rule()
    layout.text(label["override"] if view.override else label["guidance"], 9, bold=True,
                gap_mm=0.3)
    layout.text(view.guidance, 8)
    if view.lots:
        lots = "; ".join(
            f"{label['lots']} {lot.lot_number or lot.lot_id} ({label['exp']} "
            f"{lot.expiry.isoformat()}) ×{lot.units}"
            for lot in view.lots
        )
        layout.text(lots, 7)
    layout.rule()
    free = FREE_LINE
    if QFontMetricsF(layout.font(9, bold=True)).horizontalAdvance(free) > width:
        free = free.replace(" / ", " /\n")  # each language on its own line
    layout.text(free, 9, bold=True, align=centre, gap_mm=0)
    if view.training:
        layout.text(label["training"], 9, bold=True, align=centre, gap_mm=0)
    return layout


def _fit(view: SlipView, spec: Paper, dpi: float, left: int, width: int,
         available: int | None) -> _Layout:
    """The layout at the paper's text size, made smaller if a sheet is too short."""
    scale = spec.text_scale
    layout = _build(view, spec, dpi, left, width, scale)
    while available is not None and layout.height > available and scale > 0.55:
        scale *= 0.92
        layout = _build(view, spec, dpi, left, width, scale)
    return layout


# -- devices -------------------------------------------------------------------------------


def _page_size(spec: Paper, dpi: float, content_height: int, margin: int) -> QPageSize:
    if spec.height_mm is not None:
        return QPageSize(QPageSize.PageSizeId.A6)
    # a whole number of dots, so device pixels fall on the printer's dots
    width_px = round(spec.width_mm * dpi / 25.4)
    height_px = content_height + 2 * margin
    return QPageSize(
        QSizeF(width_px * 25.4 / dpi, height_px * 25.4 / dpi), QPageSize.Unit.Millimeter,
        f"{spec.name} receipt", QPageSize.SizeMatchPolicy.ExactMatch,
    )


def render(device: QPagedPaintDevice, view: SlipView, paper_name: str = "80mm") -> None:
    """Lay out and paint one slip on a fresh QPdfWriter or QPrinter (one page)."""
    spec = paper_spec(paper_name)
    dpi = float(device.logicalDpiX())
    margin = round(spec.margin_mm * dpi / 25.4)
    page_width = round(spec.width_mm * dpi / 25.4)
    width = page_width - 2 * margin
    available = None
    if spec.height_mm is not None:
        available = round(spec.height_mm * dpi / 25.4) - 2 * margin
    layout = _fit(view, spec, dpi, margin, width, available)
    size = _page_size(spec, dpi, layout.height, margin)
    page = QPageLayout(size, QPageLayout.Orientation.Portrait, QMarginsF(0, 0, 0, 0),
                       QPageLayout.Unit.Millimeter, QMarginsF(0, 0, 0, 0))
    if not device.setPageLayout(page):
        raise MedShareError(f"The printer does not accept {spec.name} paper.")
    painter = QPainter()
    if not painter.begin(device):
        raise MedShareError("The printer could not start the page; check that it is ready.")
    try:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
        painter.setPen(QPen(QColor("black")))
        layout.paint(painter, margin)
    finally:
        painter.end()


def render_pdf(view: SlipView, path: Path, paper_name: str = "80mm",
               dpi: int = REFERENCE_DPI) -> Path:
    """Write the slip as a one-page PDF laid out on a `dpi` grid (203: a thermal printer's)."""
    path = Path(path)
    if path.parent and not path.parent.is_dir():
        raise InvalidInput(f"The folder {path.parent} does not exist.")
    writer = QPdfWriter(str(path))
    writer.setResolution(dpi)
    writer.setCreator("MedShare Kiosk")
    writer.setTitle(f"Pickup slip {view.slip_id}")
    render(writer, view, paper_name)
    del writer  # finishes and closes the file
    if not path.is_file() or path.stat().st_size == 0:
        raise MedShareError(f"Could not write {path}; check the folder is writable.")
    return path


def render_image(view: SlipView, paper_name: str = "80mm", dpi: int = REFERENCE_DPI) -> QImage:
    """The slip as a greyscale picture at `dpi`, for a preview or a raster printer."""
    spec = paper_spec(paper_name)
    margin = round(spec.margin_mm * dpi / 25.4)
    page_width = round(spec.width_mm * dpi / 25.4)
    available = None
    page_height = 0
    if spec.height_mm is not None:
        page_height = round(spec.height_mm * dpi / 25.4)
        available = page_height - 2 * margin
    layout = _fit(view, spec, dpi, margin, page_width - 2 * margin, available)
    if spec.height_mm is None:
        page_height = layout.height + 2 * margin
    image = QImage(page_width, page_height, QImage.Format.Format_Grayscale8)
    dots_per_metre = round(dpi / 0.0254)
    image.setDotsPerMeterX(dots_per_metre)
    image.setDotsPerMeterY(dots_per_metre)
    image.fill(QColor("white"))
    painter = QPainter(image)
    try:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        layout.paint(painter, margin)
    finally:
        painter.end()
    return image


def installed_printers() -> list[str]:
    from PySide6.QtPrintSupport import QPrinterInfo

    return list(QPrinterInfo.availablePrinterNames())


def print_to_printer(view: SlipView, name: str, paper_name: str = "80mm") -> str:
    """Send the slip to an installed printer (the system's print service) by name."""
    from PySide6.QtPrintSupport import QPrinter, QPrinterInfo

    info = QPrinterInfo.printerInfo(name)
    if info.isNull():
        names = installed_printers()
        known = f"installed printers: {', '.join(names)}" if names else "no printer is installed"
        raise MedShareError(f"There is no printer called '{name}' ({known}).")
    printer = QPrinter(info, QPrinter.PrinterMode.HighResolution)
    printer.setDocName(f"MedShare pickup slip {view.slip_id}")
    printer.setFullPage(True)
    render(printer, view, paper_name)
    if printer.printerState() == QPrinter.PrinterState.Error:
        raise MedShareError(f"The printer '{name}' reported an error; the slip was not printed.")
    return name


def print_slip(view: SlipView, *, pdf: Path | str | None = None, printer: str | None = None,
               paper: str = "80mm") -> str:
    """Print one slip to a PDF file or an installed printer; returns where it went."""
    if (pdf is None) == (printer is None):
        raise InvalidInput("Print the slip either to a PDF file or to a printer.")
    if pdf is not None:
        return str(render_pdf(view, Path(pdf), paper))
    assert printer is not None
    return print_to_printer(view, printer, paper)
