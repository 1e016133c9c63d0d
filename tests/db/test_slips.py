"""Slips in the station database: issue with allocate, redeem once, every refusal, expiry."""

from __future__ import annotations

import multiprocessing
import random
import threading
from datetime import timedelta
from pathlib import Path

import pytest

from kiosk import slips as codes
from kiosk.clock import Clock
from kiosk.db import ledger
from kiosk.db import slips as slip_store
from kiosk.db.allocation import Allocation, allocate
from kiosk.db.requests import create, get, release
from kiosk.db.station import init, open_station
from kiosk.db.store import Store
from kiosk.db.verify import verify
from kiosk.errors import InvalidInput, NotEnoughStock, NotFound, SlipRefused
from kiosk.slips import Refusal
from tests.conftest import NOW, STATION_ZONES, days, ledger_dump, shown

IBU = "ibuprofen-200mg-tablet"
KIT = "antigen-test-kit"


def issue(store: Store, item: str = IBU, units: int = 6, *, language: str = "en",
          expiry: str | None = None, lot: str = "L1") -> Allocation:
    ledger.receive(store, item, units * 2, expiry or days(300), lot)
    request = create(store, item, units, language=language)
    [made] = allocate(store, request.id, staff="amy")
    return made


def on_hand(store: Store, item: str = IBU) -> tuple[int, int]:
    row = store.conn.execute(
        "SELECT sum(on_hand), sum(reserved) FROM lot WHERE item_id = ?", (item,)
    ).fetchone()
    return int(row[0]), int(row[1])


def refused(store: Store, text: str, reason: str, words: str) -> Refusal:
    """Redeeming is refused for `reason`, with `words` in the message, and nothing changes."""
    before = ledger_dump(store.path)
    with pytest.raises(Refusal, match=words) as caught:
        slip_store.redeem(store, text, staff="bob")
    assert caught.value.reason == reason
    assert ledger_dump(store.path) == before
    return caught.value


# -- issuing -----------------------------------------------------------------------------------


@pytest.fixture(params=STATION_ZONES)
def station_zone(request: pytest.FixtureRequest) -> str:
    """Every test here runs with the station in each zone (tests/conftest.py)."""
    return str(request.param)


def test_allocate_issues_a_slip_with_token_short_code_and_window(station: Store) -> None:
    made = issue(station)
    extra = made.extra
    assert set(extra) == {"slip", "token", "short_code", "expires_at"}
    assert extra["token"] == f"MS1:TEST1:{extra['slip']}:" + str(extra["token"]).split(":")[3]
    assert made.to_json()["slip"] == extra["slip"]
    slip = slip_store.find(station, str(extra["token"]))
    assert (slip.status, slip.short_code, slip.issued_by) == ("issued", extra["short_code"], "amy")
    assert slip.expires_at - slip.issued_at == timedelta(hours=48)
    assert slip_store.find(station, str(extra["short_code"]).lower()) == slip
    assert slip_store.find(station, str(slip.id)) == slip
    assert slip_store.for_request(station.conn, made.request_id) == slip


def test_the_pickup_window_follows_the_station_setting(station: Store) -> None:
    with station.write() as conn:
        station.set_setting(conn, "pickup_window_hours", "24")
    slip = slip_store.find(station, str(issue(station).extra["slip"]))
    assert slip.expires_at == NOW + timedelta(hours=24)


def test_one_slip_per_request_for_the_whole_queue(station: Store) -> None:
    ledger.receive(station, IBU, 50, days(300))
    ledger.receive(station, KIT, 5, days(300))
    for item, units in ((IBU, 4), (KIT, 1), (IBU, 2)):
        create(station, item, units)
    made = allocate(station)
    assert len({a.extra["slip"] for a in made}) == 3
    assert {a.extra["slip"] for a in made} == {s.id for s in slip_store.live(station)}


