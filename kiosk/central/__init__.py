"""The central endpoint: an ASGI app (`kiosk.central.app`) over one storage interface
(`kiosk.central.storage`: SQLite by default, PostgreSQL for several server processes),
run by `medshare-central` (`kiosk.central.cli`). It imports only `kiosk.sync.protocol`
of the sync package, never the station's database or Qt.
"""
