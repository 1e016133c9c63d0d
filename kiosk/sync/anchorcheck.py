"""`db verify` against the central's copy of this station's ledger anchors.

The anchors in the station file can be edited with the file; the ones the
central holds cannot. A short timeout: verifying must not hang offline.
"""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.db import history
from kiosk.db.store import Store
from kiosk.errors import InvalidInput, SyncError
from kiosk.sync import protocol
from kiosk.sync.client import SyncClient, get_state
from kiosk.sync.history import Anchor, parse_anchor

TIMEOUT = (2.0, 4.0)


@dataclass(frozen=True)
class CentralCheck:
    problems: list[str]
    note: str  # what was checked, in plain words


def check_with_central(store: Store) -> CentralCheck:
    with store.read() as conn:
        base = get_state(conn, "server_url")
        token = get_state(conn, "token")
        current = get_state(conn, "history")
    if not base:
        return CentralCheck([], "not enrolled: checked against the anchors in this file only")
    client = SyncClient(store, timeout=TIMEOUT)
    def ask(one: str | None) -> list[Anchor]:
        reply = client._call("GET", base + protocol.API_PREFIX + "/anchors",
                             headers={"Authorization": f"Bearer {token}"},
                             params={"history": one} if one else None)
        raw = reply.get("anchors") if isinstance(reply, dict) else None
        if not isinstance(raw, list):
            raise InvalidInput("no anchors list")
        return [parse_anchor(a, with_at=True) for a in raw]

    try:
        held = ask(current)
        # none of this history: restored since the last round, or a history id edited in
        # the file; either way say what the central held before, so a person can compare
        earlier = ask(None) if current and not held else []
    except (SyncError, InvalidInput) as error:
        return CentralCheck([], f"the central endpoint could not be asked ({error}); "
                                "checked against the anchors in this file only")
    anchors = [history.HeldAnchor(a.at or "", "central", a.movements, a.head) for a in held]
    with store.read() as conn:
        found = history.check(conn, anchors, "anchored at the central endpoint")
    note = f"checked against {len(anchors)} anchors the central endpoint holds"
    if earlier:
        note += (f"; it holds none of this station's current history (a restore since the "
                 f"last sync?), and before that it held {earlier[-1].short}")
    return CentralCheck(found, note)
