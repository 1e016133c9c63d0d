"""kiosk.sync.protocol, the wire contract both ends validate with (pure functions)."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

import pytest
from centralkit import REPO, central_env
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.errors import InvalidInput
from kiosk.sync import protocol as p

text = st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=60)
units = st.integers(0, p.MAX_UNITS)
months = st.builds(lambda y, m: f"{y:04d}-{m:02d}", st.integers(2000, 2100), st.integers(1, 12))
coords = st.one_of(
    st.tuples(st.none(), st.none()),
    st.tuples(st.floats(-90, 90), st.floats(-180, 180)),
)
profiles = st.builds(
    lambda name, addr, ll, hours: {"name": name, "address": addr, "lat": ll[0], "lon": ll[1],
                                   "opening_hours": hours},
    text.filter(lambda s: s.strip() != ""), text, coords, text,
)
listings = st.builds(
    lambda item, a, r, e: {"item": item, "available": a, "requested": r, "earliest_expiry": e},
    st.from_regex(p.ITEM_PATTERN, fullmatch=True), units, units, st.one_of(st.none(), months),
)
dailies = st.builds(
    lambda d, a, b, c, e: {"day": d.isoformat(), "received": a, "requested": b,
                           "collected": c, "written_off": e},
    st.dates(), units, units, units, units,
)
events = st.one_of(
    st.tuples(st.just("profile"), profiles),
    st.tuples(st.just("listing"), listings),
    st.tuples(st.just("daily"), dailies),
)


@given(st.integers(1, p.MAX_SEQ), events)
def test_valid_events_survive_a_json_round_trip(seq: int, kind_body: tuple[str, Any]) -> None:
    kind, body = kind_body
    event = p.make_event(seq, kind, body)
    wire = json.loads(json.dumps(p.push_request_json("st-abc", [event])))
    parsed = p.parse_push_request(wire)
    assert parsed.events == [event]
    assert parsed.station_id == "st-abc" and parsed.protocol_version == p.PROTOCOL_VERSION


@given(events, st.text(min_size=1, max_size=20), st.one_of(text, units))
@settings(max_examples=50)
def test_no_extra_field_can_slip_through(kind_body: tuple[str, Any], key: str,
                                         value: Any) -> None:
    kind, body = kind_body
    if key in body:
        return
    with pytest.raises(InvalidInput, match="not allowed"):
        p.validate_body(kind, {**body, key: value})


@pytest.mark.parametrize(("kind", "field"), [
    ("listing", "available"), ("listing", "requested"), ("daily", "received"),
])
def test_bools_are_not_numbers(kind: str, field: str) -> None:
    body = {"listing": {"item": "a", "available": 1, "requested": 1, "earliest_expiry": None},
            "daily": {"day": "2026-01-01", "received": 1, "requested": 1, "collected": 1,
                      "written_off": 1}}[kind]
    with pytest.raises(InvalidInput, match="whole number"):
        p.validate_body(kind, {**body, field: True})
    with pytest.raises(InvalidInput, match="seq"):
        p.validate_event({"seq": True, "kind": kind, "body": body})


def test_unknown_kinds_and_shapes_are_refused() -> None:
    with pytest.raises(InvalidInput, match="kind must be one of"):
        p.validate_event({"seq": 1, "kind": "request", "body": {}})
    with pytest.raises(InvalidInput, match="JSON object"):
        p.validate_event([1, "listing", {}])
    with pytest.raises(InvalidInput, match="too many"):
        p.validate_events([{}] * (p.MAX_BATCH_EVENTS + 1))


def test_version_check() -> None:
    assert p.check_protocol_version(p.PROTOCOL_VERSION) == p.PROTOCOL_VERSION
    assert p.check_protocol_version(" 2 ", text=True) == 2
    with pytest.raises(InvalidInput, match="whole number"):
        p.check_protocol_version("2")  # in a JSON body it must be a number
    with pytest.raises(p.UnsupportedProtocolVersion, match="too old") as old:
        p.check_protocol_version(p.MIN_PROTOCOL_VERSION - 1)
    assert old.value.too_old
    with pytest.raises(p.UnsupportedProtocolVersion, match="too new") as new:
        p.check_protocol_version(p.MAX_PROTOCOL_VERSION + 1)
    assert not new.value.too_old
    for bad in (True, 1.0, "x", None):
        with pytest.raises(InvalidInput, match="whole number"):
            p.check_protocol_version(bad)


def test_enrolment_codes() -> None:
    for _ in range(50):
        code = p.new_enrolment_code()
        assert p.normalise_enrolment_code(code) == code
        assert len(code) == 14 and code[4] == code[9] == "-"
    assert p.normalise_enrolment_code(" abcd efgh jkmo ") == "ABCD-EFGH-JKM0"
    assert p.normalise_enrolment_code("ILLO-0000-1111") == "1110-0000-1111"
    for bad in ("ABCD-EFGH-JKM", "ABCD-EFGH-JKMNP", "ABCD-EFGH-JKU!", 12, None, "x" * 100):
        with pytest.raises(InvalidInput, match="enrolment code"):
            p.normalise_enrolment_code(bad)


def test_enrolment_qr_payload_round_trip() -> None:
    assert p.parse_enrolment_qr(p.enrolment_qr_payload("abcd-efgh-jkmn")) == (
        "ABCD-EFGH-JKMN", None)
    url = "https://ops@central.example.org:8443/"
    assert p.parse_enrolment_qr(p.enrolment_qr_payload("ABCD-EFGH-JKMN", url)) == (
        "ABCD-EFGH-JKMN", url)
    with pytest.raises(InvalidInput, match="not a MedShare"):
        p.parse_enrolment_qr("MS1:ABC:1:XYZ")


def test_replies_are_checked_on_the_client_side() -> None:
    page = p.parse_pull_reply({
        "changes": [
            {"cursor": "5", "station_id": "st-abc", "kind": "listing",
             "body": {"item": "a", "available": 1, "requested": 0, "earliest_expiry": None}},
            {"cursor": "6", "station_id": None, "kind": "recall", "body": {"lot": "X"}},
        ],
        "next_cursor": "6", "more": False,
    })
    assert [c.known for c in page.changes] == [True, False]
    assert page.next_cursor == "6" and page.more is False
    with pytest.raises(InvalidInput):
        p.parse_pull_reply({"changes": [{"cursor": "1", "station_id": "st-abc",
                                         "kind": "listing", "body": {"item": "a"}}],
                            "next_cursor": "1", "more": False})
    with pytest.raises(InvalidInput, match="more"):
        p.parse_pull_reply({"changes": [], "next_cursor": "0"})
    assert p.parse_push_reply({"acked_seq": 7}) == 7
    with pytest.raises(InvalidInput):
        p.parse_push_reply({"acked_seq": True})
    enrolled = p.parse_enrol_reply({"station_id": "st-abc", "token": "t" * 40, "name": "X"})
    assert (enrolled.station_id, enrolled.name) == ("st-abc", "X")
    with pytest.raises(InvalidInput, match="token"):
        p.parse_enrol_reply({"station_id": "st-abc", "token": ""})


def test_protocol_module_imports_no_qt_and_no_http_library() -> None:
    code = ("import sys, kiosk.sync.protocol; "
            "bad = [m for m in sys.modules if m.split('.')[0] in "
            "('PySide6', 'httpx', 'requests', 'fastapi', 'starlette', 'uvicorn', 'psycopg', "
            "'pydantic', 'http', 'urllib3', 'sqlite3')]; print(bad); assert not bad")
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO, env=central_env(),
                            capture_output=True, text=True, timeout=30)
    assert result.returncode == 0, result.stdout + result.stderr
