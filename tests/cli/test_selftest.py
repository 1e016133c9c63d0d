"""`medshare --self-test` from source: every check runs for real and can fail.

The frozen bundle runs the same command in .ci/dist-check after `make dist`.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QApplication

from kiosk import __version__
from kiosk.cli import selftest
from kiosk.cli.selftest import CHECKS, Check, Context, run_checks, run_self_test
from kiosk.errors import MedShareError
from tests.conftest import run_medshare

NAMES = [check.name for check in CHECKS]
LINE = re.compile(r"^(ok  (?P<ok>[a-z-]+)( \(.+\))?|FAIL (?P<fail>[a-z-]+): .+)$")


def missing_system_libraries() -> dict[str, list[str]]:
    """Required Qt plugins whose shared libraries this machine lacks (ldd says 'not found')."""
    from PySide6.QtCore import QLibraryInfo

    folder = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.PluginsPath))
    missing: dict[str, list[str]] = {}
    if not sys.platform.startswith("linux") or shutil.which("ldd") is None:
        return missing
    for kind, names in selftest._required_plugins().items():
        for name in names:
            out = subprocess.run(["ldd", str(folder / kind / name)], capture_output=True,
                                 text=True).stdout
            lost = [line.split()[0] for line in out.splitlines() if "not found" in line]
            if lost:
                missing[f"{kind}/{name}"] = lost
    return missing


def test_the_self_test_runs_every_check_and_exits_0_only_if_all_pass() -> None:
    result = run_medshare("--self-test", env={"QT_QPA_PLATFORM": "offscreen"}, timeout=120)
    lines = result.stdout.splitlines()
    assert lines[0].startswith(f"medshare {__version__} self-test (from source, Python ")
    checks = lines[1:-1]
    assert len(checks) == len(NAMES), result.stdout
    matches = [LINE.match(line) for line in checks]
    assert all(matches), result.stdout
    ran = [m.group("ok") or m.group("fail") for m in matches if m]
    assert ran == NAMES
    failed = {m.group("fail"): m.group(0) for m in matches if m and m.group("fail")}

    lost = missing_system_libraries()
    if lost:
        # this machine cannot load a plugin the station needs: the check must say so
        assert set(failed) == {"qt-plugins"}, result.stdout
        for plugin, libraries in lost.items():
            assert plugin in failed["qt-plugins"]
            assert any(library in failed["qt-plugins"] for library in libraries)
        assert result.returncode == 1
        assert lines[-1] == f"self-test FAILED: 1 of {len(NAMES)} checks (qt-plugins)"
    else:
        assert failed == {}, result.stdout + result.stderr
        assert result.returncode == 0
        assert lines[-1] == f"self-test ok: all {len(NAMES)} checks"
    # what the checks saw, in their own words
    said = dict(zip(ran, checks, strict=True))
    assert re.fullmatch(r"ok  modules \(\d+ kiosk modules\)", said["modules"])
    assert "ledger verified" in said["database"]
    assert re.search(r"read and redeemed MS1:SELFTEST:\d+:[A-Z0-9]{20}\)$", said["slip-qr"])
    assert said["main-window"].startswith("ok  main-window (offscreen, ")
    assert result.stderr == ""


def test_the_self_test_leaves_nothing_behind(tmp_path: Path) -> None:
    result = run_medshare("--self-test", "--data-dir", str(tmp_path / "station"),
                          env={"QT_QPA_PLATFORM": "offscreen", "TMPDIR": str(tmp_path)},
                          timeout=120)
    assert "ok  database" in result.stdout
    assert list(tmp_path.iterdir()) == []  # neither the given data folder nor a temp folder


def test_a_module_that_does_not_import_fails_the_modules_check(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import kiosk

    broken = tmp_path / "kiosk_extra"
    broken.mkdir()
    (broken / "fine.py").write_text("VALUE = 1\n")
    (broken / "needs_missing.py").write_text("import a_package_that_is_not_bundled\n")
    monkeypatch.setattr(kiosk, "__path__", [*kiosk.__path__, str(broken)])
    out = io.StringIO()
    modules = [check for check in CHECKS if check.name == "modules"]
    assert run_checks(modules, Context(tmp_path), out) == 1
    line = out.getvalue().splitlines()[0]
    assert line.startswith("FAIL modules: 1 of ")
    assert ("kiosk.needs_missing (ModuleNotFoundError: No module named "
            "'a_package_that_is_not_bundled')") in line
    assert "kiosk.fine" not in line
    for name in ("kiosk.fine", "kiosk.needs_missing"):
        sys.modules.pop(name, None)


def test_help_lists_the_self_test() -> None:
    result = run_medshare("--help")
    assert result.returncode == 0
    assert "--self-test" in result.stdout


def _boom(ctx: Context) -> str:
    raise MedShareError("The thing is broken.")


def _crash(ctx: Context) -> str:
    raise RuntimeError("two\n  lines")


def test_a_failed_check_fails_the_run_and_every_check_that_needs_it() -> None:
    checks = [
        Check("first", lambda ctx: "fine"),
        Check("second", _boom),
        Check("third", lambda ctx: "", needs=("second",)),
        Check("fourth", lambda ctx: "", needs=("first",)),
        Check("fifth", _crash),
        Check("sixth", lambda ctx: "", needs=("third", "first")),
    ]
    out = io.StringIO()
    assert run_checks(checks, Context(Path("unused")), out) == 1
    assert out.getvalue().splitlines() == [
        "ok  first (fine)",
        "FAIL second: The thing is broken.",
        "FAIL third: not run, because second failed",
        "ok  fourth",
        "FAIL fifth: RuntimeError: two lines",
        "FAIL sixth: not run, because third failed",
        "self-test FAILED: 4 of 6 checks (second, third, fifth, sixth)",
    ]


def test_all_checks_passing_exits_0() -> None:
    out = io.StringIO()
    checks = [Check("one", lambda ctx: "a"), Check("two", lambda ctx: "", needs=("one",))]
    assert run_checks(checks, Context(Path("unused")), out) == 0
    assert out.getvalue().splitlines() == ["ok  one (a)", "ok  two", "self-test ok: all 2 checks"]


@pytest.fixture
def app(qapp: QApplication) -> QApplication:
    return qapp


def test_a_slip_whose_qr_does_not_read_back_fails(app: QApplication,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    from kiosk.ui import slip_printer

    def blank(*args: object, **kwargs: object) -> QImage:
        image = QImage(464, 800, QImage.Format.Format_Grayscale8)
        image.fill(QColor("white"))
        return image

    monkeypatch.setattr(slip_printer, "render_image", blank)
    out = io.StringIO()
    checks = [check for check in CHECKS if check.name in ("resources", "database", "slip-pdf",
                                                          "slip-qr")]
    assert run_self_test(out, checks=checks) == 1
    lines = out.getvalue().splitlines()
    assert lines[1].startswith("ok  resources")
    assert lines[2].startswith("ok  database")
    assert lines[3].startswith("ok  slip-pdf")
    assert lines[4].startswith("FAIL slip-qr: No code found in the picture")


def test_missing_resources_fail_and_nothing_that_needs_them_runs(
        app: QApplication, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import kiosk.paths

    monkeypatch.setattr(kiosk.paths, "resources_dir", lambda: tmp_path / "gone")
    out = io.StringIO()
    checks = [check for check in CHECKS if check.name in ("resources", "database", "slip-pdf")]
    assert run_self_test(out, checks=checks) == 1
    assert out.getvalue().splitlines()[1:] == [
        f"FAIL resources: no resources folder at {tmp_path / 'gone'}",
        "FAIL database: not run, because resources failed",
        "FAIL slip-pdf: not run, because database failed",
        "self-test FAILED: 3 of 3 checks (resources, database, slip-pdf)",
    ]
