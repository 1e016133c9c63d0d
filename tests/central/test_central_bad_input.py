"""Malformed, hostile and oversized requests get a 4xx with a reason, never a 5xx."""

from __future__ import annotations

import json
import socket
from typing import Any
from urllib.parse import urlsplit

import pytest
from centralkit import Central, Station, daily, listing, profile
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

GOOD_PROFILE = profile(1, "Centre", 1.0, 2.0)["body"]


def _event(kind: str = "listing", seq: Any = 1, **body: Any) -> dict[str, Any]:
    base = dict(GOOD_PROFILE) if kind == "profile" else {
        "item": "ibuprofen-200mg-tablet", "available": 1, "requested": 0,
        "earliest_expiry": "2027-01"}
    base.update(body)
    return {"seq": seq, "kind": kind, "body": base}


# (case id, events or a whole-body override, words the reason must contain)
BAD_EVENTS: list[tuple[str, Any, str]] = [
    ("events not a list", "nope", "events must be a list"),
    ("unknown kind", [{"seq": 1, "kind": "request", "body": {}}], "kind must be one of"),
    ("personal field in a listing", [_event(phone="13812345678")], "phone"),
    ("personal field in a profile", [_event("profile", contact_name="Li Lei")],
     "contact_name"),
    ("extra key on the event", [{**_event(), "created_at": "2026-01-01"}], "created_at"),
    ("missing key", [{"seq": 1, "kind": "listing", "body": {"item": "x-y"}}], "missing"),
    ("bool as int", [_event(available=True)], "whole number"),
    ("negative units", [_event(available=-1)], "0 or more"),
    ("fractional units", [_event(requested=1.5)], "whole number"),
    ("huge units", [_event(available=10**12)], "too large"),
    ("seq zero", [_event(seq=0)], "seq"),
    ("seq as text", [_event(seq="1")], "seq"),
    ("seq as bool", [_event(seq=True)], "seq"),
    ("seq beyond 64 bits", [_event(seq=2**64)], "seq"),
    ("latitude out of range", [_event("profile", lat=91.0)], "between -90 and 90"),
    ("half a coordinate", [_event("profile", lon=None)], "both"),
    ("coordinate as text", [_event("profile", lat="1.0")], "number"),
    ("empty name", [_event("profile", name="   ")], "empty"),
    ("long name", [_event("profile", name="x" * 121)], "too long"),
    ("NUL in a name", [_event("profile", name="a\x00b")], "control character"),
    ("lone surrogate", [_event("profile", address="\ud800")], "Unicode"),
    ("bad month", [_event(earliest_expiry="2027-13")], "month"),
    ("day as month", [_event(earliest_expiry="2027-01-01")], "month"),
    ("bad day", [{"seq": 1, "kind": "daily", "body": {
        "day": "2026-02-30", "received": 0, "requested": 0, "collected": 0,
        "written_off": 0}}], "date"),
    ("bad item id", [_event(item="Ibuprofen 200")], "catalog id"),
    ("body not an object", [{"seq": 1, "kind": "listing", "body": [1, 2]}], "JSON object"),
    ("event not an object", [7], "JSON object"),
    ("too many events", [listing(i, "x-y", 1) for i in range(1, 5002)], "too many events"),
]


@pytest.fixture(scope="module")
def victim(central: Central) -> Station:
    return central.station("Bad input target")


@pytest.fixture(scope="module")
def fuzzed(central: Central) -> Station:
    return central.station("Fuzz target")


@pytest.mark.parametrize(("case", "events", "words"), BAD_EVENTS,
                         ids=[c[0] for c in BAD_EVENTS])
def test_bad_events_are_refused_with_a_reason(central: Central, victim: Station, case: str,
                                              events: Any, words: str) -> None:
    body = {"protocol_version": 2, "station_id": victim.station_id, "events": events}
    # json.dumps keeps lone surrogates as \ud800 escapes, as a hostile client would send
    reply = central.http.post("/api/v1/push", content=json.dumps(body).encode(),
                              headers=victim.auth)
    assert reply.status_code == 422, (case, reply.status_code, reply.text)
    assert words in reply.json()["detail"], reply.json()["detail"]
    assert victim.push_ok([]) == 0  # nothing of the batch was stored


def _raw_push(central: Central, station: Station, content: bytes,
              content_type: str = "application/json") -> Any:
    return central.http.post("/api/v1/push", content=content,
                             headers={**station.auth, "Content-Type": content_type})


