"""uvicorn's HTTP protocols with TCP_NODELAY set on every connection.

With `--workers N > 1` uvicorn binds the listening socket itself without
naming the TCP protocol, so asyncio does not switch Nagle's algorithm off on
accepted connections, and every response written in two parts waits for the
client's delayed ACK: about 40 ms per request instead of about 1 ms.
`medshare-central serve --workers N` therefore runs uvicorn with
`HTTP_PROTOCOL`, the httptools protocol when httptools is installed (as
uvicorn's "auto" would pick), else h11, with TCP_NODELAY set.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket

from uvicorn.protocols.http.h11_impl import H11Protocol


def set_nodelay(transport: asyncio.BaseTransport) -> None:
    sock = transport.get_extra_info("socket")
    if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
        with contextlib.suppress(OSError):
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


class H11NoDelayProtocol(H11Protocol):
    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        set_nodelay(transport)
        super().connection_made(transport)


HTTP_PROTOCOL = "kiosk.central.nodelay:H11NoDelayProtocol"

try:
    from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
except ImportError:  # httptools is optional
    pass
else:

    class HttpToolsNoDelayProtocol(HttpToolsProtocol):  # type: ignore[misc,unused-ignore]
        def connection_made(  # type: ignore[override,unused-ignore]
            self, transport: asyncio.Transport
        ) -> None:
            set_nodelay(transport)
            super().connection_made(transport)

    HTTP_PROTOCOL = "kiosk.central.nodelay:HttpToolsNoDelayProtocol"
