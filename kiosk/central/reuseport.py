"""`serve --workers N` on Linux: every worker listens on its own SO_REUSEPORT socket.

uvicorn's workers share one listening socket, and the worker that wakes up first
accepts every connection waiting (asyncio accepts up to the backlog in one go): 32
stations that connect within a millisecond all land on one worker while the other
sits idle. Measured with benchmarks/central.py on PostgreSQL: one worker at 95% CPU,
the other at 0%, and no more requests per second than with one worker. With
SO_REUSEPORT the kernel spreads new connections over the workers' sockets by a hash
of the client's address and port.

Kept (issue 14) because uvicorn has no supported setting for it: measured again with
`benchmarks/central.py --quick --workers 2` (2 shared cores, better of two runs),
sustained requests/s and p95: SQLite 1,347 r/s, 45 ms with this; 892 r/s, 91 ms with
uvicorn's shared socket. PostgreSQL 839 r/s, 68 ms with; 865 r/s, 80 ms without (the
other run without: 471 r/s, 116 ms). tests/central/test_central_reuseport.py fails if
uvicorn stops starting its workers through the class swapped here.

Only the socket handling and the shutdown differ from `uvicorn.run(..., workers=N)`:
uvicorn's own supervisor starts, health-checks and restarts the workers; each
worker binds its socket when it starts, so the parent holds no listening socket.
SIGTERM or SIGINT to the parent stops every worker (one that does not stop within
its grace time is killed), and a worker whose parent has died (SIGKILL) notices
within a second and stops too.
"""

from __future__ import annotations

import os
import signal
import socket
import sys
import threading
import time
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


# a worker whose supervisor is gone (killed with SIGKILL, or crashed) stops by itself:
# nobody else would ever stop it, and it would go on holding the port
PARENT_POLL_SECONDS = 0.5
# after a polite SIGTERM to itself, how long it may finish the requests under way
ORPHAN_GRACE_SECONDS = 12.0


def _watch_parent(parent: int) -> None:  # pragma: no cover - runs in the worker processes
    while os.getppid() == parent:
        time.sleep(PARENT_POLL_SECONDS)
    print(f"worker [{os.getpid()}]: the supervisor [{parent}] is gone; stopping",
          file=sys.stderr, flush=True)
    os.kill(os.getpid(), signal.SIGTERM)  # uvicorn's graceful shutdown
    time.sleep(ORPHAN_GRACE_SECONDS)
    os._exit(1)


class _Worker(multiprocess.Process):
    def target(self, sockets: list[socket.socket] | None = None) -> None:  # pragma: no cover
        threading.Thread(target=_watch_parent, args=(self.parent_pid,), daemon=True,
                         name="watch-supervisor").start()
        try:
            own = listen_socket(self.config.host, self.config.port)
        except OSError as exc:
            print(f"cannot listen on {self.config.host}:{self.config.port}: {exc}",
                  file=sys.stderr, flush=True)
            sys.exit(STARTUP_FAILURE)  # the supervisor stops instead of restarting us
        super().target([own])

    def start(self) -> None:
        self.parent_pid = os.getpid()  # pickled into the child with the rest of self
        super().start()


class _Supervisor(multiprocess.Multiprocess):
    """uvicorn's supervisor, starting `_Worker`s (it names its `Process` class directly)."""

    def join_all(self) -> None:
        """Wait for the workers to stop, and kill one that does not within its grace time."""
        deadline = time.monotonic() + ORPHAN_GRACE_SECONDS
        for process in self.processes:
            process.process.join(max(0.0, deadline - time.monotonic()))
            if process.process.exitcode is None:
                process.kill()
                process.process.join()

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
