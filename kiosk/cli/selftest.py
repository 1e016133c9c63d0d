"""`medshare --self-test`: can this installation do a station's work?

Meant for the frozen bundle (CI runs it after every build, and a technician
runs it on a new kiosk) but it works from a checkout too. In a throw-away
data folder it creates a station and a desk account, takes in a lot, logs a
request and matches it (the slip is issued), prints the slip to PDF, renders
it to a picture, reads the QR code back with zxing-cpp and hands the units
over with the code it read; it imports every module of the app, loads the
translations and the Qt plugins a station needs (screen, printing, camera,
JPEG), and shows the desk window and closes it again. Nothing outside the
temporary folder is touched.

One line per check, `ok  NAME (detail)` or `FAIL NAME: what went wrong`,
then a summary; the exit status is 0 only if every check passed. A check
whose prerequisite failed is reported as failed, not silently skipped.
"""

from __future__ import annotations

import os
import platform
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any, TextIO

from kiosk import __version__

STATION_CODE = "SELFTEST"
ITEM = "paracetamol-500mg-tablet"
PAPER = "58mm"


class CheckFailed(Exception):
    """What a check found wrong, in words for the report line."""


@dataclass
class Context:
    """What the checks share: the temporary folder and what earlier checks made."""

    data_dir: Path
    store: Any = None  # kiosk.db.store.Store
    view: Any = None  # kiosk.db.slips.SlipView
    app: Any = None  # QApplication

    def close(self) -> None:
        if self.store is not None:
            self.store.close()
            self.store = None


@dataclass(frozen=True)
class Check:
    name: str
    run: Callable[[Context], str]  # returns a short detail for the ok line
    needs: tuple[str, ...] = field(default=())


def _one_line(error: BaseException) -> str:
    from kiosk.errors import MedShareError

    text = " ".join(str(error).split())
    if isinstance(error, CheckFailed | MedShareError) and text:
        return text
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


# -- the checks ----------------------------------------------------------------------------

# the central endpoint is another program; __main__ would run the command line
NOT_IMPORTED = ("kiosk.central", "kiosk.__main__")


def check_modules(ctx: Context) -> str:
    """Every module of the station app imports (a bundle that left one out fails here)."""
    import importlib
    import pkgutil

    import kiosk

    names = sorted(
        info.name for info in pkgutil.walk_packages(kiosk.__path__, "kiosk.",
                                                    onerror=lambda name: None)
        if not info.name.startswith(NOT_IMPORTED)
    )
    failed: list[str] = []
    for name in names:
        try:
            importlib.import_module(name)
        except Exception as error:
            failed.append(f"{name} ({_one_line(error)})")
    if failed:
        raise CheckFailed(f"{len(failed)} of {len(names)} modules do not import: "
                           + "; ".join(failed))
    if len(names) < 10:
        raise CheckFailed(f"found only {len(names)} modules of kiosk: {', '.join(names)}")
    return f"{len(names)} kiosk modules"


def check_resources(ctx: Context) -> str:
    from kiosk.catalog import load_bundled_catalog
    from kiosk.paths import resources_dir
    from kiosk.ui.i18n import qm_path
    from kiosk.ui.slip_printer import font_path, load_slip_font

    folder = resources_dir()
    if not folder.is_dir():
        raise CheckFailed(f"no resources folder at {folder}")
    catalog = load_bundled_catalog()
    items = [item for item in catalog.items if item.active]
    if not any(item.id == ITEM for item in items):
        raise CheckFailed(f"the catalog in {folder} has no {ITEM}")
    for path in (font_path(), qm_path("zh")):
        if not path.is_file() or path.stat().st_size == 0:
            raise CheckFailed(f"{path} is missing or empty")
    family = load_slip_font()
    return f"{len(items)} catalog items, font {family}, in {folder}"


