"""A real central endpoint process on loopback, restartable on the same port."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.central.centralkit import central_env, free_port, run_cli


class Central:
    def __init__(self, tmp: Path) -> None:
        self.db_path = tmp / "central.db"
        self.db_url = f"sqlite:///{self.db_path}"
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = tmp / "central.log"
        self.proc: subprocess.Popen[bytes] | None = None
        self.start()

    def start(self) -> None:
        log = self.log.open("ab")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "kiosk.central.cli", "serve", "--db", self.db_url,
             "--host", "127.0.0.1", "--port", str(self.port), "--no-access-log",
             "--log-level", "warning"],
            env=central_env(), stdout=log, stderr=subprocess.STDOUT,
        )
        log.close()
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            assert self.proc.poll() is None, self.log.read_text()
            try:
                if httpx.get(self.url + "/api/v1/health", timeout=1).status_code == 200:
                    return
            except httpx.TransportError:
                time.sleep(0.05)
        raise RuntimeError("central did not start: " + self.log.read_text())

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(15)

    def code(self, name: str) -> str:
        result = run_cli("stations", "add", name, "--json", "--db", self.db_url)
        assert result.returncode == 0, result.stderr
        return str(json.loads(result.stdout)["code"])

    def events(self, station_id: str) -> list[tuple[int, str, Any]]:
        conn = sqlite3.connect(self.db_path)
        try:
            rows = conn.execute("SELECT seq, kind, body FROM events WHERE station_id = ? "
                                "ORDER BY seq", (station_id,)).fetchall()
        finally:
            conn.close()
        return [(int(seq), kind, json.loads(body)) for seq, kind, body in rows]


@pytest.fixture
def central(tmp_path: Path) -> Iterator[Central]:
    server = Central(tmp_path)
    yield server
    server.stop()
