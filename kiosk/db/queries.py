"""SQL fragments that several modules must agree on."""

# A lot that may be promised to someone: the item's, still good on the given
# date, something unreserved on the shelf, not recalled. Parameters: item id,
# ISO date. Matches the partial index lot_in_stock.
USABLE_LOT = (
    "item_id = ? AND expiry >= ? AND on_hand > 0 AND on_hand > reserved "
    "AND id NOT IN (SELECT lot_id FROM recall)"
)
