"""Realistic demo data: a few dozen lots (some expiring soon, some expired)
and a queue of requests from every priority group."""

from __future__ import annotations

import random
from datetime import timedelta
from pathlib import Path

from kiosk.clock import Clock, station_clock
from kiosk.db import ledger, pledges
from kiosk.db import requests as request_store
from kiosk.db.station import init
from kiosk.db.store import Store

DEMO_ITEMS = (
    ("ibuprofen-200mg-tablet", 24),
    ("paracetamol-500mg-tablet", 20),
    ("antigen-test-kit", 5),
    ("ibuprofen-oral-suspension-100ml", 1),
    ("paracetamol-oral-suspension-100ml", 1),
    ("ors-iii-sachet", 10),
    ("loratadine-10mg-tablet", 7),
    ("dextromethorphan-15mg-tablet", 12),
    ("ambroxol-30mg-tablet", 20),
    ("xylometazoline-0-1pct-nasal-spray", 1),
)

PHONES = ("13812345678", "13987654321", "13600001111", "15011112222")


def create_demo(data_dir: Path, *, seed: int = 2022) -> Store:
    """A station called Riverside Community Centre with two months of history."""
    rng = random.Random(seed)
    # the demo is a training station: MEDSHARE_NOW, if set, is its "now"
    real = station_clock(training=True)
    store = init(data_dir, "DEMO1", "Riverside Community Centre",
                 "12 Riverside Road, Xuhui District", 31.19, 121.44, "Mon-Sat 9:00-17:00",
                 training=True, clock=real, timezone="Asia/Shanghai")
    # Take lots in as if over the past 60 days, so some have expired by now.
    past = Clock(real.now() - timedelta(days=60))
    store.clock = past
    available = [item_id for item_id, _ in DEMO_ITEMS if _exists(store, item_id)]
    per_box = dict(DEMO_ITEMS)
    for day in range(0, 60, 2):
        store.clock = Clock(past.now() + timedelta(days=day))
        item_id = rng.choice(available)
        shelf_days = rng.choice((10, 45, 70, 200, 400, 700))
        ledger.receive(
            store, item_id, per_box[item_id] * rng.randint(1, 3),
            (store.today() + timedelta(days=shelf_days)).isoformat(),
            f"L{rng.randint(1000, 9999)}", rng.choice(("donation", "pharmacy", "hospital")),
            staff="demo",
        )
    store.clock = Clock(real.now() - timedelta(hours=6))
    groups = ("child", "elderly", "pregnant", "chronic", "none", "none", "elderly", "child")
    for index, group in enumerate(groups):
        # only what the catalog's safety facts allow the group (no aspirin for a child)
        allowed = [item_id for item_id in available
                   if request_store.safety_conflict(store, item_id, group) is None]
        item_id = rng.choice(allowed)
        store.clock = Clock(store.clock.now() + timedelta(minutes=37))
        request_store.create(
            store, item_id, 1, priority=group, household=rng.randint(1, 4),
            phone=PHONES[index % len(PHONES)] if index % 3 else None,
            language="zh" if index % 2 else "en",
        )
    # two drop-offs residents pre-registered at the kiosk, waiting at the desk
    for item_id, units, shelf_days in (("paracetamol-500mg-tablet", 20, 300),
                                       ("antigen-test-kit", 2, 150)):
        store.clock = Clock(store.clock.now() + timedelta(minutes=23))
        pledges.create(store, item_id, units,
                       (store.today() + timedelta(days=shelf_days)).isoformat())
    store.clock = real
    _nearby_stations(store)
    return store


# Other stations as the last sync would have brought them (name, address, place, hours,
# and per item the units available), so the kiosk can show "nearby stations have it".
NEARBY = (
    ("demo-hill", "Hillside Neighbourhood Office", "88 Hillside Lane, Xuhui District",
     31.20, 121.45, "Mon-Fri 8:30-18:00",
     {"ibuprofen-200mg-tablet": 40, "antigen-test-kit": 6, "paracetamol-500mg-tablet": 30}),
    ("demo-park", "Park Street Library", "5 Park Street, Changning District",
     31.215, 121.42, "Daily 10:00-20:00",
     {"ibuprofen-200mg-tablet": 12, "paracetamol-500mg-tablet": 64}),
    ("demo-lake", "Lakeside Senior Centre", "301 Lake Road, Minhang District",
     31.15, 121.40, "Mon-Sat 9:00-16:00", {"antigen-test-kit": 3, "ors-iii-sachet": 20}),
)


def _nearby_stations(store: Store) -> None:
    with store.write() as conn:
        for station_id, name, address, lat, lon, hours, listing in NEARBY:
            conn.execute(
                "INSERT INTO remote_station(station_id, name, address, lat, lon, opening_hours) "
                "VALUES (?,?,?,?,?,?)", (station_id, name, address, lat, lon, hours))
            for item_id, units in listing.items():
                if _exists(store, item_id):
                    conn.execute(
                        "INSERT INTO remote_listing(station_id, item_id, available, requested, "
                        "earliest_expiry) VALUES (?,?,?,0,NULL)", (station_id, item_id, units))


def _exists(store: Store, item_id: str) -> bool:
    return any(item.id == item_id for item in store.catalog.items)
