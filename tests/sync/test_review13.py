"""Independent checks of issue 13 (review): restores in every combination, then sync."""

from __future__ import annotations

import contextlib
import json
import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from kiosk.db import ledger, maintenance
from kiosk.db.station import init, open_station
from kiosk.db.store import Store
from kiosk.errors import SyncError
from kiosk.sync.client import SyncClient, get_state, status
from tests.conftest import REAL_CLOCK, days, run_medshare
from tests.sync.conftest import Central
from tests.sync.test_reconcile import (
    IBU,
    KIT,
    LyingProxy,
    central_listings,
    enrol,
    remote,
    station_listings,
)


def _public(central: Central, item: str) -> list[str]:
    reply = httpx.get(central.url + "/api/v1/listings", params={"item": item}).json()
    return [row["name"] for row in reply["listings"]]


def test_an_item_only_the_lost_history_had_disappears_at_the_central(
    central: Central, tmp_path: Path
) -> None:
    harbour = init(tmp_path / "harbour", "HX01", "Harbour Centre", "1 Quay St", 31.23, 121.49)
    client = enrol(harbour, central)
    ledger.receive(harbour, KIT, 50, days(100))
    client.sync_once()
    backup = maintenance.back_up(harbour, tmp_path / "b.db").path
    ledger.receive(harbour, IBU, 10, days(100))  # only the central will have heard of it
    client.sync_once()
    sid = get_state(harbour.conn, "station_id")
    harbour.close()
    assert _public(central, IBU) == ["Harbour Centre"]

    fresh = tmp_path / "new-computer"
    maintenance.restore(fresh, backup)
    restored = open_station(fresh)
    try:
        SyncClient(restored).sync_once()
        assert central_listings(central, sid) == {KIT: (50, 0)} == station_listings(restored)
        assert _public(central, IBU) == []
        # the same backup restored again over the restored one, then sync
        restored.close()
        maintenance.restore(fresh, backup)
        restored = open_station(fresh)
        SyncClient(restored).sync_once()
        ledger.receive(restored, IBU, 3, days(90))
        SyncClient(restored).sync_once()
        assert central_listings(central, sid) == {KIT: (50, 0), IBU: (3, 0)}
        assert status(restored).outbox_length == 0 and status(restored).last_error is None
    finally:
        restored.close()


def test_restored_while_the_central_is_down_then_rounds_later(
    central: Central, tmp_path: Path
) -> None:
    harbour = init(tmp_path / "harbour", "HX01", "Harbour Centre", "1 Quay St", 31.23, 121.49)
    client = enrol(harbour, central)
    ledger.receive(harbour, KIT, 50, days(100))
    client.sync_once()
    backup = maintenance.back_up(harbour, tmp_path / "b.db").path
    ledger.receive(harbour, KIT, 20, days(100))
    client.sync_once()
    sid = get_state(harbour.conn, "station_id")
    harbour.close()
    central.stop()
    maintenance.restore(tmp_path / "harbour", backup)
    restored = open_station(tmp_path / "harbour")
    try:
        with pytest.raises(SyncError, match="Cannot reach"):
            SyncClient(restored).sync_once()
        ledger.receive(restored, IBU, 4, days(90))
        central.start()
        for _ in range(2):
            SyncClient(restored).sync_once()
        assert central_listings(central, sid) == {KIT: (50, 0), IBU: (4, 0)}
        assert status(restored).outbox_length == 0 and status(restored).last_error is None
    finally:
        restored.close()


def test_an_older_backup_restored_is_no_false_truncation_alarm(
    central: Central, tmp_path: Path
) -> None:
    folder = tmp_path / "harbour"
    harbour = init(folder, "HX01", "Harbour Centre")
    client = enrol(harbour, central)
    ledger.receive(harbour, KIT, 5, days(100))
    client.sync_once()
    backup = maintenance.back_up(harbour, tmp_path / "b.db").path
    for units in (6, 7):
        ledger.receive(harbour, KIT, units, days(100))
        client.sync_once()
    harbour.close()
    maintenance.restore(folder, backup)
    for when in ("before", "after"):
        result = run_medshare("db", "verify", "--data-dir", str(folder), env=REAL_CLOCK)
        assert result.returncode == 0, (when, result.stderr)
        assert "fewer movements" not in result.stderr
        restored = open_station(folder)
        try:
            SyncClient(restored).sync_once()
        finally:
            restored.close()


