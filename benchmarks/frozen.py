"""Start-up of the frozen bundle (dist/medshare/) against the source app, and its size.

Each sample is a fresh process, offscreen, timed from just before it is spawned
to the main window's first painted frame, exactly as benchmarks/startup.py
times the desk (its `sample` and `desk_command` are reused): the app prints
`shown <time>` when MEDSHARE_STARTUP_PROBE is set. Both run on the same demo
station, alternating, after one untimed warm-up run each. Build the bundle
first with `make dist`. One line per figure: `name value unit`.

Budgets (issue 7): bundle <= 250 MB on disk; frozen start to main window
<= 1.5 s and <= 2x the source start.

    QT_QPA_PLATFORM=offscreen python benchmarks/frozen.py --quick   # 5 samples each
    python benchmarks/frozen.py --check                             # 15 samples, exit 1 if over
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.startup import desk_command, sample  # noqa: E402

BUDGET_MB = 250
BUDGET_SECONDS = 1.5
BUDGET_RATIO = 2.0
DEFAULT_BUNDLE = ROOT / "dist" / "medshare"


def bundle_size(folder: Path) -> tuple[int, int]:
    """Bytes on disk (allocated blocks, as `du` counts them) and the number of files."""
    total = 0
    files = 0
    seen: set[tuple[int, int]] = set()
    for path in folder.rglob("*"):
        info = path.lstat()
        if (info.st_dev, info.st_ino) in seen:
            continue
        seen.add((info.st_dev, info.st_ino))
        total += info.st_blocks * 512 if hasattr(info, "st_blocks") else info.st_size
        if path.is_file() and not path.is_symlink():
            files += 1
    return total, files


def program(bundle: Path) -> Path:
    name = "medshare.exe" if sys.platform == "win32" else "medshare"
    return bundle / name


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="5 samples each (default 15)")
    parser.add_argument("--samples", type=int, default=None)
    parser.add_argument("--bundle", type=Path, default=DEFAULT_BUNDLE,
                        help=f"the one-folder bundle (default {DEFAULT_BUNDLE})")
    parser.add_argument("--check", action="store_true", help="exit 1 when over budget")
    args = parser.parse_args(argv)
    count = args.samples or (5 if args.quick else 15)
    frozen = program(args.bundle)
    if not frozen.is_file():
        sys.stderr.write(f"frozen.py: no bundle at {args.bundle}; build it with `make dist`\n")
        return 2

    size, files = bundle_size(args.bundle)
    size_mb = size / 1_000_000
    print(f"bundle_size {size_mb:.1f} MB")
    print(f"bundle_files {files} files")

    from kiosk.db.demo import create_demo

    with tempfile.TemporaryDirectory(prefix="medshare-frozen-") as folder:
        data_dir = Path(folder) / "station"
        create_demo(data_dir).close()
        env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen"),
               "MEDSHARE_STARTUP_PROBE": "1"}
        frozen_command = [str(frozen), "--data-dir", str(data_dir)]
        source_command = desk_command(data_dir)
        sample(frozen_command, env)
        sample(source_command, env)
        frozen_times: list[float] = []
        source_times: list[float] = []
        for _ in range(count):
            frozen_times.append(sample(frozen_command, env))
            source_times.append(sample(source_command, env))

    frozen_median = statistics.median(frozen_times)
    source_median = statistics.median(source_times)
    ratio = frozen_median / source_median
    print(f"startup_frozen_median {frozen_median:.3f} s")
    print(f"startup_frozen_max {max(frozen_times):.3f} s")
    print(f"startup_source_median {source_median:.3f} s")
    print(f"startup_ratio_frozen_to_source {ratio:.2f} x")
    print(f"startup_samples {count} runs")
    within = size_mb <= BUDGET_MB and frozen_median <= BUDGET_SECONDS and ratio <= BUDGET_RATIO
    print(f"frozen_within_budget {int(within)} bool")
    return 0 if within or not args.check else 1


if __name__ == "__main__":
    sys.exit(main())
