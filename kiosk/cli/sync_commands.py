"""Sync commands: enrol with the central endpoint, sync now, status, nearby stations."""

from __future__ import annotations

import argparse
from typing import Any

from kiosk.cli import data_dir_of, open_store, print_json


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    sync = subparsers.add_parser("sync", help="talk to the central endpoint", parents=[common])
    sync_sub = sync.add_subparsers(dest="sync_command", metavar="enrol|now|status",
                                   required=True)
    p = sync_sub.add_parser("enrol", help="enrol with a one-time code", parents=[common])
    p.add_argument("url", metavar="URL")
    p.add_argument("code", metavar="CODE")
    p.set_defaults(handler=cmd_enrol)
    p = sync_sub.add_parser("now", help="push and pull once, now", parents=[common])
    p.set_defaults(handler=cmd_now)
    p = sync_sub.add_parser("status", help="online, last sync, outbox length", parents=[common])
    p.add_argument("--json", action="store_true", help="print one JSON document")
    p.set_defaults(handler=cmd_status)

    p = sync_sub.add_parser("run", help="keep syncing in the foreground (a station without "
                            "the desk open, e.g. a kiosk-only machine) until Ctrl+C",
                            parents=[common])
    p.add_argument("--interval", default="60", metavar="SECONDS",
                   help="seconds between rounds while online (default 60)")
    p.set_defaults(handler=cmd_run)

    p = subparsers.add_parser("nearby", help="other stations with an item, nearest first",
                              parents=[common])
    p.add_argument("item", metavar="ITEM")
    p.add_argument("--json", action="store_true", help="print one JSON document")
    p.set_defaults(handler=cmd_nearby)



def cmd_enrol(args: argparse.Namespace) -> int:
    from kiosk.sync.client import SyncClient

    store = open_store(args)
    enrolment = SyncClient(store).enrol(args.url, args.code)
    print(f"Enrolled as station {enrolment.station_id} with {args.url.rstrip('/')}.")
    return 0


def cmd_now(args: argparse.Namespace) -> int:
    from kiosk.sync.client import SyncClient

    store = open_store(args)
    result = SyncClient(store).sync_once()
    print(f"Synced: {result['pushed']} changes sent, {result['pulled']} received.")
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    from kiosk.sync.client import status

    state = status(open_store(args))
    if args.json:
        print_json(state.to_json())
        return 0
    if not state.enrolled:
        print(f"Not enrolled. {state.outbox_length} changes are waiting to be sent.")
        return 0
    print(f"{'online' if state.online else 'offline'} - {state.server_url} as "
          f"{state.station_id}; last sync {state.last_success or 'never'}; "
          f"{state.outbox_length} changes waiting")
    if state.last_error:
        print(f"last error: {state.last_error}")
    return 0


def cmd_run(args: argparse.Namespace) -> int:
    import signal
    import threading

    from kiosk.errors import InvalidInput
    from kiosk.rules import ascii_whole
    from kiosk.sync.client import SyncStatus, status
    from kiosk.sync.worker import SyncWorker

    seconds = ascii_whole(args.interval)
    if seconds is None or not 1 <= seconds <= 86_400:
        raise InvalidInput("--interval must be a whole number of seconds from 1 to 86400.")
    store = open_store(args)
    if not status(store).enrolled:
        raise InvalidInput("This station is not enrolled; run 'medshare sync enrol URL CODE'.")
    store.close()
    last: list[str] = []

    def report(state: SyncStatus) -> None:
        line = (f"{'online' if state.online else 'offline'}; last sync "
                f"{state.last_success or 'never'}; {state.outbox_length} changes waiting"
                + (f"; {state.last_error}" if state.last_error and not state.online else ""))
        if last != [line]:  # one line per change of state, not per round
            last[:] = [line]
            print(line, flush=True)

    worker = SyncWorker(data_dir_of(args), interval=float(seconds), on_status=report)
    stopped = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopped.set())
    worker.start()
    try:
        while worker.is_alive() and not stopped.wait(0.5):
            pass
    except KeyboardInterrupt:
        pass
    worker.stop()
    return 0


def cmd_nearby(args: argparse.Namespace) -> int:
    from kiosk.sync.nearby import nearby

    found = nearby(open_store(args), args.item)
    if args.json:
        print_json([listing.to_json() for listing in found])
        return 0
    if not found:
        print("No other station has reported this item yet.")
    for n in found:
        distance = f"{n.distance_km:.1f} km" if n.distance_km is not None else "distance unknown"
        print(f"{n.name} ({distance}): {n.available} available - {n.address} - "
              f"{n.opening_hours}")
    return 0
