"""A training station says so on every screen: the desk's title and status bar, the
kiosk's top bar on every page, and each receipt it prints."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from kiosk.clock import Clock
from kiosk.db.station import init
from kiosk.ui.i18n import translations
from kiosk.ui.kiosk.need import NeedPage
from tests.ui.conftest import idle, open_window
from tests.ui.kiosk.conftest import idle as kiosk_idle
from tests.ui.kiosk.conftest import open_kiosk, pdf_text, tap


def training_station(tmp_path: Path, clock: Clock) -> Path:
    folder = tmp_path / "practice"
    init(folder, "TR1", "Practice Centre", training=True, clock=clock).close()
    return folder


def test_the_desk_says_training_in_its_title_and_status_bar(
        qtbot: QtBot, tmp_path: Path, clock: Clock) -> None:
    window = open_window(qtbot, training_station(tmp_path, clock), clock)
    try:
        qtbot.waitUntil(lambda: window.status.training.isVisible())
        # the desk first adopts the station's default language (a job): switch after it
        idle(qtbot, window)
        assert "TRAINING" in window.windowTitle()
        assert window.status.training.text().startswith("TRAINING station")
        translations().set_language("zh")
        qtbot.waitUntil(lambda: "培训站" in window.windowTitle())
        assert "培训站" in window.status.training.text()
    finally:
        window.close()
        translations().set_language("en")


def test_a_real_station_says_nothing_of_training(qtbot: QtBot, window: object) -> None:
    assert "TRAINING" not in window.windowTitle()  # type: ignore[attr-defined]
    assert not window.status.training.isVisible()  # type: ignore[attr-defined]


def test_every_kiosk_page_and_receipt_says_training(
        qtbot: QtBot, tmp_path: Path, clock: Clock) -> None:
    receipts = tmp_path / "receipts"
    kiosk = open_kiosk(qtbot, training_station(tmp_path, clock), clock, receipts)
    try:
        assert "TRAINING" in kiosk.station.text() and "TRAINING" in kiosk.windowTitle()
        tap(qtbot, kiosk.pages["home"].tiles["need"])  # type: ignore[attr-defined]
        page = kiosk.current
        assert isinstance(page, NeedPage)
        assert kiosk.station.isVisible() and "TRAINING" in kiosk.station.text()
        page.choose("antigen-test-kit")
        tap(qtbot, page.send)
        kiosk_idle(qtbot, kiosk)
        qtbot.waitUntil(lambda: page.done.printed is not None)
        [pdf] = list(receipts.glob("*.pdf"))
        assert "TRAINING — practice only, not valid at any station" in pdf_text(pdf)
    finally:
        kiosk.shut_down()
        translations().set_language("en")


def test_the_managers_ledger_check_says_training(tmp_path: Path, clock: Clock) -> None:
    from types import SimpleNamespace

    from kiosk.db.station import open_station
    from kiosk.ui import manager_jobs

    store = open_station(training_station(tmp_path, clock), clock=clock)
    try:
        verdict = manager_jobs.verify_ledger(SimpleNamespace(store=store))  # type: ignore[arg-type]
        assert verdict.problems == () and verdict.training
    finally:
        store.close()
