"""Start-up time of the staff desk, against a bare PySide6 window in the same run.

Each sample is a fresh process, started offscreen; the time runs from just
before the process is spawned to the moment the main window has painted its
first frame (the app reports it when MEDSHARE_STARTUP_PROBE is set). The
desk runs as `medshare --data-dir DIR` on a station made with the demo data;
the bare window is an empty QMainWindow of the same size. Runs alternate so
both see the same machine. Prints one line per figure: `name value unit`.

Budget (issue 4): the desk within 0.8 s and within 3x the bare window.

    python benchmarks/startup.py --quick     # 5 samples each
    python benchmarks/startup.py --check     # 15 samples, exit 1 if over budget
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BUDGET_SECONDS = 0.8
BUDGET_RATIO = 3.0

BARE = r"""
import os, sys, time
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow

class FirstPaint(QObject):
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            QTimer.singleShot(0, self.report)
        return False

    def report(self):
        sys.stdout.write(f"shown {time.monotonic():.6f}\n")
        sys.stdout.flush()
        os._exit(0)

app = QApplication(sys.argv[:1])
window = QMainWindow()
window.resize(1100, 720)
probe = FirstPaint(window)
window.installEventFilter(probe)
window.show()
app.exec()
"""


def desk_command(data_dir: Path) -> list[str]:
    script = shutil.which("medshare", path=str(Path(sys.executable).parent))
    if script is not None:
        return [script, "--data-dir", str(data_dir)]
    return [sys.executable, "-m", "kiosk", "--data-dir", str(data_dir)]


def sample(command: list[str], env: dict[str, str]) -> float:
    started = time.monotonic()
    result = subprocess.run(command, capture_output=True, text=True, env=env, timeout=60)
    for line in result.stdout.splitlines():
        if line.startswith("shown "):
            return float(line.split()[1]) - started
    raise SystemExit(f"no first frame from {command[0]}: exit {result.returncode}\n"
                     f"{result.stderr.strip()}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="5 samples each (default 15)")
    parser.add_argument("--samples", type=int, default=None)
    parser.add_argument("--check", action="store_true", help="exit 1 when over budget")
    args = parser.parse_args(argv)
    count = args.samples or (5 if args.quick else 15)

    from kiosk.db.demo import create_demo

    with tempfile.TemporaryDirectory(prefix="medshare-startup-") as folder:
        data_dir = Path(folder) / "station"
        create_demo(data_dir).close()
        env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen"),
               "MEDSHARE_STARTUP_PROBE": "1"}
        bare_command = [sys.executable, "-c", BARE]
        # one untimed run each warms the disk cache, as a second start would find it
        sample(desk_command(data_dir), env)
        sample(bare_command, env)
        desk: list[float] = []
        bare: list[float] = []
        for _ in range(count):
            desk.append(sample(desk_command(data_dir), env))
            bare.append(sample(bare_command, env))

    desk_median = statistics.median(desk)
    bare_median = statistics.median(bare)
    ratio = desk_median / bare_median
    print(f"startup_desk_median {desk_median:.3f} s")
    print(f"startup_desk_max {max(desk):.3f} s")
    print(f"startup_bare_window_median {bare_median:.3f} s")
    print(f"startup_ratio_desk_to_bare {ratio:.2f} x")
    print(f"startup_samples {count} runs")
    within = desk_median <= BUDGET_SECONDS and ratio <= BUDGET_RATIO
    print(f"startup_within_budget {int(within)} bool")
    return 0 if within or not args.check else 1


if __name__ == "__main__":
    sys.exit(main())
