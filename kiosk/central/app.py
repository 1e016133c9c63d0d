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

import os
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Annotated, Any

import anyio.to_thread
from anyio import CapacityLimiter
from fastapi import FastAPI, Query, Request, Response
from fastapi.responses import JSONResponse

from kiosk import __version__
from kiosk.catalog import load_bundled_catalog
from kiosk.central.history import Hello
from kiosk.central.models import (
    _BBOX,
    _HISTORY,
    AnchorsOut,
    CentralAPI,
    EnrolOut,
    HealthOut,
    ListingsOut,
    PullOut,
    PushOut,
    TopDemandOut,
    _body_ref,
    _errors,
    _version_header,
)
from kiosk.central.public import KnownItems, _bbox, _listing_json, _radius_box, haversine_km
from kiosk.central.storage import (
    ListingRow,
    PushAuth,
    Storage,
    StorageError,
    open_storage,
)
from kiosk.central.webio import (
    ApiError,
    BodyLimit,
    _bearer,
    _header_version,
    _install_error_handlers,
    _read_json,
)
from kiosk.clock import Clock, process_clock
from kiosk.errors import InvalidInput
from kiosk.sync import protocol as p

P = p.API_PREFIX
DB_ENV = "MEDSHARE_CENTRAL_DB"
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


# --- the app ----------------------------------------------------------------------------------


def _request_version(request: Request) -> int | None:
    """The version a GET names (query parameter first, then the header), checked."""
    query_version = request.query_params.get("protocol_version")
    if query_version is not None:
        return p.check_protocol_version(query_version, text=True)
    return _header_version(request)


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
             openapi_extra={"parameters": [_version_header(required=False)]},
             responses=_errors(400, 401, 422, 426, 503), tags=["sync"])
    async def pull(
        request: Request,
        after: Annotated[str | None, Query(max_length=18, pattern=p.CURSOR_PATTERN.pattern,
                                           description="Cursor from the last page")] = None,
        limit: Annotated[int, Query(ge=1, le=p.MAX_PULL_LIMIT)] = p.DEFAULT_PULL_LIMIT,
        protocol_version: Annotated[str | None, Query(
            max_length=40, description="The sync protocol version, when the request "
            f"carries no {p.PROTOCOL_HEADER} header (one of the two is required)")] = None,
    ) -> Response:
        """Other stations' profile and listing changes after a cursor, oldest first.

        The protocol version comes as the header or the `protocol_version` query parameter.
        """
        if _request_version(request) is None:
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
             responses=_errors(401, 422, 426, 503), tags=["sync"])
    async def anchors(
        request: Request,
        history: Annotated[str | None, Query(pattern=_HISTORY,
                                             description="Only this history's")] = None,
    ) -> Response:
        """Every ledger anchor the station of this token sent, oldest first."""
        _request_version(request)  # an older or newer peer is told which side to update
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


def app_from_env() -> FastAPI:
    """uvicorn factory: the app over the database named by MEDSHARE_CENTRAL_DB."""
    url = os.environ.get(DB_ENV)
    if not url:
        raise StorageError(f"{DB_ENV} is not set; it names the central database")
    return create_app(open_storage(url))
