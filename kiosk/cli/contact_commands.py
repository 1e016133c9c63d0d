"""Phone numbers at the command line: call a resident back, start a new key file.

`medshare call REQUEST_ID` prints the full number of one request on stdout
(and only there, never in a log) and writes who and when into the audit,
like the desk's Call button. `medshare keys new --accept-loss` replaces a
lost, damaged or foreign key file after saying what that loses.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from kiosk.cli import open_store, staff_of


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    p = subparsers.add_parser(
        "call", parents=[common],
        help="show a request's full phone number to call the resident back (audited)",
        description="Print the full phone number of a request so staff can call the resident "
                    "back. The staff name (--staff, default the login name) and the time are "
                    "written into the audit.")
    p.add_argument("request_id", metavar="REQUEST_ID")
    p.set_defaults(handler=cmd_call)

    keys = subparsers.add_parser("keys", parents=[common], help="the phone key file",
                                 description="The phone key file (station.keys) beside "
                                             "station.db.")
    keys_sub = keys.add_subparsers(dest="keys_command", metavar="new", required=True)
    p = keys_sub.add_parser(
        "new", parents=[common],
        help="start a new, empty key file when the old one is lost",
        description="Start a new, empty phone key file when station.keys is lost, damaged or "
                    "another station's. The phone numbers kept now and the limit history of "
                    "the retention period are lost; nothing else is.")
    p.add_argument("--accept-loss", action="store_true",
                   help="confirm that the numbers kept now can no longer be read")
    p.set_defaults(handler=cmd_keys_new)


def cmd_call(args: argparse.Namespace) -> int:
    from kiosk.cli.ledger_commands import _request_id
    from kiosk.db.contact import reveal

    store = open_store(args)
    number = reveal(store, _request_id(args.request_id), staff_of(args))
    print(number)
    sys.stderr.write("medshare: note: your name and the time were written into the audit.\n")
    return 0


def cmd_keys_new(args: argparse.Namespace) -> int:
    from kiosk.db.contact import key_path, start_new_key_file

    store = open_store(args)
    made = start_new_key_file(store, accept_loss=args.accept_loss)
    print(f"A new phone key file is ready in {key_path(store)}; {made.lost} kept phone "
          "numbers can no longer be read.")
    if made.kept_aside is not None:
        print(f"The file it replaced was kept as {made.kept_aside}; delete it once you are "
              "sure it is not needed (it may still hold keys to phone numbers; housekeeping "
              "destroys them after the retention period).")
    return 0
