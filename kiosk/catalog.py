"""The catalog: which medicines a station may take in, with units, limits and guidance.

The catalog ships as resources/catalog/catalog.json and is copied into the
station database, where a newer version (later: from the central endpoint)
replaces it item by item. Items are never deleted, only retired, so lots of
an item that a newer catalog drops keep their name and guidance.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kiosk.errors import InvalidInput, NotFound
from kiosk.safety import NO_FACTS, Safety, check_alternatives, unknown
from kiosk.safety import parse as parse_safety

LANGUAGES = ("en", "zh")
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}$")


@dataclass(frozen=True)
class CatalogItem:
    id: str
    name_en: str
    name_zh: str
    category: str
    form: str
    unit_en: str
    unit_plural_en: str
    unit_zh: str
    for_children: bool
    limit_per_7_days: int
    guidance_en: str
    guidance_zh: str
    barcodes: tuple[str, ...] = ()
    active: bool = True
    safety: Safety = NO_FACTS

    # names, guidance and units are bilingual data of the item (English when a
    # language has none); the sentences around them come from kiosk/messages.py

    def name(self, language: str = "en") -> str:
        return {"zh": self.name_zh}.get(language, self.name_en)

    def guidance(self, language: str = "en") -> str:
        return {"zh": self.guidance_zh}.get(language, self.guidance_en)

    def unit_name(self, units: int, language: str = "en") -> str:
        """'tablet', 'tablets', '片': the unit for `units` of this item."""
        english = self.unit_en if units == 1 else self.unit_plural_en
        return {"zh": self.unit_zh}.get(language, english)

    def units_text(self, units: int, language: str = "en") -> str:
        """'3 tablets', '1 bottle', '3 片'."""
        return f"{units} {self.unit_name(units, language)}"

    def matches(self, text: str) -> bool:
        """Does typed text (part of an English or Chinese name, an id or a barcode) fit?"""
        needle = text.strip().casefold()
        if not needle:
            return True
        return (
            needle in self.name_en.casefold()
            or needle in self.name_zh
            or needle in self.id
            or needle in self.barcodes
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": {"en": self.name_en, "zh": self.name_zh},
            "category": self.category,
            "form": self.form,
            "unit": {"en": self.unit_en, "zh": self.unit_zh},
            "unit_plural_en": self.unit_plural_en,
            "limit_per_7_days": self.limit_per_7_days,
            "guidance": {"en": self.guidance_en, "zh": self.guidance_zh},
            "barcodes": list(self.barcodes),
            "safety": self.safety.to_json(),
        }


@dataclass(frozen=True)
class Catalog:
    version: int
    items: tuple[CatalogItem, ...]

    def get(self, item_id: str) -> CatalogItem:
        for item in self.items:
            if item.id == item_id:
                return item
        raise NotFound(unknown_item_message(item_id, self.items))

    def search(self, text: str) -> list[CatalogItem]:
        return [item for item in self.items if item.active and item.matches(text)]

    def ids(self) -> list[str]:
        return [item.id for item in self.items]


def unknown_item_message(item_id: str, items: Iterable[CatalogItem]) -> str:
    import difflib

    ids = [item.id for item in items if item.active]
    close = difflib.get_close_matches(item_id, ids, n=1, cutoff=0.6)
    hint = f" Did you mean '{close[0]}'?" if close else ""
    return (
        f"'{item_id}' is not in the catalog.{hint} "
        "Run 'medshare catalog list' to see the items this station can take in."
    )


def _text(data: Mapping[str, Any], key: str, where: str) -> str:
    value = data.get(key)
    if not isinstance(value, str) or not value.strip():
        raise InvalidInput(f"Catalog item {where}: '{key}' is missing or empty.")
    return value


def _bilingual(data: Mapping[str, Any], key: str, where: str) -> tuple[str, str]:
    value = data.get(key)
    if not isinstance(value, Mapping):
        raise InvalidInput(f"Catalog item {where}: '{key}' needs English and Chinese text.")
    return _text(value, "en", f"{where} {key}"), _text(value, "zh", f"{where} {key}")


def parse_item(data: Mapping[str, Any], *, legacy: bool = False) -> CatalogItem:
    """One item. `legacy`: an item stored from a catalog older than safety facts (a
    retired item the station still holds), which has none; a catalog must have them."""
    item_id = data.get("id")
    if not isinstance(item_id, str) or not SLUG.match(item_id):
        raise InvalidInput(f"Catalog item id {item_id!r} is not a lowercase slug.")
    name_en, name_zh = _bilingual(data, "name", item_id)
    unit_en, unit_zh = _bilingual(data, "unit", item_id)
    guidance_en, guidance_zh = _bilingual(data, "guidance", item_id)
    limit = data.get("limit_per_7_days")
    if not isinstance(limit, int) or isinstance(limit, bool) or limit < 1:
        raise InvalidInput(f"Catalog item {item_id}: limit_per_7_days must be a positive number.")
    barcodes = data.get("barcodes") or []
    if legacy and "safety" not in data:
        safety = unknown(bool(data.get("for_children", False)))
    else:
        safety = parse_safety(data.get("safety"), item_id)
    return CatalogItem(
        id=item_id,
        name_en=name_en,
        name_zh=name_zh,
        category=_text(data, "category", item_id),
        form=_text(data, "form", item_id),
        unit_en=unit_en,
        unit_plural_en=str(data.get("unit_plural_en") or unit_en + "s"),
        unit_zh=unit_zh,
        for_children=safety.childrens_formulation,
        limit_per_7_days=limit,
        guidance_en=guidance_en,
        guidance_zh=guidance_zh,
        barcodes=tuple(str(code) for code in barcodes),
        safety=safety,
    )


def parse_catalog(document: Mapping[str, Any]) -> Catalog:
    version = document.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise InvalidInput("The catalog has no version number.")
    raw_items = document.get("items")
    if not isinstance(raw_items, list) or not raw_items:
        raise InvalidInput("The catalog lists no items.")
    items = tuple(parse_item(raw) for raw in raw_items)
    seen: set[str] = set()
    for item in items:
        if item.id in seen:
            raise InvalidInput(f"The catalog lists '{item.id}' twice.")
        seen.add(item.id)
    check_alternatives({item.id: item for item in items})
    return Catalog(version=version, items=items)


def load_catalog_file(path: Path) -> Catalog:
    with path.open(encoding="utf-8") as handle:
        return parse_catalog(json.load(handle))


def bundled_catalog_path() -> Path:
    from kiosk.paths import resources_dir

    return resources_dir() / "catalog" / "catalog.json"


def load_bundled_catalog() -> Catalog:
    return load_catalog_file(bundled_catalog_path())
