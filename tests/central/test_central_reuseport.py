"""`serve --workers N` swaps uvicorn's worker class (kiosk/central/reuseport.py) so that
each worker listens on a socket of its own. These tests fail, rather than the server
quietly falling back to one shared socket, when uvicorn changes under the swap."""

from __future__ import annotations

import sys
from collections.abc import Callable

import pytest
from centralkit import ServerProcess, listening_workers, process_sockets
from uvicorn.supervisors import multiprocess

from kiosk.central import reuseport


def test_uvicorn_still_starts_its_workers_through_the_class_we_swap() -> None:
    assert issubclass(reuseport._Worker, multiprocess.Process)
    starts = [name for name in ("init_processes", "restart_all", "keep_subprocess_alive")
              if "Process" in getattr(multiprocess.Multiprocess, name).__code__.co_names]
    # uvicorn looks `Process` up in its module when it starts or restarts a worker
    assert starts == ["init_processes", "restart_all", "keep_subprocess_alive"]
    assert "target" in vars(multiprocess.Process) and "start" in vars(multiprocess.Process)


def _listening_inodes(pid: int, port: int) -> set[str]:
    return process_sockets(pid, port, "0A")


@pytest.mark.skipif(not (sys.platform.startswith("linux") and reuseport.AVAILABLE),
                    reason="SO_REUSEPORT workers: Linux only")
def test_each_worker_listens_on_a_socket_of_its_own(
    fresh_db_url: Callable[[str], str], start_server: Callable[..., ServerProcess],
) -> None:
    server = start_server(fresh_db_url("sqlite"), workers=2)
    workers = listening_workers(server)
    per_worker = [_listening_inodes(pid, server.port) for pid in workers]
    assert all(len(inodes) == 1 for inodes in per_worker), per_worker
    assert per_worker[0] != per_worker[1], "the workers share one socket"
    assert not _listening_inodes(server.proc.pid, server.port), "the supervisor listens"
