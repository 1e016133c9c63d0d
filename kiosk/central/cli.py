"""`medshare-central`: run the central endpoint and enrol stations.

    medshare-central serve [--db URL] [--host H] [--port P] [--workers N]
    medshare-central stations add NAME [--json] [--qr FILE.png] [--url URL] [--valid-days D]
    medshare-central stations code STATION_ID [--json] [--qr FILE.png] [--url URL] [--valid-days D]
    medshare-central stations list [--json]
    medshare-central stations revoke STATION_ID

Every command takes `--db URL` (or MEDSHARE_CENTRAL_DB): `sqlite:///path/central.db`
(default: central.db in the user data dir for 'medshare-central') or
`postgresql://user@host:port/dbname`. Failure: one line on stderr, non-zero exit.
"""

from __future__ import annotations

import argparse
import errno
import json
import os
import socket
import struct
import sys
import zlib
from collections.abc import Callable, Sequence
from datetime import timedelta
from pathlib import Path
from typing import Any, NoReturn

from kiosk.errors import MedShareError
from kiosk.rules import ascii_decimal, ascii_whole

PROG = "medshare-central"
DB_ENV = "MEDSHARE_CENTRAL_DB"
DEFAULT_PORT = 8470
MAX_WORKERS = 64


class UsageError(MedShareError):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{message} (see {PROG} --help)")


def default_db_url() -> str:
    from platformdirs import user_data_dir

    path = Path(user_data_dir(PROG, appauthor=False)) / "central.db"
    return f"sqlite://{path.as_posix()}" if path.is_absolute() else f"sqlite:///{path}"


def resolve_db(explicit: str | None) -> str:
    return explicit or os.environ.get(DB_ENV) or default_db_url()


def _whole(low: int, high: int) -> Callable[[str], int]:
    """An argparse type: ASCII digits only (int() would take '١٠'), within low..high."""
    def parse(text: str) -> int:
        number = ascii_whole(text)
        if number is None or not low <= number <= high:
            raise argparse.ArgumentTypeError(
                f"must be a whole number from {low} to {high}, not {text[:24]!r}")
        return number
    return parse


def _days(text: str) -> float:
    number = ascii_decimal(text)
    if number is None or not 0 < number <= 365:
        raise argparse.ArgumentTypeError(
            f"must be a number of days more than 0 and at most 365, not {text[:24]!r}")
    return number


