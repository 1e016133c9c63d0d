"""Helpers for the central endpoint's tests: real server processes, a thin client, events."""

from __future__ import annotations

import glob
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

from kiosk.central.storage import NewCode, Storage, open_storage

REPO = Path(__file__).resolve().parents[2]
PG_ENV = "MEDSHARE_TEST_PG_URL"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def central_env(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
    env.pop("MEDSHARE_CENTRAL_DB", None)
    env.pop("MEDSHARE_NOW", None)
    env.update(extra)
    return env


def run_cli(*args: str, env: dict[str, str] | None = None,
            timeout: float = 30) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-W", "error", "-m", "kiosk.central.cli", *args],
        cwd=REPO, env=env or central_env(), capture_output=True, text=True, timeout=timeout,
    )


# --- servers ---------------------------------------------------------------------------


class ServerProcess:
    """`python -m kiosk.central.cli serve` on 127.0.0.1 and a free port."""

    def __init__(self, db_url: str, log_dir: Path, workers: int = 1) -> None:
        self.db_url = db_url
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.log_path = log_dir / f"server-{self.port}.log"
        self._log = self.log_path.open("wb")
        self.proc = subprocess.Popen(
            [sys.executable, "-W", "error", "-m", "kiosk.central.cli", "serve",
             "--db", db_url, "--host", "127.0.0.1", "--port", str(self.port),
             "--workers", str(workers), "--no-access-log", "--log-level", "warning"],
            cwd=REPO, env=central_env(), stdout=self._log, stderr=subprocess.STDOUT,
        )
        self._wait_ready()

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"the server exited with {self.proc.returncode}:\n{self.log()}")
            try:
                if httpx.get(self.base_url + "/api/v1/health", timeout=1).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"the server did not come up in 30 s:\n{self.log()}")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self._log.close()


# --- PostgreSQL --------------------------------------------------------------------------


def pg_bindir() -> Path | None:
    candidates = sorted(
        glob.glob("/usr/lib/postgresql/*/bin"),
        key=lambda p: [int(x) if x.isdigit() else 0 for x in Path(p).parent.name.split(".")],
        reverse=True,
    )
    for directory in candidates:
        if (Path(directory) / "initdb").exists() and (Path(directory) / "pg_ctl").exists():
            return Path(directory)
    initdb = shutil.which("initdb")
    if initdb and shutil.which("pg_ctl"):
        return Path(initdb).parent
    return None


def new_pg_database(admin_url: str) -> str:
    """A fresh, empty database on the server of admin_url; its URL."""
    import psycopg

    name = "medshare_" + uuid.uuid4().hex[:12]
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"'.encode())
    base, _, _ = admin_url.rpartition("/")
    return f"{base}/{name}"


# --- a client view of a running central ------------------------------------------------------


@dataclass
class Station:
    station_id: str
    token: str
    central: Central
    next_seq: int = 1

    @property
    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    def push(self, events: list[dict[str, Any]], **kw: Any) -> httpx.Response:
        # the tests' own item ids (unique_item) join the central's catalog first
        items = [e["body"]["item"] for e in events if isinstance(e, dict)
                 and e.get("kind") == "listing" and isinstance(e.get("body"), dict)
                 and isinstance(e["body"].get("item"), str)
                 and ITEM.match(e["body"]["item"])]
        if items:
            self.central.storage.allow_items(items, datetime.now().astimezone())
        body = {"protocol_version": 2, "station_id": self.station_id, "events": events}
        return self.central.http.post("/api/v1/push", json=body, headers=self.auth, **kw)

    def push_ok(self, events: list[dict[str, Any]]) -> int:
        reply = self.push(events)
        assert reply.status_code == 200, reply.text
        return int(reply.json()["acked_seq"])

    def send(self, kind: str, body: dict[str, Any]) -> int:
        """Push one new event with the next seq; the acked seq."""
        event = {"seq": self.next_seq, "kind": kind, "body": body}
        self.next_seq += 1
        return self.push_ok([event])

    def pull(self, after: str | None = None, limit: int | None = None) -> httpx.Response:
        params: dict[str, Any] = {}
        if after is not None:
            params["after"] = after
        if limit is not None:
            params["limit"] = limit
        return self.central.http.get("/api/v1/pull", params=params,
                                     headers={**self.auth, "X-MedShare-Protocol": "2"})

    def pull_all(self, after: str = "0", limit: int = 500) -> tuple[list[dict[str, Any]], str]:
        changes: list[dict[str, Any]] = []
        while True:
            reply = self.pull(after, limit)
            assert reply.status_code == 200, reply.text
            page = reply.json()
            changes += page["changes"]
            after = page["next_cursor"]
            if not page["more"]:
                return changes, after


