"""`medshare` with no command: the station app (GUI), the kiosk, the demo."""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from kiosk.cli import data_dir_of


def prepare_demo(args: argparse.Namespace) -> Path:
    from kiosk.db.demo import create_demo

    explicit = getattr(args, "data_dir", None)
    directory = Path(explicit) if explicit else Path(tempfile.mkdtemp(prefix="medshare-demo-"))
    create_demo(directory)
    return directory


def run_app(args: argparse.Namespace) -> int:
    directory = prepare_demo(args) if args.demo else data_dir_of(args)
    try:
        from kiosk.ui.app import run  # type: ignore[import-not-found,unused-ignore]
    except ModuleNotFoundError as error:
        if not (error.name or "").startswith("kiosk.ui"):
            raise
        # Until the desk app lands, the demo shows its data on the command line.
        from kiosk.cli.ledger_commands import cmd_requests, cmd_stock

        ns = argparse.Namespace(data_dir=str(directory), json=False)
        print(f"Demo station in {directory}\n")
        cmd_stock(ns)
        print()
        cmd_requests(ns)
        print(f"\nTry: medshare --data-dir {directory} stock")
        return 0
    return int(run(directory, kiosk=args.kiosk, screenshot=args.screenshot, demo=args.demo))


if __name__ == "__main__":
    sys.exit(0)
