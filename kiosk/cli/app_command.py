"""`medshare` with no command: the station app (GUI), the kiosk, the demo."""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

from kiosk.cli import data_dir_of


def prepare_demo(args: argparse.Namespace) -> Path:
    from kiosk.db.demo import create_demo

    explicit = getattr(args, "data_dir", None)
    directory = Path(explicit) if explicit else Path(tempfile.mkdtemp(prefix="medshare-demo-"))
    create_demo(directory).close()
    return directory


def run_app(args: argparse.Namespace) -> int:
    if args.screenshot and not args.demo:
        sys.stderr.write("medshare: --screenshot works with --demo only (it acts on demo data).\n")
        return 2
    if not args.screenshot and _no_screen():
        from kiosk.errors import MedShareError

        raise MedShareError(
            "No screen to show the app on (DISPLAY and WAYLAND_DISPLAY are not set). Run it "
            "from a desktop session, or use the command line: 'medshare --help'."
        )
    throw_away = bool(args.demo) and not getattr(args, "data_dir", None)
    directory = prepare_demo(args) if args.demo else data_dir_of(args)
    if not args.demo:
        _refuse_pinned_clock(directory)
    from kiosk.ui.app import run

    try:
        return int(run(directory, kiosk=args.kiosk, screenshot=args.screenshot, demo=args.demo))
    finally:
        if throw_away:  # the demo's own temporary station goes when the app closes
            shutil.rmtree(directory, ignore_errors=True)


def _refuse_pinned_clock(directory: Path) -> None:
    """MEDSHARE_NOW on anything but a training station: one line, before any window.

    The desk and the kiosk open their station on a worker thread and would
    show the refusal in a dialog, or offer a set-up that makes a real station
    (which refuses it too); say it here, like every command, and change nothing.
    """
    from kiosk.clock import not_training_refusal, override_from_env
    from kiosk.db.store import Store
    from kiosk.paths import DB_FILENAME

    if override_from_env() is None:
        return
    if not (directory / DB_FILENAME).exists():
        raise not_training_refusal()
    Store.open(directory).close()  # decides the clock before any migration: refuses here


def _no_screen() -> bool:
    """Qt aborts the process when it cannot reach a display; say so in words instead."""
    import os

    if not sys.platform.startswith("linux") or os.environ.get("QT_QPA_PLATFORM"):
        return False
    return not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
