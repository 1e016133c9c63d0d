"""A stolen station.db or backup gives no phone number back (issue 12), tried as an attacker.

The attacker has every file the app writes except the key file: the live
database and every backup. For each resident's number they know the
realistic prefix and, from the mask, the last four digits, so 10,000
candidates remain; they try each one as an HMAC under every blob and short
text in the file, against every hash-shaped text in the file, and try every
blob as an AES-GCM key for every ciphertext. With the key file the same
search finds every number, which shows the search itself works.
"""

from __future__ import annotations

import hmac
import itertools
import re
import shutil
import sqlite3
from datetime import timedelta
from pathlib import Path

import pytest
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from kiosk import keyfile
from kiosk import phone as phones
from kiosk.db import contact, ledger, maintenance
from kiosk.db.requests import create
from kiosk.db.station import open_station
from kiosk.db.store import Store
from kiosk.errors import NotFound

IBU = "ibuprofen-200mg-tablet"
KIT = "antigen-test-kit"
PHONES = ("13812345678", "13998765432", "+86 137 0000 2468", "(0755) 8123-4567")


def values(paths: list[Path]) -> tuple[set[bytes], set[str]]:
    """Every blob and every text of every table of the database files.

    One search over the union of all files is at least as strong as one per
    file: it also tries a key from one backup on the hashes of another.
    """
    blobs: set[bytes] = set()
    texts: set[str] = set()
    for path in paths:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            tables = [r[0] for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type='table'")]
            for table in tables:
                for row in conn.execute(f'SELECT * FROM "{table}"'):
                    for value in row:
                        if isinstance(value, bytes):
                            blobs.add(value)
                        elif isinstance(value, str):
                            texts.add(value)
        finally:
            conn.close()
    return blobs, texts


def guesses(number: str) -> list[bytes]:
    """What fits the mask: a realistic known prefix (for a mobile, the carrier block such as
    1381), 1,000 possible digits after it, then the mask's last 4."""
    digits = phones.normalise(number).lstrip("+")[-11:]
    prefix, tail = digits[:-7], digits[-4:]
    return [f"{prefix}{n:03d}{tail}".encode() for n in range(1000)]


def hmac_recovers(paths: list[Path], extra_keys: list[bytes] | None = None) -> set[str]:
    blobs, texts = values(paths)
    targets = {t for t in texts if len(t) == 64}
    keys = [*blobs, *(t.encode() for t in texts if len(t) <= 256), *(extra_keys or [])]
    found = set()
    for number in PHONES:
        candidates = guesses(number)
        for key in keys:
            if any(hmac.digest(key, guess, "sha256").hex() in targets for guess in candidates):
                found.add(number)
                break
    return found


def aes_recovers(paths: list[Path], extra_keys: list[bytes] | None = None) -> set[str]:
    blobs, texts = values(paths)
    keys = [b for b in [*blobs, *(extra_keys or [])] if len(b) in (16, 24, 32)]
    nonces = [b for b in blobs if len(b) == 12]
    ciphers = [b for b in blobs if len(b) > 16]
    # the attacker knows the app's associated data: the file holds everything it is made of
    codes = [t for t in texts if re.fullmatch(r"[A-Z0-9]{2,12}", t)]
    file_ids = [t for t in texts if re.fullmatch(r"[0-9a-f]{32}", t)]
    aads = [b""] + [f"medshare-phone|{code}|{file_id}|request {i}".encode()
                    for code in codes for file_id in file_ids for i in range(1, 20)]
    plain = set()
    for key in keys:
        aes = AESGCM(key)
        for nonce, cipher, aad in itertools.product(nonces, ciphers, aads):
            try:
                plain.add(aes.decrypt(nonce, cipher, aad).decode())
            except (InvalidTag, UnicodeDecodeError):
                continue
    normalised = {phones.normalise(n): n for n in PHONES}
    return {normalised[p] for p in plain if p in normalised}


def every_file(store: Store) -> list[Path]:
    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return [store.path, *sorted((store.data_dir() / "backups").glob("*.db")),
            *sorted(store.data_dir().glob("*.bak"))]


def key_material(store: Store) -> list[bytes]:
    keys = keyfile.load(contact.key_path(store))
    return [k.mac for k in keys.keys] + [k.aes for k in keys.keys]


@pytest.fixture
def busy(station: Store, tmp_path: Path) -> Store:
    """A station with every test phone in requests, slips issued, and backups taken."""
    ledger.receive(station, IBU, 40, "2027-06-01")
    for index, number in enumerate(PHONES):
        create(station, IBU if index % 2 else KIT, 1, phone=number)
        create(station, IBU, 1, phone=number)  # a repeat: flagged, the hash matters
    maintenance.back_up(station)
    station.clock.advance(timedelta(days=8))  # into the next key period
    create(station, IBU, 1, phone=PHONES[0])
    maintenance.back_up(station)
    maintenance.back_up(station, tmp_path / "copy-for-the-office.db")
    return station


def test_no_phone_is_recovered_from_the_database_or_any_backup_without_the_key_file(
        busy: Store, tmp_path: Path) -> None:
    files = [*every_file(busy), tmp_path / "copy-for-the-office.db"]
    assert len(files) >= 4
    for path in files:
        raw = path.read_bytes()
        for number in PHONES:
            digits = phones.normalise(number).lstrip("+")
            assert digits.encode() not in raw and digits[:-4].encode() not in raw
    assert hmac_recovers(files) == set()
    assert aes_recovers(files) == set()
    # the same search with the key file in hand finds every number: the search works
    assert hmac_recovers([busy.path], key_material(busy)) == set(PHONES)
    assert aes_recovers([busy.path], key_material(busy)) == set(PHONES)


def test_after_the_retention_period_no_backup_yields_a_number_even_with_the_key_file(
        busy: Store, tmp_path: Path) -> None:
    old_backups = every_file(busy)[1:]
    assert aes_recovers(old_backups[:1], key_material(busy)) == set(PHONES)
    retention = busy.int_setting("retention_days")
    busy.clock.advance(timedelta(days=retention + 8))
    done = maintenance.housekeeping(busy)
    assert done.purged_phones == 2 * len(PHONES) + 1 and done.destroyed_keys == 2
    assert keyfile.load(contact.key_path(busy)).keys == ()
    today = key_material(busy)
    files = [*every_file(busy), tmp_path / "copy-for-the-office.db"]
    assert hmac_recovers(files, today) == set()
    assert aes_recovers(files, today) == set()
    # an old backup restored beside today's key file: Call says the number is gone
    elsewhere = tmp_path / "restored"
    elsewhere.mkdir()
    maintenance.restore(elsewhere, old_backups[0])
    shutil.copy2(contact.key_path(busy), elsewhere / keyfile.KEYS_FILENAME)
    restored = open_station(elsewhere)
    restored.clock = busy.clock
    try:
        with pytest.raises(NotFound, match="erased after the retention period"):
            contact.reveal(restored, 1, "ann")
    finally:
        restored.close()


def test_a_number_is_erased_from_free_pages_too(station: Store) -> None:
    number = "13812345678"
    create(station, IBU, 1, phone=number)
    station.clock.advance(timedelta(days=station.int_setting("retention_days") + 8))
    maintenance.housekeeping(station)
    station.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    assert station.conn.execute("PRAGMA secure_delete").fetchone()[0] == 1
    assert b"*******5678" not in station.path.read_bytes()
