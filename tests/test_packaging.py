"""packaging/: the Linux installer (staged with DESTDIR), its desktop entries and unit.

The real bundle is built and checked by .ci/dist-check; here a stand-in
bundle is enough to prove where every file goes and what it points at.
"""

from __future__ import annotations

import configparser
import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LINUX = ROOT / "packaging" / "linux"
INSTALL = LINUX / "install.sh"


@pytest.fixture
def bundle(tmp_path: Path) -> Path:
    folder = tmp_path / "dist" / "medshare"
    (folder / "_internal").mkdir(parents=True)
    (folder / "_internal" / "resources.txt").write_text("new\n")
    program = folder / "medshare"
    program.write_text('#!/bin/sh\n[ "$1" = --version ] && echo "medshare 9.9.9"\n')
    program.chmod(0o755)
    return folder


def install(stage: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["bash", str(INSTALL), *args], capture_output=True, text=True,
                          env={**os.environ, "DESTDIR": str(stage)}, timeout=60)


def desktop_entry(path: Path) -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read(path, encoding="utf-8")
    return parser["Desktop Entry"]


def test_a_staged_install_puts_every_file_in_place(tmp_path: Path, bundle: Path) -> None:
    stage = tmp_path / "root"
    result = install(stage, "--bundle", str(bundle), "--prefix", "/opt/ms",
                     "--autostart", "alice", "--cage", "kiosk")
    assert result.returncode == 0, result.stderr
    assert "installed medshare 9.9.9 in" in result.stdout

    assert (stage / "opt/ms/medshare").is_file()
    assert (stage / "opt/ms/_internal/resources.txt").read_text() == "new\n"
    assert os.readlink(stage / "usr/local/bin/medshare") == "/opt/ms/medshare"
    assert (stage / "usr/share/icons/hicolor/scalable/apps/medshare.svg").is_file()

    menu = desktop_entry(stage / "usr/share/applications/medshare.desktop")
    assert menu["Exec"] == "/opt/ms/medshare"
    assert menu["Icon"] == "medshare"
    assert menu["Type"] == "Application"

    autostart = desktop_entry(stage / "home/alice/.config/autostart/medshare-kiosk.desktop")
    assert autostart["Exec"] == "/opt/ms/medshare --kiosk"

    unit = (stage / "etc/systemd/system/medshare-kiosk.service").read_text()
    assert "User=kiosk\n" in unit
    assert "ExecStart=/usr/bin/cage -s -- /opt/ms/medshare --kiosk\n" in unit
    assert "@" not in unit.replace("getty@tty1", "")


def test_a_new_install_replaces_the_old_folder(tmp_path: Path, bundle: Path) -> None:
    stage = tmp_path / "root"
    assert install(stage, "--bundle", str(bundle)).returncode == 0
    stale = stage / "opt/medshare/_internal/from-the-old-version.so"
    stale.write_text("old")
    assert install(stage, "--bundle", str(bundle)).returncode == 0
    assert not stale.exists()
    assert (stage / "opt/medshare/medshare").is_file()
    assert not (stage / "opt/medshare.new").exists()


def test_without_a_bundle_nothing_is_installed(tmp_path: Path) -> None:
    stage = tmp_path / "root"
    result = install(stage, "--bundle", str(tmp_path / "nowhere"))
    assert result.returncode == 1
    assert "build it first with 'make dist'" in result.stderr
    assert not stage.exists()


def test_the_shipped_entries_start_the_installed_program() -> None:
    menu = desktop_entry(LINUX / "medshare.desktop")
    assert menu["Exec"] == "/opt/medshare/medshare"
    assert menu["Name[zh_CN]"].startswith("MedShare")
    autostart = desktop_entry(LINUX / "medshare-kiosk.desktop")
    assert autostart["Exec"] == "/opt/medshare/medshare --kiosk"
    assert autostart["NoDisplay"] == "true"


def test_the_requirements_list_covers_the_makefiles_qt_libraries() -> None:
    listed = subprocess.run(["bash", str(ROOT / "packaging/debian-requirements.sh"), "--list"],
                            capture_output=True, text=True, check=True).stdout.split()
    makefile = (ROOT / "Makefile").read_text()
    start = makefile.index("DEB_PACKAGES :=")
    block = makefile[start:makefile.index("\n\n", start)]
    wanted = block.replace("DEB_PACKAGES :=", "").replace("\\", " ").split()
    test_only = {"xvfb", "postgresql"}
    assert sorted(set(wanted) - test_only - set(listed)) == []
    assert not set(listed) & test_only
    assert len(listed) == len(set(listed))
