"""I need medicine: a request made by touch, the same limits as the desk, a numbered receipt."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest
from pytestqt.qtbot import QtBot

from kiosk.db import ledger, requests
from kiosk.db.store import Store
from kiosk.ui import kiosk_jobs
from kiosk.ui.errors import Failure
from kiosk.ui.kiosk.need import NeedPage
from kiosk.ui.kiosk.window import KioskWindow
from tests.conftest import days, ledger_dump
from tests.ui.kiosk.conftest import IBU, PARA, choose_item, idle, pdf_text, tap


def need_page(qtbot: QtBot, kiosk: KioskWindow) -> NeedPage:
    tap(qtbot, kiosk.pages["home"].tiles["need"])  # type: ignore[attr-defined]
    page = kiosk.current
    assert isinstance(page, NeedPage)
    return page


def press(qtbot: QtBot, page: NeedPage, digits: str) -> None:
    for digit in digits:
        tap(qtbot, page.keypad.buttons[digit])


def test_a_request_made_by_touch_is_saved_and_gets_a_numbered_receipt(
        qtbot: QtBot, kiosk: KioskWindow, store: Store, receipts: Path) -> None:
    ledger.receive(store, IBU, 50, days(200), "SECRET-LOT-7")
    kiosk.context.refresh_menu()
    idle(qtbot, kiosk)
    page = need_page(qtbot, kiosk)
    assert page.views.currentWidget() is page.choose_view
    # what is here now is shown beside each medicine, in stock first
    assert page.items.ids()[0] == IBU
    assert "50 tablets here now" in page.items.row_text(IBU)
    choose_item(qtbot, page, IBU)
    assert page.views.currentWidget() is page.details_view
    assert page.item_name.text() == "Ibuprofen 200 mg tablets"
    assert page.here.text() == "✔ Here now: 50 tablets"
    limit = store.item(IBU).limit_per_7_days
    assert page.limit.text() == (
        f"You may ask for up to {limit} tablets in 7 days for your home.")
    tap(qtbot, page.units.plus)
    tap(qtbot, page.units.plus)
    assert page.units.value() == 3
    tap(qtbot, page.household.plus)
    assert page.household.value() == 2
    assert page.limit.text() == (
        f"You may ask for up to {2 * limit} tablets in 7 days for your home.")
    tap(qtbot, page.priority.buttons["elderly"])
    # the phone number by the on-screen keys (the field has the focus)
    assert page.phone.hasFocus()
    press(qtbot, page, "13912345678")
    assert page.phone.text() == "13912345678"
    tap(qtbot, page.send)
    idle(qtbot, kiosk)
    assert page.views.currentWidget() is page.done_view
    [request] = requests.queue(store.conn)
    assert (request.item_id, request.units, request.household, request.priority,
            request.phone_masked, request.language, request.status) == (
        IBU, 3, 2, "elderly", "*******5678", "en", "open")
    assert page.done.number.text() == str(request.id)
    assert page.done.what.text() == "Ibuprofen 200 mg tablets — 3 tablets"
    assert "It is in stock. Staff will prepare it and call *******5678." in (
        page.done.next_steps.text())
    # the receipt went to the PDF printer of the test, with the number on it
    qtbot.waitUntil(lambda: page.done.printed is not None)
    assert page.done.print_status.text() == (
        f"There is no receipt printer here. Please remember your number: {request.id}.")
    pdf = receipts / f"request-{request.id:06d}.pdf"
    text = pdf_text(pdf)
    assert f"No. {request.id}" in text
    assert "Ibuprofen 200 mg tablets" in text and "3 tablets" in text
    assert "*******5678" in text and "13912345678" not in text
    assert "Test Station" in text
    assert "SECRET-LOT-7" not in text  # never lot details for residents
    # done: back to the start, nothing of this resident left
    tap(qtbot, page.done.finish)
    assert kiosk.current.key == "home"
    assert page.views.currentWidget() is page.choose_view
    assert page.phone.text() == "" and page.done.number.text() == ""


def test_units_stop_at_the_limit_and_a_repeat_over_it_is_refused_in_plain_words(
        qtbot: QtBot, kiosk: KioskWindow, store: Store) -> None:
    limit = requests.item_limit(store, PARA)
    earlier = requests.create(store, PARA, limit - 2, phone="138 1234 5678")
    page = need_page(qtbot, kiosk)
    choose_item(qtbot, page, PARA)
    page.units.setValue(limit + 5)
    assert page.units.value() == limit  # the stepper stops at the household's limit
    assert not page.units.plus.isEnabled()
    page.phone.setText("13812345678")
    before = ledger_dump(store.path)
    tap(qtbot, page.send)
    idle(qtbot, kiosk)
    assert page.views.currentWidget() is page.details_view
    refusal = (
        f"✖ Sorry, the kiosk cannot take this request. You can ask for at most {limit} "
        f"tablets of Paracetamol 500 mg tablets in 7 days for your home, counting earlier "
        f"requests. Ask for fewer, or ask the staff at the desk.")
    # what the number asked for before is never on the public screen
    assert page.message.text() == refusal
    assert str(limit - 2) not in page.message.text()
    assert ledger_dump(store.path) == before  # refused: nothing saved
    # a number the station has never seen, over the limit, reads exactly the same
    with pytest.raises(kiosk_jobs.OverLimit) as refused:
        kiosk_jobs.request_medicine(SimpleNamespace(store=store), PARA,  # type: ignore[arg-type]
                                    limit + 1, "none", 1, "13700009999", "en")
    unknown = page.refusal_text(Failure("Over the limit", "", False, refused.value))
    assert "✖ " + unknown == refusal
    assert ledger_dump(store.path) == before
    # within the limit, the same number may still ask; staff see the flag, residents do not
    page.units.setValue(2)
    tap(qtbot, page.send)
    idle(qtbot, kiosk)
    assert page.views.currentWidget() is page.done_view
    made = [r for r in requests.queue(store.conn) if r.id != earlier.id]
    assert made[0].flag and made[0].units == 2
    assert "asked for this item" not in page.done.next_steps.text()


def test_a_request_for_something_not_in_stock_joins_the_queue(
        qtbot: QtBot, kiosk: KioskWindow, store: Store) -> None:
    page = need_page(qtbot, kiosk)
    assert "none here now" in page.items.row_text(IBU)
    choose_item(qtbot, page, IBU)
    assert page.here.text() == "None here right now: you join the queue."
    tap(qtbot, page.send)
    idle(qtbot, kiosk)
    [request] = requests.queue(store.conn)
    assert request.phone_masked is None and request.priority == "none"
    assert page.done.next_steps.text().startswith(
        "None is in stock right now, so you are in the queue")
    assert "Please ask at the desk after" in page.done.next_steps.text()


def test_a_wrong_phone_number_is_explained_before_anything_is_sent(
        qtbot: QtBot, kiosk: KioskWindow, store: Store) -> None:
    page = need_page(qtbot, kiosk)
    choose_item(qtbot, page, IBU)
    press(qtbot, page, "12345")
    tap(qtbot, page.send)
    assert "does not look right" in page.message.text()
    assert requests.queue(store.conn) == []
    tap(qtbot, page.back)
    assert page.views.currentWidget() is page.choose_view


def test_the_need_page_in_chinese(qtbot: QtBot, kiosk: KioskWindow, store: Store) -> None:
    ledger.receive(store, IBU, 24, days(200))
    kiosk.set_language("zh")
    page = need_page(qtbot, kiosk)
    idle(qtbot, kiosk)
    assert page.choose_heading.text() == "您需要哪种药品？"
    page.items.search.setText("布洛芬")
    assert page.items.ids()[0] == IBU
    assert page.items.row_text(IBU) == "布洛芬片 200mg\n本站现有 24 片  ·  Ibuprofen 200 mg tablets"
    choose_item(qtbot, page, IBU)
    assert page.here.text() == "✔ 本站现有：24 片"
    tap(qtbot, page.send)
    idle(qtbot, kiosk)
    [request] = requests.queue(store.conn)
    assert request.language == "zh"
    assert page.done.heading.text() == "您的登记号"


def test_aspirin_for_a_child_is_refused_at_the_kiosk_pointing_to_the_right_item(
        qtbot: QtBot, kiosk: KioskWindow, store: Store) -> None:
    aspirin = "aspirin-300mg-tablet"
    ledger.receive(store, aspirin, 20, days(200))
    page = need_page(qtbot, kiosk)
    choose_item(qtbot, page, aspirin)
    tap(qtbot, page.priority.buttons["child"])
    # said at once, before anything is sent
    assert page.message.text().startswith("✖ Aspirin 300 mg tablets is for adults only.")
    tap(qtbot, page.priority.buttons["elderly"])
    assert page.message.text() == ""
    tap(qtbot, page.priority.buttons["child"])
    before = ledger_dump(store.path)
    tap(qtbot, page.send)
    idle(qtbot, kiosk)
    assert page.views.currentWidget() is page.details_view
    assert page.message.text() == (
        "✖ Aspirin 300 mg tablets is for adults only. For a child, ask for Children's "
        "paracetamol oral suspension 160 mg/5 ml, 100 ml.")
    assert ledger_dump(store.path) == before
    kiosk.set_language("zh")
    tap(qtbot, page.send)
    idle(qtbot, kiosk)
    assert page.message.text() == (
        "✖ 阿司匹林片 300mg仅限成人使用。儿童请改为申请对乙酰氨基酚口服混悬液 100ml:3.2g。")
    assert ledger_dump(store.path) == before


def test_come_after_is_on_the_stations_clock_and_inside_its_hours(
        qtbot: QtBot, tmp_path: Path, receipts: Path) -> None:
    from datetime import UTC, datetime

    from kiosk.clock import Clock
    from kiosk.db.station import init
    from tests.ui.kiosk.conftest import open_kiosk

    store = init(tmp_path / "sh", "SH01", "Xuhui Centre", opening_hours="Mon-Sat 9:00-17:00",
                 timezone="Asia/Shanghai")
    clock = Clock(datetime(2026, 11, 21, 8, 50, tzinfo=UTC))  # Saturday 16:50 in Shanghai
    store.clock = clock
    ledger.receive(store, IBU, 50, days(200))
    store.close()
    kiosk = open_kiosk(qtbot, tmp_path / "sh", clock, receipts)
    try:
        page = need_page(qtbot, kiosk)
        choose_item(qtbot, page, IBU)
        tap(qtbot, page.send)
        idle(qtbot, kiosk)
        # 30 minutes on is 17:20, after the close: the next opening is Monday 09:00
        assert "Come to the desk after Mon 23 Nov 2026, 09:00 with this number" in (
            page.done.next_steps.text())
        qtbot.waitUntil(lambda: page.done.printed is not None)
        text = " ".join(pdf_text(next(receipts.glob("request-*.pdf"))).split())
        assert "Open: Mon-Sat 09:00-17:00" in text and "Sat 21 Nov 2026, 16:50" in text
    finally:
        kiosk.shut_down()
