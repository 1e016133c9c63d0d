"""The station sync client against a real central endpoint process."""

from __future__ import annotations

import json
import random
import subprocess
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from kiosk.db import ledger, outbox
from kiosk.db.allocation import allocate
from kiosk.db.requests import create
from kiosk.db.station import init
from kiosk.db.store import Store
from kiosk.errors import MedShareError, SyncError
from kiosk.sync.client import Backoff, SyncClient, get_state, set_state, status
from kiosk.sync.nearby import nearby
from tests.conftest import REAL_CLOCK, days, run_medshare
from tests.sync.conftest import Central
from tests.sync.faultproxy import FaultProxy

KIT = "antigen-test-kit"
IBU = "ibuprofen-200mg-tablet"


@pytest.fixture
def stations(tmp_path: Path) -> Iterator[list[Store]]:
    made = [
        init(tmp_path / "harbour", "HX01", "Harbour Centre", "1 Quay St", 31.230, 121.490),
        init(tmp_path / "hill", "HL02", "Hill Centre", "9 Hill Rd", 31.260, 121.450),
        init(tmp_path / "park", "PK03", "Park Centre", "3 Park Ave", 31.100, 121.300),
    ]
    yield made
    for store in made:
        store.close()


def enrol(store: Store, central: Central, url: str | None = None) -> SyncClient:
    client = SyncClient(store)
    client.enrol(url or central.url, central.code(store.conn.execute(
        "SELECT name FROM station").fetchone()[0]))
    return client


def station_id(store: Store) -> str:
    return get_state(store.conn, "station_id")


def outbox_events(store: Store) -> list[tuple[int, str, object]]:
    return [(int(r["seq"]), r["kind"], json.loads(r["body"]))
            for r in outbox.pending(store.conn, 0, 1_000_000)]


def test_stations_see_each_others_listings_nearest_first(
    central: Central, stations: list[Store]
) -> None:
    harbour, hill, park = stations
    clients = [enrol(store, central) for store in stations]
    ledger.receive(hill, KIT, 10, days(200))
    ledger.receive(park, KIT, 30, days(100))
    ledger.receive(park, IBU, 24, days(100))
    for client in clients[1:]:
        client.sync_once()
    clients[0].sync_once()
    found = nearby(harbour, KIT)
    assert [n.name for n in found] == ["Hill Centre", "Park Centre"]
    assert [n.available for n in found] == [10, 30]
    assert found[0].distance_km is not None and 4 < found[0].distance_km < 6
    assert found[0].opening_hours == "" and found[0].address == "9 Hill Rd"
    # central holds exactly what each station sent
    for store in stations:
        assert central.events(station_id(store)) == outbox_events(store)
    # handing out stock shows up elsewhere after the next round
    allocate(hill, create(hill, KIT, 3).id)
    clients[1].sync_once()
    clients[0].sync_once()
    assert [n.available for n in nearby(harbour, KIT)] == [7, 30]


def real(*args: str) -> subprocess.CompletedProcess[str]:
    """The command line on a real station (real clock): a training station never syncs."""
    return run_medshare(*args, env=REAL_CLOCK)


