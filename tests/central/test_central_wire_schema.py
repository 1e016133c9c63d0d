"""One wire schema: the sync protocol's validation (`kiosk.sync.protocol`, which the
central runs on every push) and the OpenAPI models the central publishes
(`kiosk.central.models.PushIn`, what other people's tools check bodies against) accept
and refuse the same push bodies, both directions (property-based: valid bodies, and
valid bodies with one part replaced, dropped or added)."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from kiosk.central.models import PushIn
from kiosk.errors import InvalidInput
from kiosk.sync import protocol as p

HEX = "0123456789abcdef"
SLUG = "abcdefghijklmnopqrstuvwxyz0123456789-"

# text that sometimes holds a control character, a line break or only spaces
texts = st.one_of(
    st.text(max_size=8),
    st.text(alphabet=st.sampled_from(["a", " ", "\n", "\t", "\x00", "\x1f", "\x7f", "é",
                                      "\u00a0", "\u2028", "\r", "\x85"]), max_size=6),
    st.text(min_size=118, max_size=125),
)
counts = st.one_of(st.integers(0, 5), st.integers(-2, p.MAX_UNITS + 2),
                   st.just(p.MAX_UNITS), st.just(p.MAX_UNITS + 1))
seqs = st.one_of(st.integers(1, 20), st.integers(-1, p.MAX_SEQ + 1), st.just(p.MAX_SEQ))
items = st.one_of(st.sampled_from(["ibuprofen-200mg-tablet", "x1", "a"]),
                  st.text(alphabet=SLUG, min_size=1, max_size=81),
                  st.sampled_from(["-x", "X", "x\n", "a b", ""]))
months = st.one_of(st.none(), st.sampled_from(["2027-06", "2027-13", "2027-6", "2027-06\n"]))
days = st.sampled_from(["2026-11-01", "2026-02-30", "2026-1-1", "2026-11-01\n", "20261101"])
coordinates = st.one_of(st.none(), st.floats(-200, 200, allow_nan=False),
                        st.integers(-200, 200), st.sampled_from([90, -90.0, 180, 180.5]))
hex_ids = st.one_of(st.text(alphabet=HEX, min_size=16, max_size=64),
                    st.text(alphabet=HEX, min_size=15, max_size=65),
                    st.sampled_from(["A" * 16, "g" * 16, "0" * 16 + "\n"]))
heads = st.one_of(st.text(alphabet=HEX, min_size=64, max_size=64),
                  st.sampled_from(["a" * 63, "A" * 64, "a" * 64 + "\n"]))


def profiles() -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries({"name": texts, "address": texts, "lat": coordinates,
                                  "lon": coordinates, "opening_hours": texts})


def listings() -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries({"item": items, "available": counts, "requested": counts,
                                  "earliest_expiry": months})


def dailies() -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries({"day": days, "received": counts, "requested": counts,
                                  "collected": counts, "written_off": counts})


def snapshots() -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries({"profile": profiles(),
                                  "listings": st.lists(listings(), max_size=3)})


def events() -> st.SearchStrategy[dict[str, Any]]:
    kinds = [("profile", profiles()), ("listing", listings()), ("daily", dailies()),
             ("snapshot", snapshots())]
    return st.one_of(*[
        st.fixed_dictionaries({"seq": seqs, "kind": st.just(kind), "body": body})
        for kind, body in kinds
    ])


def optional(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(st.none(), strategy)


pushes = st.fixed_dictionaries(
    {"protocol_version": st.sampled_from([2, 2, 1, 3]),
     "station_id": st.sampled_from(["st-abcdefghjk", "st", "ST-X", "st-abc\n"]),
     "events": st.lists(events(), max_size=3)},
    optional={
        "history": optional(hex_ids),
        "base": optional(seqs),
        "seen": optional(st.fixed_dictionaries({"epoch": hex_ids, "acked_seq": counts,
                                                "feed_head": counts})),
        "anchor": optional(st.fixed_dictionaries({"movements": counts, "head": heads})),
    },
)

json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(-3, 3), st.floats(allow_nan=False,
              allow_infinity=False), st.text(max_size=4)),
    lambda inner: st.one_of(st.lists(inner, max_size=2),
                            st.dictionaries(st.text(max_size=3), inner, max_size=2)),
    max_leaves=4,
)


def _paths(value: Any, at: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [at]
    if isinstance(value, dict):
        for key, inner in value.items():
            found += _paths(inner, (*at, key))
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            found += _paths(inner, (*at, index))
    return found


@st.composite
def mutated_pushes(draw: st.DrawFn) -> Any:
    body = draw(pushes)
    path = draw(st.sampled_from(_paths(body)))
    operation = draw(st.sampled_from(["replace", "drop", "add"]))
    if not path:
        return draw(json_values) if operation == "replace" else body
    parent: Any = body
    for step in path[:-1]:
        parent = parent[step]
    last = path[-1]
    if operation == "replace":
        parent[last] = draw(json_values)
    elif operation == "drop":
        del parent[last]
    elif isinstance(parent[last], dict):
        parent[last][draw(st.text(max_size=6))] = draw(json_values)
    return body


def protocol_accepts(body: Any) -> bool:
    try:
        p.parse_push_request(body)
    except InvalidInput:
        return False
    return True


def model_accepts(body: Any) -> bool:
    try:
        PushIn.model_validate_json(json.dumps(body), strict=True)
    except ValidationError:
        return False
    return True


SETTINGS = settings(max_examples=600, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(body=pushes)
def test_the_protocol_and_the_openapi_models_agree_on_push_bodies(body: Any) -> None:
    assert protocol_accepts(body) == model_accepts(body), json.dumps(body)


@SETTINGS
@given(body=mutated_pushes())
def test_they_agree_on_push_bodies_with_a_part_changed(body: Any) -> None:
    assert protocol_accepts(body) == model_accepts(body), json.dumps(body)


def test_both_accept_a_full_push_and_refuse_a_broken_one() -> None:
    good = {"protocol_version": 2, "station_id": "st-abcdefghjk", "history": "a" * 16,
            "base": 1, "seen": {"epoch": "b" * 16, "acked_seq": 0, "feed_head": 0},
            "anchor": {"movements": 0, "head": "c" * 64},
            "events": [{"seq": 1, "kind": "listing", "body": {
                "item": "ibuprofen-200mg-tablet", "available": 1, "requested": 0,
                "earliest_expiry": "2027-06"}}]}
    assert protocol_accepts(good) and model_accepts(good)
    broken = {**good, "events": [{"seq": 0, "kind": "listing", "body": {}}]}
    assert not protocol_accepts(broken) and not model_accepts(broken)
