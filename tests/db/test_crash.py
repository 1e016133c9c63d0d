"""Pull the plug: every receive reported as committed survives a SIGKILL."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time

import pytest

from kiosk.db import ledger
from kiosk.db.station import open_station
from kiosk.db.store import Store
from kiosk.db.verify import verify

CHILD = """
import sys
from kiosk.db.ledger import receive
from kiosk.db.station import open_station
store = open_station(sys.argv[1])
n = 0
while True:
    n += 1
    lot = receive(store, "ibuprofen-200mg-tablet", 1 + n % 7, "2030-01-01", f"C{n}")
    sys.stdout.write(f"{lot}\\n")
    sys.stdout.flush()
"""


@pytest.mark.slow
def test_committed_receives_survive_sigkill(station: Store) -> None:
    data_dir = station.data_dir()
    station.close()
    rng = random.Random(7)
    reported: list[int] = []
    for _ in range(12):
        child = subprocess.Popen(
            [sys.executable, "-c", CHILD, str(data_dir)],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        time.sleep(rng.uniform(0.3, 0.8))
        child.send_signal(signal.SIGKILL)
        out, err = child.communicate()
        assert child.returncode == -signal.SIGKILL, err
        reported.extend(int(line) for line in out.split())
    assert len(reported) > 12
    store = open_station(data_dir)
    held = {lot.id for lot in ledger.lots(store.conn, in_stock=False)}
    assert set(reported) <= held
    assert verify(store) == []
    store.close()