def test_a_slip_holds_no_personal_data(station: Store) -> None:
    ledger.receive(station, IBU, 10, days(300))
    request = create(station, IBU, 4, phone="13812345678")
    [made] = allocate(station, request.id)
    columns = {row[1] for row in station.conn.execute("PRAGMA table_info(slip)")}
    assert not columns & {"phone", "phone_hash", "phone_masked", "name", "contact"}
    view = slip_store.slip_view(station, int(str(made.extra["slip"])))
    assert "5678" not in repr(view) and "138" not in str(made.extra["token"])


def test_if_the_slip_cannot_be_issued_nothing_is_reserved(station: Store) -> None:
    ledger.receive(station, IBU, 2, days(300))
    request = create(station, IBU, 6)
    before = ledger_dump(station.path)
    with pytest.raises(NotEnoughStock):
        allocate(station, request.id)
    assert ledger_dump(station.path) == before


# -- redeeming ---------------------------------------------------------------------------------


def test_redeem_hands_over_the_reserved_units_once(station: Store) -> None:
    made = issue(station, units=6)
    token = str(made.extra["token"])
    assert on_hand(station) == (12, 6)
    done = slip_store.redeem(station, token, staff="bob")
    assert (done.slip_id, done.units, done.units_text, done.staff) == (
        made.extra["slip"], 6, "6 tablets", "bob")
    assert [(lot.lot_number, lot.units) for lot in done.lots] == [("L1", 6)]
    assert "hand over 6 tablets of Ibuprofen" in done.handover_text()
    assert on_hand(station) == (6, 0)
    assert get(station.conn, made.request_id).status == "collected"
    kinds = [m["kind"] for m in ledger.movements(station.conn, request_id=made.request_id)]
    assert kinds == ["reserved", "dispensed"]
    slip = slip_store.find(station, token)
    assert (slip.status, slip.collected_at, slip.closed_by) == ("collected", NOW, "bob")
    assert verify(station) == []


def test_a_second_scan_says_when_and_where_it_was_collected(station: Store) -> None:
    token = str(issue(station).extra["token"])
    slip_store.redeem(station, token)
    station.clock.advance(timedelta(hours=3))
    refusal = refused(station, token, codes.COLLECTED, "Already collected on")
    assert shown(station, NOW) in str(refusal) and "Test Station" in str(refusal)


def test_typing_the_short_code_is_as_good_as_scanning(station: Store) -> None:
    made = issue(station)
    typed = str(made.extra["short_code"]).replace("-", " ").lower()
    assert slip_store.redeem(station, typed).slip_id == made.extra["slip"]
    refused(station, str(made.extra["token"]), codes.COLLECTED, "Already collected")


def test_a_slip_number_alone_cannot_collect(station: Store) -> None:
    made = issue(station)
    refused(station, str(made.extra["slip"]), codes.NUMBER_ONLY, "slip number .* alone")


def test_a_forged_mac_or_an_unknown_slip_is_refused(station: Store) -> None:
    token = codes.parse(str(issue(station).extra["token"]))
    assert isinstance(token, codes.Token)
    other_mac = "".join(random.Random(1).choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
                        for _ in range(20))
    refused(station, f"MS1:TEST1:{token.slip_id}:{other_mac}", codes.FORGED, "altered or forged")
    refused(station, f"MS1:TEST1:99:{token.mac}", codes.FORGED, "altered or forged")
    refused(station, "MS1:TEST1:99", codes.FORGED, "incomplete or has been altered")


def test_a_slip_from_another_station_names_that_station(station: Store, tmp_path: Path) -> None:
    other = init(tmp_path / "other", "PD07", "Pudong Centre")
    other.clock = Clock(NOW)
    try:
        theirs = str(issue(other).extra["token"])
        issue(station)  # slip 1 here too
        refusal = refused(station, theirs, codes.OTHER_STATION, "issued by station PD07")
        assert refusal.station == "PD07"
    finally:
        other.close()