def test_the_backup_command_prints_the_ledger_head(tmp_path: Path) -> None:
    folder = tmp_path / "harbour"
    assert run_medshare("init", "--data-dir", str(folder), "--station-code", "HX01",
                        "--name", "Harbour").returncode == 0
    assert run_medshare("receive", KIT, "5", "--expiry", "2031-01-01",
                        "--data-dir", str(folder)).returncode == 0
    result = run_medshare("db", "backup", str(tmp_path / "b.db"), "--data-dir", str(folder))
    assert result.returncode == 0, result.stderr
    assert "1 movements, head " in result.stdout
    shutil.rmtree(folder)


def _lied_to(central: Central, tmp_path: Path, mutate: Callable[[dict[str, Any]], None],
             honest_rounds: int) -> tuple[Store, LyingProxy, SyncClient]:
    harbour = init(tmp_path / "harbour", "HX01", "Harbour Centre", "1 Quay St", 31.23, 121.49)
    proxy = LyingProxy(central.url, 0, mutate)
    proxy.lying = False
    client = enrol(harbour, central, proxy.url)
    for units in range(honest_rounds):
        ledger.receive(harbour, KIT, units + 1, days(100))
        client.sync_once()
    proxy.lying = True
    return harbour, proxy, client


def _wrong_digest(doc: dict[str, Any]) -> None:
    doc["acked_digest"] = "0" * 32


def _lower_ack(doc: dict[str, Any]) -> None:
    doc["acked_seq"] = 1


@pytest.mark.parametrize("mutate", [_wrong_digest, _lower_ack], ids=["digest", "lower"])
def test_an_ack_that_cannot_be_explained_marks_nothing_sent_then_reconciles(
    central: Central, tmp_path: Path, mutate: Callable[[dict[str, Any]], None]
) -> None:
    harbour, proxy, client = _lied_to(central, tmp_path, mutate, 3)
    try:
        history = get_state(harbour.conn, "history")
        ledger.receive(harbour, IBU, 9, days(100))
        before = status(harbour)
        with pytest.raises(SyncError, match="Protocol error"):
            client.sync_once()
        after = status(harbour)
        assert after.outbox_length >= before.outbox_length > 0
        if mutate is _lower_ack:
            assert after.acked_seq == before.acked_seq
            assert get_state(harbour.conn, "history") == history  # nothing renumbered
        # (another event at an acked seq may be a copied station folder: one rebase and a
        # snapshot, then a protocol error rather than a new history at every call)
        with pytest.raises(SyncError, match="Protocol error"):
            client.sync_once()  # a central that goes on lying: no new history each time
        snapshots = harbour.conn.execute(
            "SELECT count(*) FROM outbox WHERE kind = 'snapshot'").fetchone()[0]
        assert snapshots <= 1
        proxy.lying = False
        client.sync_once()
        sid = get_state(harbour.conn, "station_id")
        assert central_listings(central, sid) == station_listings(harbour)
        assert status(harbour).outbox_length == 0 and status(harbour).last_error is None
    finally:
        harbour.close()


def _copy_central(central: Central, to: Path) -> None:
    src, dst = sqlite3.connect(central.db_path), sqlite3.connect(to)
    src.backup(dst)
    src.close()
    dst.close()


def _put_back(central: Central, copy: Path) -> None:
    """An operator copies only central.db back: no -wal, -shm or mark file."""
    central.stop()
    for suffix in ("-wal", "-shm", ".mark"):
        Path(str(central.db_path) + suffix).unlink(missing_ok=True)
    shutil.copy(copy, central.db_path)
    central.start()


