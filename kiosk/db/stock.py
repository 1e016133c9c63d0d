"""The stock table: units on hand, reserved and available per item, and what expires soon."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from kiosk.db.store import Store
from kiosk.rules import (
    MAX_UNITS_PER_ENTRY,
)

GENESIS = "0" * 64
# a lot holds what one or more drop-offs brought; a count above this is a typing slip
MAX_COUNTED = 100 * MAX_UNITS_PER_ENTRY


@dataclass(frozen=True)
class StockLine:
    item_id: str
    name_en: str
    name_zh: str
    unit: str
    on_hand: int
    reserved: int
    available: int
    expired: int
    earliest_expiry: date | None
    expiring_soon: int

    def to_json(self) -> dict[str, object]:
        return {
            "item": self.item_id,
            "name": {"en": self.name_en, "zh": self.name_zh},
            "unit": self.unit,
            "on_hand": self.on_hand,
            "reserved": self.reserved,
            "available": self.available,
            "expired": self.expired,
            "earliest_expiry": self.earliest_expiry.isoformat() if self.earliest_expiry else None,
            "expiring_within_30_days": self.expiring_soon,
        }


def stock(store: Store, *, include_empty: bool = False, soon_days: int = 30) -> list[StockLine]:
    """Per item: on hand, reserved, available now, expired on the shelf, earliest usable expiry."""
    from datetime import timedelta

    today = store.today()
    soon = (today + timedelta(days=soon_days)).isoformat()
    rows = store.conn.execute(
        """
        SELECT lot.item_id,
               sum(lot.on_hand) AS on_hand,
               sum(lot.reserved) AS reserved,
               sum(CASE WHEN lot.expiry >= :today AND recall.lot_id IS NULL
                        THEN lot.on_hand - lot.reserved ELSE 0 END) AS available,
               sum(CASE WHEN lot.expiry < :today OR recall.lot_id IS NOT NULL
                        THEN lot.on_hand ELSE 0 END) AS expired,
               min(CASE WHEN lot.expiry >= :today AND recall.lot_id IS NULL
                         AND lot.on_hand > lot.reserved THEN lot.expiry END) AS earliest,
               sum(CASE WHEN lot.expiry >= :today AND lot.expiry <= :soon
                        AND recall.lot_id IS NULL THEN lot.on_hand - lot.reserved ELSE 0 END)
                   AS soon
        FROM lot LEFT JOIN recall ON recall.lot_id = lot.id
        WHERE lot.on_hand > 0
        GROUP BY lot.item_id
        """,
        {"today": today.isoformat(), "soon": soon},
    ).fetchall()
    by_item = {row["item_id"]: row for row in rows}
    lines = []
    for item in store.catalog.items:
        row = by_item.get(item.id)
        if row is None and not include_empty:
            continue
        lines.append(
            StockLine(
                item_id=item.id,
                name_en=item.name_en,
                name_zh=item.name_zh,
                unit=item.unit_plural_en,
                on_hand=int(row["on_hand"]) if row else 0,
                reserved=int(row["reserved"]) if row else 0,
                available=int(row["available"]) if row else 0,
                expired=int(row["expired"]) if row else 0,
                earliest_expiry=date.fromisoformat(row["earliest"])
                if row and row["earliest"]
                else None,
                expiring_soon=int(row["soon"]) if row else 0,
            )
        )
    return lines
