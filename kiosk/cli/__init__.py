"""`medshare`: the station's command line, and the door to the GUI.

This package is the composition root: it may reach the Qt layer (to open
the app or print a slip), so it lives outside the Qt-free core, and it
imports every heavy module only inside the command that needs it so that
`medshare stock` starts in a blink.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn

from kiosk import __version__
from kiosk.errors import MedShareError

# Each module has `register(subparsers, common)`; add a line to add a command group.
COMMAND_MODULES = (
    "kiosk.cli.ledger_commands",
    "kiosk.cli.slip_commands",
    "kiosk.cli.sync_commands",
    "kiosk.cli.contact_commands",
)


class Parser(argparse.ArgumentParser):
    """argparse that fails with one plain line on stderr."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: {message} (see '{self.prog} --help')\n")


def common_options() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--data-dir", default=argparse.SUPPRESS, metavar="DIR",
        help="station data folder (default: $MEDSHARE_DATA_DIR or the user data folder)",
    )
    common.add_argument(
        "--staff", default=argparse.SUPPRESS, metavar="NAME",
        help="who is doing this, for the ledger (default: the login name)",
    )
    return common


def build_parser() -> Parser:
    common = common_options()
    parser = Parser(
        prog="medshare",
        description="MedShare Kiosk station: share spare over-the-counter medicine.",
        parents=[common],
    )
    parser.add_argument("--version", action="version", version=f"medshare {__version__}")
    parser.add_argument("--kiosk", action="store_true", help="full-screen resident mode")
    parser.add_argument("--demo", action="store_true",
                        help="open the app on a throw-away data folder with demo data")
    parser.add_argument("--screenshot", metavar="DIR",
                        help="with --demo: save a PNG of every screen in each language and exit")
    parser.add_argument("--self-test", action="store_true",
                        help="check this installation (database, slip printing and scanning, "
                             "translations, Qt plugins, the window) in a temporary folder")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as error:
            if error.name != name:
                raise
            continue
        module.register(subparsers, common)
    return parser


def data_dir_of(args: argparse.Namespace) -> Path:
    from kiosk.paths import resolve_data_dir

    return resolve_data_dir(getattr(args, "data_dir", None))


def open_store(args: argparse.Namespace) -> Any:
    """The station of --data-dir (or its default), migrated and ready."""
    from kiosk.db.station import open_station

    return open_station(data_dir_of(args))


def training_mark(store: Any) -> str:
    """What starts each slip or receipt line a training station prints ('' on a real one)."""
    return "TRAINING (practice only; no real station accepts it): " if store.training else ""


def staff_of(args: argparse.Namespace) -> str:
    explicit = getattr(args, "staff", None)
    if explicit:
        return str(explicit)[:60]
    return os.environ.get("USER") or os.environ.get("USERNAME") or "staff"


def print_json(document: Any) -> None:
    json.dump(document, sys.stdout, ensure_ascii=False, indent=2, default=str)
    sys.stdout.write("\n")


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handler = getattr(args, "handler", None)
    try:
        if args.self_test:
            from kiosk.cli.selftest import run_self_test

            return run_self_test()
        if handler is None:
            from kiosk.cli.app_command import run_app

            return run_app(args)
        result = handler(args)
        return int(result or 0)
    except MedShareError as error:
        sys.stderr.write(f"medshare: {error}\n")
        return 1
    except KeyboardInterrupt:
        sys.stderr.write("medshare: stopped.\n")
        return 130
    except BrokenPipeError:
        # `medshare stock | head`: the reader left; that is not a bug. Point stdout
        # at /dev/null so the interpreter's final flush does not fail again.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except Exception as error:  # a bug: log it, say where, keep the message short
        from kiosk import crashlog

        log = crashlog.record(error, _safe_data_dir(args))
        sys.stderr.write(f"medshare: {crashlog.apology(error, log)}\n")
        return 70


def _safe_data_dir(args: argparse.Namespace) -> Path | None:
    try:
        path = data_dir_of(args)
    except Exception:
        return None
    return path if path.is_dir() else None


if __name__ == "__main__":
    sys.exit(main())
