"""Residents' phone numbers: encrypted for a call back, hashed for limits, shredded on time.

The keys come from the key file (kiosk/keyfile.py), never from station.db:
the database holds the ciphertext, the nonce, the id of the period key, the
keyed hash and a mask with the last four digits. The database records a
random key-file id, so a key file from another station (or from a set-up
that was replaced) is refused instead of silently used.

Every function that writes the key file does so inside a station.db write
transaction (BEGIN IMMEDIATE), which serialises the desk, the kiosk and the
command line: two processes never add two different keys for one period.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from kiosk import keyfile
from kiosk import phone as phones
from kiosk.db import events, migrations
from kiosk.db.store import Store
from kiosk.errors import InvalidInput, KeyFileError, NotFound
from kiosk.keyfile import KeyFile


def key_path(store: Store) -> Path:
    return keyfile.path_in(store.data_dir())


def _binding(conn: sqlite3.Connection) -> tuple[str, str | None]:
    row = conn.execute("SELECT code, keyfile_id FROM station WHERE id = 1").fetchone()
    return str(row[0]), None if row[1] is None else str(row[1])


def _check(path: Path, keys: KeyFile, code: str, file_id: str | None) -> None:
    if keys.station_code != code:
        raise KeyFileError(
            f"The phone key file {path} belongs to station {keys.station_code}, not to this "
            f"station ({code}). Nothing was changed. Put this station's own station.keys in "
            "the data folder, or start a new key file with 'medshare keys new --accept-loss' "
            "(the phone numbers and limit history of the retention period are then lost)."
        )
    if file_id is not None and keys.file_id != file_id:
        raise KeyFileError(
            f"The phone key file {path} is from another set-up of station {code} and does "
            "not fit this database. Nothing was changed. Put the station.keys that was beside "
            "this database in the data folder, or start a new key file with 'medshare keys "
            "new --accept-loss' (the phone numbers and limit history of the retention period "
            "are then lost)."
        )


def bound_keys(store: Store, conn: sqlite3.Connection) -> KeyFile:
    """This station's key file, checked against the database; KeyFileError otherwise."""
    code, file_id = _binding(conn)
    path = key_path(store)
    keys = keyfile.load(path)
    _check(path, keys, code, file_id)
    return keys


def keys_for_writing(store: Store, conn: sqlite3.Connection) -> KeyFile:
    """The bound key file inside a write transaction, created for an upgraded station."""
    code, file_id = _binding(conn)
    path = key_path(store)
    if file_id is None:
        # a station from before key files: nothing was encrypted yet, so start one
        # (or take one this station wrote just before a crash)
        keys = keyfile.load(path) if path.exists() else keyfile.new_file(code)
        _check(path, keys, code, None)
        if not path.exists():
            keyfile.save(path, keys)
        conn.execute("UPDATE station SET keyfile_id = ? WHERE id = 1", (keys.file_id,))
        return keys
    keys = keyfile.load(path)
    _check(path, keys, code, file_id)
    return keys


def create_for_new_station(store: Store, conn: sqlite3.Connection, code: str) -> None:
    """A brand-new station's key file (init), bound to its database."""
    path = key_path(store)
    if path.exists():
        raise KeyFileError(
            f"{path.parent} already holds a phone key file; move it away first, or restore "
            "the station it belongs to with 'medshare db restore FILE'."
        )
    keys = keyfile.new_file(code)
    keyfile.save(path, keys)
    conn.execute("UPDATE station SET keyfile_id = ? WHERE id = 1", (keys.file_id,))


def hashes(keys: KeyFile, number: str) -> list[str]:
    """The number's limit hash under every live key: the 7-day window spans two periods."""
    return [phones.keyed_hash(number, key.mac) for key in keys.keys]


def _aad(keys: KeyFile, request_id: int) -> bytes:
    # ties a ciphertext to its request: copied onto another row it does not decrypt
    return f"medshare-phone|{keys.station_code}|{keys.file_id}|request {request_id}".encode()


