"""Enrol, push and pull against a real server, on SQLite and on PostgreSQL."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from centralkit import Central, Station, daily, listing, profile, unique_item


def _mine(changes: list[dict], *stations: Station) -> list[dict]:
    ids = {s.station_id for s in stations}
    return [c for c in changes if c["station_id"] in ids]


def _listing_state(central: Central, item: str) -> dict[str, tuple[int, int, str | None]]:
    reply = central.http.get("/api/v1/listings", params={"item": item})
    assert reply.status_code == 200, reply.text
    return {row["station_id"]: (row["available"], row["requested"], row["earliest_expiry"])
            for row in reply.json()["listings"]}


# --- enrolment -----------------------------------------------------------------------


def test_enrol_returns_station_id_and_token_once(central: Central) -> None:
    issued = central.code("Enrol once")
    first = central.enrol_raw({"code": issued.code, "protocol_version": 2,
                               "client": "medshare 0.1.0"})
    assert first.status_code == 200, first.text
    body = first.json()
    assert body["station_id"] == issued.station_id
    assert body["name"] == issued.name
    assert len(body["token"]) >= 40

    again = central.enrol_raw({"code": issued.code, "protocol_version": 2})
    assert again.status_code == 403
    assert "already used" in again.json()["detail"]


def test_enrol_forgives_typing_slips_in_the_code(central: Central) -> None:
    issued = central.code("Sloppy typist")
    typed = issued.code.replace("-", " ").lower().replace("0", "o").replace("1", "l")
    reply = central.enrol_raw({"code": typed, "protocol_version": 2})
    assert reply.status_code == 200, reply.text
    assert reply.json()["station_id"] == issued.station_id


def test_unknown_and_malformed_codes_are_refused(central: Central) -> None:
    unknown = central.enrol_raw({"code": "ZZZZ-ZZZZ-ZZZZ", "protocol_version": 2})
    assert unknown.status_code == 403
    assert "not known" in unknown.json()["detail"]
    malformed = central.enrol_raw({"code": "hello", "protocol_version": 2})
    assert malformed.status_code == 422
    assert "12 letters" in malformed.json()["detail"]


def test_expired_code_is_refused(central: Central) -> None:
    issued = central.code("Late", now=datetime.now().astimezone() - timedelta(days=8))
    reply = central.enrol_raw({"code": issued.code, "protocol_version": 2})
    assert reply.status_code == 403
    assert "expired" in reply.json()["detail"]


def test_enrolling_again_with_a_new_code_replaces_the_token(central: Central) -> None:
    station = central.station("Reinstalled")
    assert station.send("listing", listing(1, unique_item(), 1)["body"]) == 1
    fresh = central.storage.new_code(station.station_id, datetime.now().astimezone(),
                                     timedelta(days=1))
    reply = central.enrol_raw({"code": fresh.code, "protocol_version": 2})
    assert reply.status_code == 200
    new_token = reply.json()["token"]
    assert station.push([]).status_code == 401  # the old token is dead
    station.token = new_token
    assert station.push_ok([]) == 1  # and the station keeps its history


# --- push --------------------------------------------------------------------------------


def test_same_batch_twice_is_stored_once(central: Central) -> None:
    station, reader = central.station(), central.station()
    item = unique_item()
    batch = [profile(1, "Twice Centre", 31.2, 121.4), listing(2, item, 5, 1),
             daily(3, "2026-01-02")]
    assert station.push_ok(batch) == 3
    assert station.push_ok(batch) == 3
    assert _listing_state(central, item) == {station.station_id: (5, 1, "2027-06")}
    changes, _ = reader.pull_all()
    kinds = sorted(c["kind"] for c in _mine(changes, station))
    assert kinds == ["listing", "profile"]  # one change each, daily counts stay private


def test_retry_after_a_lost_reply_is_harmless(central: Central) -> None:
    station, reader = central.station(), central.station()
    item = unique_item()
    first = [listing(seq, item, 10 - seq) for seq in range(1, 6)]
    assert station.push_ok(first) == 5  # ...and the reply is "lost"
    retry = first + [listing(seq, item, 10 - seq) for seq in range(6, 9)]
    assert station.push_ok(retry) == 8
    assert _listing_state(central, item) == {station.station_id: (2, 0, "2027-06")}
    changes = _mine(reader.pull_all()[0], station)
    assert [c["body"]["available"] for c in changes] == [2]


def test_a_seq_already_held_keeps_its_first_content(central: Central) -> None:
    station = central.station()
    item = unique_item()
    assert station.push_ok([listing(1, item, 5)]) == 1
    assert station.push_ok([listing(1, item, 99)]) == 1
    assert _listing_state(central, item) == {station.station_id: (5, 0, "2027-06")}
    # and within one batch the first copy wins too
    assert station.push_ok([listing(2, item, 7), listing(2, item, 8)]) == 2
    assert _listing_state(central, item) == {station.station_id: (7, 0, "2027-06")}


def test_events_after_a_gap_are_kept_but_not_acked(central: Central) -> None:
    station = central.station()
    a, b = unique_item(), unique_item()
    assert station.push_ok([listing(1, a, 1), listing(2, a, 2), listing(4, b, 4),
                            listing(5, a, 5)]) == 2
    # held beyond the gap: a retry of 4 and 5 is not stored twice, 3 closes the gap
    assert station.push_ok([listing(4, b, 40), listing(5, a, 50)]) == 2
    assert station.push_ok([listing(3, a, 3)]) == 5
    # latest seq wins per item, whatever order the events arrived in
    assert _listing_state(central, a) == {station.station_id: (5, 0, "2027-06")}
    assert _listing_state(central, b) == {station.station_id: (4, 0, "2027-06")}
    assert station.push_ok([]) == 5


def test_an_older_event_never_overwrites_a_newer_one(central: Central) -> None:
    station = central.station()
    item = unique_item()
    assert station.push_ok([listing(2, item, 7)]) == 0
    assert station.push_ok([listing(1, item, 3)]) == 2
    assert _listing_state(central, item) == {station.station_id: (7, 0, "2027-06")}


def test_listing_with_nothing_available_leaves_the_public_listings(central: Central) -> None:
    station = central.station()
    item = unique_item()
    station.send("listing", listing(0, item, 3)["body"])
    assert station.station_id in _listing_state(central, item)
    station.send("listing", listing(0, item, 0, requested=2)["body"])
    assert station.station_id not in _listing_state(central, item)


# --- auth --------------------------------------------------------------------------------


def test_push_needs_a_token(central: Central) -> None:
    station = central.station()
    body = {"protocol_version": 2, "station_id": station.station_id,
            "events": [listing(1, unique_item(), 1)]}
    missing = central.http.post("/api/v1/push", json=body)
    assert missing.status_code == 401
    assert missing.headers["www-authenticate"] == "Bearer"
    wrong = central.http.post("/api/v1/push", json=body,
                              headers={"Authorization": "Bearer mst1_not-a-real-token-at-all"})
    assert wrong.status_code == 401
    basic = central.http.post("/api/v1/push", json=body,
                              headers={"Authorization": "Basic dXNlcjpwYXNz"})
    assert basic.status_code == 401
    assert station.push_ok([]) == 0  # nothing was stored


def test_a_station_cannot_write_another_stations_records(central: Central) -> None:
    victim, intruder = central.station(), central.station()
    item = unique_item()
    assert victim.push_ok([listing(1, item, 4)]) == 1
    body = {"protocol_version": 2, "station_id": victim.station_id,
            "events": [listing(2, item, 0), listing(3, item, 999)]}
    reply = central.http.post("/api/v1/push", json=body, headers=intruder.auth)
    assert reply.status_code == 403
    assert "another station" in reply.json()["detail"]
    assert _listing_state(central, item) == {victim.station_id: (4, 0, "2027-06")}
    assert victim.push_ok([]) == 1
    # an unknown station id with a valid token is refused the same way
    body["station_id"] = "st-doesnotexist"
    assert central.http.post("/api/v1/push", json=body,
                             headers=intruder.auth).status_code == 403


def test_pull_needs_a_valid_token(central: Central) -> None:
    headers = {"X-MedShare-Protocol": "2"}
    assert central.http.get("/api/v1/pull", headers=headers).status_code == 401
    bad = {**headers, "Authorization": "Bearer mst1_nope-nope-nope-nope-nope"}
    assert central.http.get("/api/v1/pull", headers=bad).status_code == 401


# --- pull --------------------------------------------------------------------------------


def test_pull_pages_through_other_stations_changes(central: Central) -> None:
    reader, a, b = central.station("Reader"), central.station("A"), central.station("B")
    items = [unique_item() for _ in range(4)]
    a.push_ok([profile(1, "Station A", 22.5, 114.0)]
              + [listing(i + 2, item, i + 1) for i, item in enumerate(items)])
    b.push_ok([profile(1, "Station B", 22.6, 114.1), listing(2, items[0], 9)])
    reader.push_ok([profile(1, "Reader", 22.7, 114.2), listing(2, items[0], 1)])

    seen: list[dict] = []
    cursors: list[int] = []
    after = "0"
    pages = 0
    while True:
        reply = reader.pull(after, limit=3)
        assert reply.status_code == 200, reply.text
        page = reply.json()
        assert len(page["changes"]) <= 3
        seen += page["changes"]
        cursors += [int(c["cursor"]) for c in page["changes"]]
        pages += 1
        if page["more"]:
            assert page["next_cursor"] == page["changes"][-1]["cursor"]
        after = page["next_cursor"]
        if not page["more"]:
            break
    assert pages >= 3
    assert cursors == sorted(set(cursors))  # strictly increasing, no repeats
    assert not [c for c in seen if c["station_id"] == reader.station_id]  # never its own
    got = {(c["station_id"], c["kind"], c["body"].get("item"), c["body"].get("available"))
           for c in _mine(seen, a, b)}
    assert got == (
        {(a.station_id, "profile", None, None), (b.station_id, "profile", None, None),
         (b.station_id, "listing", items[0], 9)}
        | {(a.station_id, "listing", item, i + 1) for i, item in enumerate(items)}
    )
    profile_a = next(c for c in seen if c["station_id"] == a.station_id
                     and c["kind"] == "profile")
    assert profile_a["body"] == {"name": "Station A", "address": "1 Community Road",
                                 "lat": 22.5, "lon": 114.0, "opening_hours": "Mon-Fri 9-17"}

    # nothing new: an empty page, same cursor
    reply = reader.pull(after).json()
    assert {k: reply[k] for k in ("changes", "next_cursor", "more")} == {
        "changes": [], "next_cursor": after, "more": False}
    assert reply["head"] >= int(after) and len(reply["epoch"]) == 24

    # a change after the cursor is exactly what the next pull returns
    a.push_ok([listing(6, items[1], 0, requested=3)])
    reply = reader.pull(after).json()
    assert [(c["station_id"], c["body"]) for c in reply["changes"]] == [
        (a.station_id, {"item": items[1], "available": 0, "requested": 3,
                        "earliest_expiry": "2027-06"})
    ]
    assert int(reply["next_cursor"]) > int(after)


def test_pull_from_the_start_gives_current_state_only(central: Central) -> None:
    reader, writer = central.station(), central.station()
    item = unique_item()
    for units in (5, 4, 3, 2):
        writer.send("listing", listing(0, item, units)["body"])
    writer.send("listing", listing(0, item, 2)["body"])  # unchanged: no new change
    changes = _mine(reader.pull_all()[0], writer)
    assert [c["body"]["available"] for c in changes] == [2]


def test_pull_rejects_a_bad_cursor_or_limit(central: Central) -> None:
    reader = central.station()
    for params in ({"after": "abc"}, {"after": "-1"}, {"limit": "0"}, {"limit": "100000"}):
        reply = central.http.get("/api/v1/pull", params=params,
                                 headers={**reader.auth, "X-MedShare-Protocol": "2"})
        assert reply.status_code == 422, (params, reply.text)
        assert reply.json()["detail"]


# --- version handshake ----------------------------------------------------------------------


@pytest.mark.parametrize(("version", "word"), [(0, "too old"), (99, "too new")])
def test_a_client_outside_the_supported_range_is_told_why(central: Central, version: int,
                                                           word: str) -> None:
    station = central.station()
    issued = central.code()
    enrol = central.enrol_raw({"code": issued.code, "protocol_version": version})
    push = central.http.post("/api/v1/push", headers=station.auth, json={
        "protocol_version": version, "station_id": station.station_id,
        "events": [{"seq": 1, "kind": "some-future-kind", "body": {"x": 1}}]})
    pull = central.http.get("/api/v1/pull", headers={**station.auth,
                                                      "X-MedShare-Protocol": str(version)})
    for reply in (enrol, push, pull):
        assert reply.status_code == 426, reply.text
        body = reply.json()
        assert word in body["detail"]
        assert body["min_protocol_version"] == 2 and body["max_protocol_version"] >= 2
    # the refused enrolment did not use up the code
    assert central.enrol_raw({"code": issued.code, "protocol_version": 2}).status_code == 200


def test_protocol_version_may_come_in_the_header(central: Central) -> None:
    station = central.station()
    body = {"station_id": station.station_id,
            "events": [listing(1, "antigen-test-kit", 1)]}
    headers = {**station.auth, "X-MedShare-Protocol": "2"}
    assert central.http.post("/api/v1/push", json=body, headers=headers).json()[
        "acked_seq"] == 1
    missing = central.http.post("/api/v1/push", json=body, headers=station.auth)
    assert missing.status_code == 422
    assert "protocol_version" in missing.json()["detail"]
    no_version_pull = central.http.get("/api/v1/pull", headers=station.auth)
    assert no_version_pull.status_code == 422
    by_query = central.http.get("/api/v1/pull", params={"protocol_version": 2},
                                headers=station.auth)
    assert by_query.status_code == 200
