"""The central endpoint's HTTP API (ASGI), all under /api/v1.

Built on FastAPI: it writes the OpenAPI document (/api/v1/openapi.json) from
the same pydantic models the docs describe, which the schemathesis run and
other people's tools rely on, and it costs little over plain Starlette.
The sync bodies (enrol, push) are read by hand and checked with
`kiosk.sync.protocol`, the validator the station client uses too, so the
version handshake runs before any schema check (a client that is too old or
too new hears that, not a schema error) and both ends agree on every rule.

Routes (see the OpenAPI document for the exact shapes):

    POST /api/v1/enrol            one-time code -> station id + token
    POST /api/v1/push             a batch of outbox events -> the central's sync state
                                  (acked_seq, history, epoch, anchor...)  (Bearer token)
    GET  /api/v1/pull             change feed after a cursor, paged       (Bearer token)
    GET  /api/v1/anchors          the ledger anchors held for the station (Bearer token)
    GET  /api/v1/listings         public: stations that have an item, nearest first
    GET  /api/v1/stats/top-demand public: most requested items
    GET  /api/v1/health

A push naming an item the central's catalog (the bundled one plus items the
operator added) does not know is refused whole (422). Names and addresses in
public output are cleaned of control, bidi and zero-width characters.

Regions are bounding boxes, `bbox=min_lon,min_lat,max_lon,max_lat` (GeoJSON
order; min_lon > max_lon crosses the 180° meridian), so no one has to agree
on region names. Errors are JSON `{"detail": "<plain English reason>"}`.
"""

from __future__ import annotations

import json
import logging
import math
import os
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from datetime import date
from typing import Annotated, Any, Literal

import anyio.to_thread
from anyio import CapacityLimiter
from fastapi import FastAPI, Query, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field
from pydantic.json_schema import models_json_schema
from starlette.requests import ClientDisconnect
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kiosk import __version__
from kiosk.catalog import load_bundled_catalog
from kiosk.central.history import Hello
from kiosk.central.storage import (
    BBox,
    EnrolmentRefused,
    ListingRow,
    PushAuth,
    Storage,
    StorageError,
    StorageUnavailable,
    open_storage,
)
from kiosk.clock import Clock, process_clock
from kiosk.errors import InvalidInput, NotFound
from kiosk.sync import protocol as p
from kiosk.sync.history import (
    HASH_PATTERN,
    HISTORY_PATTERN,
    MAX_SNAPSHOT_LISTINGS,
    clean_display_text,
)

P = p.API_PREFIX
DB_ENV = "MEDSHARE_CENTRAL_DB"
EARTH_RADIUS_KM = 6371.0088
INLINE_EVENTS = 100
"""Pushes up to this many events run on the event loop when the storage allows it."""
UNKNOWN_SLACK = 20
"""top-demand reads this many extra rows, in case some name items outside the catalog."""
INLINE_ROWS = 1000
"""Pull pages up to this size run on the event loop when the storage allows it."""
STORAGE_THREADS = 4
"""At most this many storage calls at once per worker process (and never more than the
storage's connections). More threads only fight over the GIL: PostgreSQL, sustained
benchmark, one worker: anyio's default of 40 threads about 640 requests/s, 8 threads
830-930 (p95 49-55 ms), 4 threads 900-970 (p95 45-47 ms); no difference with 2 workers."""


_VERSION_DOC = (
    "The client's sync protocol version. Versions outside the range this server accepts "
    "get HTTP 426 with a plain message; the range is also in GET /api/v1/health."
)


class ApiError(Exception):
    def __init__(self, status: int, detail: str, headers: dict[str, str] | None = None,
                 **extra: Any) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.headers = headers
        self.extra = extra


# --- models for the OpenAPI document ----------------------------------------------------