def test_a_central_put_back_without_its_mark_file_and_stations_with_nothing_new(
    central: Central, tmp_path: Path
) -> None:
    two = [init(tmp_path / "harbour", "HX01", "Harbour Centre", "1 Quay St", 31.23, 121.49),
           init(tmp_path / "hill", "HL02", "Hill Centre", "9 Hill Rd", 31.26, 121.45)]
    harbour, hill = two
    try:
        clients = [enrol(store, central) for store in two]
        ledger.receive(harbour, KIT, 5, days(100))
        for client in clients * 2:
            client.sync_once()
        _copy_central(central, tmp_path / "copy.db")
        ledger.receive(harbour, KIT, 7, days(100))
        ledger.receive(hill, IBU, 4, days(100))
        for client in clients * 2:
            client.sync_once()
        _put_back(central, tmp_path / "copy.db")
        for _ in range(2):  # nothing new at either station
            for client in clients:
                client.sync_once()
        for store in two:
            sid = get_state(store.conn, "station_id")
            assert central_listings(central, sid) == station_listings(store)
            assert status(store).last_error is None
        assert _public(central, IBU) == ["Hill Centre"]
        ledger.receive(hill, IBU, 1, days(100))
        clients[1].sync_once()
        clients[0].sync_once()
        hill_id = get_state(hill.conn, "station_id")
        rows = harbour.conn.execute("SELECT available FROM remote_listing WHERE station_id = ? "
                                    "AND item_id = ?", (hill_id, IBU)).fetchall()
        assert [r[0] for r in rows] == [5]
    finally:
        for store in two:
            store.close()


def test_another_stations_backup_restored_then_synced_speaks_for_that_station(
    central: Central, tmp_path: Path
) -> None:
    two = [init(tmp_path / "harbour", "HX01", "Harbour Centre", "1 Quay St", 31.23, 121.49),
           init(tmp_path / "hill", "HL02", "Hill Centre", "9 Hill Rd", 31.26, 121.45)]
    harbour, hill = two
    clients = [enrol(store, central) for store in two]
    ledger.receive(harbour, KIT, 5, days(100))
    ledger.receive(hill, IBU, 8, days(100))
    for client in clients:
        client.sync_once()
    backup = maintenance.back_up(hill, tmp_path / "hill.db").path
    ledger.receive(hill, KIT, 2, days(100))  # the hill computer then dies
    clients[1].sync_once()
    ids = [get_state(store.conn, "station_id") for store in two]
    harbour_token = get_state(harbour.conn, "token")
    for store in two:
        store.close()
    result = run_medshare("db", "restore", str(backup), "--other-station", "--data-dir",
                          str(tmp_path / "harbour"), env=REAL_CLOCK)
    assert result.returncode == 0, result.stderr
    assert "HX01" in result.stdout and "HL02" in result.stdout
    now_hill = open_station(tmp_path / "harbour")
    try:
        assert get_state(now_hill.conn, "station_id") == ids[1]
        assert get_state(now_hill.conn, "token") != harbour_token
        SyncClient(now_hill).sync_once()
        assert central_listings(central, ids[1]) == {IBU: (8, 0)} == station_listings(now_hill)
        assert central_listings(central, ids[0]) == {KIT: (5, 0)}  # harbour untouched
        assert status(now_hill).last_error is None
    finally:
        now_hill.close()


def test_a_remote_name_pulled_before_the_cleaning_is_shown_clean_too(tmp_path: Path) -> None:
    """A station file that pulled profiles with an older version still holds them raw."""
    harbour = init(tmp_path / "harbour", "HX01", "Harbour Centre", "1 Quay St", 31.23, 121.49)
    try:
        with harbour.write() as conn:
            conn.execute("INSERT INTO remote_station(station_id, name, address, lat, lon, "
                         "opening_hours) VALUES ('st-old', ?, ?, 31.24, 121.5, ?)",
                         ("Hill\u202eertneC\u200b", "9 Hill\u200d Rd\u2028Floor 2",
                          "Mon\u2066 9-17\x07"))
            conn.execute("INSERT INTO remote_listing VALUES ('st-old', ?, 3, 0, NULL)", (KIT,))
        shown = run_medshare("nearby", KIT, "--json", "--data-dir", str(tmp_path / "harbour"),
                             env=REAL_CLOCK)
        assert shown.returncode == 0, shown.stderr
        [row] = json.loads(shown.stdout)
        assert (row["name"], row["address"], row["opening_hours"]) == (
            "HillertneC", "9 Hill Rd Floor 2", "Mon 9-17")
    finally:
        harbour.close()


