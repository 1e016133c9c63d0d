"""The station's SQLite store: schema, migrations and the ledger's queries."""

from kiosk.db.store import Store

__all__ = ["Store"]
