"""Who may take what: the catalog's safety facts refuse a child's aspirin, staff may
override with a reason (audited), matching skips what nobody overrode, and the slip
never says "adults only" to the child it was issued for."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from kiosk.catalog import bundled_catalog_path, load_bundled_catalog, parse_catalog
from kiosk.db import events, ledger
from kiosk.db.allocation import allocate
from kiosk.db.requests import create, get
from kiosk.db.slips import slip_view
from kiosk.db.store import Store
from kiosk.errors import InvalidInput
from kiosk.safety import SafetyConflict
from tests.conftest import days, ledger_dump

ASPIRIN = "aspirin-300mg-tablet"
IBU = "ibuprofen-200mg-tablet"
SPRAY = "xylometazoline-0-1pct-nasal-spray"
CHILD_PARA = "paracetamol-oral-suspension-100ml"


def document() -> dict[str, object]:
    loaded: dict[str, object] = json.loads(Path(bundled_catalog_path()).read_text("utf-8"))
    return loaded


def test_every_bundled_item_has_safety_facts_and_aspirin_is_adults_only() -> None:
    catalog = load_bundled_catalog()
    aspirin = catalog.get(ASPIRIN).safety
    assert aspirin.adults_only and aspirin.pregnancy == "not-in-pregnancy"
    assert aspirin.instead == {"child": CHILD_PARA, "pregnant": "paracetamol-500mg-tablet"}
    assert catalog.get(IBU).safety.pregnancy == "not-late-pregnancy"
    assert catalog.get(SPRAY).safety.min_age == 12
    children = [item for item in catalog.items if item.safety.childrens_formulation]
    assert children and all(item.for_children for item in children)
    assert all(item.safety.min_age < 12 for item in children)


@pytest.mark.parametrize(("field", "value", "words"), [
    ("min_age", 30, "safety field 'min_age' must be a whole number of years"),
    ("min_age", "teenagers", "safety field 'min_age'"),
    ("childrens_formulation", "yes", "safety field 'childrens_formulation' must be true"),
    ("pregnancy", "fine", "safety field 'pregnancy' must be one of ok, not-late-pregnancy"),
    ("instead", {"child": "no-such-item"}, "safety field 'instead' names 'no-such-item'"),
    ("instead", {"child": IBU}, "safety field 'instead' names 'ibuprofen-200mg-tablet' for "
                                   "child, but that item is refused for child too"),
    ("colour", "red", "safety field 'colour' is not a safety field"),
])
def test_a_malformed_safety_field_refuses_the_whole_catalog_naming_item_and_field(
        field: str, value: object, words: str) -> None:
    broken = copy.deepcopy(document())
    items = broken["items"]
    assert isinstance(items, list)
    aspirin = next(item for item in items if item["id"] == ASPIRIN)
    aspirin["safety"][field] = value
    with pytest.raises(InvalidInput, match=f"Catalog item {ASPIRIN}: {words}"):
        parse_catalog(broken)


def test_a_childrens_formulation_must_be_for_children() -> None:
    broken = copy.deepcopy(document())
    items = broken["items"]
    assert isinstance(items, list)
    drops = next(item for item in items if item["id"] == CHILD_PARA)
    drops["safety"]["min_age"] = 12
    with pytest.raises(InvalidInput, match=f"Catalog item {CHILD_PARA}: safety field 'min_age' "
                                           "is 12, but a children's formulation"):
        parse_catalog(broken)


def test_an_item_without_safety_facts_is_refused() -> None:
    broken = copy.deepcopy(document())
    items = broken["items"]
    assert isinstance(items, list)
    del items[0]["safety"]
    with pytest.raises(InvalidInput, match="safety field 'safety' is missing"):
        parse_catalog(broken)


def test_aspirin_for_a_child_is_refused_with_the_item_to_ask_for(station: Store) -> None:
    before = ledger_dump(station.path)
    with pytest.raises(SafetyConflict) as refused:
        create(station, ASPIRIN, 2, priority="child")
    assert str(refused.value) == ("Aspirin 300 mg tablets is for adults only. For a child, ask "
                                  "for Children's paracetamol oral suspension 160 mg/5 ml, 100 ml.")
    assert refused.value.conflict.text("zh") == (
        "阿司匹林片 300mg仅限成人使用。儿童请改为申请对乙酰氨基酚口服混悬液 100ml:3.2g。")
    with pytest.raises(SafetyConflict, match="last 3 months of pregnancy"):
        create(station, IBU, 2, priority="pregnant")
    assert ledger_dump(station.path) == before
    # the same item for an adult, and the children's form for a child, are fine
    assert create(station, ASPIRIN, 2).priority == "none"
    assert create(station, CHILD_PARA, 1, priority="child").safety_override == ""


def test_staff_override_needs_a_reason_and_is_audited_with_the_request(station: Store) -> None:
    before = ledger_dump(station.path)
    for reason in ("", "   ", "ok"):
        with pytest.raises(InvalidInput):
            create(station, ASPIRIN, 2, priority="child", override_reason=reason, staff="amy")
    with pytest.raises(InvalidInput, match="needs no safety override"):
        create(station, ASPIRIN, 2, priority="elderly", override_reason="just because")
    assert ledger_dump(station.path) == before
    made = create(station, ASPIRIN, 2, priority="child", staff="amy",
                  override_reason="he is 17; GP letter seen")
    assert made.safety_override == "he is 17; GP letter seen"
    assert made.to_json()["safety_override"] == "he is 17; GP letter seen"
    [event] = events.for_request(station.conn, made.id)
    assert (event.staff, event.action, event.detail) == (
        "amy", "safety_override", "he is 17; GP letter seen")


def test_match_all_skips_a_conflicting_request_without_override(station: Store) -> None:
    ledger.receive(station, SPRAY, 5, days(200))
    plain = create(station, SPRAY, 1, priority="child", staff="amy",
                   override_reason="she is 12 next week; mother asked pharmacist")
    # a request logged before the catalog said so (written straight into the table)
    with station.write() as conn:
        conn.execute(
            "INSERT INTO request(created_at, item_id, units, priority, household, language, "
            "flag, status, status_at) VALUES (?, ?, 1, 'child', 1, 'en', '', 'open', ?)",
            (station.now_iso(), SPRAY, station.now_iso()))
    unsafe = int(station.conn.execute("SELECT max(id) FROM request").fetchone()[0])
    later = create(station, SPRAY, 1)
    with pytest.raises(InvalidInput, match=f"Request {unsafe} cannot be matched: .* adults"):
        allocate(station, unsafe)
    made = allocate(station)
    assert sorted(a.request_id for a in made) == [plain.id, later.id]
    assert get(station.conn, unsafe).status == "open"


def test_an_overridden_slip_says_the_override_and_never_adults_only(station: Store) -> None:
    ledger.receive(station, SPRAY, 5, days(200))
    child = create(station, SPRAY, 1, priority="child", staff="amy", language="zh",
                   override_reason="she is 11 and a half; pharmacist said yes")
    adult = create(station, SPRAY, 1)
    slips = {a.request_id: a.extra["slip"] for a in allocate(station)}
    view = slip_view(station, int(str(slips[child.id])))
    assert "12" not in view.guidance and "仅限成人" not in view.guidance
    assert "破例发放" in view.guidance and "she is 11 and a half" in view.guidance
    assert "咨询药师" in view.guidance
    assert view.override == "she is 11 and a half; pharmacist said yes"
    plain = slip_view(station, int(str(slips[adult.id])))
    assert plain.guidance == station.item(SPRAY).guidance_en and plain.override == ""


def test_a_training_backup_is_never_restored_onto_a_real_station(
        station: Store, tmp_path: Path) -> None:
    from kiosk.clock import Clock
    from kiosk.db.maintenance import restore
    from kiosk.db.station import init

    practice = init(tmp_path / "practice", "TEST1", "Practice", training=True, clock=Clock())
    backup = practice.backup_to(tmp_path / "practice.db")
    practice.close()
    before = ledger_dump(station.path)
    with pytest.raises(InvalidInput, match="is a backup of a training station, and this is "
                                           "a real station"):
        restore(station.data_dir(), backup)
    assert ledger_dump(station.path) == before
