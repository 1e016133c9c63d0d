"""HTTP plumbing of the central's API: the body size limit, reading JSON bodies and
headers, and turning errors into `{"detail": ...}` responses."""


import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.requests import ClientDisconnect
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kiosk.central.storage import (
    EnrolmentRefused,
    StorageError,
    StorageUnavailable,
)
from kiosk.errors import InvalidInput, NotFound
from kiosk.sync import protocol as p


class ApiError(Exception):
    def __init__(self, status: int, detail: str, headers: dict[str, str] | None = None,
                 **extra: Any) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.headers = headers
        self.extra = extra


# --- body size limit -------------------------------------------------------------------


# uvicorn's own logger, so that the line looks like its others and follows --log-level
log = logging.getLogger("uvicorn.error")


class BodyLimit:
    """Refuse request bodies over max_bytes with 413, by header or while streaming.

    It also reads every body, so it is where a client that goes away in the
    middle of one (a cut connection, a station switched off) is noticed: that
    is an everyday event on the stations' networks and nothing was stored, so
    it is one INFO line rather than an ERROR with a traceback.
    """

    def __init__(self, app: ASGIApp, max_bytes: int = p.MAX_BODY_BYTES) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for name, value in scope["headers"]:
            if name == b"content-length":
                try:
                    length = int(value)
                except ValueError:
                    await _error_response(400, "the Content-Length header is not a number")(
                        scope, receive, send)
                    return
                if length > self.max_bytes:
                    await _too_large()(scope, receive, send)
                    return
        seen = 0

        async def limited() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    raise ApiError(413, _too_large_text())
            return message

        try:
            await self.app(scope, limited, send)
        except ClientDisconnect:
            client = scope.get("client") or ("?", 0)
            log.info("%s:%s went away while sending %s %s (%d bytes received); nothing "
                     "was stored", client[0], client[1], scope.get("method", ""),
                     scope.get("path", ""), seen)


def _too_large_text() -> str:
    return f"the request body is larger than {p.MAX_BODY_BYTES} bytes; send smaller batches"


def _too_large() -> Response:
    return _error_response(413, _too_large_text())


def _error_response(status: int, detail: str, headers: dict[str, str] | None = None,
                    **extra: Any) -> Response:
    return JSONResponse({"detail": detail, **extra}, status_code=status, headers=headers)


# --- request helpers -----------------------------------------------------------------------


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not allowed in JSON")


async def _read_json(request: Request) -> Any:
    raw = await request.body()
    if not raw.strip():
        raise ApiError(400, "the request body is empty; send a JSON object")
    try:
        return json.loads(raw, parse_constant=_reject_constant)
    except RecursionError:
        raise ApiError(400, "the request body is nested too deeply") from None
    except ValueError as exc:  # includes JSONDecodeError and UnicodeDecodeError
        raise ApiError(400, f"the request body is not valid JSON: {exc}") from None


def _header_version(request: Request) -> int | None:
    value = request.headers.get(p.PROTOCOL_HEADER)
    if value is None:
        return None
    return p.check_protocol_version(value, text=True)


def _bearer(request: Request) -> str:
    header = request.headers.get("authorization")
    challenge = {"WWW-Authenticate": "Bearer"}
    if not header:
        raise ApiError(401, "this request needs the station's token "
                       "(Authorization: Bearer ...); enrol the station first", challenge)
    scheme, _, token = header.partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token or len(token) > 300 or not token.isascii():
        raise ApiError(401, "the Authorization header must be 'Bearer <station token>'",
                       challenge)
    return token


def _validation_text(exc: RequestValidationError) -> str:
    parts = []
    for err in exc.errors()[:5]:
        loc = [str(x) for x in err.get("loc", ())]
        where = f"{loc[0]} {'.'.join(loc[1:])}".strip() if loc else "request"
        parts.append(f"{where}: {err.get('msg', 'invalid')}")
    return "; ".join(parts) or "the request is not valid"


def _install_error_handlers(app: FastAPI) -> None:
    def handler(status: int, **fixed: Any) -> Callable[[Request, Exception],
                                                        Awaitable[Response]]:
        async def handle(_: Request, exc: Exception) -> Response:
            headers = {"Retry-After": "5"} if status == 503 else None
            return _error_response(status, str(exc), headers, **fixed)
        return handle

    async def api_error(_: Request, exc: Exception) -> Response:
        assert isinstance(exc, ApiError)
        return _error_response(exc.status, exc.detail, exc.headers, **exc.extra)

    async def validation_error(_: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        return _error_response(422, _validation_text(exc))

    app.add_exception_handler(ApiError, api_error)
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(
        p.UnsupportedProtocolVersion,
        handler(426, min_protocol_version=p.MIN_PROTOCOL_VERSION,
                max_protocol_version=p.MAX_PROTOCOL_VERSION),
    )
    app.add_exception_handler(InvalidInput, handler(422))
    app.add_exception_handler(EnrolmentRefused, handler(403))
    app.add_exception_handler(NotFound, handler(404))
    app.add_exception_handler(StorageUnavailable, handler(503))
    app.add_exception_handler(StorageError, handler(503))
