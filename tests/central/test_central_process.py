"""The central's processes at their edges: a client that goes away mid-body, and
`serve --workers 2` stopped by SIGTERM or SIGINT, or its parent killed outright."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.central.centralkit import REPO, ServerProcess, central_env, free_port

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"),
                                reason="reads processes from /proc")


def _stat(pid: int) -> tuple[str, int] | None:
    """A process's state letter and parent, or None when it is gone."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return None
    fields = text[text.rindex(")") + 2:].split()
    return fields[0], int(fields[1])


def alive(pid: int) -> bool:
    found = _stat(pid)
    return found is not None and found[0] not in ("Z", "X")


def children(parent: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            stat = _stat(int(entry.name))
            if stat is not None and stat[1] == parent and alive(int(entry.name)):
                found.append(int(entry.name))
    return found


def serving(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


def start_info_server(tmp_path: Path) -> tuple[subprocess.Popen[bytes], int, Path]:
    port = free_port()
    log = tmp_path / "central.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-W", "error", "-m", "kiosk.central.cli", "serve", "--db",
             f"sqlite:///{tmp_path / 'central.db'}", "--port", str(port),
             "--log-level", "info"],
            cwd=REPO, env=central_env(), stdout=out, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/v1/health", timeout=1).is_success:
                return proc, port, log
        except httpx.TransportError:
            time.sleep(0.05)
    proc.kill()
    raise AssertionError(log.read_text())


def test_a_client_gone_mid_body_is_one_info_line(tmp_path: Path) -> None:
    proc, port, log_path = start_info_server(tmp_path)
    try:
        with socket.create_connection(("127.0.0.1", port)) as sock:
            sock.sendall(b"POST /api/v1/push HTTP/1.1\r\nHost: central\r\n"
                         b"Content-Type: application/json\r\nAuthorization: Bearer x\r\n"
                         b"Content-Length: 5000\r\n\r\n{\"events\": [")
            time.sleep(0.3)
        deadline = time.monotonic() + 10
        while "went away" not in log_path.read_text() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert httpx.get(f"http://127.0.0.1:{port}/api/v1/health").status_code == 200
    finally:
        proc.terminate()
        proc.wait(timeout=20)
    log = log_path.read_text()
    [line] = [line for line in log.splitlines() if "went away" in line]
    assert line.startswith("INFO:") and "POST /api/v1/push" in line
    assert "Traceback" not in log and "ERROR" not in log


@pytest.mark.parametrize("how", [signal.SIGTERM, signal.SIGINT, signal.SIGKILL],
                         ids=["SIGTERM", "SIGINT", "SIGKILL"])
def test_stopping_the_parent_leaves_no_worker(tmp_path: Path, how: signal.Signals) -> None:
    server = ServerProcess(f"sqlite:///{tmp_path / 'central.db'}", tmp_path, workers=2)
    workers: list[int] = []
    try:
        deadline = time.monotonic() + 30
        while len(workers := children(server.proc.pid)) < 2 and time.monotonic() < deadline:
            time.sleep(0.1)
        assert len(workers) >= 2, server.log()  # and multiprocessing's resource tracker
        os.kill(server.proc.pid, how)
        server.proc.wait(timeout=20)
        # after SIGKILL the workers notice within a second that their parent is gone
        deadline = time.monotonic() + 8
        while any(alive(pid) for pid in workers) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not [pid for pid in workers if alive(pid)], server.log()
        assert not serving(server.port)
    finally:
        for pid in workers:
            if alive(pid):
                os.kill(pid, signal.SIGKILL)
        server.stop()
