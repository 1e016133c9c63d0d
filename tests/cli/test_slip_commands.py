"""Slips from the command line, end to end with no mocks: allocate, print, scan, redeem."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
import pytest
import zxingcpp

from kiosk.db import ledger
from kiosk.db.station import init, open_station
from kiosk.db.verify import verify
from tests.conftest import NOW, days, ledger_dump, run_medshare

IBU = "ibuprofen-200mg-tablet"


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    directory = tmp_path / "station"
    # a training station: these tests move the clock with MEDSHARE_NOW
    init(directory, "HX01", "Harbour Centre", "8 Quay Street", 31.2, 121.5, training=True).close()
    return directory


def medshare(*args: str, data_dir: Path, env: dict[str, str] | None = None
             ) -> subprocess.CompletedProcess[str]:
    return run_medshare(*args, "--data-dir", str(data_dir), env=env)


def ok(*args: str, data_dir: Path, env: dict[str, str] | None = None) -> str:
    result = medshare(*args, data_dir=data_dir, env=env)
    assert result.returncode == 0, result.stderr
    return result.stdout


def fails(*args: str, data_dir: Path, words: str) -> str:
    """The command fails with one plain line on stderr and the database is unchanged."""
    before = ledger_dump(data_dir / "station.db")
    result = medshare(*args, data_dir=data_dir)
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("medshare: "), result.stderr
    assert words in lines[0], lines[0]
    assert "Traceback" not in result.stderr
    assert ledger_dump(data_dir / "station.db") == before
    return lines[0]


def allocate_one(data_dir: Path, units: str = "6", language: str = "zh") -> dict[str, object]:
    ok("receive", IBU, "24", "--expiry", days(200), "--lot", "B7", data_dir=data_dir)
    request = ok("request", IBU, units, "--language", language, data_dir=data_dir).strip()
    [made] = json.loads(ok("allocate", request, "--json", data_dir=data_dir))
    assert isinstance(made, dict)
    return made


def decode_pdf(path: Path) -> list[str]:
    document = pdfium.PdfDocument(str(path))
    try:
        assert len(document) == 1
        pixels = document[0].render(scale=203 / 72, grayscale=True).to_numpy()
    finally:
        document.close()
    if pixels.ndim == 3:
        pixels = pixels[:, :, 0]
    return [code.text for code in zxingcpp.read_barcodes(np.ascontiguousarray(pixels))]


def test_allocate_print_scan_redeem_end_to_end(data_dir: Path, tmp_path: Path) -> None:
    made = allocate_one(data_dir)
    token, short_code, slip = str(made["token"]), str(made["short_code"]), made["slip"]
    assert token.startswith("MST:HX01:") and made["expires_at"]  # a training station's
    text = ok("allocate", data_dir=data_dir)
    assert "Nothing to match" in text
    # print at every paper size, from the number, the token and the short code
    for paper, name in (("58mm", str(slip)), ("80mm", token), ("a6", short_code)):
        pdf = tmp_path / f"slip-{paper}.pdf"
        out = ok("slip", "print", name, "--pdf", str(pdf), "--paper", paper, data_dir=data_dir)
        assert f"Slip {slip} ({paper}) sent to {pdf}" in out
        # rasterised at a thermal printer's 203 dpi, the QR gives back the token
        assert decode_pdf(pdf) == [token]
    scanned = decode_pdf(tmp_path / "slip-58mm.pdf")[0]
    status = json.loads(ok("slip", "status", scanned, "--json", data_dir=data_dir))
    assert status["state"] == "ready" and "已备好" in status["message"]["zh"]
    # the scan collects it: exit 0 and what to hand over
    out = ok("redeem", scanned, "--staff", "amy", data_dir=data_dir)
    assert out.startswith(f"TRAINING (practice only; no real station accepts it): "
                          f"Collected slip {slip}: hand over 6 tablets of Ibuprofen")
    assert "lot B7" in out
    # scanning again is refused, saying when and where
    line = fails("redeem", scanned, data_dir=data_dir, words="Already collected on")
    assert "Sat 21 Nov 2026" in line and "Harbour Centre" in line
    fails("redeem", short_code, data_dir=data_dir, words="Already collected on")
    # the ledger shows the hand-over and still verifies
    store = open_station(data_dir)
    try:
        rows = ledger.movements(store.conn, request_id=1)
        assert [(m["kind"], m["units"], m["staff"]) for m in rows] == [
            ("reserved", 6, rows[0]["staff"]), ("dispensed", 6, "amy")]
        assert verify(store) == []
    finally:
        store.close()
    assert "OK" in ok("db", "verify", data_dir=data_dir)
    [line_] = json.loads(ok("stock", "--json", data_dir=data_dir))
    assert (line_["on_hand"], line_["reserved"]) == (18, 0)


def test_redeem_json_lists_what_to_hand_over(data_dir: Path) -> None:
    made = allocate_one(data_dir, "4", "en")
    done = json.loads(ok("redeem", str(made["short_code"]).lower(), "--json",
                         data_dir=data_dir))
    assert (done["slip"], done["units"], done["units_text"]) == (made["slip"], 4, "4 tablets")
    assert done["lots"] == [{"lot": 1, "units": 4, "expiry": days(200), "lot_number": "B7"}]


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("https://example.com/x", "not a MedShare pickup slip"),
        ("K7M-4QX-2RB", "mistyped"),
        ("6901234567892", "product barcode"),
        ("MST:PD07:1:AAAAAAAAAAAAAAAAAAAA", "issued by station PD07"),
        ("MST:HX01:1:AAAAAAAAAAAAAAAAAAAA", "altered or forged"),
        ("MS1:HX01:1:AAAAAAAAAAAAAAAAAAAA", "issued by a real station"),
        ("1", "slip number (1) alone"),
    ],
)
def test_refused_scans_exit_non_zero_with_one_plain_line(data_dir: Path, text: str,
                                                         words: str) -> None:
    allocate_one(data_dir)
    fails("redeem", text, data_dir=data_dir, words=words)


def test_two_kiosk_processes_redeem_the_same_token_exactly_once(data_dir: Path) -> None:
    made = allocate_one(data_dir)
    env = {**os.environ, "MEDSHARE_NOW": NOW.isoformat()}
    command = [sys.executable, "-m", "kiosk", "redeem", str(made["token"]), "--data-dir",
               str(data_dir)]
    processes = [subprocess.Popen(command, env=env, stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True) for _ in range(2)]
    results = [(p.wait(60), *p.communicate()) for p in processes]
    codes = sorted(code for code, _, _ in results)
    assert codes == [0, 1]
    loser = next(err for code, _, err in results if code == 1)
    assert "Already collected on" in loser
    store = open_station(data_dir)
    try:
        kinds = [m["kind"] for m in ledger.movements(store.conn, request_id=1)]
        assert kinds == ["reserved", "dispensed"]
    finally:
        store.close()


def test_status_cancel_and_expire_from_the_command_line(data_dir: Path) -> None:
    first = allocate_one(data_dir, "2", "en")
    second = allocate_one(data_dir, "3", "en")
    assert "ready" in ok("slip", "status", str(first["slip"]), data_dir=data_dir)
    listed = json.loads(ok("slip", "list", "--json", data_dir=data_dir))
    assert [s["slip"] for s in listed] == [first["slip"], second["slip"]]
    out = ok("slip", "cancel", str(first["token"]), data_dir=data_dir)
    assert "cancelled; its units are back in stock" in out
    fails("redeem", str(first["token"]), data_dir=data_dir, words="was cancelled on")
    later = {"MEDSHARE_NOW": (NOW + timedelta(hours=49)).isoformat()}
    out = ok("slip", "expire", data_dir=data_dir, env=later)
    assert f"1 slips expired; their units are back in stock: {second['slip']}" in out
    result = medshare("redeem", str(second["token"]), data_dir=data_dir, env=later)
    assert result.returncode == 1 and "pickup window for slip" in result.stderr
    status = json.loads(ok("slip", "status", str(second["token"]), "--json",
                           data_dir=data_dir, env=later))
    assert status["state"] == "expired"
    [stock] = json.loads(ok("stock", "--json", data_dir=data_dir, env=later))
    assert stock["reserved"] == 0


def test_reallocate_after_a_recall_prints_a_new_slip(data_dir: Path, tmp_path: Path) -> None:
    made = allocate_one(data_dir)
    ok("receive", IBU, "10", "--expiry", days(150), "--lot", "C9", data_dir=data_dir)
    store = open_station(data_dir)
    try:
        ledger.recall_lot(store, 1, "manufacturer recall")
    finally:
        store.close()
    fails("redeem", str(made["token"]), data_dir=data_dir, words="was recalled")
    again = json.loads(ok("slip", "reallocate", str(made["slip"]), "--json",
                          data_dir=data_dir))
    assert again["slip"] != made["slip"] and again["lots"][0]["lot"] == 2
    pdf = tmp_path / "new.pdf"
    ok("slip", "print", str(again["slip"]), "--pdf", str(pdf), "--paper", "58mm",
       data_dir=data_dir)
    assert decode_pdf(pdf) == [again["token"]]
    assert "lot C9" in ok("redeem", decode_pdf(pdf)[0], data_dir=data_dir)


def test_printing_mistakes_are_one_plain_line(data_dir: Path, tmp_path: Path) -> None:
    allocate_one(data_dir)
    fails("slip", "print", "99", "--pdf", str(tmp_path / "x.pdf"), data_dir=data_dir,
          words="no slip number 99")
    fails("slip", "print", "1", "--printer", "No Such Printer", data_dir=data_dir,
          words="no printer called 'No Such Printer'")
    result = medshare("slip", "print", "1", data_dir=data_dir)
    assert result.returncode == 2 and "--pdf" in result.stderr
    assert not (tmp_path / "x.pdf").exists()


def test_printing_works_with_no_display_and_no_qt_platform_set(data_dir: Path,
                                                                tmp_path: Path) -> None:
    made = allocate_one(data_dir)
    env = {key: value for key, value in os.environ.items()
           if key not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    env["MEDSHARE_NOW"] = NOW.isoformat()
    pdf = tmp_path / "headless.pdf"
    result = subprocess.run(
        [sys.executable, "-m", "kiosk", "slip", "print", str(made["slip"]), "--pdf", str(pdf),
         "--paper", "80mm", "--data-dir", str(data_dir)],
        env=env, capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert decode_pdf(pdf) == [made["token"]]
