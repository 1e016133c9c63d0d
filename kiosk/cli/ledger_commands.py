"""Ledger commands: init, catalog, receive, request, allocate, stock, requests,
expire, db, export, import."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from kiosk.cli import data_dir_of, open_store, print_json, staff_of, training_mark
from kiosk.db.store import Store


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    def command(name: str, help_text: str, parent: Any = subparsers) -> argparse.ArgumentParser:
        parser: argparse.ArgumentParser = parent.add_parser(
            name, help=help_text, description=help_text, parents=[common]
        )
        return parser

    def json_flag(parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--json", action="store_true", help="print one JSON document")

    p = command("init", "set up a new station in the data folder")
    p.add_argument("--station-code", required=True, metavar="CODE")
    p.add_argument("--name", required=True)
    p.add_argument("--address", default="")
    p.add_argument("--lat", default=None)
    p.add_argument("--lon", default=None)
    p.add_argument("--hours", "--opening-hours", dest="opening_hours", default="",
                   metavar="TEXT", help='opening hours, e.g. "Mon-Sat 9:00-17:00" or '
                   '"Mon-Fri 9-12, 14-18; Sat 9-12" (周一至周六 9:00-17:00)')
    p.add_argument("--timezone", default=None, metavar="ZONE",
                   help="the station's IANA time zone, e.g. Asia/Shanghai "
                   "(default: this computer's)")
    p.add_argument("--training", action="store_true",
                   help="a training station for practice: honours MEDSHARE_NOW, says TRAINING "
                        "on every screen, receipt and slip; no real station accepts its slips")
    p.set_defaults(handler=cmd_init)

    catalog = command("catalog", "the items this station can take in")
    catalog_sub = catalog.add_subparsers(dest="catalog_command", metavar="list", required=True)
    p = command("list", "list catalog items", catalog_sub)
    json_flag(p)
    p.set_defaults(handler=cmd_catalog_list)

    p = command("receive", "take in a drop-off; prints the new lot id")
    p.add_argument("item")
    p.add_argument("units")
    p.add_argument("--expiry", required=True, metavar="YYYY-MM-DD")
    p.add_argument("--lot", default="")
    p.add_argument("--source", default="donation",
                   help="donation, pharmacy, hospital, clinic, online or other")
    p.set_defaults(handler=cmd_receive)

    p = command("request", "log a request; prints the request id")
    p.add_argument("item")
    p.add_argument("units")
    p.add_argument("--priority", default="none",
                   help="child, elderly, pregnant, chronic or none")
    p.add_argument("--household", default="1")
    p.add_argument("--phone", default=None)
    p.add_argument("--language", default="en", help="en or zh: the slip's language")
    p.add_argument("--override-reason", default=None, metavar="TEXT",
                   help="log a request the catalog's safety facts refuse for its priority "
                        "group (e.g. aspirin for a child), with the staff's reason; written to "
                        "the audit with --staff")
    p.set_defaults(handler=cmd_request)

    p = command("allocate", "reserve stock first-expiry-first-out and issue slips")
    p.add_argument("request_id", nargs="?", default=None, metavar="REQUEST_ID")
    json_flag(p)
    p.set_defaults(handler=cmd_allocate)

    p = command("release", "give a request's reserved units back to stock")
    p.add_argument("request_id", metavar="REQUEST_ID")
    p.add_argument("--cancel", action="store_true", help="cancel the request as well")
    p.set_defaults(handler=cmd_release)

    p = command("stock", "units on hand, reserved and available per item")
    json_flag(p)
    p.set_defaults(handler=cmd_stock)

    p = command("requests", "the queue, in serving order")
    json_flag(p)
    p.set_defaults(handler=cmd_requests)

    p = command("expire", "write off expired lots")
    p.set_defaults(handler=cmd_expire)

    db = command("db", "verify, back up or restore the station database")
    db_sub = db.add_subparsers(dest="db_command", metavar="verify|backup|restore", required=True)
    p = command("verify", "check the file, the movement chain and every balance", db_sub)
    p.set_defaults(handler=cmd_db_verify)
    p = command("backup", "copy the database (online backup)", db_sub)
    p.add_argument("file", nargs="?", default=None, metavar="FILE")
    p.set_defaults(handler=cmd_db_backup)
    p = command("restore", "replace the database with a verified backup", db_sub)
    p.add_argument("file", metavar="FILE")
    p.add_argument("--other-station", action="store_true",
                   help="the backup is of another station: this computer becomes that "
                        "station, with the backup's own enrolment")
    p.add_argument("--replace-newer", action="store_true",
                   help="replace a station file written by a newer version of MedShare")
    p.set_defaults(handler=cmd_db_restore)

    p = command("housekeeping", "close overdue slips, erase old phone numbers, back up if "
                "due (the desk does this itself; run it from a timer on a kiosk-only machine)")
    p.set_defaults(handler=cmd_housekeeping)

    p = command("export", "write stock, movements or requests to CSV")
    p.add_argument("what", choices=("stock", "movements", "requests"))
    p.add_argument("--csv", required=True, metavar="FILE")
    p.set_defaults(handler=cmd_export)

    imp = command("import", "import lots from CSV (all rows or none)")
    imp_sub = imp.add_subparsers(dest="import_command", metavar="lots", required=True)
    p = command("lots", "columns: item,units,expiry[,lot,source]", imp_sub)
    p.add_argument("file", metavar="FILE.csv")
    p.set_defaults(handler=cmd_import_lots)


def _request_id(text: str) -> int:
    from kiosk.errors import InvalidInput
    from kiosk.rules import TOO_LARGE, ascii_whole

    number = ascii_whole(text)
    if number is None or not 1 <= number < TOO_LARGE:
        raise InvalidInput(f"'{str(text).strip()[:24]}' is not a request number.")
    return number


def cmd_init(args: argparse.Namespace) -> int:
    from kiosk.db.station import init

    store = init(data_dir_of(args), args.station_code, args.name, args.address, args.lat,
                 args.lon, args.opening_hours, training=args.training, timezone=args.timezone)
    kind = "Training station" if args.training else "Station"
    print(f"{kind} {args.station_code.upper()} is ready in {store.data_dir()} "
          f"(time zone {store.zone_name}).")
    store.close()
    return 0


def cmd_catalog_list(args: argparse.Namespace) -> int:
    from kiosk.catalog import load_bundled_catalog
    from kiosk.paths import DB_FILENAME

    # The catalog can be read without a station: a fresh machine can look first.
    directory = data_dir_of(args)
    if (directory / DB_FILENAME).exists():
        store = open_store(args)
        catalog = store.catalog
        limits = {item.id: _limit(store, item.id) for item in catalog.items}
        store.close()
    else:
        catalog = load_bundled_catalog()
        limits = {item.id: item.limit_per_7_days for item in catalog.items}
    items = [item for item in catalog.items if item.active]
    if args.json:
        print_json({"version": catalog.version,
                    "items": [{**item.to_json(), "limit_per_7_days": limits[item.id]}
                              for item in items]})
        return 0
    width = max(len(item.id) for item in items)
    for item in items:
        print(f"{item.id:<{width}}  {item.name_en} / {item.name_zh}  "
              f"(limit {item.units_text(limits[item.id])} per 7 days)")
    return 0


def _limit(store: Store, item_id: str) -> int:
    from kiosk.db.requests import item_limit

    return item_limit(store, item_id)


def cmd_receive(args: argparse.Namespace) -> int:
    from kiosk.db.ledger import receive

    store = open_store(args)
    lot_id = receive(store, args.item, args.units, args.expiry, args.lot, args.source,
                     staff=staff_of(args))
    print(lot_id)
    return 0


def cmd_request(args: argparse.Namespace) -> int:
    from kiosk.db.requests import create
    from kiosk.errors import InvalidInput
    from kiosk.safety import SafetyConflict

    store = open_store(args)
    try:
        request = create(store, args.item, args.units, priority=args.priority,
                         household=args.household, phone=args.phone, language=args.language,
                         override_reason=args.override_reason, staff=staff_of(args))
    except SafetyConflict as refused:
        raise InvalidInput(f"{refused} To log it anyway, staff give --override-reason TEXT "
                           "(it is written to the audit).") from None
    print(request.id)
    if request.flag:
        sys.stderr.write(f"medshare: note: request {request.id} is flagged: {request.flag}.\n")
    return 0


def cmd_allocate(args: argparse.Namespace) -> int:
    from kiosk.db.allocation import allocate

    store = open_store(args)
    request_id = None if args.request_id is None else _request_id(args.request_id)
    made = allocate(store, request_id, staff=staff_of(args))
    if args.json:
        extra = {"training": True} if store.training else {}
        print_json([{**allocation.to_json(), **extra} for allocation in made])
        return 0
    if not made:
        print("Nothing to match: no open request can be filled from stock.")
    for allocation in made:
        lots = ", ".join(f"lot {p.lot_id} x{p.units} (exp {p.expiry})" for p in allocation.picks)
        slip = allocation.extra.get("slip")
        token = allocation.extra.get("token")
        suffix = f"  slip {slip} {token}" if slip else ""
        print(f"{training_mark(store)}request {allocation.request_id}: "
              f"{allocation.units} {allocation.item_id} "
              f"from {lots}{suffix}")
    return 0


def cmd_release(args: argparse.Namespace) -> int:
    from kiosk.db.requests import release

    store = open_store(args)
    release(store, _request_id(args.request_id), staff_of(args), cancel=args.cancel)
    return 0


def cmd_stock(args: argparse.Namespace) -> int:
    from kiosk.db.ledger import stock

    store = open_store(args)
    lines = stock(store)
    if args.json:
        print_json([line.to_json() for line in lines])
        return 0
    if not lines:
        print("No stock.")
    for line in lines:
        expiry = line.earliest_expiry.isoformat() if line.earliest_expiry else "-"
        extra = f"  EXPIRED ON SHELF: {line.expired}" if line.expired else ""
        print(f"{line.item_id:<36} on hand {line.on_hand:>5}  reserved {line.reserved:>5}  "
              f"available {line.available:>5}  earliest expiry {expiry}{extra}")
    return 0


def cmd_requests(args: argparse.Namespace) -> int:
    from kiosk.db.requests import queue

    store = open_store(args)
    with store.read() as conn:
        requests = queue(conn)
    if args.json:
        print_json([request.to_json() for request in requests])
        return 0
    if not requests:
        print("The queue is empty.")
    for r in requests:
        flag = f"  FLAG: {r.flag}" if r.flag else ""
        phone = f"  phone {r.phone_masked}" if r.phone_masked else ""
        print(f"#{r.id:<5} {r.status:<9} {r.priority:<9} {r.units:>4} x {r.item_id:<34} "
              f"household {r.household}{phone}{flag}")
    return 0


def cmd_expire(args: argparse.Namespace) -> int:
    from kiosk.db.ledger import expire

    store = open_store(args)
    written_off = expire(store, staff=staff_of(args))
    if not written_off:
        print("No expired stock on the shelf.")
    for lot_id, units in written_off:
        print(f"lot {lot_id}: {units} units written off as expired")
    return 0


def cmd_db_verify(args: argparse.Namespace) -> int:
    from kiosk.db.history import chain_head
    from kiosk.db.verify import verify
    from kiosk.sync.anchorcheck import check_with_central

    store = open_store(args)
    found = verify(store)
    central = check_with_central(store) if not found else None
    if central is not None:
        found += central.problems
    if found:
        for problem in found:
            sys.stderr.write(f"medshare: {problem}\n")
        return 1
    count = store.conn.execute("SELECT count(*) FROM movement").fetchone()[0]
    print(f"OK: the database file, {count} movements and every balance check out.")
    # the head on a printed or saved report is an anchor too
    print(f"Ledger head: {chain_head(store.conn).short}; {central.note if central else ''}.")
    if store.training:
        print("This is a TRAINING station: it honours MEDSHARE_NOW, and no real station "
              "accepts its slips.")
    return 0


def cmd_db_backup(args: argparse.Namespace) -> int:
    from kiosk.db.backup import backup

    store = open_store(args)
    from kiosk.db.history import file_head

    written = backup(store, Path(args.file) if args.file else None)
    print(written)
    head = file_head(written)  # the head of the file written: a saved backup is an anchor too
    if head is not None:
        print(f"Ledger head: {head.short}.")
    return 0


def cmd_db_restore(args: argparse.Namespace) -> int:
    # the same restore as the manager console: verified first, and the sync
    # outbox numbering carried over so central keeps accepting new changes
    from kiosk.db.maintenance import restore

    done = restore(data_dir_of(args), Path(args.file), other_station=args.other_station,
                   replace_newer=args.replace_newer)
    print(f"Restored {args.file} into {done.live}: this is now the station {done.station}.")
    if done.replaced is not None:
        replaced = f" (the station {done.replaced_station})" if done.replaced_station else ""
        print(f"The replaced file{replaced} is kept as {done.replaced}.")
    print(done.enrolment)
    return 0


def cmd_housekeeping(args: argparse.Namespace) -> int:
    from kiosk.db.history import file_head
    from kiosk.db.maintenance import housekeeping

    done = housekeeping(open_store(args), staff=staff_of(args))
    backup = f"backup written to {done.backup.path}" if done.backup else "no backup due"
    head = file_head(done.backup.path) if done.backup else None
    if head is not None:
        backup += f" (ledger head: {head.short})"
    print(f"{len(done.expired_slips)} overdue slips closed, {done.purged_phones} old phone "
          f"numbers erased, {done.destroyed_keys} old phone keys destroyed, {backup}.")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from kiosk.db.csvio import export

    store = open_store(args)
    count = export(store, args.what, Path(args.csv))
    print(f"{count} rows written to {args.csv}")
    return 0


def cmd_import_lots(args: argparse.Namespace) -> int:
    from kiosk.db.csvio import import_lots

    store = open_store(args)
    lot_ids = import_lots(store, Path(args.file), staff=staff_of(args))
    print(f"{len(lot_ids)} lots imported.")
    return 0
