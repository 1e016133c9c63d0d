"""A TCP proxy on 127.0.0.1 that misbehaves like a bad mobile connection.

Each accepted connection gets one fate: pass through, cut the request after
a random number of bytes, forward the request but cut the reply (the server
has committed, the client never hears), answer 503 itself, or pass through
slowly. Every byte the client sends is kept in `captured`.
"""

from __future__ import annotations

import contextlib
import random
import socket
import threading
import time

FATES = ("pass", "cut_request", "cut_reply", "503", "slow")


class FaultProxy:
    def __init__(self, upstream_port: int, seed: int = 1) -> None:
        self.upstream_port = upstream_port
        self.rng = random.Random(seed)
        self.lock = threading.Lock()
        self.faults = False
        self.weights = (55, 10, 15, 10, 10)
        self.captured = bytearray()
        self.fates: dict[str, int] = dict.fromkeys(FATES, 0)
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = int(self.listener.getsockname()[1])
        self.url = f"http://127.0.0.1:{self.port}"
        self._closing = False
        threading.Thread(target=self._accept, daemon=True).start()

    def close(self) -> None:
        self._closing = True
        self.listener.close()

    def _accept(self) -> None:
        while not self._closing:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            with self.lock:
                fate = self.rng.choices(FATES, self.weights)[0] if self.faults else "pass"
                cut_at = self.rng.randint(1, 600)
                self.fates[fate] += 1
            threading.Thread(target=self._serve, args=(client, fate, cut_at), daemon=True).start()

    def _serve(self, client: socket.socket, fate: str, cut_at: int) -> None:
        client.settimeout(30)
        try:
            if fate == "503":
                data = client.recv(65536)
                self._capture(data)
                client.sendall(b"HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n"
                               b"Connection: close\r\n\r\n")
                return
            try:
                upstream = socket.create_connection(("127.0.0.1", self.upstream_port), timeout=30)
            except OSError:
                return  # the server is down: the client sees the connection close
            with upstream:
                limit_up = cut_at if fate == "cut_request" else None
                limit_down = cut_at if fate == "cut_reply" else None
                delay = 0.3 if fate == "slow" else 0.0
                pump = threading.Thread(
                    target=self._pump, args=(upstream, client, limit_down, delay, False),
                    daemon=True)
                pump.start()
                self._pump(client, upstream, limit_up, delay, True)
                pump.join(30)
        finally:
            client.close()

    def _capture(self, data: bytes) -> None:
        with self.lock:
            self.captured += data

    def _pump(self, source: socket.socket, sink: socket.socket, limit: int | None,
              delay: float, capture: bool) -> None:
        sent = 0
        try:
            while True:
                data = source.recv(65536)
                if not data:
                    break
                if capture:
                    self._capture(data)
                if delay:
                    time.sleep(delay)
                if limit is not None and sent + len(data) >= limit:
                    sink.sendall(data[: max(0, limit - sent)])
                    break
                sink.sendall(data)
                sent += len(data)
        except OSError:
            pass
        finally:
            # one side ending ends the whole exchange, like a dropped line
            for sock in (source, sink):
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
