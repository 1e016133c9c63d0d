"""Who may take what: the catalog's safety facts and the requests they refuse.

Each catalog item carries a minimum age (or "adults only"), whether it is a
children's formulation, and what it says about pregnancy. A request's
priority group says who it is for; "child" means a child under 12, the age
at which most adult over-the-counter forms begin ("adults and children 12
and over"). A child's request for an item with a minimum age of 12 or more,
or for an adults-only item, conflicts; so does a pregnant person's request
for an item that is not for use in pregnancy, or not in late pregnancy (the
station does not know how far along the pregnancy is, so it asks for the
conservative answer). The kiosk refuses a conflicting request and points to
the item to ask for instead; the desk may log it only with a staff override
and its reason, which the audit records.

Pure domain: no database, no Qt. Messages are given in English and Chinese,
like the slip texts.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

from kiosk.errors import InvalidInput
from kiosk.messages import say

if TYPE_CHECKING:
    from kiosk.catalog import CatalogItem

ADULTS: Final = "adults"  # min_age in the catalog: adults only
ADULT_AGE: Final = 18
CHILD_UNDER: Final = 12  # the "child" priority group: a child under this age
PREGNANCY: Final = ("ok", "not-late-pregnancy", "not-in-pregnancy", "ask-pharmacist")
REFUSED_IN_PREGNANCY: Final = ("not-late-pregnancy", "not-in-pregnancy")
GROUPS: Final = ("child", "pregnant")  # the priority groups the facts can refuse
_KEYS: Final = frozenset({"min_age", "childrens_formulation", "pregnancy", "instead"})


@dataclass(frozen=True)
class Safety:
    min_age: int  # years; 0: any age the leaflet doses
    adults_only: bool
    childrens_formulation: bool
    pregnancy: str  # one of PREGNANCY
    instead: Mapping[str, str]  # priority group -> the item to ask for instead

    def to_json(self) -> dict[str, Any]:
        return {
            "min_age": ADULTS if self.adults_only else self.min_age,
            "childrens_formulation": self.childrens_formulation,
            "pregnancy": self.pregnancy,
            "instead": dict(self.instead),
        }


def unknown(childrens_formulation: bool) -> Safety:
    """What a catalog from before safety facts (kept for retired items) says: nothing."""
    return Safety(0, False, childrens_formulation, "ask-pharmacist", {})


def parse(value: object, item_id: str) -> Safety:
    """The `safety` object of one catalog item; one plain message naming item and field."""

    def bad(field: str, wants: str) -> InvalidInput:
        return InvalidInput(f"Catalog item {item_id}: safety field '{field}' {wants}.")

    if not isinstance(value, Mapping):
        raise bad("safety", "is missing; it needs min_age, childrens_formulation and pregnancy")
    extra = sorted(set(value) - _KEYS)
    if extra:
        raise bad(str(extra[0]), "is not a safety field (min_age, childrens_formulation, "
                                 "pregnancy, instead)")
    age = value.get("min_age")
    adults_only = age == ADULTS
    if adults_only:
        years = ADULT_AGE
    elif isinstance(age, int) and not isinstance(age, bool) and 0 <= age < ADULT_AGE:
        years = age
    else:
        raise bad("min_age", f"must be a whole number of years from 0 to {ADULT_AGE - 1} "
                             f"or \"{ADULTS}\", not {age!r}")
    childrens = value.get("childrens_formulation")
    if not isinstance(childrens, bool):
        raise bad("childrens_formulation", f"must be true or false, not {childrens!r}")
    if childrens and years >= CHILD_UNDER:
        raise bad("min_age", f"is {age!r}, but a children's formulation must be for children "
                             f"under {CHILD_UNDER}")
    pregnancy = value.get("pregnancy")
    if pregnancy not in PREGNANCY:
        raise bad("pregnancy", f"must be one of {', '.join(PREGNANCY)}, not {pregnancy!r}")
    instead = value.get("instead", {})
    if not isinstance(instead, Mapping) or any(
            group not in GROUPS or not isinstance(other, str) for group, other in instead.items()):
        raise bad("instead", "must map child or pregnant to a catalog id")
    return Safety(years, adults_only, childrens,
                  str(pregnancy), dict(instead))


NO_FACTS: Final = unknown(False)


@dataclass(frozen=True)
class Conflict:
    """A request's group the item's facts refuse, and what to ask for instead."""

    item: CatalogItem
    group: str  # child or pregnant
    instead: CatalogItem | None

    def text(self, language: str = "en") -> str:
        """The resident's words: why not, and the item to ask for (kiosk and desk)."""
        name = plain_name(self.item, language)
        other = self.instead.name(language) if self.instead is not None else ""
        safety = self.item.safety
        if self.group == "child":
            why = (say("safety.adults_only", language, name=name) if safety.adults_only
                   else say("safety.min_age", language, name=name, age=safety.min_age))
            if other:
                return why + say("safety.child_instead", language, other=other)
            return why + say("safety.child_ask", language)
        late = safety.pregnancy != "not-in-pregnancy"
        why = say("safety.not_late_pregnancy" if late else "safety.not_in_pregnancy", language,
                  name=name)
        if other:
            return why + say("safety.pregnant_instead", language, other=other)
        return why + say("safety.pregnant_ask", language)

    def slip_text(self, reason: str, language: str = "en") -> str:
        """What a slip issued by staff override says in place of the usage guidance
        (under a "Caution — staff safety override" heading), so it never tells a
        child's or pregnant person's slip "adults only"."""
        group = say(f"safety.group.{self.group}", language)
        return say("safety.override_slip", language, group=group, reason=reason)


class SafetyConflict(InvalidInput):
    """A request the safety facts refuse for its group; `conflict` says why and what instead."""

    def __init__(self, conflict: Conflict) -> None:
        super().__init__(conflict.text("en"))
        self.conflict = conflict


def conflict(item: CatalogItem, group: str, items: Mapping[str, CatalogItem]) -> Conflict | None:
    """Does a request for `item` by `group` go against the item's safety facts?"""
    safety = item.safety
    refused = ((group == "child" and safety.min_age >= CHILD_UNDER)
               or (group == "pregnant" and safety.pregnancy in REFUSED_IN_PREGNANCY))
    if not refused:
        return None
    other = items.get(safety.instead.get(group, ""))
    return Conflict(item, group, other if other is not None and other.active else None)


def check_alternatives(items: Mapping[str, CatalogItem]) -> None:
    """Every `instead` names an item of the catalog that its group may have."""
    for item in items.values():
        for group, other_id in item.safety.instead.items():
            other = items.get(other_id)
            if other is None:
                raise InvalidInput(f"Catalog item {item.id}: safety field 'instead' names "
                                   f"'{other_id}', which is not in the catalog.")
            if conflict(other, group, items) is not None:
                raise InvalidInput(f"Catalog item {item.id}: safety field 'instead' names "
                                   f"'{other_id}' for {group}, but that item is refused for "
                                   f"{group} too.")


_ADULTS_ONLY_SUFFIX: Final = re.compile(r"\s*[（(](adults only|仅限成人)[)）]$")


def plain_name(item: CatalogItem, language: str) -> str:
    """The name without an "(adults only)" suffix, which the message says anyway."""
    return _ADULTS_ONLY_SUFFIX.sub("", item.name(language))
