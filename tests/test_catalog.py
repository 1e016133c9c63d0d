import json

import pytest

from kiosk.catalog import load_bundled_catalog, parse_catalog
from kiosk.errors import InvalidInput, NotFound

REQUIRED = (
    "ibuprofen-200mg-tablet",
    "paracetamol-500mg-tablet",
    "ibuprofen-oral-suspension-100ml",
    "antigen-test-kit",
)


def test_bundled_catalog_has_the_items_health_authorities_recommended() -> None:
    catalog = load_bundled_catalog()
    assert len(catalog.items) >= 25
    for item_id in REQUIRED:
        assert catalog.get(item_id).active
    categories = {item.category for item in catalog.items}
    assert {"fever-pain", "cough", "sore-throat", "blocked-nose", "rehydration",
            "test-kit", "children-fever"} <= categories
    assert any(item.for_children for item in catalog.items)


def test_every_item_has_both_languages_and_points_to_leaflet_and_pharmacist() -> None:
    for item in load_bundled_catalog().items:
        assert item.name_en and item.name_zh and item.unit_en and item.unit_zh
        assert item.limit_per_7_days >= 1
        assert item.guidance_en.endswith("Read the leaflet and ask a pharmacist if unsure.")
        assert item.guidance_zh.endswith("请阅读说明书，如有疑问请咨询药师。")
        assert len(item.guidance_en) <= 400 and len(item.guidance_zh) <= 400


def test_aspirin_is_never_marked_for_children() -> None:
    for item in load_bundled_catalog().items:
        if "aspirin" in item.id:
            assert not item.for_children
            assert "16" in item.guidance_en


def test_search_by_english_or_chinese_part_of_name() -> None:
    catalog = load_bundled_catalog()
    assert catalog.get("ibuprofen-200mg-tablet") in catalog.search("ibupro")
    assert catalog.get("ibuprofen-200mg-tablet") in catalog.search("布洛芬")


def test_unknown_item_suggests_the_nearest_id() -> None:
    with pytest.raises(NotFound, match="Did you mean 'ibuprofen-200mg-tablet'"):
        load_bundled_catalog().get("ibuprofen-200mg-tablets")


def test_a_catalog_without_version_or_with_duplicates_is_refused() -> None:
    document = json.loads(
        (load_bundled_catalog.__globals__["bundled_catalog_path"]()).read_text("utf-8")
    )
    with pytest.raises(InvalidInput, match="version"):
        parse_catalog({**document, "version": None})
    with pytest.raises(InvalidInput, match="twice"):
        parse_catalog({**document, "items": document["items"] + document["items"][:1]})