@dataclass
class Central:
    backend: str
    base_url: str
    db_url: str
    storage: Storage
    http: httpx.Client
    server: ServerProcess | None = None
    _names: int = field(default=0)

    def code(self, name: str = "Test station", now: datetime | None = None,
             valid_for: timedelta = timedelta(days=7)) -> NewCode:
        self._names += 1
        return self.storage.add_station(f"{name} {self._names}",
                                        now or datetime.now().astimezone(), valid_for)

    def enrol_raw(self, body: Any, **kw: Any) -> httpx.Response:
        return self.http.post("/api/v1/enrol", json=body, **kw)

    def station(self, name: str = "Test station") -> Station:
        issued = self.code(name)
        reply = self.enrol_raw({"code": issued.code, "protocol_version": 2})
        assert reply.status_code == 200, reply.text
        data = reply.json()
        assert data["station_id"] == issued.station_id
        return Station(data["station_id"], data["token"], self)


def make_central(backend: str, server: ServerProcess) -> Central:
    storage = open_storage(server.db_url, pool_size=2)
    return Central(backend, server.base_url, server.db_url, storage,
                   httpx.Client(base_url=server.base_url, timeout=30), server)


# --- event builders ---------------------------------------------------------------------


ITEM = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}$")


def unique_item(prefix: str = "test-item") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


def listing(seq: int, item: str, available: int, requested: int = 0,
            expiry: str | None = "2027-06") -> dict[str, Any]:
    return {"seq": seq, "kind": "listing",
            "body": {"item": item, "available": available, "requested": requested,
                     "earliest_expiry": expiry}}


def profile(seq: int, name: str, lat: float | None = None, lon: float | None = None,
            address: str = "1 Community Road", hours: str = "Mon-Fri 9-17") -> dict[str, Any]:
    return {"seq": seq, "kind": "profile",
            "body": {"name": name, "address": address, "lat": lat, "lon": lon,
                     "opening_hours": hours}}


def daily(seq: int, day: str, received: int = 1, requested: int = 2, collected: int = 3,
          written_off: int = 0) -> dict[str, Any]:
    return {"seq": seq, "kind": "daily",
            "body": {"day": day, "received": received, "requested": requested,
                     "collected": collected, "written_off": written_off}}


def process_sockets(pid: int, port: int, state: str) -> set[str]:
    """Inodes of the TCP sockets on local `port` in `state` ("01" established, "0A"
    listening) held by process `pid` (Linux /proc)."""
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = fd.readlink().name
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(target[8:-1])
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            local_port = int(fields[1].rsplit(":", 1)[1], 16)
            if local_port == port and fields[3] == state and fields[9] in inodes:
                found.add(fields[9])
    return found


def listening_workers(server: ServerProcess, count: int = 2) -> list[int]:
    """The pids of the server's `count` worker processes, once each listens (Linux)."""
    children = Path(f"/proc/{server.proc.pid}/task/{server.proc.pid}/children").read_text()
    workers = [int(x) for x in children.split()
               if b"spawn_main" in Path(f"/proc/{x}/cmdline").read_bytes()]
    assert len(workers) == count, children
    deadline = time.monotonic() + 30  # the server answered; wait for every worker to listen
    while not all(process_sockets(pid, server.port, "0A") for pid in workers):
        assert time.monotonic() < deadline, "a worker never started listening"
        time.sleep(0.05)
    return workers
