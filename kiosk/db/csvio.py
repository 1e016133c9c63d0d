"""CSV in and out: `import lots` (all or nothing) and the exports."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

from kiosk.db import ledger
from kiosk.db import requests as request_store
from kiosk.db.csvout import write_csv
from kiosk.db.store import Store
from kiosk.errors import InvalidInput, MedShareError
from kiosk.localtime import day_of_iso
from kiosk.rules import SOURCE_CHANNELS, clean_text, parse_choice, parse_expiry, parse_units

LOT_COLUMNS = ("item", "units", "expiry", "lot", "source")
MAX_IMPORT_ROWS = 1_000_000


def read_lots(store: Store, path: Path) -> list[ledger.Receipt]:
    """Every row checked before anything is written; the first bad row is named.

    The file is read in one go: parsing from memory keeps the interpreter
    lock from bouncing at every small read, which would starve a GUI thread
    waiting for it while a big import runs on a worker.
    """
    try:
        data = path.read_bytes()
    except OSError as error:
        raise InvalidInput(f"Cannot read {path}: {error.strerror}.") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InvalidInput(f"{path.name} is not a readable UTF-8 CSV file ({error}).") from None
    return parse_lots(store, text, path.name)


def parse_lots(store: Store, text: str, name: str) -> list[ledger.Receipt]:
    today = store.today()
    items = {item.id: item for item in store.catalog.items if item.active}
    expiries: dict[str, date] = {}
    receipts: list[ledger.Receipt] = []
    with io.StringIO(text, newline="") as handle:
        try:
            reader = csv.reader(handle)
            header = next(reader, None)
            if header is None:
                raise InvalidInput(f"{name} is empty.")
            names = [cell.strip().lower() for cell in header]
            missing = [column for column in ("item", "units", "expiry") if column not in names]
            if missing:
                raise InvalidInput(
                    f"{name} has no column {', '.join(missing)}; the first line must name "
                    f"the columns: {','.join(LOT_COLUMNS)}."
                )
            at = {column: names.index(column) for column in LOT_COLUMNS if column in names}
            width = len(names)
            for line, row in enumerate(reader, start=2):
                if not row or (len(row) == 1 and not row[0].strip()):
                    continue
                if len(row) != width:
                    raise InvalidInput(
                        f"Row {line} of {name} has {len(row)} cells, not {width}; "
                        "nothing was imported."
                    )
                try:
                    item_id = row[at["item"]].strip()
                    if item_id not in items:
                        raise InvalidInput(f"'{item_id[:40]}' is not in the catalog")
                    raw_expiry = row[at["expiry"]]
                    expiry = expiries.get(raw_expiry)
                    if expiry is None:
                        expiry = expiries[raw_expiry] = parse_expiry(raw_expiry, today)
                    receipts.append(
                        ledger.Receipt(
                            item_id=item_id,
                            units=parse_units(row[at["units"]]),
                            expiry=expiry,
                            lot_number=clean_text(row[at["lot"]], "The lot number", 40)
                            if "lot" in at else "",
                            source=parse_choice(row[at["source"]] or "donation", "The source",
                                                SOURCE_CHANNELS)
                            if "source" in at else "donation",
                        )
                    )
                except MedShareError as error:
                    reason = str(error).rstrip(".")
                    raise InvalidInput(
                        f"Row {line} of {name}: {reason}. Nothing was imported."
                    ) from None
                if len(receipts) > MAX_IMPORT_ROWS:
                    raise InvalidInput(f"{name} has more than {MAX_IMPORT_ROWS:,} rows.")
        except csv.Error as error:
            raise InvalidInput(f"{name} is not a readable CSV file ({error}).") from None
    return receipts


def import_lots(store: Store, path: Path, staff: str = "") -> list[int]:
    return ledger.receive_many(store, read_lots(store, path), staff=staff)


def export(store: Store, what: str, path: Path) -> int:
    """Write a CSV of stock, movements or requests (phones masked); returns the row count.

    Instants (`at`, `created_at`) are UTC; the last column, `day`, is the
    station-local day they fall on (what reports count)."""
    zone = store.zone
    if what == "stock":
        lines = ledger.stock(store)
        return write_csv(
            path,
            ["item", "name_en", "name_zh", "on_hand", "reserved", "available", "expired",
             "earliest_expiry"],
            [[s.item_id, s.name_en, s.name_zh, s.on_hand, s.reserved, s.available, s.expired,
              s.earliest_expiry.isoformat() if s.earliest_expiry else ""] for s in lines],
        )
    if what == "movements":
        with store.read() as conn:
            rows = ledger.movements(conn)
        return write_csv(
            path,
            ["id", "at", "lot", "item", "kind", "units", "on_hand_delta", "reserved_delta",
             "request", "reason", "staff", "hash", "day"],
            [[*row, day_of_iso(str(row["at"]), zone).isoformat()] for row in rows],
        )
    if what == "requests":
        with store.read() as conn:
            rows = conn.execute(
                "SELECT id FROM request ORDER BY id"
            ).fetchall()
            requests = [request_store.get(conn, int(row[0])) for row in rows]
        return write_csv(
            path,
            ["id", "created_at", "item", "units", "priority", "household", "phone", "flag",
             "status", "day"],
            [[r.id, r.created_at, r.item_id, r.units, r.priority, r.household,
              r.phone_masked or "", r.flag, r.status,
              day_of_iso(str(r.created_at), zone).isoformat()] for r in requests],
        )
    raise InvalidInput("Export one of: stock, movements, requests.")
