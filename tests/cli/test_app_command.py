import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import run_medshare


def test_without_a_screen_the_app_says_so_instead_of_aborting(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items()
           if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    result = subprocess.run([sys.executable, "-m", "kiosk", "--demo", "--data-dir",
                             str(tmp_path / "demo")], env=env, capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 1
    assert "No screen to show the app on" in result.stderr
    assert len(result.stderr.splitlines()) == 1
    assert not (tmp_path / "demo").exists()


def test_a_reader_that_leaves_early_is_not_a_crash(tmp_path: Path) -> None:
    env = {**os.environ, "TMPDIR": str(tmp_path)}
    medshare = subprocess.Popen([sys.executable, "-m", "kiosk", "catalog", "list"],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    assert medshare.stdout is not None
    medshare.stdout.close()  # like `| head -0`: gone before the first line is written
    _, err = medshare.communicate(timeout=60)
    assert medshare.returncode == 0, err
    assert b"went wrong" not in err
    assert not (tmp_path / "medshare.log").exists()
    assert run_medshare("catalog", "list").returncode == 0
