"""Languages: switched at run time, complete in Simplified Chinese, .qm built from the .ts."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from kiosk.clock import Clock
from kiosk.paths import resources_dir
from kiosk.ui import prefs
from kiosk.ui.i18n import translations
from kiosk.ui.mainwindow import MainWindow
from tests.ui.conftest import idle, open_window, sign_in

TS = resources_dir() / "i18n" / "medshare_zh_CN.ts"
QM = resources_dir() / "i18n" / "medshare_zh_CN.qm"
ROOT = Path(__file__).resolve().parents[2]
PLACEHOLDER = re.compile(r"\{[a-z_]*(?::[^}]*)?\}")


def tool(name: str) -> str:
    found = shutil.which(name, path=str(Path(sys.executable).parent)) or shutil.which(name)
    if found is None:
        pytest.fail(f"{name} is missing: it comes with PySide6 (pip install PySide6-Essentials)")
    return found


def sources() -> list[str]:
    files = sorted((ROOT / "kiosk" / "ui").rglob("*.py"))
    return [str(path) for path in files if path.name != "slip_printer.py"]


def test_switching_to_chinese_and_back_needs_no_restart(qtbot: QtBot, desk: MainWindow) -> None:
    screen = desk.show_screen("dropoff")
    qtbot.keyClicks(screen.picker.search, "ibu")  # type: ignore[attr-defined]
    assert desk.nav_buttons["dropoff"].text() == "Drop-off"
    assert desk.language_button.text() == "中文"
    qtbot.mouseClick(desk.language_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: desk.nav_buttons["dropoff"].text() == "接收捐赠")
    assert desk.nav_buttons["stock"].text() == "库存"
    assert desk.language_button.text() == "English"
    assert screen.heading.text() == "接收捐赠：登记闲置药品"  # type: ignore[attr-defined]
    assert desk.status.staff.text() == "已登录：Ana（管理员）"
    assert desk.status.sync.text() == "同步：尚未注册"
    # what was typed stays, and the catalog names follow the language
    picker = screen.picker  # type: ignore[attr-defined]
    assert picker.search.text() == "ibu"
    assert picker.results.item(0).text().startswith("布洛芬片 200mg")
    qtbot.mouseClick(desk.language_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: desk.nav_buttons["dropoff"].text() == "Drop-off")
    assert picker.results.item(0).text().startswith("Ibuprofen 200 mg tablets")


def test_messages_and_tables_are_translated_too(qtbot: QtBot, desk: MainWindow) -> None:
    desk.set_language("zh")
    screen = desk.show_screen("dropoff")
    qtbot.waitUntil(lambda: screen.title() == "接收捐赠")
    screen.save.click()  # type: ignore[attr-defined]
    assert screen.message.text() == "✖ 请先选择药品。"  # type: ignore[attr-defined]
    stock = desk.show_screen("stock")
    idle(qtbot, desk)
    headers = [stock.items.horizontalHeaderItem(column).text()  # type: ignore[attr-defined]
               for column in range(6)]
    assert headers == ["药品", "在库", "已预留", "可用", "最早到期", "注意"]


def test_the_language_is_remembered_for_the_next_start(qtbot: QtBot, desk: MainWindow,
                                                      data_dir: Path, clock: Clock) -> None:
    desk.set_language("zh")
    idle(qtbot, desk)
    assert prefs.load(data_dir).language == "zh"
    desk.close()
    again = open_window(qtbot, data_dir, clock, language=None)
    assert again.signin.heading.text() == "登录服务台"
    sign_in(qtbot, again)
    assert again.nav_buttons["pickup"].text() == "凭单领药"
    again.close()
    translations().set_language("en")


def test_every_source_string_is_in_the_ts_file_with_a_chinese_translation(
        tmp_path: Path) -> None:
    """Run lupdate on the code: the committed .ts must already hold exactly what it finds."""
    fresh = tmp_path / "fresh.ts"
    shutil.copy(TS, fresh)
    result = subprocess.run(
        [tool("pyside6-lupdate"), *sources(), "-ts", str(fresh), "-no-obsolete",
         "-locations", "none", "-target-language", "zh_CN"],
        capture_output=True, text=True, check=True)
    assert "0 new" in result.stdout or "new and" not in result.stdout, result.stdout
    assert fresh.read_text(encoding="utf-8") == TS.read_text(encoding="utf-8"), (
        "resources/i18n/medshare_zh_CN.ts is out of date: run pyside6-lupdate (see "
        "resources/i18n/README.md), translate the new strings and run pyside6-lrelease")
    messages = list(ET.parse(TS).getroot().iter("message"))
    assert len(messages) > 200
    for message in messages:
        source = message.findtext("source") or ""
        translation = message.find("translation")
        assert translation is not None and translation.text, f"not translated: {source!r}"
        assert translation.get("type") is None, f"unfinished: {source!r}"
        assert sorted(PLACEHOLDER.findall(source)) == sorted(
            PLACEHOLDER.findall(translation.text)), f"placeholders differ: {source!r}"


def test_the_committed_qm_is_compiled_from_the_committed_ts(tmp_path: Path) -> None:
    built = tmp_path / "built.qm"
    subprocess.run([tool("pyside6-lrelease"), str(TS), "-qm", str(built)],
                   capture_output=True, check=True)
    assert built.read_bytes() == QM.read_bytes(), (
        "resources/i18n/medshare_zh_CN.qm is stale: run pyside6-lrelease on the .ts")
