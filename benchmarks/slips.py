"""Pickup slip benchmarks (issue 3). One line per figure: `name value unit`.

    QT_QPA_PLATFORM=offscreen python benchmarks/slips.py [--quick]

- issue + render to PDF per slip: allocate (reserve + issue the slip in one
  durable transaction), build the printer's view, lay out and write a 58 mm
  PDF with the QR code and Chinese text (median and p99 over the run);
- decode a 640x480 camera-like frame: a tilted, unevenly lit, blurred, noisy
  greyscale frame with a slip's QR code, through `kiosk.scanner.scan_image`;
- verify + redeem: parse and check the token, then the one durable write
  transaction that dispenses and marks the slip collected (p50 and p99).
Budgets: render <= 50 ms, decode <= 15 ms, redeem p99 <= 10 ms.
"""

from __future__ import annotations

import argparse
import contextlib
import math
import os
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

if sys.platform.startswith("linux") and not (os.environ.get("DISPLAY")
                                             or os.environ.get("WAYLAND_DISPLAY")):
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np
import qrcode

from benchmarks.common import emit, percentile
from kiosk.clock import Clock
from kiosk.db import ledger
from kiosk.db import slips as slip_store
from kiosk.db.allocation import allocate
from kiosk.db.requests import create
from kiosk.db.station import init
from kiosk.db.store import Store
from kiosk.scanner import scan_image

NOW = datetime(2026, 11, 21, 10, tzinfo=UTC)
ITEM = "paracetamol-500mg-tablet"


def new_station(root: Path, name: str, stock: int) -> Store:
    store = init(root / name, "BENCH", "Riverside Community Centre 河滨社区中心",
                 "12 Riverside Road, Xuhui District")
    store.clock = Clock(NOW)
    expiry = (NOW.date() + timedelta(days=300)).isoformat()
    for lot in range(0, stock, 5000):
        ledger.receive(store, ITEM, min(5000, stock - lot), expiry, f"L{lot}")
    return store


def issue_one(store: Store, n: int) -> str:
    request = create(store, ITEM, 2, language="zh" if n % 2 else "en")
    [made] = allocate(store, request.id, staff="bench")
    return str(made.extra["token"])


def bench_render(root: Path, count: int) -> None:
    from PySide6.QtGui import QGuiApplication

    from kiosk.ui.slip_printer import load_slip_font, render_pdf

    app = QGuiApplication.instance() or QGuiApplication(["bench"])
    load_slip_font()  # once per application, like the desk app at start-up
    store = new_station(root, "render", count * 2 + 10)
    out = root / "pdf"
    out.mkdir()
    # one warm-up slip: Qt's PDF engine and font caches
    render_pdf(slip_store.slip_view(store, issue_one(store, 0)), out / "warm.pdf", "58mm")
    total: list[float] = []
    render: list[float] = []
    for n in range(1, count + 1):
        start = time.perf_counter()
        token = issue_one(store, n)
        view = slip_store.slip_view(store, token)
        middle = time.perf_counter()
        render_pdf(view, out / f"slip-{n}.pdf", "58mm")
        end = time.perf_counter()
        total.append(end - start)
        render.append(end - middle)
    emit("slip_issue_and_render_pdf_p50", percentile(total, 0.5) * 1000, "ms")
    emit("slip_issue_and_render_pdf_p99", percentile(total, 0.99) * 1000, "ms")
    emit("slip_render_pdf_only_p50", percentile(render, 0.5) * 1000, "ms")
    store.close()
    del app


def camera_frame(text: str, seed: int) -> np.ndarray:
    """640x480 grey: the QR printed at ~5 px/module, tilted 7 degrees, lit from one side,
    blurred and noisy (the same model as tests/test_scanner.py)."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_Q, border=4)
    code.add_data(text)
    code.make(fit=True)
    modules = np.array(code.get_matrix(), dtype=bool)
    size = modules.shape[0]
    ys, xs = np.mgrid[0:480, 0:640].astype(np.float64)
    theta = math.radians(7)
    u = (math.cos(theta) * (xs - 352) + math.sin(theta) * (ys - 230)) / 5.0
    v = (-math.sin(theta) * (xs - 352) + math.cos(theta) * (ys - 230)) / 5.0
    col = np.floor(u + size / 2).astype(int)
    row = np.floor(v + size / 2).astype(int)
    inside = (col >= 0) & (col < size) & (row >= 0) & (row < size)
    dark = np.zeros((480, 640), dtype=bool)
    dark[inside] = modules[row[inside], col[inside]]
    lighting = 150 + 60 * (xs / 640) + 20 * (ys / 480)
    frame = np.where(dark, lighting * 0.25, lighting)
    blurred = (frame + np.roll(frame, 1, 0) + np.roll(frame, 1, 1)
               + np.roll(frame, -1, 0) + np.roll(frame, -1, 1)) / 5
    noisy = blurred + np.random.default_rng(seed).normal(0, 14, blurred.shape)
    return np.clip(noisy, 0, 255).astype(np.uint8)


def bench_decode(count: int) -> None:
    from kiosk import slips

    frames = [camera_frame(slips.make_token("BENCH", 1000 + n, b"s" * 32, "ab" * 8).text, n)
              for n in range(8)]
    scan_image(frames[0])  # warm-up
    times: list[float] = []
    for n in range(count):
        frame = frames[n % len(frames)]
        start = time.perf_counter()
        scan_image(frame)
        times.append(time.perf_counter() - start)
    emit("slip_decode_640x480_frame_p50", percentile(times, 0.5) * 1000, "ms")
    emit("slip_decode_640x480_frame_p99", percentile(times, 0.99) * 1000, "ms")
    blank = np.random.default_rng(1).normal(170, 10, (480, 640)).clip(0, 255).astype(np.uint8)
    empty: list[float] = []
    for _ in range(max(10, count // 10)):
        start = time.perf_counter()
        with contextlib.suppress(slips.Refusal):
            scan_image(blank)
        empty.append(time.perf_counter() - start)
    emit("slip_decode_frame_without_code_p50", percentile(empty, 0.5) * 1000, "ms")


def bench_redeem(root: Path, count: int) -> None:
    store = new_station(root, "redeem", count * 2 + 10)
    tokens = [issue_one(store, n) for n in range(count)]
    times: list[float] = []
    for token in tokens:
        start = time.perf_counter()
        slip_store.redeem(store, token, staff="bench")
        times.append(time.perf_counter() - start)
    emit("slip_verify_and_redeem_p50", percentile(times, 0.5) * 1000, "ms")
    emit("slip_verify_and_redeem_p99", percentile(times, 0.99) * 1000, "ms")
    refused: list[float] = []
    for token in tokens[:50]:
        start = time.perf_counter()
        with contextlib.suppress(slip_store.Refusal):
            slip_store.redeem(store, token)
        refused.append(time.perf_counter() - start)
    emit("slip_second_scan_refused_p50", percentile(refused, 0.5) * 1000, "ms")
    store.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller runs (< 30 s)")
    args = parser.parse_args()
    renders, decodes, redeems = (60, 200, 300) if args.quick else (400, 2000, 3000)
    with tempfile.TemporaryDirectory(prefix="medshare-bench-slips-") as tmp:
        root = Path(tmp)
        bench_render(root, renders)
        bench_decode(decodes)
        bench_redeem(root, redeems)


if __name__ == "__main__":
    main()