@dataclass(frozen=True)
class Sealed:
    cipher: bytes
    nonce: bytes
    key_id: str
    phone_hash: str


def seal(store: Store, conn: sqlite3.Connection, keys: KeyFile, number: str,
         request_id: int) -> Sealed:
    """Encrypt a number under the current period's key (added to the key file if new)."""
    updated, key, added = keyfile.with_key_for(keys, store.clock.now())
    if added:
        keyfile.save(key_path(store), updated)
    nonce = secrets.token_bytes(12)
    cipher = AESGCM(key.aes).encrypt(nonce, number.encode("ascii"), _aad(updated, request_id))
    return Sealed(cipher, nonce, key.id, phones.keyed_hash(number, key.mac))


# -- calling a resident back --------------------------------------------------------------


def reveal(store: Store, request_id: int, staff: str) -> str:
    """The full number of a request, for a call; who and when go into the audit."""
    staff = str(staff).strip()
    if not staff:
        raise InvalidInput("Say who is calling (a staff name); it goes into the audit.")
    with store.write() as conn:
        row = conn.execute(
            "SELECT phone_masked, phone_cipher, phone_nonce, phone_key_id FROM request "
            "WHERE id = ?", (request_id,)).fetchone()
        if row is None:
            raise NotFound(f"There is no request number {request_id}.")
        if row["phone_cipher"] is None:
            if row["phone_masked"] is None:
                raise NotFound(
                    f"Request {request_id} has no phone number: none was given, or it was "
                    "erased after the retention period.")
            raise NotFound(
                f"The phone number of request {request_id} was not kept for calling: it was "
                "given before this station kept numbers, or the key file was replaced.")
        keys = bound_keys(store, conn)
        key = keys.key(str(row["phone_key_id"]))
        if key is None:
            raise NotFound(
                f"The phone number of request {request_id} was erased after the retention "
                "period; it can no longer be shown.")
        try:
            plain = AESGCM(key.aes).decrypt(bytes(row["phone_nonce"]), bytes(row["phone_cipher"]),
                                            _aad(keys, request_id))
        except InvalidTag:
            raise KeyFileError(
                f"The phone number of request {request_id} does not fit the key file "
                f"{key_path(store)}; nothing was shown.") from None
        events.record(conn, store.now_iso(), staff, "phone_revealed", request_id)
    return plain.decode("ascii")


# -- crypto-shredding ---------------------------------------------------------------------


def destroy_expired_keys(store: Store, cutoff: datetime) -> int:
    """Delete every key whose numbers are all past retention; how many went.

    Housekeeping erases the rows first; the key goes once the last number it
    encrypted is older than the retention period, which is what makes those
    numbers unreadable in every backup too. `cutoff` is the purge's boundary
    (kiosk.db.requests.phone_cutoff), so the two never disagree. Without a
    usable key file there is nothing to destroy (and nothing to read either).
    """
    with store.write() as conn:
        try:
            keys = bound_keys(store, conn)
        except KeyFileError:
            return 0
        kept = keyfile.without_expired(keys, cutoff)
        gone = len(keys.keys) - len(kept.keys)
        if gone:
            keyfile.save(key_path(store), kept)
        _shred_set_aside(store, cutoff)
        return gone


def _shred_set_aside(store: Store, cutoff: datetime) -> None:
    """The same for key files left beside the live one: those 'keys new' set aside, and
    one a crash left half-saved. Their keys open backups too, so they must not outlive
    the retention period either (inside the write transaction: no save is under way)."""
    path = key_path(store)
    for stale in sorted(path.parent.glob(f"{path.name}.*.new")):
        with contextlib.suppress(OSError):
            stale.unlink()
    for aside in sorted(path.parent.glob(f"{path.name}.replaced-*")):
        try:
            keys = keyfile.load(aside)
        except KeyFileError:
            continue  # not a key file we can read: nothing in it we could use either
        kept = keyfile.without_expired(keys, cutoff)
        if not kept.keys:
            with contextlib.suppress(OSError):
                aside.unlink()
        elif len(kept.keys) != len(keys.keys):
            with contextlib.suppress(KeyFileError):
                keyfile.save(aside, kept)