@pytest.mark.parametrize(("case", "content", "status"), [
    ("not JSON", b"hello", 400),
    ("empty", b"", 400),
    ("truncated", b'{"protocol_version": 2, "events": [', 400),
    ("NaN literal", b'{"protocol_version": NaN}', 400),
    ("Infinity literal", b'{"protocol_version": 2, "x": Infinity}', 400),
    ("not UTF-8", b'{"protocol_version": 2, "station_id": "\xff\xfe"}', 400),
    ("enormous integer", b'{"protocol_version": ' + b"9" * 5000 + b"}", 400),
    ("deep nesting", b"[" * 200_000 + b"]" * 200_000, 400),
    ("array, not object", b"[1, 2, 3]", 422),
    ("no version anywhere", b'{"station_id": "st-x", "events": []}', 422),
    ("version as text", b'{"protocol_version": "one", "station_id": "st-x", "events": []}', 422),
    ("version as bool", b'{"protocol_version": true, "station_id": "st-x", "events": []}', 422),
    ("bad station id", b'{"protocol_version": 2, "station_id": "../../etc", "events": []}', 422),
    ("unexpected top-level field",
     b'{"protocol_version": 2, "station_id": "st-x", "events": [], "phones": []}', 422),
])
def test_malformed_push_bodies(central: Central, victim: Station, case: str, content: bytes,
                               status: int) -> None:
    reply = _raw_push(central, victim, content)
    assert reply.status_code == status, (case, reply.text)
    assert reply.json()["detail"]


def test_content_type_is_not_required_to_be_json(central: Central) -> None:
    station = central.station()
    body = json.dumps({"protocol_version": 2, "station_id": station.station_id,
                       "events": [listing(1, "ibuprofen-200mg-tablet", 1)]}).encode()
    assert _raw_push(central, station, body, "text/plain").json()["acked_seq"] == 1


@pytest.mark.parametrize(("body", "status", "words"), [
    ({}, 422, "protocol_version"),
    ({"protocol_version": 2}, 422, "code"),
    ({"protocol_version": 2, "code": 12345678}, 422, "code"),
    ({"protocol_version": 2, "code": "ABCD-EFGH-JKMN", "token": "x"}, 422, "token"),
    ({"protocol_version": 2, "code": "ABCD-EFGH-JKMN", "client": 5}, 422, "client"),
    ([], 422, "JSON object"),
])
def test_malformed_enrol_bodies(central: Central, body: Any, status: int, words: str) -> None:
    reply = central.enrol_raw(body)
    assert reply.status_code == status, reply.text
    assert words in reply.json()["detail"]


def test_oversized_body_with_content_length_gets_413(central: Central, victim: Station) -> None:
    big = b'{"protocol_version": 2, "pad": "' + b"x" * (2 * 1024 * 1024) + b'"}'
    reply = _raw_push(central, victim, big)
    assert reply.status_code == 413
    assert "larger than" in reply.json()["detail"]
    enrol = central.http.post("/api/v1/enrol", content=big)
    assert enrol.status_code == 413


def test_oversized_chunked_body_gets_413(central: Central, victim: Station) -> None:
    """No Content-Length: the server counts the bytes as they stream in."""
    url = urlsplit(central.base_url)
    assert url.hostname is not None and url.port is not None
    with socket.create_connection((url.hostname, url.port), timeout=10) as sock:
        sock.sendall(
            b"POST /api/v1/push HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
            b"Content-Type: application/json\r\n"
            + f"Authorization: Bearer {victim.token}\r\n\r\n".encode()
        )
        chunk = b"x" * 65536
        try:
            for _ in range(48):  # 3 MiB, more than the 2 MiB limit
                sock.sendall(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
            sock.sendall(b"0\r\n\r\n")
        except OSError:
            pass  # the server may stop reading once it has answered
        head = b""
        while b"\r\n" not in head:
            data = sock.recv(4096)
            if not data:
                break
            head += data
    assert head.startswith(b"HTTP/1.1 413"), head[:200]


def test_wrong_methods_and_paths_are_4xx(central: Central) -> None:
    assert central.http.get("/api/v1/push").status_code == 405
    assert central.http.delete("/api/v1/listings").status_code == 405
    assert central.http.get("/api/v2/push").status_code == 404


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=12,
)


@given(body=json_values)
@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_random_json_never_gets_a_5xx(central: Central, fuzzed: Station, body: Any) -> None:
    for path in ("/api/v1/push", "/api/v1/enrol"):
        reply = central.http.post(path, content=json.dumps(body).encode(), headers=fuzzed.auth)
        assert 400 <= reply.status_code < 500, (path, body, reply.text)


@given(kind=st.sampled_from(["listing", "profile", "daily"]), key=st.text(max_size=12),
       value=json_values)
@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_one_bad_field_in_a_valid_event_never_gets_a_5xx(
    central: Central, fuzzed: Station, kind: str, key: str, value: Any
) -> None:
    event = _event(kind) if kind != "daily" else daily(1, "2026-01-01")
    if key in event["body"] or not key:
        event["body"][key or "item"] = value
    else:
        event[key] = value
    body = {"protocol_version": 2, "station_id": fuzzed.station_id, "events": [event]}
    reply = central.http.post("/api/v1/push", content=json.dumps(body).encode(),
                              headers=fuzzed.auth)
    assert reply.status_code < 500, (body, reply.text)
    if reply.status_code == 200:  # the value happened to be valid: it was stored properly
        assert reply.json()["acked_seq"] in (0, 1)
