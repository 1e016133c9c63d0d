"""Printed slips: every paper size renders, the QR decodes at 203 dpi, Chinese prints."""

from __future__ import annotations

import ctypes
import dataclasses
import json
import subprocess
import sys
import textwrap
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_raw
import pytest
import zxingcpp
from PySide6.QtGui import QImage, QRawFont
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QApplication

from kiosk import scanner
from kiosk.db import ledger
from kiosk.db.allocation import allocate
from kiosk.db.requests import create
from kiosk.db.slips import SlipView, slip_view
from kiosk.db.store import Store
from kiosk.errors import InvalidInput, MedShareError
from kiosk.paths import resources_dir
from kiosk.ui import slip_printer
from tests.conftest import days

IBU = "ibuprofen-200mg-tablet"
DPI = 203


def make_view(store: Store, language: str, item: str = IBU, units: int = 6) -> SlipView:
    ledger.receive(store, item, units * 3, days(300), "L2024")
    request = create(store, item, units, language=language)
    [made] = allocate(store, request.id)
    return slip_view(store, int(str(made.extra["slip"])))


@dataclasses.dataclass
class Printed:
    pixels: np.ndarray  # greyscale, 203 dpi
    width_mm: float
    height_mm: float
    pages: int
    text: str
    fonts: set[str]


def read_pdf(path: Path) -> Printed:
    document = pdfium.PdfDocument(str(path))
    try:
        page = document[0]
        width, height = page.get_size()
        bitmap = page.render(scale=DPI / 72, grayscale=True)
        pixels = bitmap.to_numpy()
        if pixels.ndim == 3:
            pixels = pixels[:, :, 0]
        text_page = page.get_textpage()
        text = text_page.get_text_range()
        fonts = set()
        buffer = ctypes.create_string_buffer(256)
        flags = ctypes.c_int()
        for index, char in enumerate(text):
            if "\u4e00" <= char <= "\u9fff":
                pdfium_raw.FPDFText_GetFontInfo(text_page.raw, index, buffer, 256,
                                                ctypes.byref(flags))
                fonts.add(buffer.value.decode("ascii", "replace"))
        return Printed(np.array(pixels), width * 25.4 / 72, height * 25.4 / 72, len(document),
                       text, fonts)
    finally:
        document.close()


def decode(pixels: np.ndarray) -> zxingcpp.Barcode:
    found = zxingcpp.read_barcodes(np.ascontiguousarray(pixels),
                                   formats=zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCode))
    assert len(found) == 1, "exactly one QR code on the slip"
    return found[0]


def qr_geometry(pixels: np.ndarray, barcode: zxingcpp.Barcode) -> tuple[int, int, int, int]:
    """The QR code's dark-module bounding box (inclusive), from zxing's corners refined."""
    p = barcode.position
    xs = [p.top_left.x, p.top_right.x, p.bottom_left.x, p.bottom_right.x]
    ys = [p.top_left.y, p.top_right.y, p.bottom_left.y, p.bottom_right.y]
    x0, y0 = max(0, min(xs) - 3), max(0, min(ys) - 3)
    region = pixels[y0:max(ys) + 4, x0:max(xs) + 4] < 128
    rows = np.flatnonzero(region.any(axis=1))
    cols = np.flatnonzero(region.any(axis=0))
    return x0 + int(cols[0]), y0 + int(rows[0]), x0 + int(cols[-1]), y0 + int(rows[-1])


@pytest.fixture
def app(qapp: QApplication) -> QApplication:
    slip_printer.load_slip_font()
    return qapp


# -- the font ----------------------------------------------------------------------------------


def test_the_shipped_cjk_font_is_small_licensed_and_covers_the_catalog(app: QApplication) -> None:
    path = slip_printer.font_path()
    assert path.is_file() and path.stat().st_size < 3_000_000
    folder = resources_dir() / "fonts"
    assert "Apache License" in (folder / "LICENSE-Apache-2.0.txt").read_text("utf-8")
    assert "pyftsubset" in (folder / "README.md").read_text("utf-8")
    raw = QRawFont(str(path), 12)
    assert raw.isValid()
    catalog = json.loads((resources_dir() / "catalog" / "catalog.json").read_text("utf-8"))
    wanted = set(json.dumps(catalog, ensure_ascii=False)) | set(slip_printer.FREE_LINE)
    for labels in slip_printer.LABELS.values():
        wanted |= set("".join(labels.values()))
    missing = sorted(c for c in wanted if c.isprintable() and not c.isspace()
                     and not raw.supportsCharacter(ord(c)))
    assert missing == []