_LINE = r"^[^\x00-\x1f\x7f]*$"
_NAME = r"^[^\x00-\x1f\x7f]*[^\s\x00-\x1f\x7f][^\x00-\x1f\x7f]*$"
_MULTILINE = r"^[^\x00-\x08\x0b-\x1f\x7f]*$"
_MONTH = r"^[0-9]{4}-(0[1-9]|1[0-2])$"
_LON = r"-?(180(\.0+)?|(1[0-7][0-9]|[1-9]?[0-9])(\.[0-9]+)?)"
_LAT = r"-?(90(\.0+)?|[1-8]?[0-9](\.[0-9]+)?)"
_BBOX = rf"^{_LON},{_LAT},{_LON},{_LAT}$"
_CODE = r"^[\s-]*([0-9A-TV-Za-tv-z][\s-]*){12}$"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ErrorOut(BaseModel):
    detail: str = Field(description="What is wrong, in plain English.")


class VersionErrorOut(ErrorOut):
    min_protocol_version: int
    max_protocol_version: int


class EnrolIn(_Strict):
    code: str = Field(max_length=64, pattern=_CODE,
                      description="One-time code, e.g. ABCD-EFGH-JKMN (case, spaces, "
                                  "hyphens and O/0, I/L/1 mix-ups are forgiven)")
    protocol_version: int = Field(ge=p.MIN_PROTOCOL_VERSION, le=p.MAX_PROTOCOL_VERSION,
                                  description=_VERSION_DOC)
    client: str | None = Field(None, max_length=100, pattern=_LINE,
                               description="Free text naming the client software")


class EnrolOut(BaseModel):
    station_id: str
    token: str = Field(description="Bearer token for push and pull; shown only once")
    name: str
    protocol_version: int


class ProfileBody(_Strict):
    name: str = Field(min_length=1, max_length=120, pattern=_NAME)
    address: str = Field(max_length=300, pattern=_MULTILINE)
    lat: float | None = Field(ge=-90, le=90)
    lon: float | None = Field(ge=-180, le=180)
    opening_hours: str = Field(max_length=200, pattern=_MULTILINE)


class ListingBody(_Strict):
    item: str = Field(pattern=p.ITEM_PATTERN.pattern)
    available: int = Field(ge=0, le=p.MAX_UNITS)
    requested: int = Field(ge=0, le=p.MAX_UNITS)
    earliest_expiry: str | None = Field(pattern=_MONTH)


class DailyBody(_Strict):
    day: date
    received: int = Field(ge=0, le=p.MAX_UNITS)
    requested: int = Field(ge=0, le=p.MAX_UNITS)
    collected: int = Field(ge=0, le=p.MAX_UNITS)
    written_off: int = Field(ge=0, le=p.MAX_UNITS)


class ProfileEvent(_Strict):
    seq: int = Field(ge=1, le=p.MAX_SEQ)
    kind: Literal["profile"]
    body: ProfileBody


class ListingEvent(_Strict):
    seq: int = Field(ge=1, le=p.MAX_SEQ)
    kind: Literal["listing"]
    body: ListingBody


class DailyEvent(_Strict):
    seq: int = Field(ge=1, le=p.MAX_SEQ)
    kind: Literal["daily"]
    body: DailyBody


class SnapshotBody(_Strict):
    profile: ProfileBody
    listings: list[ListingBody] = Field(max_length=MAX_SNAPSHOT_LISTINGS, description=(
        "Every listing of the station; the central sets the ones not named to zero"))


class SnapshotEvent(_Strict):
    seq: int = Field(ge=1, le=p.MAX_SEQ)
    kind: Literal["snapshot"]
    body: SnapshotBody


_HISTORY = HISTORY_PATTERN.pattern
_HASH = HASH_PATTERN.pattern


class SeenIn(_Strict):
    epoch: str = Field(pattern=_HISTORY, description="The epoch this was heard in")
    acked_seq: int = Field(ge=0, description="The acked_seq this central last answered")
    feed_head: int = Field(ge=0, description="The highest feed head this central showed")


