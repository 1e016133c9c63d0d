"""Slip commands: slip print | status | list | cancel | reallocate | expire, and redeem."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

from kiosk.cli import open_store, print_json, staff_of, training_mark

PAPERS = ("58mm", "80mm", "a6")



def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    def command(name: str, help_text: str, parent: Any = subparsers) -> argparse.ArgumentParser:
        parser: argparse.ArgumentParser = parent.add_parser(
            name, help=help_text, description=help_text, parents=[common]
        )
        return parser

    slip = command("slip", "print, check, cancel or re-allocate pickup slips")
    sub = slip.add_subparsers(dest="slip_command", required=True,
                              metavar="print|status|list|cancel|reallocate|expire")

    p = command("print", "print a slip to PDF or to an installed printer", sub)
    p.add_argument("slip", metavar="SLIP", help="slip number, token or short code")
    where = p.add_mutually_exclusive_group(required=True)
    where.add_argument("--pdf", metavar="FILE", help="write a PDF file")
    where.add_argument("--printer", metavar="NAME", help="an installed printer's name")
    p.add_argument("--paper", default="80mm", choices=PAPERS,
                   help="58mm or 80mm receipt roll, or an A6 sheet (default 80mm)")
    p.set_defaults(handler=cmd_print)

    p = command("status", "what a slip's holder would be told (changes nothing)", sub)
    p.add_argument("text", metavar="TEXT", help="slip number, token or short code")
    p.add_argument("--json", action="store_true", help="print one JSON document")
    p.set_defaults(handler=cmd_status)

    p = command("list", "slips waiting to be collected", sub)
    p.add_argument("--json", action="store_true", help="print one JSON document")
    p.set_defaults(handler=cmd_list)

    p = command("cancel", "cancel a slip and give its units back to stock", sub)
    p.add_argument("slip", metavar="SLIP", help="slip number, token or short code")
    p.add_argument("--requeue", action="store_true",
                   help="put the request back in the queue instead of cancelling it")
    p.set_defaults(handler=cmd_cancel)

    p = command("reallocate", "match a slip's request to good stock again; prints the new slip",
                sub)
    p.add_argument("slip", metavar="SLIP", help="slip number, token or short code")
    p.add_argument("--json", action="store_true", help="print one JSON document")
    p.set_defaults(handler=cmd_reallocate)

    p = command("expire", "close slips whose pickup window is over; their units go back", sub)
    p.set_defaults(handler=cmd_expire)

    p = command("redeem", "hand over against a slip; exit 0 only if this call collected it")
    p.add_argument("token", metavar="TOKEN", help="the scanned token, or the typed short code")
    p.add_argument("--json", action="store_true", help="print one JSON document")
    p.set_defaults(handler=cmd_redeem)


_app: Any = None  # the Qt application lives as long as the command


def _ensure_gui(*, widgets: bool = False) -> None:
    """A Qt application for painting, off-screen when there is no display."""
    global _app
    if (sys.platform.startswith("linux") and not os.environ.get("DISPLAY")
            and not os.environ.get("WAYLAND_DISPLAY")):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QCoreApplication

    app = QCoreApplication.instance()
    if app is None:
        if widgets:
            from PySide6.QtWidgets import QApplication

            app = QApplication(["medshare"])
        else:
            from PySide6.QtGui import QGuiApplication

            app = QGuiApplication(["medshare"])
    _app = app


def cmd_print(args: argparse.Namespace) -> int:
    from kiosk.db.slips import slip_view

    store = open_store(args)
    view = slip_view(store, args.slip)
    if view.status != "issued":
        sys.stderr.write(f"medshare: note: slip {view.slip_id} is {view.status}; "
                         "it cannot be collected.\n")
    _ensure_gui(widgets=args.printer is not None)
    from kiosk.ui.slip_printer import print_slip

    where = print_slip(view, pdf=Path(args.pdf) if args.pdf else None, printer=args.printer,
                       paper=args.paper)
    print(f"{training_mark(store)}Slip {view.slip_id} ({args.paper}) sent to {where}.")
    return 0


def cmd_redeem(args: argparse.Namespace) -> int:
    from kiosk.db.slips import redeem

    store = open_store(args)
    done = redeem(store, args.token, staff_of(args))
    if args.json:
        print_json({**done.to_json(), **({"training": True} if store.training else {})})
        return 0
    print(training_mark(store) + done.handover_text())
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    from kiosk.db.slips import status

    store = open_store(args)
    found = status(store, args.text, allow_number=True)
    if args.json:
        print_json(found.to_json())
        return 0
    print(f"slip {found.slip_id}: {found.state}. {found.message('en')}")
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    from kiosk.db.slips import live

    store = open_store(args)
    waiting = live(store)
    if args.json:
        print_json([slip.to_json() for slip in waiting])
        return 0
    if not waiting:
        print("No slip is waiting to be collected.")
    for slip in waiting:
        print(f"slip {slip.id}  request {slip.request_id}  {slip.short_code}  "
              f"collect by {slip.expires_at.astimezone(store.zone):%Y-%m-%d %H:%M}  {slip.token}")
    return 0


def cmd_cancel(args: argparse.Namespace) -> int:
    from kiosk.db.slips import cancel

    store = open_store(args)
    slip = cancel(store, args.slip, staff_of(args), requeue=args.requeue)
    then = "back in the queue" if args.requeue else "cancelled"
    print(f"Slip {slip.id} cancelled; its units are back in stock and request "
          f"{slip.request_id} is {then}.")
    return 0


def cmd_reallocate(args: argparse.Namespace) -> int:
    from kiosk.db.slips import reallocate

    store = open_store(args)
    made = reallocate(store, args.slip, staff_of(args))
    if args.json:
        print_json({**made.to_json(), **({"training": True} if store.training else {})})
        return 0
    lots = ", ".join(f"lot {p.lot_id} x{p.units} (exp {p.expiry})" for p in made.picks)
    print(f"{training_mark(store)}request {made.request_id}: {made.units} {made.item_id} "
          f"from {lots}  "
          f"slip {made.extra['slip']} {made.extra['token']}")
    return 0


def cmd_expire(args: argparse.Namespace) -> int:
    from kiosk.db.slips import expire_overdue

    store = open_store(args)
    expired = expire_overdue(store, staff_of(args))
    if not expired:
        print("No slip is past its pickup window.")
    else:
        print(f"{len(expired)} slips expired; their units are back in stock: "
              + ", ".join(str(slip_id) for slip_id in expired))
    return 0
