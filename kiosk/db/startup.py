"""What the app reads when it opens a station, as one check a restore can run on a copy.

A backup that passes `db verify` can still be one the app cannot open (a
damaged table definition, a setting or catalog row that no longer parses).
Restore runs these reads on the staged copy first, so such a file is refused
while the station it would replace is still there.
"""

from __future__ import annotations

from kiosk.db import ledger, staff
from kiosk.db import requests as request_store
from kiosk.db import station as station_store
from kiosk.db.store import DEFAULT_SETTINGS, Store
from kiosk.db.verify import problems
from kiosk.errors import IntegrityError


def startup_checks(store: Store) -> None:
    """Raise if the app would fail to start on this station; may take a newer catalog."""
    found = problems(store.conn)
    if found:
        raise IntegrityError("; ".join(found[:3]))
    station_store.refresh_catalog(store)  # what the app does first, on the copy
    station_store.get(store)
    for key, default in DEFAULT_SETTINGS.items():
        value = store.setting(key)
        if default.isdigit():
            int(value)
    _ = store.catalog.items
    with store.read() as conn:
        staff.accounts(conn, include_disabled=True)
        request_store.queue(conn)
        conn.execute("SELECT key, value FROM sync_state").fetchall()
        conn.execute("SELECT count(*) FROM outbox").fetchone()
    ledger.stock(store)