def test_a_slip_printed_before_a_restore_cannot_collect_a_reused_slip_number(
        station: Store, tmp_path: Path) -> None:
    ledger.receive(station, IBU, 20, days(300))
    first = create(station, IBU, 2)
    second = create(station, IBU, 3)
    backup = station.backup_to(tmp_path / "before.db")
    [old_slip] = allocate(station, first.id)  # printed, then the disk died
    restored_dir = tmp_path / "restored"
    restored_dir.mkdir()
    backup.rename(restored_dir / station.path.name)
    restored = open_station(restored_dir)
    restored.clock = Clock(NOW)
    try:
        [new_slip] = allocate(restored, second.id)
        assert new_slip.extra["slip"] == old_slip.extra["slip"]  # the number is reused
        refused(restored, str(old_slip.extra["token"]), codes.FORGED, "restored")
        refused(restored, str(old_slip.extra["short_code"]), codes.FORGED, "does not match")
        assert slip_store.redeem(restored, str(new_slip.extra["token"])).units == 3
    finally:
        restored.close()


def test_a_cancelled_slip_is_refused(station: Store) -> None:
    made = issue(station)
    cancelled = slip_store.cancel(station, str(made.extra["token"]), staff="amy")
    assert cancelled.status == "cancelled"
    assert on_hand(station) == (12, 0)
    assert get(station.conn, made.request_id).status == "cancelled"
    refused(station, str(made.extra["token"]), codes.CANCELLED, "was cancelled on")
    with pytest.raises(Refusal, match="already cancelled"):
        slip_store.cancel(station, str(made.extra["slip"]))
    assert verify(station) == []


def test_cancel_with_requeue_puts_the_request_back_in_the_queue(station: Store) -> None:
    made = issue(station)
    slip_store.cancel(station, int(str(made.extra["slip"])), requeue=True)
    assert get(station.conn, made.request_id).status == "open"
    [again] = allocate(station)
    assert again.extra["slip"] != made.extra["slip"]


def test_a_collected_slip_cannot_be_cancelled(station: Store) -> None:
    made = issue(station)
    slip_store.redeem(station, str(made.extra["token"]))
    before = ledger_dump(station.path)
    with pytest.raises(Refusal, match="already collected"):
        slip_store.cancel(station, str(made.extra["slip"]))
    assert ledger_dump(station.path) == before


def test_after_the_pickup_window_the_slip_is_refused(station: Store) -> None:
    made = issue(station)
    station.clock.advance(timedelta(hours=47, minutes=59))
    assert slip_store.status(station, str(made.extra["token"])).state == "ready"
    station.clock.advance(timedelta(minutes=2))
    refused(station, str(made.extra["token"]), codes.WINDOW_OVER,
            f"pickup window for slip 1 ended on {shown(station, NOW + timedelta(hours=48))}")
    assert slip_store.status(station, str(made.extra["token"])).state == "expired"


def test_expiring_overdue_slips_gives_their_units_back(station: Store) -> None:
    early = issue(station, units=4)
    station.clock.advance(timedelta(hours=30))
    late = issue(station, KIT, 1)
    station.clock.advance(timedelta(hours=20))  # early's 48 h are over, late's are not
    outbox_before = station.conn.execute("SELECT count(*) FROM outbox").fetchone()[0]
    assert slip_store.expire_overdue(station, staff="night") == [early.extra["slip"]]
    assert slip_store.find(station, str(early.extra["token"])).status == "expired"
    assert slip_store.find(station, str(late.extra["token"])).status == "issued"
    assert on_hand(station) == (8, 0)
    assert get(station.conn, early.request_id).status == "cancelled"
    assert station.conn.execute("SELECT count(*) FROM outbox").fetchone()[0] > outbox_before
    refused(station, str(early.extra["token"]), codes.WINDOW_OVER, "ended on")
    assert slip_store.expire_overdue(station) == []
    assert slip_store.redeem(station, str(late.extra["token"])).units == 1
    assert verify(station) == []


