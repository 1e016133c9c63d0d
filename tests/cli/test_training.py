"""The clock can be pinned only on a training station: a real station refuses
MEDSHARE_NOW and changes nothing; a training station honours it, says TRAINING on
its slips, and no real station accepts its slips."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pypdfium2

from kiosk.db.station import init
from tests.conftest import NOW, days, ledger_dump, run_medshare

IBU = "ibuprofen-200mg-tablet"
REFUSAL = "MEDSHARE_NOW is set, but this is not a training station"


def real_station(tmp_path: Path, code: str = "HX01") -> Path:
    """`medshare init` with no clock override: a real station."""
    directory = tmp_path / code.lower()
    env = {key: value for key, value in os.environ.items() if key != "MEDSHARE_NOW"}
    result = subprocess.run(
        [sys.executable, "-m", "kiosk", "init", "--station-code", code, "--name", "Real",
         "--data-dir", str(directory)], env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"Station {code} is ready")
    return directory


def pdf_text(path: Path) -> str:
    document = pypdfium2.PdfDocument(str(path))
    try:
        return " ".join(page.get_textpage().get_text_range() for page in document)
    finally:
        document.close()


def test_a_real_station_refuses_the_pinned_clock_and_changes_nothing(tmp_path: Path) -> None:
    directory = real_station(tmp_path)
    before = ledger_dump(directory / "station.db")
    for command in (["receive", IBU, "6", "--expiry", days(90)], ["stock"], ["db", "verify"],
                    ["request", IBU, "2"], ["allocate"], ["expire"]):
        result = run_medshare(*command, "--data-dir", str(directory))
        assert result.returncode == 1, command
        [line] = result.stderr.splitlines()
        assert line.startswith(f"medshare: {REFUSAL}; "), line
        assert "Nothing was changed" in line
    assert ledger_dump(directory / "station.db") == before


def test_plain_init_with_the_clock_pinned_is_refused_and_creates_nothing(
        tmp_path: Path) -> None:
    directory = tmp_path / "new"
    result = run_medshare("init", "--real", "--station-code", "NW1", "--name", "New",
                          "--data-dir", str(directory))
    assert result.returncode == 1
    assert result.stderr.startswith(f"medshare: {REFUSAL}")
    assert not directory.exists()


def test_a_training_station_honours_the_clock_and_prints_training(tmp_path: Path) -> None:
    directory = tmp_path / "practice"
    data = ["--data-dir", str(directory)]
    made = run_medshare("init", "--training", "--station-code", "TR1", "--name", "Practice",
                        *data)
    assert made.returncode == 0 and made.stdout.startswith("Training station TR1 is ready")
    assert run_medshare("receive", IBU, "12", "--expiry", days(90), *data).returncode == 0
    assert run_medshare("request", IBU, "4", *data).returncode == 0
    [slip] = json.loads(run_medshare("allocate", "--json", *data).stdout)
    assert slip["training"] is True and str(slip["token"]).startswith("MST:TR1:")
    assert slip["expires_at"].startswith("2026-11-23T10:00")  # NOW + 48 hours: pinned
    pdf = tmp_path / "slip.pdf"
    printed = run_medshare("slip", "print", str(slip["slip"]), "--pdf", str(pdf), *data)
    assert printed.stdout.startswith("TRAINING (practice only")
    assert "TRAINING" in pdf_text(pdf)
    verified = run_medshare("db", "verify", *data)
    assert verified.returncode == 0 and "This is a TRAINING station" in verified.stdout
    # a real station refuses the training slip in plain words, and changes nothing
    real = tmp_path / "real"
    init(real, "TR1", "Real with the same code").close()
    before = ledger_dump(real / "station.db")
    env = {key: value for key, value in os.environ.items() if key != "MEDSHARE_NOW"}
    refused = subprocess.run(
        [sys.executable, "-m", "kiosk", "redeem", str(slip["token"]), "--data-dir", str(real)],
        env=env, capture_output=True, text=True, timeout=60)
    assert refused.returncode == 1
    assert "This is a TRAINING slip" in refused.stderr
    assert ledger_dump(real / "station.db") == before
    # and on the training station it is collected
    redeemed = run_medshare("redeem", str(slip["token"]), *data)
    assert redeemed.returncode == 0 and redeemed.stdout.startswith("TRAINING")
    assert NOW.year == 2026


def test_the_desk_needs_a_reason_to_log_aspirin_for_a_child(tmp_path: Path) -> None:
    data = ["--data-dir", str(tmp_path / "desk")]
    assert run_medshare("init", "--station-code", "DK1", "--name", "Desk", *data).returncode == 0
    before = ledger_dump(tmp_path / "desk" / "station.db")
    refused = run_medshare("request", "aspirin-300mg-tablet", "2", "--priority", "child", *data)
    assert refused.returncode == 1
    [line] = refused.stderr.splitlines()
    assert line == ("medshare: Aspirin 300 mg tablets is for adults only. For a child, ask for "
                    "Children's paracetamol oral suspension 160 mg/5 ml, 100 ml. To log it "
                    "anyway, staff give --override-reason TEXT (it is written to the audit).")
    assert ledger_dump(tmp_path / "desk" / "station.db") == before
    made = run_medshare("request", "aspirin-300mg-tablet", "2", "--priority", "child",
                        "--override-reason", "he is 17, GP letter", "--staff", "amy", *data)
    assert made.returncode == 0, made.stderr
    [request] = json.loads(run_medshare("requests", "--json", *data).stdout)
    assert request["safety_override"] == "he is 17, GP letter"


def test_a_training_station_never_enrols_or_syncs(tmp_path: Path) -> None:
    """Practice stock must never reach the network's public listings."""
    directory = tmp_path / "practice"
    assert run_medshare("init", "--training", "--station-code", "TR2", "--name", "Practice",
                        "--data-dir", str(directory)).returncode == 0
    before = ledger_dump(directory / "station.db")
    for command in (["sync", "enrol", "http://127.0.0.1:9", "ABCD-EFGH"], ["sync", "now"]):
        result = run_medshare(*command, "--data-dir", str(directory))
        assert result.returncode != 0, command
        [line] = result.stderr.splitlines()
        assert "TRAINING station: it never enrols or syncs" in line, line
    assert ledger_dump(directory / "station.db") == before
