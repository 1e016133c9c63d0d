"""The station's zone and structured hours: set at init, changed in Settings, migrated."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kiosk.db import migrations
from kiosk.db import station as station_db
from kiosk.db.store import Store
from kiosk.errors import InvalidInput
from kiosk.hours import parse
from tests.conftest import ledger_dump


def test_init_stores_the_zone_and_the_hours_parsed(tmp_path: Path) -> None:
    store = station_db.init(tmp_path / "s", "SH01", "Shanghai",
                            opening_hours="周一至周六 9:00-17:00", timezone="Asia/Shanghai")
    info = station_db.get(store)
    assert (info.timezone, info.opening_hours) == ("Asia/Shanghai", "Mon-Sat 09:00-17:00")
    assert info.hours == parse("Mon-Sat 9-17") == store.opening_hours
    assert store.zone_name == "Asia/Shanghai"
    # the profile sent to the central endpoint carries the canonical text
    body = json.loads(store.conn.execute(
        "SELECT body FROM outbox WHERE kind = 'profile'").fetchone()[0])
    assert body["opening_hours"] == "Mon-Sat 09:00-17:00" and "timezone" not in body


def test_init_without_a_zone_takes_the_computers(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", "Pacific/Pago_Pago")
    assert station_db.init(tmp_path / "s", "PP01", "Pago").zone_name == "Pacific/Pago_Pago"


@pytest.mark.parametrize(("zone", "hours", "words"), [
    ("Mars/Olympus_Mons", "", "not a time zone"),
    ("Asia/Shanghai", "Mon-Sat 17:00-9:00", "ends before it starts"),
])
def test_init_with_a_bad_zone_or_hours_makes_nothing(tmp_path: Path, zone: str, hours: str,
                                                     words: str) -> None:
    with pytest.raises(InvalidInput, match=words):
        station_db.init(tmp_path / "s", "BAD1", "Bad", opening_hours=hours, timezone=zone)
    assert not (tmp_path / "s").exists()


def test_bad_hours_or_zone_in_settings_change_nothing(station: Store) -> None:
    before = ledger_dump(station.path)
    with pytest.raises(InvalidInput, match="not a day or a time"):
        station_profile(station, opening_hours="whenever")
    with pytest.raises(InvalidInput, match="not a time zone"):
        station_profile(station, opening_hours="Mon-Fri 9-17", timezone="Asia/Beijing")
    with pytest.raises(InvalidInput, match="not a time zone"):
        station_db.set_timezone(station, "UTC+8")
    assert ledger_dump(station.path) == before
    saved = station_profile(station, opening_hours="Mon-Fri 9-12, 14-18",
                            timezone="America/New_York")
    assert (saved.opening_hours, saved.timezone) == (
        "Mon-Fri 09:00-12:00, 14:00-18:00", "America/New_York")
    assert station_profile(station, opening_hours="").hours.is_set is False


def station_profile(store: Store, **changes: object) -> station_db.Station:
    info = station_db.get(store)
    fields: dict[str, object] = {"name": info.name, "address": info.address, "lat": info.lat,
                                 "lon": info.lon, "opening_hours": info.opening_hours}
    return station_db.update_profile(store, **{**fields, **changes})  # type: ignore[arg-type]


def _before_zones(folder: Path, hours: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """A station database as the version before time zones (m009_timezone) wrote it."""
    names = [name for name, _ in migrations._STEPS]
    with monkeypatch.context() as old:
        old.setattr(migrations, "_STEPS", migrations._STEPS[:names.index("m009_timezone")])
        old.setattr(migrations, "LATEST_VERSION", names.index("m009_timezone"))
        store = Store.open(folder, create=True)
        with store.write() as conn:
            conn.execute(
                "INSERT INTO station(id, code, name, opening_hours, slip_secret, phone_key, "
                "created_at) VALUES (1, 'OLD1', 'Old', ?, x'00', x'00', '2026-01-01')", (hours,))
        store.close()


def test_an_older_station_takes_the_computers_zone_and_its_hours_are_read(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", "Asia/Shanghai")
    _before_zones(tmp_path / "old", "周一至周六 9:00-17:00", monkeypatch)
    store = Store.open(tmp_path / "old")
    info = station_db.get(store)
    assert info.timezone == "Asia/Shanghai"
    assert (info.opening_hours, info.hours) == ("Mon-Sat 09:00-17:00", parse("Mon-Sat 9-17"))


def test_free_text_hours_that_do_not_parse_stay_text_and_can_be_saved_again(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _before_zones(tmp_path / "old", "ask at reception", monkeypatch)
    store = Store.open(tmp_path / "old")
    info = station_db.get(store)
    assert (info.opening_hours, info.hours.is_set) == ("ask at reception", False)
    # renaming the station does not force the manager to retype the hours
    renamed = station_profile(store, name="Old Centre")
    assert (renamed.name, renamed.opening_hours) == ("Old Centre", "ask at reception")


def test_restoring_a_backup_from_before_zones_keeps_the_stations_zone(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from kiosk.db import maintenance

    old = tmp_path / "old"
    _before_zones(old, "Mon-Sat 9-17", monkeypatch)
    live = station_db.init(tmp_path / "live", "OLD1", "Old", timezone="Asia/Shanghai")
    live.close()
    maintenance.restore(tmp_path / "live", old / "station.db")  # this computer is in UTC
    store = station_db.open_station(tmp_path / "live")
    assert station_db.get(store).timezone == "Asia/Shanghai"
    assert station_db.get(store).opening_hours == "Mon-Sat 09:00-17:00"
    store.close()
