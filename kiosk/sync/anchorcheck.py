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
from kiosk.sync.history import parse_anchor

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
    try:
        reply = client._call("GET", base + protocol.API_PREFIX + "/anchors",
                             headers={"Authorization": f"Bearer {token}"},
                             params={"history": current} if current else None)
        raw = reply.get("anchors") if isinstance(reply, dict) else None
        if not isinstance(raw, list):
            raise InvalidInput("no anchors list")
        held = [parse_anchor(a, with_at=True) for a in raw]
    except (SyncError, InvalidInput) as error:
        return CentralCheck([], f"the central endpoint could not be asked ({error}); "
                                "checked against the anchors in this file only")
    anchors = [history.HeldAnchor(a.at or "", "central", a.movements, a.head) for a in held]
    with store.read() as conn:
        found = history.check(conn, anchors, "anchored at the central endpoint")
    return CentralCheck(found, f"checked against {len(anchors)} anchors the central endpoint "
                               "holds")