def _parser() -> _Parser:
    common = _Parser(add_help=False)
    common.add_argument("--db", default=argparse.SUPPRESS, metavar="URL",
                        help=f"database URL (default: ${DB_ENV}, else SQLite in the data dir)")
    parser = _Parser(prog=PROG, parents=[common],
                     description="The MedShare central endpoint.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    serve = sub.add_parser("serve", parents=[common], help="run the HTTP API")
    serve.add_argument("--host", default="127.0.0.1")
    # 0 passes here and is refused by _check_port, after the database is checked
    serve.add_argument("--port", type=_whole(0, 65535), default=DEFAULT_PORT)
    serve.add_argument("--workers", type=_whole(1, MAX_WORKERS), default=1,
                       help="server processes (use PostgreSQL for more than one)")
    serve.add_argument("--log-level", default="info",
                       choices=["critical", "error", "warning", "info", "debug"])
    serve.add_argument("--no-access-log", action="store_true")

    stations = sub.add_parser("stations", parents=[common], help="enrol and list stations")
    ssub = stations.add_subparsers(dest="action", metavar="ACTION", parser_class=_Parser)
    add = ssub.add_parser("add", parents=[common],
                          help="register a station and print its one-time enrolment code")
    add.add_argument("name")
    code = ssub.add_parser("code", parents=[common],
                           help="a new one-time enrolment code for an existing station")
    code.add_argument("station_id")
    for p in (add, code):
        p.add_argument("--json", action="store_true", help="print one JSON document")
        p.add_argument("--qr", metavar="FILE.png", help="also write the code as a QR image")
        p.add_argument("--url", help="the server URL stations use; put into the QR code")
        p.add_argument("--valid-days", type=_days, default=7.0,
                       help="how long the code can be used (default 7 days)")
    revoke = ssub.add_parser("revoke", parents=[common],
                             help="invalidate a station's token (a lost or stolen device); "
                                  "'stations code' lets it enrol again")
    revoke.add_argument("station_id")
    lst = ssub.add_parser("list", parents=[common], help="list stations")
    lst.add_argument("--json", action="store_true")
    sub.add_parser("new-epoch", parents=[common],
                   help="after restoring or rebuilding the database: start a new feed epoch, "
                        "so every station sends again what this copy lacks and pulls anew")
    catalog = sub.add_parser("catalog", parents=[common],
                             help="items stations may list besides the bundled catalog")
    csub = catalog.add_subparsers(dest="action", metavar="ACTION", parser_class=_Parser)
    cadd = csub.add_parser("add", parents=[common], help="accept listings of these items")
    cadd.add_argument("items", nargs="+", metavar="ITEM")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    try:
        args = _parser().parse_args(argv)
        if args.command == "serve":
            return _serve(args)
        if args.command == "stations" and args.action in ("add", "code"):
            return _issue(args)
        if args.command == "stations" and args.action == "list":
            return _list(args)
        if args.command == "stations" and args.action == "revoke":
            return _revoke(args)
        if args.command == "new-epoch":
            return _new_epoch(args)
        if args.command == "catalog" and args.action == "add":
            return _catalog_add(args)
        raise UsageError(
            f"say what to do: serve, stations add|code|list|revoke, new-epoch, catalog add "
            f"(see {PROG} --help)")
    except MedShareError as exc:
        print(f"{PROG}: {exc}", file=sys.stderr)
        return 2 if isinstance(exc, UsageError) else 1
    except KeyboardInterrupt:
        return 130


def _open(args: argparse.Namespace) -> Any:
    from kiosk.central.storage import open_storage

    storage = open_storage(resolve_db(getattr(args, "db", None)))
    try:
        storage.migrate()
    except BaseException:
        storage.close()
        raise
    return storage


def _new_epoch(args: argparse.Namespace) -> int:
    storage = _open(args)
    try:
        epoch = storage.new_epoch()
    finally:
        storage.close()
    print(f"New feed epoch {epoch}: stations will send again what this database lacks and "
          "pull the whole feed on their next round.")
    return 0


def _catalog_add(args: argparse.Namespace) -> int:
    from kiosk.clock import Clock
    from kiosk.sync.protocol import item_slug

    items = [item_slug(item, "ITEM") for item in args.items]
    storage = _open(args)
    try:
        storage.allow_items(items, Clock().now())
    finally:
        storage.close()
    print(f"Stations may now list: {', '.join(items)}.")
    return 0


def _issue(args: argparse.Namespace) -> int:
    from kiosk.clock import process_clock
    from kiosk.sync.protocol import enrolment_qr_payload

    if not 0 < args.valid_days <= 365:
        raise UsageError("--valid-days must be more than 0 and at most 365")
    storage = _open(args)
    try:
        valid = timedelta(days=args.valid_days)
        now = process_clock().now()
        if args.action == "add":
            issued = storage.add_station(args.name, now, valid)
        else:
            issued = storage.new_code(args.station_id, now, valid)
    finally:
        storage.close()
    payload = enrolment_qr_payload(issued.code, args.url)
    if args.qr:
        write_qr_png(payload, Path(args.qr))
    if args.json:
        print(json.dumps({
            "station_id": issued.station_id,
            "name": issued.name,
            "code": issued.code,
            "expires_at": issued.expires_at,
            "qr_payload": payload,
            "qr_file": args.qr,
        }))
    else:
        print(issued.code)
        print(f"one-time enrolment code for {issued.name!r} (station {issued.station_id}), "
              f"valid until {issued.expires_at[:16].replace('T', ' ')} UTC"
              + (f"; QR code written to {args.qr}" if args.qr else ""))
    return 0


def _revoke(args: argparse.Namespace) -> int:
    storage = _open(args)
    try:
        storage.revoke(args.station_id)
    finally:
        storage.close()
    print(f"station {args.station_id} can no longer sync until it enrols again "
          f"(issue a code with: {PROG} stations code {args.station_id})")
    return 0


def _list(args: argparse.Namespace) -> int:
    storage = _open(args)
    try:
        rows = storage.stations()
    finally:
        storage.close()
    if args.json:
        print(json.dumps([
            {"station_id": r.station_id, "name": r.name, "created_at": r.created_at,
             "enrolled": r.enrolled, "acked_seq": r.acked_seq, "last_push_at": r.last_push_at}
            for r in rows
        ]))
    else:
        for r in rows:
            state = "enrolled" if r.enrolled else "not enrolled"
            print(f"{r.station_id}  {r.name}  ({state}, acked seq {r.acked_seq}, "
                  f"last push {r.last_push_at or 'never'})")
    return 0


def _check_port(host: str, port: int) -> None:
    if not 0 < port < 65536:
        raise UsageError("--port must be between 1 and 65535")
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise MedShareError(f"cannot use host {host!r}: {exc.strerror}") from None
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise MedShareError(f"port {port} on {host} is already in use") from None
            raise MedShareError(f"cannot listen on {host}:{port}: {exc.strerror}") from None


def _serve(args: argparse.Namespace) -> int:
    if args.workers < 1:
        raise UsageError("--workers must be 1 or more")
    url = resolve_db(getattr(args, "db", None))
    _open(args).close()  # fail here, in one line, if the database is unusable
    _check_port(args.host, args.port)
    os.environ[DB_ENV] = url  # the workers open the database named here

    import uvicorn

    from kiosk.central import reuseport
    from kiosk.central.nodelay import HTTP_PROTOCOL

    # several workers: one listening socket each where the OS spreads connections over
    # them (see reuseport.py); elsewhere uvicorn's one shared socket
    run = reuseport.run if args.workers > 1 and reuseport.AVAILABLE else uvicorn.run
    run(
        "kiosk.central.app:app_from_env",
        factory=True,
        host=args.host,
        port=args.port,
        workers=args.workers,
        log_level=args.log_level,
        access_log=not args.no_access_log,
        lifespan="on",
        timeout_graceful_shutdown=10,
        server_header=False,
        # one process: uvicorn's own socket already has TCP_NODELAY; several: see nodelay.py
        http="auto" if args.workers == 1 else HTTP_PROTOCOL,
    )
    return 0


# --- QR code as PNG (no imaging library needed) ---------------------------------------------


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return (struct.pack(">I", len(data)) + kind + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))


def write_qr_png(payload: str, path: Path, scale: int = 8) -> None:
    """Write payload as a black-on-white QR code PNG (8-bit greyscale)."""
    import qrcode
    from qrcode.constants import ERROR_CORRECT_M

    qr = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=4)
    qr.add_data(payload)
    qr.make(fit=True)
    matrix: list[list[bool]] = qr.get_matrix()
    size = len(matrix) * scale
    raw = bytearray()
    for row in matrix:
        line = b"\x00" + b"".join((b"\x00" if dark else b"\xff") * scale for dark in row)
        raw += line * scale
    png = (b"\x89PNG\r\n\x1a\n"
           + _png_chunk(b"IHDR", struct.pack(">IIBBBBB", size, size, 8, 0, 0, 0, 0))
           + _png_chunk(b"IDAT", zlib.compress(bytes(raw), 9))
           + _png_chunk(b"IEND", b""))
    try:
        path.write_bytes(png)
    except OSError as exc:
        raise MedShareError(f"cannot write the QR image {path}: {exc.strerror}") from None


if __name__ == "__main__":
    sys.exit(main())
