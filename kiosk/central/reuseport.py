"""`serve --workers N` on Linux: every worker listens on its own SO_REUSEPORT socket.

uvicorn's workers share one listening socket, and the worker that wakes up first
accepts every connection waiting (asyncio accepts up to the backlog in one go): 32
stations that connect within a millisecond all land on one worker while the other
sits idle. Measured with benchmarks/central.py on PostgreSQL: one worker at 95% CPU,
the other at 0%, and no more requests per second than with one worker. With
SO_REUSEPORT the kernel spreads new connections over the workers' sockets by a hash
of the client's address and port.

Only the socket handling differs from `uvicorn.run(..., workers=N)`: uvicorn's own
supervisor starts, health-checks and restarts the workers; each worker binds its
socket when it starts, so the parent holds no listening socket.
"""

from __future__ import annotations

import socket
import sys
from typing import Any

from uvicorn.config import STARTUP_FAILURE, Config
from uvicorn.supervisors import multiprocess

AVAILABLE = sys.platform.startswith("linux") and hasattr(socket, "SO_REUSEPORT")


def listen_socket(host: str, port: int) -> socket.socket:
    family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        sock.bind(address)
    except OSError:
        sock.close()
        raise
    return sock


class _Worker(multiprocess.Process):
    def target(self, sockets: list[socket.socket] | None = None) -> None:  # pragma: no cover
        try:
            own = listen_socket(self.config.host, self.config.port)
        except OSError as exc:
            print(f"cannot listen on {self.config.host}:{self.config.port}: {exc}",
                  file=sys.stderr, flush=True)
            sys.exit(STARTUP_FAILURE)  # the supervisor stops instead of restarting us
        super().target([own])


class _Supervisor(multiprocess.Multiprocess):
    """uvicorn's supervisor, starting `_Worker`s (it names its `Process` class directly)."""

    def run(self) -> None:
        original = multiprocess.Process
        multiprocess.Process = _Worker  # type: ignore[misc]
        try:
            super().run()
        finally:
            multiprocess.Process = original  # type: ignore[misc]


def run(app: str, **options: Any) -> None:
    """Like `uvicorn.run(app, workers=N, ...)` with N > 1, one socket per worker."""
    config = Config(app, **options)
    _Supervisor(config, sockets=[]).run()
