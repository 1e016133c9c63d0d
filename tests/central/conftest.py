"""Fixtures: real `medshare-central serve` processes for the central endpoint's tests.

Each backend gets one server per test session (`central`, parametrised over
SQLite and PostgreSQL); tests keep out of each other's way by enrolling their
own stations and using their own item ids and map areas. Tests that need a
server of their own (several workers, a fresh database) use `start_server`.

PostgreSQL: MEDSHARE_TEST_PG_URL if set; otherwise a throw-away cluster made
with initdb/pg_ctl in a temp dir (as user `postgres` when running as root).
Tests skip only when PostgreSQL is not installed at all.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from centralkit import (
    PG_ENV,
    Central,
    ServerProcess,
    free_port,
    make_central,
    new_pg_database,
    pg_bindir,
)


@pytest.fixture(scope="session")
def pg_admin_url() -> Iterator[str]:
    """A PostgreSQL server URL whose user may create databases."""
    given = os.environ.get(PG_ENV)
    if given:
        yield given
        return
    bindir = pg_bindir()
    if bindir is None:
        pytest.skip(f"PostgreSQL is not installed (no initdb/pg_ctl) and {PG_ENV} is not set")
    prefix: list[str] = []
    base = Path(tempfile.mkdtemp(prefix="medshare-pg-"))
    if os.geteuid() == 0:
        import pwd

        try:
            pg_user = pwd.getpwnam("postgres")
        except KeyError:
            shutil.rmtree(base)
            pytest.skip("running as root and there is no 'postgres' user to run initdb")
        os.chown(base, pg_user.pw_uid, pg_user.pw_gid)
        prefix = ["runuser", "-u", "postgres", "--"]
    os.chmod(base, 0o700)
    data = base / "data"
    port = free_port()
    subprocess.run(
        [*prefix, str(bindir / "initdb"), "-D", str(data), "-U", "postgres", "-A", "trust",
         "-E", "UTF8", "--no-sync"],
        check=True, capture_output=True, timeout=120,
    )
    options = (f"-p {port} -k {base} -c listen_addresses=127.0.0.1 -c fsync=off "
               "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200")
    subprocess.run(
        [*prefix, str(bindir / "pg_ctl"), "-D", str(data), "-l", str(base / "server.log"),
         "-o", options, "-w", "-t", "60", "start"],
        check=True, capture_output=True, timeout=90,
    )
    try:
        yield f"postgresql://postgres@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(
            [*prefix, str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"],
            capture_output=True, timeout=60,
        )
        shutil.rmtree(base, ignore_errors=True)


@pytest.fixture
def fresh_db_url(request: pytest.FixtureRequest,
                 tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], str]:
    """fresh_db_url('sqlite' | 'postgres') -> URL of an empty database."""
    def make(backend: str) -> str:
        if backend == "postgres":
            return new_pg_database(request.getfixturevalue("pg_admin_url"))
        return f"sqlite://{tmp_path_factory.mktemp('central') / 'central.db'}"
    return make


@pytest.fixture
def start_server(tmp_path: Path) -> Iterator[Callable[..., ServerProcess]]:
    servers: list[ServerProcess] = []

    def start(db_url: str, workers: int = 1) -> ServerProcess:
        server = ServerProcess(db_url, tmp_path, workers)
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


BACKENDS = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param("postgres", id="postgres", marks=pytest.mark.postgres),
]


@pytest.fixture(scope="session", params=BACKENDS)
def central(request: pytest.FixtureRequest,
            tmp_path_factory: pytest.TempPathFactory) -> Iterator[Central]:
    """One running server per backend for the whole session."""
    backend: str = request.param
    if backend == "postgres":
        db_url = new_pg_database(request.getfixturevalue("pg_admin_url"))
    else:
        db_url = f"sqlite://{tmp_path_factory.mktemp('central') / 'central.db'}"
    server = ServerProcess(db_url, tmp_path_factory.mktemp("logs"))
    c = make_central(backend, server)
    try:
        yield c
    finally:
        c.http.close()
        c.storage.close()
        server.stop()
        log = server.log()
        assert "Traceback" not in log, f"the server logged an exception:\n{log}"