def test_a_lot_recalled_since_issue_is_not_handed_over_and_reallocation_is_offered(
        station: Store) -> None:
    made = issue(station, units=6, lot="BAD1")
    ledger.receive(station, IBU, 10, days(200), "GOOD2")
    [pick] = made.picks
    ledger.recall_lot(station, pick.lot_id, "manufacturer recall")
    refusal = refused(station, str(made.extra["token"]), codes.LOT_UNUSABLE,
                      "Lot BAD1 of Ibuprofen .* was recalled")
    assert "Re-allocate" in str(refusal) and refusal.slip_id == made.extra["slip"]
    assert slip_store.status(station, str(made.extra["token"])).state == "see-desk"
    again = slip_store.reallocate(station, str(made.extra["slip"]), staff="amy")
    assert [p.lot_id for p in again.picks] != [pick.lot_id]
    refused(station, str(made.extra["token"]), codes.CANCELLED, "replaced by slip 2")
    done = slip_store.redeem(station, str(again.extra["token"]))
    assert [lot.lot_number for lot in done.lots] == ["GOOD2"]
    assert verify(station) == []


def test_units_released_by_staff_are_not_handed_over(station: Store) -> None:
    made = issue(station)
    release(station, made.request_id)
    refused(station, str(made.extra["token"]), codes.RELEASED, "put back to stock")
    again = slip_store.reallocate(station, str(made.extra["token"]))
    assert slip_store.redeem(station, str(again.extra["short_code"])).units == 6


def test_reallocation_without_stock_changes_nothing(station: Store) -> None:
    made = issue(station, units=6)
    ledger.recall_lot(station, made.picks[0].lot_id, "recall")
    before = ledger_dump(station.path)
    with pytest.raises(NotEnoughStock):
        slip_store.reallocate(station, str(made.extra["slip"]))
    assert ledger_dump(station.path) == before
    slip_store.cancel(station, str(made.extra["slip"]))
    with pytest.raises(InvalidInput, match="cancelled; log a new request"):
        slip_store.reallocate(station, str(made.extra["slip"]))


def test_the_lookup_of_a_missing_slip_number_is_plain(station: Store) -> None:
    with pytest.raises(NotFound, match="no slip number 7"):
        slip_store.find(station, "7")


# -- the kiosk's status and the printer's view -------------------------------------------------


def test_status_tells_the_resident_in_their_language_and_changes_nothing(station: Store) -> None:
    made = issue(station, language="zh")
    token = str(made.extra["token"])
    before = ledger_dump(station.path)
    ready = slip_store.status(station, token)
    assert ready.state == "ready"
    assert ready.message() == ready.message("zh")
    assert "已备好" in ready.message() and "布洛芬" in ready.message()
    by = shown(station, NOW + timedelta(hours=48))
    assert f"Collect at the desk by {by}" in ready.message("en")
    assert ledger_dump(station.path) == before
    slip_store.redeem(station, token)
    collected = slip_store.status(station, token)
    assert collected.state == "collected" and "已于" in collected.message()
    assert collected.to_json()["state"] == "collected"
    with pytest.raises(Refusal, match="slip number"):
        slip_store.status(station, "1")
    assert slip_store.status(station, "1", allow_number=True).state == "collected"


def test_the_slip_view_has_what_the_printer_needs_in_the_residents_language(
        station: Store) -> None:
    made = issue(station, units=6, language="zh", lot="L77")
    view = slip_store.slip_view(station, str(made.extra["short_code"]))
    item = station.item(IBU)
    assert (view.station_code, view.station_name, view.station_address) == (
        "TEST1", "Test Station", "1 Test Road")
    assert (view.item_name, view.units_text, view.guidance) == (
        item.name_zh, "6 片", item.guidance_zh)
    assert view.token == made.extra["token"] and view.short_code == made.extra["short_code"]
    assert [(lot.lot_number, lot.units) for lot in view.lots] == [("L77", 6)]
    assert view.expires_at == NOW + timedelta(hours=48)
    assert view.window_text().startswith("请于")
    english = slip_store.slip_view(station, str(issue(station, KIT, 1).extra["slip"]))
    assert english.guidance == station.item(KIT).guidance_en
    assert english.units_text == "1 kit"