# -- every paper -------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["en", "zh"])
@pytest.mark.parametrize(("paper", "width_mm"), [("58mm", 58), ("80mm", 80), ("a6", 105)])
def test_each_paper_prints_a_qr_that_decodes_at_203_dpi(
        app: QApplication, station: Store, tmp_path: Path, language: str, paper: str,
        width_mm: float) -> None:
    view = make_view(station, language)
    pdf = tmp_path / f"slip-{paper}.pdf"
    assert slip_printer.print_slip(view, pdf=pdf, paper=paper) == str(pdf)
    printed = read_pdf(pdf)
    assert printed.pages == 1
    assert abs(printed.width_mm - width_mm) < 0.5
    if paper == "a6":
        assert abs(printed.height_mm - 148) < 0.5
    else:
        assert 80 < printed.height_mm < 260  # as long as the slip, no blank roll
    barcode = decode(printed.pixels)
    assert barcode.text == view.token
    assert barcode.ec_level == "Q"
    # pixel-aligned modules of at least 6 dots: the code is pure black and white
    left, top, right, bottom = qr_geometry(printed.pixels, barcode)
    modules = len(slip_printer.qr_matrix(view.token))
    side = right - left + 1
    module = (side + 1) // modules
    assert module >= 6
    # pdfium may grow a long run of modules by one dot, never more
    assert modules * module <= side <= modules * module + 1
    code_area = printed.pixels[top:bottom + 1, left:right + 1]
    assert int(((code_area > 40) & (code_area < 215)).sum()) == 0
    quiet = printed.pixels[top - 4 * module:bottom + 1 + 4 * module,
                           left - 4 * module:right + 1 + 4 * module].copy()
    quiet[4 * module:-4 * module, 4 * module:-4 * module] = 255
    assert int(quiet.min()) > 215, "4 white modules all round"
    # and the kiosk's scanner service reads it too
    assert scanner.scan_image(printed.pixels).text == view.token


def test_the_slip_says_everything_the_resident_and_the_desk_need(
        app: QApplication, station: Store, tmp_path: Path) -> None:
    view = make_view(station, "zh")
    printed = read_pdf(Path(slip_printer.print_slip(view, pdf=tmp_path / "s.pdf",
                                                    paper="80mm")))
    flat = printed.text.replace("\r", "").replace("\n", "")
    item = station.item(IBU)
    for expected in ("Test Station", "1 Test Road", item.name_zh, item.name_en, "6 片",
                     view.short_code, "Free of charge — not for sale", "免费领取，禁止转售",
                     "领取时间", "2026年11月23日", "L2024"):
        assert expected in flat, expected
    assert item.guidance_zh[:40] in flat
    english = make_view(station, "en", "antigen-test-kit", 1)
    printed = read_pdf(Path(slip_printer.print_slip(english, pdf=tmp_path / "e.pdf",
                                                    paper="58mm")))
    flat = " ".join(printed.text.split())
    assert "1 kit" in flat and "Pickup window" in flat and "Mon 23 Nov 2026" in flat
    assert " ".join(station.item("antigen-test-kit").guidance_en.split())[:30] in flat