def check_database(ctx: Context) -> str:
    from kiosk.clock import Clock
    from kiosk.db import staff
    from kiosk.db.allocation import allocate
    from kiosk.db.ledger import receive
    from kiosk.db.requests import create
    from kiosk.db.slips import slip_view
    from kiosk.db.station import init
    from kiosk.db.verify import verify

    # the real clock, always: the check is of this installation, not of a pinned test time
    store = init(ctx.data_dir, STATION_CODE, "Self-test station", "1 Test Road", clock=Clock())
    ctx.store = store
    staff.create(store, "Self Test", "manager", "2468")
    expiry = store.today() + timedelta(days=365)
    lot_id = receive(store, ITEM, 20, expiry.isoformat(), "SELFTEST-LOT", "donation",
                     staff="self-test")
    request = create(store, ITEM, 6, priority="elderly", household=1)
    made = allocate(store, request.id, staff="self-test")
    if len(made) != 1 or made[0].units != 6:
        raise CheckFailed(f"allocation matched {made!r} instead of 6 units of {ITEM}")
    slip_id = made[0].extra.get("slip")
    if slip_id is None:
        raise CheckFailed("allocation issued no slip")
    ctx.view = slip_view(store, int(str(slip_id)))
    problems = verify(store)
    if problems:
        raise CheckFailed("db verify: " + "; ".join(problems))
    return f"lot {lot_id}, request {request.id}, slip {slip_id}, ledger verified"


def check_slip_pdf(ctx: Context) -> str:
    from kiosk.ui.slip_printer import print_slip

    path = ctx.data_dir / "slip.pdf"
    print_slip(ctx.view, pdf=path, paper=PAPER)
    data = path.read_bytes() if path.is_file() else b""
    if not data.startswith(b"%PDF-"):
        raise CheckFailed(f"{path} is not a PDF ({len(data)} bytes)")
    if b"%%EOF" not in data[-64:]:
        raise CheckFailed(f"{path} is cut short ({len(data)} bytes)")
    return f"{PAPER}, {len(data) / 1024:.0f} KiB"


def check_slip_qr(ctx: Context) -> str:
    from kiosk.db.slips import redeem
    from kiosk.scanner import scan_image
    from kiosk.ui.slip_printer import REFERENCE_DPI, render_image

    image = render_image(ctx.view, PAPER, REFERENCE_DPI)
    width, height, stride = image.width(), image.height(), image.bytesPerLine()
    raw = bytes(image.constBits())
    pixels = b"".join(raw[row * stride:row * stride + width] for row in range(height))
    found = scan_image(pixels, width, height)
    if found.text != ctx.view.token:
        raise CheckFailed(f"read {found.text!r} from the slip, expected {ctx.view.token!r}")
    handed = redeem(ctx.store, found.text, "self-test")
    if handed.units != ctx.view.units:
        raise CheckFailed(f"redeemed {handed.units} units, expected {ctx.view.units}")
    return f"{width}x{height} px at {REFERENCE_DPI} dpi, read and redeemed {found.text}"


def check_translations(ctx: Context) -> str:
    from PySide6.QtCore import QLibraryInfo, QTranslator

    from kiosk.ui.i18n import QT_LOCALES, translations

    languages = translations()
    try:
        if not languages.set_language("zh"):
            raise CheckFailed("the Chinese translation of the desk did not load")
    finally:
        languages.set_language("en")
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    qt_own = QTranslator()
    name = f"qtbase_{QT_LOCALES['zh']}"
    if not qt_own.load(name, qt_dir):
        raise CheckFailed(f"Qt's own {name}.qm is not in {qt_dir}")
    return f"zh desk + {name}"


def _required_plugins() -> dict[str, list[str]]:
    """Qt plugins a station loads, by folder: the screen, printing, the camera, JPEG."""
    if sys.platform.startswith("linux"):
        return {
            "platforms": ["libqxcb.so", "libqoffscreen.so"],
            "printsupport": ["libcupsprintersupport.so"],
            "multimedia": ["libffmpegmediaplugin.so"],
            "imageformats": ["libqjpeg.so"],
        }
    if sys.platform == "win32":
        return {
            "platforms": ["qwindows.dll", "qoffscreen.dll"],
            "multimedia": ["ffmpegmediaplugin.dll"],
            "imageformats": ["qjpeg.dll"],
        }
    return {"platforms": ["libqcocoa.dylib", "libqoffscreen.dylib"]}


def check_qt_plugins(ctx: Context) -> str:
    from PySide6.QtCore import QLibraryInfo, QLoggingCategory, QPluginLoader

    # Qt Multimedia names each optional library (VA-API, PipeWire) it did not find and its
    # FFmpeg; the camera works without them (the same rules as the desk's pickup screen)
    QLoggingCategory.setFilterRules(
        "qt.multimedia.symbolsresolver.warning=false\nqt.multimedia.ffmpeg.info=false")

    folder = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.PluginsPath))
    env = os.environ.get("QT_PLUGIN_PATH")
    roots = [Path(part) for part in env.split(os.pathsep)] if env else []
    roots.append(folder)
    loaded: list[str] = []
    problems: list[str] = []
    for kind, names in _required_plugins().items():
        for name in names:
            path = next((root / kind / name for root in roots if (root / kind / name).is_file()),
                        None)
            if path is None:
                problems.append(f"{kind}/{name} is missing")
                continue
            loader = QPluginLoader(str(path))
            if not loader.load():
                problems.append(f"{kind}/{name} does not load: {loader.errorString()}")
                continue
            loaded.append(name)
    if problems:
        raise CheckFailed("; ".join(problems))
    return f"{len(loaded)} loaded from {roots[0]}"