class AnchorIn(_Strict):
    movements: int = Field(ge=0, description="Movements in the station's ledger")
    head: str = Field(pattern=_HASH, description="Hash of the last movement (SHA-256 hex)")


class AnchorOut(AnchorIn):
    at: str = Field(description="When the central first received this anchor (UTC)")


class PushIn(_Strict):
    protocol_version: int = Field(ge=p.MIN_PROTOCOL_VERSION, le=p.MAX_PROTOCOL_VERSION,
                                  description=_VERSION_DOC)
    station_id: str = Field(pattern=p.STATION_ID_PATTERN.pattern)
    history: str | None = Field(None, pattern=_HISTORY, description=(
        "The station's history id; a history the central does not hold for the station is "
        "accepted only on first contact or with `base`"))
    base: int | None = Field(None, ge=1, le=p.MAX_SEQ, description=(
        "First seq of a new history; must be above max_seq. Older seqs are then ignored"))
    seen: SeenIn | None = None
    anchor: AnchorIn | None = None
    events: list[Annotated[ProfileEvent | ListingEvent | DailyEvent | SnapshotEvent,
                           Field(discriminator="kind")]] = Field(max_length=p.MAX_BATCH_EVENTS)


class PushOut(BaseModel):
    acked_seq: int = Field(description="Highest seq n such that this server holds 1..n")
    max_seq: int = Field(description="Highest seq held (beyond a gap, or of an old history)")
    acked_digest: str | None = Field(description="Digest of the event held at acked_seq")
    history: str | None = Field(description="The history id the central holds for the station")
    epoch: str = Field(description="The central's feed epoch; new after a restore")
    feed_head: int = Field(description="The change feed's head when the push began")
    anchor: AnchorOut | None = Field(description="The latest ledger anchor held")


class AnchorsOut(BaseModel):
    anchors: list[AnchorOut] = Field(description="Oldest first; append-only")


class ChangeOut(BaseModel):
    cursor: str
    station_id: str | None
    kind: str = Field(description="profile or listing today; skip kinds you do not know")
    body: dict[str, Any]


class PullOut(BaseModel):
    changes: list[ChangeOut]
    next_cursor: str = Field(description="Pass as `after` next time (store it with the page)")
    more: bool
    epoch: str = Field(description="The feed epoch: a cursor from another epoch means "
                                   "nothing here; start again from 0")
    head: int = Field(description="The feed's head: a cursor above it is from an older "
                                  "copy; start again from 0")


class ListingOut(BaseModel):
    station_id: str
    name: str
    address: str
    opening_hours: str
    lat: float | None
    lon: float | None
    available: int
    requested: int
    earliest_expiry: str | None
    updated_at: str
    distance_km: float | None


class ListingsOut(BaseModel):
    item: str
    listings: list[ListingOut]


class DemandOut(BaseModel):
    item: str
    requested: int
    available: int
    stations: int = Field(description="Stations with at least one unit requested")


class TopDemandOut(BaseModel):
    items: list[DemandOut]


class HealthOut(BaseModel):
    status: str
    storage: str
    server_version: str
    protocol_version: int
    min_protocol_version: int
    max_protocol_version: int


def _errors(*codes: int) -> dict[int | str, dict[str, Any]]:
    reasons = {
        400: "Malformed request (not JSON, bad header)",
        401: "Missing or unknown station token",
        403: "Refused (another station's records, or an unusable enrolment code)",
        413: f"Request body larger than {p.MAX_BODY_BYTES} bytes",
        422: "The request does not fit the schema; detail says why",
        426: "Protocol version outside what this server accepts",
        503: "The database is unavailable; try again later",
    }
    return {
        code: {"model": VersionErrorOut if code == 426 else ErrorOut, "description": reasons[code]}
        for code in codes
    }


def _version_header(required: bool) -> dict[str, Any]:
    return {"name": p.PROTOCOL_HEADER, "in": "header", "required": required,
            "description": _VERSION_DOC if required else
            _VERSION_DOC + " Used when the body carries no protocol_version.",
            "schema": {"type": "integer", "minimum": p.MIN_PROTOCOL_VERSION,
                       "maximum": p.MAX_PROTOCOL_VERSION}}


