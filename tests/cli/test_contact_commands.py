"""`medshare call` and `medshare keys new`: real processes, a real key file."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli import test_ledger_commands as desk
from tests.conftest import ledger_dump, run_medshare

data_dir = desk.data_dir  # the same station set-up as every CLI test
ok = desk.ok
IBU = desk.IBU


def test_call_prints_the_number_and_writes_the_audit(data_dir: Path) -> None:
    request = ok("request", IBU, "2", "--phone", "(0755) 8123-4567", data_dir=data_dir).strip()
    queue = json.loads(ok("requests", "--json", data_dir=data_dir))
    assert queue[0]["phone"] == "*******4567"
    result = run_medshare("call", request, "--staff", "ann", "--data-dir", str(data_dir))
    assert result.returncode == 0, result.stderr
    assert result.stdout == "075581234567\n"
    assert "written into the audit" in result.stderr and "0755" not in result.stderr
    import sqlite3

    conn = sqlite3.connect(data_dir / "station.db")
    try:
        rows = conn.execute("SELECT staff, action, request_id FROM audit_event").fetchall()
    finally:
        conn.close()
    assert rows == [("ann", "phone_revealed", int(request))]


def test_a_missing_key_file_is_one_line_and_keys_new_needs_accept_loss(data_dir: Path) -> None:
    request = ok("request", IBU, "2", "--phone", "13812345678", data_dir=data_dir).strip()
    (data_dir / "station.keys").unlink()
    before = ledger_dump(data_dir / "station.db")
    for args in (("request", IBU, "1", "--phone", "13900001111"), ("call", request),
                 ("keys", "new")):
        result = run_medshare(*args, "--data-dir", str(data_dir))
        assert result.returncode == 1 and result.stdout == ""
        assert result.stderr.count("\n") == 1 and result.stderr.startswith("medshare: ")
    assert "station.keys" in result.stderr or "new key file" in result.stderr
    assert ledger_dump(data_dir / "station.db") == before
    assert not (data_dir / "station.keys").exists()
    # a request without a phone number still works
    ok("request", IBU, "1", data_dir=data_dir)
    out = ok("keys", "new", "--accept-loss", data_dir=data_dir)
    assert "1 kept phone numbers can no longer be read" in out
    assert (data_dir / "station.keys").stat().st_mode & 0o777 == 0o600
    ok("request", IBU, "1", "--phone", "13900001111", data_dir=data_dir)