# -- nothing but the genuine code, and nothing changes on a refusal ----------------------------


def test_thousands_of_altered_codes_are_refused_and_change_nothing(station: Store) -> None:
    made = [issue(station, KIT, 1), issue(station, units=3)]
    rng = random.Random(7)
    before = ledger_dump(station.path)
    changes = station.conn.total_changes
    tried = 0
    for allocation in made:
        for original in (str(allocation.extra["token"]), str(allocation.extra["short_code"])):
            raw = original.encode("ascii")
            mutants = [original[:cut] for cut in range(len(original))]
            for index in range(len(raw)):
                for bit in range(8):
                    flipped = bytearray(raw)
                    flipped[index] ^= 1 << bit
                    mutants.append(flipped.decode("latin-1"))
            for _ in range(600):
                chars = list(original)
                chars[rng.randrange(len(chars))] = rng.choice("0123456789ABCDEFGHJKMNPQRSTVWXYZ:")
                mutants.append("".join(chars))
            for mutant in mutants:
                same = (mutant.strip().upper() == original if original.startswith("MS1")
                        else codes.normalise_short_code(mutant)
                        == codes.normalise_short_code(original))
                if same:
                    continue
                with pytest.raises(SlipRefused):
                    slip_store.redeem(station, mutant)
                tried += 1
    assert station.conn.total_changes == changes
    assert ledger_dump(station.path) == before
    assert tried > 3000
    for allocation in made:  # and the genuine ones still work
        slip_store.redeem(station, str(allocation.extra["token"]))


# -- two kiosks at once ------------------------------------------------------------------------


def _redeem_in_process(data_dir: str, token: str, barrier: object, results: object) -> None:
    store = open_station(Path(data_dir))
    store.clock = Clock(NOW)
    barrier.wait()  # type: ignore[attr-defined]
    try:
        slip_store.redeem(store, token, staff=multiprocessing.current_process().name)
        results.put("collected")  # type: ignore[attr-defined]
    except Refusal as refusal:
        results.put(refusal.reason)  # type: ignore[attr-defined]
    finally:
        store.close()


@pytest.mark.parametrize("station_zone", ["UTC"])  # about locking, not days: one zone will do
def test_two_processes_scanning_the_same_slip_collect_it_exactly_once(station: Store) -> None:
    tokens = [str(issue(station, KIT, 1).extra["token"]) for _ in range(4)]
    context = multiprocessing.get_context("spawn")
    for token in tokens:
        barrier = context.Barrier(2)
        results = context.Queue()
        workers = [context.Process(target=_redeem_in_process,
                                   args=(str(station.data_dir()), token, barrier, results),
                                   name=f"kiosk-{n}") for n in (1, 2)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join(60)
            assert worker.exitcode == 0
        outcomes = sorted(results.get(timeout=5) for _ in workers)
        assert outcomes == ["collected", codes.COLLECTED]
    dispensed = station.conn.execute(
        "SELECT count(*) FROM movement WHERE kind = 'dispensed'").fetchone()[0]
    assert dispensed == len(tokens)
    assert verify(station) == []


def test_two_threads_with_their_own_connections_collect_once(station: Store) -> None:
    token = str(issue(station).extra["token"])
    stores = [open_station(station.data_dir()) for _ in range(2)]
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def scan(store: Store) -> None:
        store.clock = Clock(NOW)
        barrier.wait()
        try:
            slip_store.redeem(store, token)
            outcomes.append("collected")
        except Refusal as refusal:
            outcomes.append(refusal.reason)

    threads = [threading.Thread(target=scan, args=(store,)) for store in stores]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    for store in stores:
        store.close()
    assert sorted(outcomes) == ["collected", codes.COLLECTED]