def test_the_printed_window_is_on_the_stations_clock_inside_its_hours(
        app: QApplication, tmp_path: Path) -> None:
    from kiosk.clock import Clock
    from kiosk.db.station import init

    store = init(tmp_path / "sh", "SH01", "Xuhui Centre", opening_hours="Mon-Sat 9:00-17:00",
                 timezone="Asia/Shanghai")
    # Saturday 21 Nov 2026, 16:50 in Shanghai
    store.clock = Clock(datetime(2026, 11, 21, 8, 50, tzinfo=UTC))
    for language, paper in (("zh", "80mm"), ("en", "58mm")):
        view = make_view(store, language)
        printed = read_pdf(Path(slip_printer.print_slip(view, pdf=tmp_path / f"{language}.pdf",
                                                        paper=paper)))
        flat = " ".join(printed.text.split())
        if language == "zh":
            for expected in ("周一至周六 09:00-17:00", "2026年11月21日（周六）16:50",
                             "2026年11月23日（周一）17:00", "服务台下班"):
                assert expected in flat.replace(" ", "") or expected in flat, expected
        else:
            for expected in ("Mon-Sat 09:00-17:00", "Sat 21 Nov 2026, 16:50",
                             "Collect by Mon 23 Nov 2026, 17:00, when the desk closes"):
                assert expected in flat, expected
    store.close()


def test_a_receipt_is_as_long_as_its_content(app: QApplication, station: Store,
                                             tmp_path: Path) -> None:
    short = make_view(station, "en", "antigen-test-kit", 1)
    long = dataclasses.replace(short, guidance=short.guidance * 4)
    heights = []
    for view, name in ((short, "short"), (long, "long")):
        pdf = tmp_path / f"{name}.pdf"
        slip_printer.print_slip(view, pdf=pdf, paper="58mm")
        heights.append(read_pdf(pdf).height_mm)
    assert heights[1] > heights[0] + 20


def test_a_long_slip_still_fits_one_a6_sheet(app: QApplication, station: Store,
                                             tmp_path: Path) -> None:
    view = make_view(station, "zh")
    long = dataclasses.replace(view, guidance=view.guidance * 3)
    pdf = tmp_path / "a6.pdf"
    slip_printer.print_slip(long, pdf=pdf, paper="a6")
    printed = read_pdf(pdf)
    assert printed.pages == 1 and abs(printed.height_mm - 148) < 0.5
    assert decode(printed.pixels).text == view.token
    assert "免费领取，禁止转售" in printed.text.replace("\n", "").replace("\r", "")


def test_chinese_prints_on_a_computer_without_any_cjk_font(station: Store,
                                                           tmp_path: Path) -> None:
    """A separate process whose fontconfig knows no font at all renders a Chinese slip."""
    view = make_view(station, "zh")
    config = tmp_path / "fonts.conf"
    config.write_text(
        '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd">'
        f"<fontconfig><cachedir>{tmp_path / 'cache'}</cachedir></fontconfig>", "utf-8")
    pdf = tmp_path / "bare.pdf"
    script = textwrap.dedent(f"""
        import sys
        from pathlib import Path
        from PySide6.QtGui import QFontDatabase, QGuiApplication
        app = QGuiApplication([])
        cjk = [f for f in QFontDatabase.families()
               if QFontDatabase.WritingSystem.SimplifiedChinese in QFontDatabase.writingSystems(f)]
        assert cjk == [], cjk
        from kiosk.db.station import open_station
        from kiosk.db.slips import slip_view
        from kiosk.ui.slip_printer import print_slip
        store = open_station(Path({str(station.data_dir())!r}))
        print_slip(slip_view(store, {view.slip_id}), pdf={str(pdf)!r}, paper="58mm")
    """)
    env = {"FONTCONFIG_FILE": str(config), "QT_QPA_PLATFORM": "offscreen",
           "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True,
                          text=True, timeout=60, cwd=Path(__file__).parents[2])
    assert done.returncode == 0, done.stderr
    printed = read_pdf(pdf)
    assert printed.fonts == {"WenQuanYiMicroHei"}
    flat = printed.text.replace("\r", "").replace("\n", "")
    assert station.item(IBU).guidance_zh[:30] in flat
    assert decode(printed.pixels).text == view.token


# -- other devices -----------------------------------------------------------------------------


def test_the_preview_image_is_a_203_dpi_receipt(app: QApplication, station: Store) -> None:
    view = make_view(station, "en")
    image = slip_printer.render_image(view, "58mm")
    assert image.width() == round(58 / 25.4 * DPI)
    assert image.format() == QImage.Format.Format_Grayscale8
    pixels = np.frombuffer(image.constBits(), np.uint8).reshape(
        image.height(), image.bytesPerLine())[:, :image.width()]
    assert scanner.scan_image(np.ascontiguousarray(pixels)).text == view.token
    # Qt's own rasteriser shows the exact geometry: whole 6-pixel modules, nothing grey
    found = decode(pixels)
    left, top, right, bottom = qr_geometry(pixels, found)
    modules = len(slip_printer.qr_matrix(view.token))
    assert (right - left + 1, bottom - top + 1) == (modules * 6, modules * 6)
    code_area = pixels[top:bottom + 1, left:right + 1]
    assert set(np.unique(code_area).tolist()) == {0, 255}