def test_a_restored_central_and_a_hole_in_the_kept_outbox_end_in_a_snapshot_not_a_stall(
    central: Central, tmp_path: Path
) -> None:
    """Retention deletes by age: a daily count copied by a rebase keeps its old time and
    goes before the events around it, leaving a hole the central would wait on forever."""
    harbour = init(tmp_path / "harbour", "HX01", "Harbour Centre", "1 Quay St", 31.23, 121.49)
    try:
        client = enrol(harbour, central)
        ledger.receive(harbour, KIT, 1, days(100))
        client.sync_once()
        _copy_central(central, tmp_path / "copy.db")
        acked = status(harbour).acked_seq
        for units in (2, 3, 4):
            ledger.receive(harbour, KIT, units, days(100))
            client.sync_once()
        assert status(harbour).acked_seq >= acked + 3
        with harbour.write() as conn:
            conn.execute("DELETE FROM outbox WHERE seq = ?", (acked + 2,))
        _put_back(central, tmp_path / "copy.db")
        for _ in range(2):
            client.sync_once()
        sid = get_state(harbour.conn, "station_id")
        assert central_listings(central, sid) == station_listings(harbour) == {KIT: (10, 0)}
        assert status(harbour).last_error is None
    finally:
        harbour.close()


def test_an_item_only_the_lost_history_had_disappears_at_the_other_stations_too(
    central: Central, tmp_path: Path
) -> None:
    harbour = init(tmp_path / "harbour", "HX01", "Harbour Centre", "1 Quay St", 31.23, 121.49)
    hill = init(tmp_path / "hill", "HL02", "Hill Centre", "9 Hill Rd", 31.26, 121.45)
    restored = None
    try:
        clients = [enrol(store, central) for store in (harbour, hill)]
        ledger.receive(harbour, KIT, 50, days(100))
        clients[0].sync_once()
        backup = maintenance.back_up(harbour, tmp_path / "b.db").path
        ledger.receive(harbour, IBU, 10, days(100))
        clients[0].sync_once()
        clients[1].sync_once()
        assert remote(hill, harbour) == {KIT: (50, 0), IBU: (10, 0)}
        harbour.close()
        maintenance.restore(tmp_path / "new-computer", backup)
        restored = open_station(tmp_path / "new-computer")
        SyncClient(restored).sync_once()
        clients[1].sync_once()
        assert remote(hill, restored) == {KIT: (50, 0)} == station_listings(restored)
    finally:
        hill.close()
        if restored is not None:
            restored.close()


def test_a_station_the_restored_central_never_heard_of_is_not_shown_any_more(
    central: Central, tmp_path: Path
) -> None:
    harbour = init(tmp_path / "harbour", "HX01", "Harbour Centre", "1 Quay St", 31.23, 121.49)
    late = init(tmp_path / "late", "LT03", "Late Centre", "3 Late St", 31.25, 121.47)
    try:
        client = enrol(harbour, central)
        ledger.receive(harbour, KIT, 2, days(100))
        client.sync_once()
        _copy_central(central, tmp_path / "copy.db")
        late_client = enrol(late, central)  # enrolled after the copy was taken
        ledger.receive(late, IBU, 9, days(100))
        late_client.sync_once()
        client.sync_once()
        assert remote(harbour, late) == {IBU: (9, 0)}
        _put_back(central, tmp_path / "copy.db")
        client.sync_once()
        assert remote(harbour, late) == {}
        assert _public(central, IBU) == []
    finally:
        late.close()
        harbour.close()


def test_a_snapshot_counts_stock_on_the_stations_own_day(tmp_path: Path) -> None:
    """At 04:00 in Shanghai it is still yesterday in UTC: a lot expiring in between is
    out of the station's listing, so it must be out of the snapshot too."""
    from datetime import UTC, datetime

    from kiosk.clock import Clock
    from kiosk.db import outbox
    from kiosk.sync import reconcile

    folder = tmp_path / "harbour"
    early = Clock(datetime(2026, 11, 1, 12, 0, tzinfo=UTC))
    store = init(folder, "HX01", "Harbour Centre", timezone="Asia/Shanghai", clock=early)
    for expiry in ("2026-12-02", "2026-12-03"):
        ledger.receive(store, KIT, 5, expiry)
    store.close()
    late = Clock(datetime(2026, 12, 2, 20, 0, tzinfo=UTC))  # 2026-12-03 04:00 local
    store = open_station(folder, clock=late)
    try:
        here = outbox.listing(store.conn, KIT, store.today().isoformat())
        [sent] = reconcile.snapshot_body(store.conn, store)["listings"]
        assert sent == here
    finally:
        store.close()