def test_cli_enrol_sync_status_and_nearby(central: Central, tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    for directory, code, lat in ((a, "AA1", "31.20"), (b, "BB2", "31.21")):
        assert real("init", "--data-dir", str(directory), "--station-code", code,
                            "--name", f"Station {code}", "--lat", lat,
                            "--lon", "121.4").returncode == 0
        result = real("sync", "enrol", central.url, central.code(code),
                              "--data-dir", str(directory))
        assert result.returncode == 0, result.stderr
    real("receive", KIT, "4", "--expiry", days(90), "--data-dir", str(b))
    assert real("sync", "now", "--data-dir", str(b)).returncode == 0
    assert real("sync", "now", "--data-dir", str(a)).returncode == 0
    found = json.loads(real("nearby", KIT, "--json", "--data-dir", str(a)).stdout)
    assert [(n["name"], n["available"]) for n in found] == [("Station BB2", 4)]
    state = json.loads(real("sync", "status", "--json", "--data-dir", str(b)).stdout)
    assert state["online"] is True and state["outbox_length"] == 0
    assert state["last_success"] and state["last_error"] is None


def test_offline_for_days_then_everything_arrives(
    central: Central, stations: list[Store]
) -> None:
    harbour = stations[0]
    client = enrol(harbour, central)
    central.stop()
    for day in range(5):
        ledger.receive(harbour, KIT, 2 + day, days(100))
        harbour.clock.advance(timedelta(days=1))
        with pytest.raises(SyncError, match="Cannot reach the central endpoint"):
            client.sync_once()
    state = status(harbour)
    assert not state.online and state.outbox_length >= 6
    assert "Cannot reach" in (state.last_error or "")
    central.start()
    client.sync_once()
    assert status(harbour).outbox_length == 0 and status(harbour).online
    assert central.events(station_id(harbour)) == outbox_events(harbour)
    dailies = [body for _, kind, body in outbox_events(harbour) if kind == "daily"]
    assert sum(d["received"] for d in dailies) == sum(range(2, 7))  # type: ignore[index]


def test_wrong_token_and_reused_code_are_refused(central: Central, stations: list[Store]) -> None:
    harbour, hill, _ = stations
    code = central.code("Harbour")
    SyncClient(harbour).enrol(central.url, code)
    with pytest.raises(SyncError, match="refused"):
        SyncClient(hill).enrol(central.url, code)
    with harbour.write() as conn:
        set_state(conn, "token", "x" * 43)
    with pytest.raises(SyncError, match="refused this station's credentials"):
        SyncClient(harbour).sync_once()


def test_privacy_no_phone_name_or_request_detail_leaves_the_station(
    central: Central, stations: list[Store]
) -> None:
    harbour = stations[0]
    proxy = FaultProxy(central.port)
    try:
        client = enrol(harbour, central, proxy.url)
        ledger.receive(harbour, KIT, 20, days(100))
        for phone, group in (("13812345678", "pregnant"), ("13998765432", "elderly")):
            request = create(harbour, KIT, 2, phone=phone, priority=group, household=3)
            allocate(harbour, request.id)
        client.sync_once()
    finally:
        proxy.close()
    sent = bytes(proxy.captured).decode("utf-8", "replace")
    assert "POST /api/v1/push" in sent and '"listing"' in sent
    for secret in ("13812345678", "1381234", "5678", "13998765432", "****", "pregnant",
                   "elderly", "household", "phone", "request_id", "priority"):
        assert secret not in sent
    assert '"requested"' in sent  # counts of demand are fine; who asked is not


def test_backoff_is_exponential_with_full_jitter_and_capped() -> None:
    backoff = Backoff(base=1, cap=60, rng=random.Random(3))
    delays = [backoff.next_delay() for _ in range(12)]
    assert all(0 <= d <= min(60, 2 ** n) for n, d in enumerate(delays))
    assert max(delays[6:]) > 8  # it does grow
    backoff.reset()
    assert backoff.next_delay() <= 1


@pytest.mark.slow
def test_hundreds_of_rounds_through_a_faulty_line_lose_and_duplicate_nothing(
    central: Central, stations: list[Store], tmp_path: Path
) -> None:
    """Faults on the line, central restarts, and both sides going back in time: a
    station restored from a backup, the central restored from an older copy."""
    import shutil
    import sqlite3

    from kiosk.db import maintenance
    from kiosk.db.station import open_station

    proxy = FaultProxy(central.port, seed=11)
    restores: list[str] = []

    def connect(client: SyncClient) -> SyncClient:
        client.timeout = (2.0, 2.0)
        # a new connection per request, so each request meets its own fate
        client.session.headers["Connection"] = "close"
        return client

    try:
        clients = [connect(enrol(store, central, proxy.url)) for store in stations]
        proxy.faults = True
        rng = random.Random(5)
        failures = 0
        station_backup = tmp_path / "hill-backup.db"
        central_copy = tmp_path / "central-copy.db"
        for round_ in range(200):
            index = rng.randrange(3)
            store, client = stations[index], clients[index]
            action = rng.random()
            try:
                if action < 0.5:
                    ledger.receive(store, rng.choice((KIT, IBU)), rng.randint(1, 9),
                                   days(rng.randint(30, 300)))
                elif action < 0.8:
                    create(store, rng.choice((KIT, IBU)), 1)
                else:
                    allocate(store)
            except MedShareError:
                pass
            if round_ % 50 == 49:
                central.stop()
                central.start()
            if round_ == 40:
                maintenance.back_up(stations[1], station_backup)
            if round_ == 60:
                src, dst = sqlite3.connect(central.db_path), sqlite3.connect(central_copy)
                src.backup(dst)  # taken while the central runs
                src.close()
                dst.close()
            if round_ == 110:  # the hill station goes back to its backup
                stations[1].close()
                maintenance.restore(stations[1].data_dir(), station_backup)
                stations[1] = open_station(stations[1].data_dir())
                clients[1] = connect(SyncClient(stations[1]))
                restores.append(f"round {round_}: station Hill restored from round 40")
            if round_ == 150:  # the central goes back to its copy
                central.stop()
                for suffix in ("-wal", "-shm"):
                    Path(str(central.db_path) + suffix).unlink(missing_ok=True)
                shutil.copy(central_copy, central.db_path)
                central.start()
                restores.append(f"round {round_}: central restored from round 60")
            try:
                client.sync_once()
            except SyncError:
                failures += 1
        print(f"\n200 rounds, {failures} failed; faults: {proxy.fates}; restores: {restores}")
        assert failures > 20  # the line really was bad
        assert all(proxy.fates[fate] > 0 for fate in proxy.fates)
        proxy.faults = False
        for _ in range(2):
            for client in clients:
                client.sync_once()
    finally:
        proxy.close()
    conn = sqlite3.connect(central.db_path)
    try:
        for store in stations:
            assert status(store).outbox_length == 0
            held = {str(r[0]): (int(r[1]), int(r[2])) for r in conn.execute(
                "SELECT item, available, requested FROM listings WHERE station_id = ?",
                (station_id(store),))}
            today = store.clock.today().isoformat()
            for item in (KIT, IBU):
                mine = outbox.listing(store.conn, item, today)
                assert held.get(item, (0, 0)) == (mine["available"], mine["requested"])
    finally:
        conn.close()
    # every station's view of the others equals what they hold now
    harbour = stations[0]
    for other in stations[1:]:
        for item in (KIT, IBU):
            mine = outbox.listing(other.conn, item, other.clock.today().isoformat())
            row = harbour.conn.execute(
                "SELECT available, requested FROM remote_listing WHERE station_id = ? "
                "AND item_id = ?", (station_id(other), item)).fetchone()
            assert (row or (0, 0))[:2] == (mine["available"], mine["requested"])


def test_sync_run_keeps_a_station_in_step_until_stopped(central: Central, tmp_path: Path) -> None:
    import signal
    import subprocess
    import sys
    import time

    directory = tmp_path / "kiosk-only"
    assert real("init", "--data-dir", str(directory), "--station-code", "KO1",
                        "--name", "Kiosk Only").returncode == 0
    assert real("sync", "run", "--data-dir", str(directory)).returncode == 1
    assert real("sync", "enrol", central.url, central.code("KO1"),
                        "--data-dir", str(directory)).returncode == 0
    runner = subprocess.Popen(
        [sys.executable, "-m", "kiosk", "sync", "run", "--interval", "1", "--data-dir",
         str(directory)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        # a change made by another process (the kiosk) reaches central on the next round
        assert real("receive", KIT, "6", "--expiry", days(90), "--data-dir",
                            str(directory)).returncode == 0
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            state = json.loads(real("sync", "status", "--json", "--data-dir",
                                            str(directory)).stdout)
            if state["outbox_length"] == 0 and state["acked_seq"] >= 2:
                break
            time.sleep(0.3)
        else:
            pytest.fail(f"sync run did not push the change: {state}")
    finally:
        runner.send_signal(signal.SIGTERM)
        out, err = runner.communicate(timeout=30)
    assert runner.returncode == 0, err
    assert "online" in out
    kinds = [kind for _, kind, _ in central.events(state["station_id"])]
    assert "listing" in kinds


def test_a_stopped_client_makes_no_further_request(central: Central, stations: list[Store]) -> None:
    import threading

    harbour = stations[0]
    enrol(harbour, central)
    ledger.receive(harbour, KIT, 3, days(60))
    stop = threading.Event()
    stop.set()
    with pytest.raises(SyncError, match="app is closing"):
        SyncClient(harbour, stop=stop).sync_once()
    assert central.events(station_id(harbour)) == []  # nothing went out
    assert status(harbour).outbox_length > 0