def _body_ref(name: str) -> dict[str, Any]:
    """Documents a JSON body that the route reads by hand (so the handshake goes first)."""
    return {
        "requestBody": {"required": True, "content": {
            "application/json": {"schema": {"$ref": f"#/components/schemas/{name}"}}}},
        "parameters": [_version_header(required=False)],
    }


class CentralAPI(FastAPI):
    def openapi(self) -> dict[str, Any]:
        if self.openapi_schema:
            return self.openapi_schema
        schema = super().openapi()
        _, defs = models_json_schema(
            [(EnrolIn, "validation"), (PushIn, "validation")],
            ref_template="#/components/schemas/{model}",
        )
        components = schema.setdefault("components", {})
        components.setdefault("schemas", {}).update(defs.get("$defs", {}))
        components["securitySchemes"] = {"stationToken": {
            "type": "http", "scheme": "bearer",
            "description": "The token a station got from POST /api/v1/enrol"}}
        for path in (f"{P}/push", f"{P}/pull", f"{P}/anchors"):
            for operation in schema["paths"].get(path, {}).values():
                operation["security"] = [{"stationToken": []}]
        self.openapi_schema = schema
        return schema


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


class KnownItems:
    """The central's catalog: the bundled one plus items the operator added (read again
    when a push names one not seen yet, so a `catalog add` needs no restart)."""

    def __init__(self, storage: Storage, bundled: set[str]) -> None:
        self.storage = storage
        self.known = set(bundled)
        self.bundled = set(bundled)

    def unknown(self, events: list[p.Event]) -> list[str]:
        named: set[str] = set()
        for e in events:
            if e.kind == p.KIND_LISTING:
                named.add(e.body["item"])
            elif e.kind == p.KIND_SNAPSHOT:
                named.update(listing["item"] for listing in e.body["listings"])
        missing = named - self.known
        if missing:
            self.known = self.bundled | self.storage.extra_items()
            missing -= self.known
        return sorted(missing)

    def knows(self, item: str) -> bool:
        """For public output: a listing stored before the catalog check (or of an item
        since dropped) stays out of the listings and statistics."""
        return not self.unknown([p.Event(1, p.KIND_LISTING, {"item": item})])


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


def _bbox(text: str | None) -> BBox | None:
    if text is None:
        return None
    try:
        parts = [float(x) for x in text.split(",")]
    except ValueError:
        parts = []
    if len(parts) != 4 or not all(math.isfinite(x) for x in parts):
        raise InvalidInput("bbox must be min_lon,min_lat,max_lon,max_lat (four numbers)")
    min_lon, min_lat, max_lon, max_lat = parts
    if not (-180 <= min_lon <= 180 and -180 <= max_lon <= 180):
        raise InvalidInput("bbox longitudes must be between -180 and 180")
    if not (-90 <= min_lat <= 90 and -90 <= max_lat <= 90):
        raise InvalidInput("bbox latitudes must be between -90 and 90")
    # Latitudes in either order mean the same band; longitudes do not (min > max wraps).
    return BBox(min_lon, min(min_lat, max_lat), max_lon, max(min_lat, max_lat))


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = phi2 - phi1
    dlmb = math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def _radius_box(lat: float, lon: float, radius_km: float) -> BBox | None:
    """A box that contains the circle, or None when it would wrap a pole or the meridian."""
    dlat = math.degrees(radius_km / EARTH_RADIUS_KM)
    if abs(lat) + dlat >= 89.0:
        return None
    dlon = dlat / math.cos(math.radians(abs(lat) + dlat))
    if dlon >= 180 or lon - dlon < -180 or lon + dlon > 180:
        return BBox(-180, lat - dlat, 180, lat + dlat)
    return BBox(lon - dlon, lat - dlat, lon + dlon, lat + dlat)