def scrub_old_backups(store: Store) -> int:
    """Wipe the old in-file hash key, its hashes and long masks from older files here.

    Backups (and the copies kept by an upgrade or a restore) made before
    m008_contact hold the station's old phone key beside the hashes it made,
    which together give every number back. Restoring such a file drops them
    anyway (the migration does), so wiping them now loses nothing; the rest
    of the file is left as it was. Returns how many files were wiped.
    """
    before = migrations.version_of("m008_contact")
    folder = store.data_dir()
    candidates = [*sorted((folder / "backups").glob("station-*.db")),
                  *sorted(folder.glob("station.db.before-v*.bak")),
                  *(p for p in sorted(folder.glob("station.db.replaced-*"))
                    if not p.name.endswith(("-wal", "-shm")))]
    wiped = 0
    for path in candidates:
        try:
            wiped += _scrub(path, before)
        except sqlite3.Error:
            continue  # not a database we can change: leave it alone
    return wiped


def _scrub(path: Path, before: int) -> int:
    conn = sqlite3.connect(path, isolation_level=None, timeout=1.0)
    try:
        version = int(conn.execute("PRAGMA user_version").fetchone()[0])
        if not 0 < version < before:
            return 0
        dirty = conn.execute(
            "SELECT (SELECT count(*) FROM station WHERE phone_key != zeroblob(length(phone_key))) "
            "+ (SELECT count(*) FROM request WHERE phone_hash IS NOT NULL "
            "OR phone_masked NOT LIKE '*******%')").fetchone()[0]
        if not dirty:
            return 0
        conn.execute("PRAGMA secure_delete = ON")
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("UPDATE station SET phone_key = zeroblob(32)")
        conn.execute("UPDATE request SET phone_hash = NULL, phone_masked = '*******' || "
                     "substr(phone_masked, -4) WHERE phone_masked IS NOT NULL")
        conn.execute("UPDATE request SET phone_hash = NULL")
        conn.execute("COMMIT")
        return 1
    finally:
        conn.close()


LOSS_WARNING = (
    "A new key file makes every phone number kept now unreadable, so staff cannot call "
    "those residents back, and the 7-day limits and repeat flags forget what those numbers "
    "asked for. Nothing else is lost (stock, requests, slips and the ledger stay). If the old "
    "station.keys still exists (for example on the old computer), copy it into the data "
    "folder instead. To go ahead, run 'medshare keys new --accept-loss'."
)


@dataclass(frozen=True)
class NewKeyFile:
    lost: int  # requests whose number (and limit hash) can no longer be used
    kept_aside: Path | None  # the file it replaced, if there was one


def start_new_key_file(store: Store, *, accept_loss: bool) -> NewKeyFile:
    """Replace a lost, damaged or foreign key file with a new, empty one."""
    if not accept_loss:
        raise InvalidInput(LOSS_WARNING)
    path = key_path(store)
    with store.write() as conn:
        code, _ = _binding(conn)
        lost = int(conn.execute(
            "SELECT count(*) FROM request WHERE phone_cipher IS NOT NULL "
            "OR phone_hash IS NOT NULL").fetchone()[0])
        conn.execute("UPDATE request SET phone_cipher = NULL, phone_nonce = NULL, "
                     "phone_key_id = NULL, phone_hash = NULL "
                     "WHERE phone_cipher IS NOT NULL OR phone_hash IS NOT NULL")
        aside: Path | None = None
        if path.exists() or path.is_symlink():
            # never overwrite a file someone may still need (another station's, say)
            aside = path.with_name(f"{path.name}.replaced-{secrets.token_hex(4)}")
            try:
                os.replace(path, aside)
            except OSError:
                aside = None
        keys = keyfile.new_file(code)
        keyfile.save(path, keys)
        conn.execute("UPDATE station SET keyfile_id = ? WHERE id = 1", (keys.file_id,))
    return NewKeyFile(lost, aside)