def test_a_qprinter_gets_the_same_slip_at_its_own_resolution(
        app: QApplication, station: Store, tmp_path: Path) -> None:
    view = make_view(station, "zh")
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printer.pdf"))
    printer.setFullPage(True)
    slip_printer.render(printer, view, "80mm")
    printed = read_pdf(tmp_path / "printer.pdf")
    assert abs(printed.width_mm - 80) < 0.5
    barcode = decode(printed.pixels)
    assert barcode.text == view.token
    left, _, right, _ = qr_geometry(printed.pixels, barcode)
    assert (right - left + 1) / len(slip_printer.qr_matrix(view.token)) >= 6


def test_module_size_never_drops_below_6_dots_at_203_dpi() -> None:
    for dpi in (96, 150, 203, 300, 600, 1200):
        assert slip_printer.module_pixels(dpi) / dpi >= 6 / 203 - 1e-9
    assert slip_printer.module_pixels(203) == 6


def test_printing_mistakes_are_plain(app: QApplication, station: Store, tmp_path: Path) -> None:
    view = make_view(station, "en")
    with pytest.raises(InvalidInput, match="either to a PDF file or to a printer"):
        slip_printer.print_slip(view)
    with pytest.raises(InvalidInput, match="either to a PDF file or to a printer"):
        slip_printer.print_slip(view, pdf=tmp_path / "x.pdf", printer="Receipt")
    with pytest.raises(InvalidInput, match="Paper must be one of: 58mm, 80mm, a6"):
        slip_printer.print_slip(view, pdf=tmp_path / "x.pdf", paper="letter")
    with pytest.raises(MedShareError, match="no printer called 'No Such Printer'"):
        slip_printer.print_slip(view, printer="No Such Printer")
    with pytest.raises(InvalidInput, match="does not exist"):
        slip_printer.print_slip(view, pdf=tmp_path / "missing" / "x.pdf")


def test_a_long_qt_session_does_not_crash_the_interpreter(tmp_path: Path) -> None:
    """PySide6 6.12.0 on Python 3.11 drops a reference to None on every Qt call that
    returns nothing and aborts after a few thousand; pyproject keeps PySide6 below 6.12.
    This fails if an install ever brings that build back."""
    script = textwrap.dedent("""
        import sys
        from PySide6.QtGui import QGuiApplication
        from PySide6.QtCore import QObject
        app = QGuiApplication([])
        import kiosk.ui.slip_printer
        probe = QObject()
        for _ in range(50_000):
            probe.setObjectName("x")
        print("still alive")
    """)
    env = {"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True,
                          text=True, timeout=60, cwd=Path(__file__).parents[2])
    assert done.returncode == 0, done.stderr
    assert "still alive" in done.stdout


def test_a_childs_slip_issued_by_override_prints_the_override_not_adults_only(
        app: QApplication, station: Store, tmp_path: Path) -> None:
    spray = "xylometazoline-0-1pct-nasal-spray"
    ledger.receive(station, spray, 3, days(300), "NS1")
    request = create(station, spray, 1, priority="child", staff="amy",
                     override_reason="she is 11 and a half; pharmacist agreed")
    [made] = allocate(station, request.id)
    pdf = tmp_path / "child.pdf"
    slip_printer.print_slip(slip_view(station, int(str(made.extra["slip"]))), pdf=pdf,
                            paper="80mm")
    text = " ".join(read_pdf(pdf).text.split())
    assert "Caution — staff safety override" in text
    assert "she is 11 and a half; pharmacist agreed" in text
    assert "ask a pharmacist or doctor how to use it" in text
    assert "12 and over" not in text and "How to use" not in text
    assert decode(read_pdf(pdf).pixels).text == made.extra["token"]