def _listing_json(row: ListingRow, distance: float | None) -> dict[str, Any]:
    return {
        "station_id": row.station_id,
        "name": clean_display_text(row.name),
        "address": clean_display_text(row.address, multiline=True),
        "opening_hours": clean_display_text(row.opening_hours, multiline=True),
        "lat": row.lat,
        "lon": row.lon,
        "available": row.available,
        "requested": row.requested,
        "earliest_expiry": row.earliest_expiry,
        "updated_at": row.updated_at,
        "distance_km": None if distance is None else round(distance, 3),
    }


def _validation_text(exc: RequestValidationError) -> str:
    parts = []
    for err in exc.errors()[:5]:
        loc = [str(x) for x in err.get("loc", ())]
        where = f"{loc[0]} {'.'.join(loc[1:])}".strip() if loc else "request"
        parts.append(f"{where}: {err.get('msg', 'invalid')}")
    return "; ".join(parts) or "the request is not valid"


# --- the app ----------------------------------------------------------------------------------


def create_app(storage: Storage, clock: Clock | None = None, *, migrate: bool = True,
               items: set[str] | None = None) -> FastAPI:
    """The ASGI app over `storage` (migrated on startup unless migrate=False); `items`:
    the catalog ids pushes may name (default: the bundled catalog)."""
    clock = clock or process_clock()
    catalog = KnownItems(storage, items if items is not None
                         else set(load_bundled_catalog().ids()))

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        if migrate:
            await anyio.to_thread.run_sync(storage.migrate)
        try:
            yield
        finally:
            storage.close()

    app = CentralAPI(
        title="MedShare central endpoint",
        version=__version__,
        description=(
            "Aggregates what neighbourhood MedShare stations have and need. Stations enrol "
            "with a one-time code, push their outbox events and pull other stations' changes. "
            "The listings and statistics routes are public and carry nothing personal. "
            "Regions are bounding boxes: bbox=min_lon,min_lat,max_lon,max_lat. "
            f"Sync calls carry the client's protocol version ({p.PROTOCOL_HEADER} header or a "
            "protocol_version body field); outside the accepted range they get HTTP 426."
        ),
        openapi_url=f"{P}/openapi.json",
        docs_url=f"{P}/docs",
        redoc_url=None,
        lifespan=lifespan,
    )
    app.add_middleware(BodyLimit, max_bytes=p.MAX_BODY_BYTES)
    _install_error_handlers(app)

    inline_ok = storage.inline_calls
    limiter: list[CapacityLimiter] = []

    async def call(func: Callable[..., Any], *args: Any, small: bool = True) -> Any:
        """Run a storage call: in a worker thread, or, for a small call on an
        embedded database (SQLite: a fraction of a millisecond, no network), right
        here, which saves a quarter of the CPU a request costs.

        At most STORAGE_THREADS threads at once, not anyio's default of 40."""
        if small and inline_ok:
            return func(*args)
        if not limiter:
            limiter.append(CapacityLimiter(min(storage.pool_size, STORAGE_THREADS)))
        return await anyio.to_thread.run_sync(func, *args, limiter=limiter[0])

    @app.post(f"{P}/enrol", response_model=EnrolOut, openapi_extra=_body_ref("EnrolIn"),
              responses=_errors(400, 403, 413, 422, 426, 503), tags=["sync"])
    async def enrol(request: Request) -> Response:
        """Trade a one-time enrolment code for the station's id and token."""
        obj = await _read_json(request)
        req = p.parse_enrol_request(obj, _header_version(request))
        result = await call(storage.enrol, req.code, clock.now())
        return JSONResponse({"station_id": result.station_id, "token": result.token,
                             "name": result.name, "protocol_version": p.PROTOCOL_VERSION})

    @app.post(f"{P}/push", response_model=PushOut, openapi_extra=_body_ref("PushIn"),
              responses=_errors(400, 401, 403, 413, 422, 426, 503), tags=["sync"])
    async def push(request: Request) -> Response:
        """Store a batch of outbox events; answer the highest contiguous seq held.

        Each (station, seq) is stored once; a seq already held is ignored (the first
        copy wins), so a retry after a lost reply is harmless. Events after a gap are
        stored, but acked_seq stops before the gap. An empty batch just reads acked_seq.
        """
        obj = await _read_json(request)
        header_version = _header_version(request)
        if isinstance(obj, dict) and "protocol_version" in obj:
            p.check_protocol_version(obj["protocol_version"])
        elif header_version is None:
            raise InvalidInput(f"the request carries no protocol_version (body field or "
                               f"{p.PROTOCOL_HEADER} header)")
        token = _bearer(request)
        req = p.parse_push_request(obj, header_version)
        unknown = await call(catalog.unknown, req.events)
        if unknown and await call(storage.station_for_token, token) is None:
            raise ApiError(401, "the station token is not known here; enrol the station "
                           "again", {"WWW-Authenticate": "Bearer"})
        if unknown:
            raise InvalidInput(
                f"listing for {', '.join(unknown[:5])}: not an item of this central's catalog; "
                "nothing was stored (update the central's catalog, or the station app)")
        hello = Hello(req.history, req.base, req.seen, req.anchor)
        try:
            state = await call(storage.sync_push, req.station_id, token, req.events,
                               clock.now(), hello, small=len(req.events) <= INLINE_EVENTS)
        except PushAuth as exc:
            if exc.token_known:
                raise ApiError(403, "this token belongs to another station; a station can "
                               "only push its own records") from None
            raise ApiError(401, "the station token is not known here; enrol the station "
                           "again", {"WWW-Authenticate": "Bearer"}) from None
        return JSONResponse(state.to_json())

    @app.get(f"{P}/pull", response_model=PullOut,
             openapi_extra={"parameters": [_version_header(required=True)]},
             responses=_errors(400, 401, 422, 426, 503), tags=["sync"])
    async def pull(
        request: Request,
        after: Annotated[str | None, Query(max_length=18, pattern=p.CURSOR_PATTERN.pattern,
                                           description="Cursor from the last page")] = None,
        limit: Annotated[int, Query(ge=1, le=p.MAX_PULL_LIMIT)] = p.DEFAULT_PULL_LIMIT,
    ) -> Response:
        """Other stations' profile and listing changes after a cursor, oldest first.

        The protocol version may also come as a `protocol_version` query parameter.
        """
        query_version = request.query_params.get("protocol_version")
        if query_version is not None:
            p.check_protocol_version(query_version, text=True)
        elif _header_version(request) is None:
            raise InvalidInput(f"the request carries no protocol_version ({p.PROTOCOL_HEADER} "
                               "header or protocol_version query parameter)")
        token = _bearer(request)
        page = await call(storage.pull, token, p.cursor_value(after), limit,
                          small=limit <= INLINE_ROWS)
        if page is None:
            raise ApiError(401, "the station token is not known here; enrol the station "
                           "again", {"WWW-Authenticate": "Bearer"})
        return JSONResponse({
            "changes": [
                {"cursor": str(c.id), "station_id": c.station_id, "kind": c.kind,
                 "body": c.body}
                for c in page.changes
            ],
            "next_cursor": str(page.next_cursor),
            "more": page.more,
            "epoch": page.epoch,
            "head": page.head,
        })

    @app.get(f"{P}/anchors", response_model=AnchorsOut,
             openapi_extra={"parameters": [_version_header(required=False)]},
             responses=_errors(401, 422, 503), tags=["sync"])
    async def anchors(
        request: Request,
        history: Annotated[str | None, Query(pattern=_HISTORY,
                                             description="Only this history's")] = None,
    ) -> Response:
        """Every ledger anchor the station of this token sent, oldest first."""
        held = await call(storage.anchors, _bearer(request), history)
        if held is None:
            raise ApiError(401, "the station token is not known here; enrol the station "
                           "again", {"WWW-Authenticate": "Bearer"})
        return JSONResponse({"anchors": [a.to_json() for a in held]})

    @app.get(f"{P}/listings", response_model=ListingsOut,
             responses=_errors(422, 503), tags=["public"])
    async def listings(
        item: Annotated[str, Query(pattern=p.ITEM_PATTERN.pattern,
                                   description="Catalog id, e.g. ibuprofen-200mg-tablet")],
        lat: Annotated[float | None, Query(ge=-90, le=90)] = None,
        lon: Annotated[float | None, Query(ge=-180, le=180)] = None,
        radius_km: Annotated[float | None, Query(gt=0, le=20_000)] = None,
        bbox: Annotated[str | None, Query(max_length=200, pattern=_BBOX,
                                          description="min_lon,min_lat,max_lon,max_lat")] = None,
        limit: Annotated[int, Query(ge=1, le=500)] = 50,
    ) -> Response:
        """Stations with units of `item` available; nearest first when lat/lon are given."""
        if (lat is None) != (lon is None):
            raise InvalidInput("give both lat and lon, or neither")
        if radius_km is not None and lat is None:
            raise InvalidInput("radius_km needs lat and lon")
        box = _bbox(bbox)
        if box is None and radius_km is not None and lat is not None and lon is not None:
            box = _radius_box(lat, lon, radius_km)
        known = await call(catalog.knows, item)
        rows: list[ListingRow] = await call(storage.listings, item, box, small=False) \
            if known else []
        found: list[tuple[float | None, ListingRow]] = []
        for row in rows:
            distance = None
            if lat is not None and lon is not None and row.lat is not None \
                    and row.lon is not None:
                distance = haversine_km(lat, lon, row.lat, row.lon)
            if radius_km is not None and (distance is None or distance > radius_km):
                continue
            found.append((distance, row))
        if lat is not None:
            found.sort(key=lambda f: (f[0] is None, f[0] or 0.0, f[1].name, f[1].station_id))
        else:
            found.sort(key=lambda f: (-f[1].available, f[1].name, f[1].station_id))
        return JSONResponse({"item": item,
                             "listings": [_listing_json(r, d) for d, r in found[:limit]]})

    @app.get(f"{P}/stats/top-demand", response_model=TopDemandOut,
             responses=_errors(422, 503), tags=["public"])
    async def top_demand(
        bbox: Annotated[str | None, Query(max_length=200, pattern=_BBOX,
                                          description="min_lon,min_lat,max_lon,max_lat")] = None,
        limit: Annotated[int, Query(ge=1, le=100)] = 10,
    ) -> Response:
        """Items with the most units requested across stations (in a region if bbox)."""
        rows = await call(storage.top_demand, _bbox(bbox), limit + UNKNOWN_SLACK)
        rows = [r for r in rows if await call(catalog.knows, r.item)][:limit]
        return JSONResponse({"items": [
            {"item": r.item, "requested": r.requested, "available": r.available,
             "stations": r.stations}
            for r in rows
        ]})

    @app.get(f"{P}/health", response_model=HealthOut, responses=_errors(503), tags=["public"])
    async def health() -> Response:
        """Is the server up and its database reachable."""
        await call(storage.ping)
        return JSONResponse({
            "status": "ok",
            "storage": storage.backend,
            "server_version": __version__,
            "protocol_version": p.PROTOCOL_VERSION,
            "min_protocol_version": p.MIN_PROTOCOL_VERSION,
            "max_protocol_version": p.MAX_PROTOCOL_VERSION,
        })

    return app


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


def app_from_env() -> FastAPI:
    """uvicorn factory: the app over the database named by MEDSHARE_CENTRAL_DB."""
    url = os.environ.get(DB_ENV)
    if not url:
        raise StorageError(f"{DB_ENV} is not set; it names the central database")
    return create_app(open_storage(url))
