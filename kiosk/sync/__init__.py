"""Sync between a station and the central endpoint.

`kiosk.sync.protocol` is the wire contract shared by both ends (pure Python:
no Qt, no HTTP library). The station's client lives beside it.
"""
