"""`medshare-central`: stations add/code/list and serve, as an operator runs them."""

from __future__ import annotations

import json
import re
import socket
import struct
import subprocess
import zlib
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from centralkit import Central, central_env, run_cli

CODE = re.compile(r"^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$")


def _one_line_error(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode != 0, result
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("medshare-central: ")
    assert not result.stdout
    return lines[0]


def test_stations_add_prints_a_code_that_enrols_once(central: Central) -> None:
    result = run_cli("stations", "add", "Riverside Community Centre", "--db", central.db_url)
    assert result.returncode == 0, result.stderr
    code, detail = result.stdout.splitlines()
    assert CODE.match(code)
    assert "Riverside Community Centre" in detail and "valid until" in detail
    assert central.enrol_raw({"code": code, "protocol_version": 2}).status_code == 200
    assert central.enrol_raw({"code": code, "protocol_version": 2}).status_code == 403


def test_stations_add_json_and_list(central: Central) -> None:
    env = central_env(MEDSHARE_CENTRAL_DB=central.db_url)  # the database from the environment
    result = run_cli("stations", "add", "Hill Road", "--json", "--valid-days", "2", env=env)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert CODE.match(data["code"])
    assert data["name"] == "Hill Road"
    expires = datetime.fromisoformat(data["expires_at"])
    assert timedelta(days=1.9) < expires - datetime.now(UTC) < timedelta(days=2.1)

    listed = run_cli("stations", "list", "--json", env=env)
    assert listed.returncode == 0, listed.stderr
    rows = {r["station_id"]: r for r in json.loads(listed.stdout)}
    assert rows[data["station_id"]]["enrolled"] is False
    central.enrol_raw({"code": data["code"], "protocol_version": 2})
    rows = {r["station_id"]: r for r in json.loads(run_cli("stations", "list", "--json",
                                                           env=env).stdout)}
    assert rows[data["station_id"]]["enrolled"] is True
    assert "token" not in listed.stdout


def test_a_code_made_long_ago_has_expired(central: Central) -> None:
    past = (datetime.now(UTC) - timedelta(days=10)).isoformat()
    env = central_env(MEDSHARE_NOW=past)
    result = run_cli("stations", "add", "Too late", "--json", "--db", central.db_url, env=env)
    assert result.returncode == 0, result.stderr
    reply = central.enrol_raw({"code": json.loads(result.stdout)["code"], "protocol_version": 2})
    assert reply.status_code == 403
    assert "expired" in reply.json()["detail"]


def test_stations_code_issues_a_new_code_for_an_existing_station(central: Central) -> None:
    station = central.station()
    result = run_cli("stations", "code", station.station_id, "--json", "--db", central.db_url)
    assert result.returncode == 0, result.stderr
    reply = central.enrol_raw({"code": json.loads(result.stdout)["code"], "protocol_version": 2})
    assert reply.status_code == 200
    assert reply.json()["station_id"] == station.station_id
    missing = run_cli("stations", "code", "st-nosuchstation", "--db", central.db_url)
    assert "no station" in _one_line_error(missing)


def test_stations_revoke_stops_a_lost_device(central: Central) -> None:
    station = central.station()
    pending = central.storage.new_code(station.station_id, datetime.now(UTC), timedelta(days=1))
    result = run_cli("stations", "revoke", station.station_id, "--db", central.db_url)
    assert result.returncode == 0, result.stderr
    assert station.push([]).status_code == 401
    assert station.pull().status_code == 401
    # codes issued before the revocation die with it; a new one works
    assert central.enrol_raw({"code": pending.code, "protocol_version": 2}).status_code == 403
    fresh = run_cli("stations", "code", station.station_id, "--json", "--db", central.db_url)
    reply = central.enrol_raw({"code": json.loads(fresh.stdout)["code"], "protocol_version": 2})
    assert reply.status_code == 200
    assert "no station" in _one_line_error(
        run_cli("stations", "revoke", "st-nosuchstation", "--db", central.db_url))


def _read_png_grey(path: Path) -> object:
    import numpy as np

    data = path.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    width, height, depth, colour = struct.unpack(">IIBB", data[16:26])
    assert (depth, colour) == (8, 0)
    pos, idat = 8, b""
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos:pos + 4])
        if data[pos + 4:pos + 8] == b"IDAT":
            idat += data[pos + 8:pos + 8 + length]
        pos += 12 + length
    rows = np.frombuffer(zlib.decompress(idat), dtype=np.uint8).reshape(height, width + 1)
    assert not rows[:, 0].any()  # filter type 0 on every row
    return np.ascontiguousarray(rows[:, 1:])


def test_qr_code_decodes_to_the_code_and_url(tmp_path: Path) -> None:
    zxingcpp = pytest.importorskip("zxingcpp")
    png = tmp_path / "enrol.png"
    db = f"sqlite://{tmp_path / 'c.db'}"
    result = run_cli("stations", "add", "QR Centre", "--json", "--qr", str(png),
                     "--url", "https://central.example.org", "--db", db)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    decoded = [r.text for r in zxingcpp.read_barcodes(_read_png_grey(png))]
    assert decoded == [f"MEDSHARE-ENROL:{data['code']}@https://central.example.org"]
    assert data["qr_payload"] == decoded[0]


def test_default_database_is_in_the_user_data_dir(tmp_path: Path) -> None:
    env = central_env(XDG_DATA_HOME=str(tmp_path / "xdg"), HOME=str(tmp_path))
    result = run_cli("stations", "add", "Default", env=env)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "xdg" / "medshare-central" / "central.db").exists()


@pytest.mark.parametrize(("args", "words"), [
    (["stations", "list", "--db", "mysql://localhost/x"], "unsupported database URL"),
    (["stations", "add", "X", "--valid-days", "0", "--db", "{db}"],
     "--valid-days"),
    (["frobnicate"], "invalid choice"),
    ([], "say what to do"),
    (["stations", "add", " ", "--db", "{db}"], "must not be empty"),
    (["stations", "list", "--db", "postgresql://nobody@127.0.0.1:1/none"], "cannot connect"),
])
def test_errors_are_one_plain_line(args: list[str], words: str, tmp_path: Path) -> None:
    db = f"sqlite://{tmp_path / 'central.db'}"
    assert words in _one_line_error(run_cli(*(a.format(db=db) for a in args)))


def test_a_file_that_is_not_a_database(tmp_path: Path) -> None:
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not sqlite" * 100)
    assert "is not a database" in _one_line_error(
        run_cli("stations", "list", "--db", f"sqlite://{junk}"))


def test_serve_refuses_a_port_in_use(tmp_path: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = run_cli("serve", "--db", f"sqlite://{tmp_path / 'c.db'}", "--port", str(port))
    assert "already in use" in _one_line_error(result)


def test_serve_refuses_an_unreachable_database() -> None:
    result = run_cli("serve", "--db", "postgresql://nobody@127.0.0.1:1/none", "--port", "0")
    assert "cannot connect" in _one_line_error(result)