def test_a_central_that_lies_twice_with_the_largest_seq_cannot_brick_the_sync(
    central: Central, tmp_path: Path
) -> None:
    harbour = init(tmp_path / "harbour", "HX01", "Harbour Centre", "1 Quay St", 31.23, 121.49)
    try:
        proxy = LyingProxy(central.url, 2**53 - 1)
        client = enrol(harbour, central, proxy.url)
        ledger.receive(harbour, KIT, 3, days(100))
        for _ in range(2):
            with contextlib.suppress(SyncError):
                client.sync_once()
        proxy.lying = False
        for _ in range(2):
            with contextlib.suppress(SyncError):
                client.sync_once()
        sid = get_state(harbour.conn, "station_id")
        assert central_listings(central, sid) == {KIT: (3, 0)}
        assert status(harbour).last_error is None
    finally:
        harbour.close()


def test_housekeeping_names_the_head_of_the_backup_it_takes(tmp_path: Path) -> None:
    folder = tmp_path / "harbour"
    assert run_medshare("init", "--data-dir", str(folder), "--station-code", "HX01",
                        "--name", "Harbour").returncode == 0
    result = run_medshare("housekeeping", "--data-dir", str(folder))
    assert result.returncode == 0, result.stderr
    assert "backup written to" in result.stdout and "(ledger head: 0 movements, head " \
        in result.stdout


def test_both_sides_back_in_time_at_once(central: Central, tmp_path: Path) -> None:
    harbour = init(tmp_path / "harbour", "HX01", "Harbour Centre", "1 Quay St", 31.23, 121.49)
    hill = init(tmp_path / "hill", "HL02", "Hill Centre", "9 Hill Rd", 31.26, 121.45)
    restored = None
    try:
        clients = [enrol(store, central) for store in (harbour, hill)]
        ledger.receive(harbour, KIT, 4, days(100))
        ledger.receive(hill, IBU, 2, days(100))
        for client in clients * 2:
            client.sync_once()
        _copy_central(central, tmp_path / "copy.db")
        ledger.receive(harbour, KIT, 6, days(100))
        clients[0].sync_once()
        backup = maintenance.back_up(harbour, tmp_path / "b.db").path
        ledger.receive(harbour, IBU, 5, days(100))
        ledger.receive(hill, IBU, 3, days(100))
        for client in clients * 2:
            client.sync_once()
        harbour.close()
        _put_back(central, tmp_path / "copy.db")
        maintenance.restore(tmp_path / "new-computer", backup)
        restored = open_station(tmp_path / "new-computer")
        for _ in range(2):
            for store in (restored, hill):
                SyncClient(store).sync_once()
        for store in (restored, hill):
            sid = get_state(store.conn, "station_id")
            assert central_listings(central, sid) == station_listings(store)
            assert status(store).last_error is None
        assert remote(hill, restored) == station_listings(restored) == {KIT: (10, 0)}
        assert remote(restored, hill) == station_listings(hill) == {IBU: (5, 0)}
    finally:
        hill.close()
        if restored is not None:
            restored.close()


def test_enrolling_again_after_the_outbox_was_trimmed_sends_everything(
    central: Central, tmp_path: Path
) -> None:
    """A station moved to a new enrolment months later: its early events are gone from
    the outbox (retention), and the new enrolment holds nothing yet."""
    harbour = init(tmp_path / "harbour", "HX01", "Harbour Centre", "1 Quay St", 31.23, 121.49)
    try:
        client = enrol(harbour, central)
        for units in (1, 2, 3):
            ledger.receive(harbour, KIT, units, days(100))
            client.sync_once()
        acked = status(harbour).acked_seq
        with harbour.write() as conn:
            conn.execute("DELETE FROM outbox WHERE seq < ?", (acked,))
        client = enrol(harbour, central)  # a new code: a new station at the central
        ledger.receive(harbour, IBU, 4, days(100))
        client.sync_once()
        sid = get_state(harbour.conn, "station_id")
        assert central_listings(central, sid) == station_listings(harbour)
        assert status(harbour).outbox_length == 0 and status(harbour).last_error is None
    finally:
        harbour.close()