def check_main_window(ctx: Context) -> str:
    from PySide6.QtCore import QEventLoop, QTimer

    from kiosk.clock import Clock
    from kiosk.ui.app import application, build_window

    if ctx.store is not None:
        ctx.close()  # the window opens the station on its own worker thread
    app = application()
    started = time.perf_counter()
    window = build_window(ctx.data_dir, language="en", clock=Clock())
    try:
        loop = QEventLoop()
        window.services.opened.connect(lambda _state: loop.quit())
        QTimer.singleShot(20_000, loop.quit)
        window.show()
        if window.services.state is None:
            loop.exec()
        state = window.services.state
        if state is None:
            raise CheckFailed("the station did not open within 20 s")
        if not state.initialised:
            raise CheckFailed("the window did not see the station")
        if not window.isVisible():
            raise CheckFailed("the window is not visible")
        picture = window.grab()
        if picture.isNull() or picture.width() == 0:
            raise CheckFailed("the window did not paint")
        opened_ms = (time.perf_counter() - started) * 1000
        size = f"{window.width()}x{window.height()}"
    finally:
        window.close()
        window.services.shutdown()
        window.deleteLater()
        app.processEvents()
    return f"{app.platformName()}, {size}, station open in {opened_ms:.0f} ms, closed"


CHECKS: tuple[Check, ...] = (
    Check("modules", check_modules),
    Check("resources", check_resources),
    Check("database", check_database, needs=("resources",)),
    Check("slip-pdf", check_slip_pdf, needs=("database",)),
    Check("slip-qr", check_slip_qr, needs=("database",)),
    Check("translations", check_translations, needs=("resources",)),
    Check("qt-plugins", check_qt_plugins),
    Check("main-window", check_main_window, needs=("database",)),
)


# -- running them --------------------------------------------------------------------------


def run_checks(checks: Sequence[Check], ctx: Context, out: TextIO) -> int:
    """Run each check in order, print its line, return the exit status (0: all passed)."""
    failed: list[str] = []
    for check in checks:
        missing = [name for name in check.needs if name in failed]
        if missing:
            failed.append(check.name)
            out.write(f"FAIL {check.name}: not run, because {', '.join(missing)} failed\n")
            out.flush()
            continue
        try:
            detail = check.run(ctx)
        except Exception as error:
            failed.append(check.name)
            out.write(f"FAIL {check.name}: {_one_line(error)}\n")
        else:
            out.write(f"ok  {check.name}" + (f" ({detail})" if detail else "") + "\n")
        out.flush()
    if failed:
        out.write(f"self-test FAILED: {len(failed)} of {len(checks)} checks "
                  f"({', '.join(failed)})\n")
        return 1
    out.write(f"self-test ok: all {len(checks)} checks\n")
    return 0


def _use_offscreen_without_display() -> None:
    if (sys.platform.startswith("linux") and not os.environ.get("DISPLAY")
            and not os.environ.get("WAYLAND_DISPLAY")):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def describe() -> str:
    from PySide6 import __version__ as pyside_version

    kind = "frozen bundle" if getattr(sys, "frozen", False) else "from source"
    return (f"medshare {__version__} self-test ({kind}, Python {platform.python_version()}, "
            f"PySide6 {pyside_version}, {sys.platform})")


def run_self_test(out: TextIO | None = None, checks: Sequence[Check] = CHECKS) -> int:
    """`medshare --self-test`: all checks in a temporary data folder; 0 only if all pass."""
    stream = out if out is not None else sys.stdout
    _use_offscreen_without_display()
    from kiosk.ui.app import application

    stream.write(describe() + "\n")
    with tempfile.TemporaryDirectory(prefix="medshare-selftest-",
                                     ignore_cleanup_errors=True) as folder:
        ctx = Context(Path(folder) / "station")
        ctx.app = application()
        try:
            return run_checks(checks, ctx, stream)
        finally:
            ctx.close()
