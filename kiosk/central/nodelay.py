"""uvicorn's h11 HTTP protocol with TCP_NODELAY set on every connection.

With `--workers N > 1` uvicorn binds the listening socket itself without
naming the TCP protocol, so asyncio does not switch Nagle's algorithm off on
accepted connections, and every response written in two parts waits for the
client's delayed ACK: about 40 ms per request instead of about 1 ms.
`medshare-central serve` therefore runs uvicorn with this protocol class.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket

from uvicorn.protocols.http.h11_impl import H11Protocol


class H11NoDelayProtocol(H11Protocol):
    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        sock = transport.get_extra_info("socket")
        if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
            with contextlib.suppress(OSError):
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        super().connection_made(transport)
