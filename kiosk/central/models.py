"""The pydantic models of the OpenAPI document (/api/v1/openapi.json) and how it is put
together. The sync bodies are checked by `kiosk.sync.protocol`; these models describe
them (tests/central/test_central_wire_schema.py proves the two agree)."""


from datetime import date
from typing import Annotated, Any, Literal, Self

from fastapi import FastAPI
from pydantic import BaseModel, ConfigDict, Field, model_validator
from pydantic.json_schema import models_json_schema

from kiosk.sync import protocol as p
from kiosk.sync.history import (
    HASH_PATTERN,
    HISTORY_PATTERN,
    MAX_SNAPSHOT_LISTINGS,
)

P = p.API_PREFIX

_VERSION_DOC = (
    "The client's sync protocol version. Versions outside the range this server accepts "
    "get HTTP 426 with a plain message; the range is also in GET /api/v1/health."
)


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

    @model_validator(mode="after")
    def _both_or_neither(self) -> Self:
        # rules JSON Schema cannot say; the same as kiosk.sync.protocol's (a test proves it)
        if (self.lat is None) != (self.lon is None):
            raise ValueError("profile.lat and profile.lon must both be numbers or both be null")
        return self


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
        "Every listing of the station (each item once); the central sets the ones not "
        "named to zero"))

    @model_validator(mode="after")
    def _each_item_once(self) -> Self:
        items = [listing.item for listing in self.listings]
        if len(set(items)) != len(items):
            raise ValueError("snapshot.listings names an item twice")
        return self


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

    @model_validator(mode="after")
    def _base_starts_a_history(self) -> Self:
        if self.base is not None and self.history is None:
            raise ValueError("base needs the history it starts")
        if self.base is not None and any(e.seq < self.base for e in self.events):
            raise ValueError("every event of a new history must have a seq of base or more")
        return self


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
