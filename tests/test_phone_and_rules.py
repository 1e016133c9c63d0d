from datetime import date

import pytest

from kiosk import phone
from kiosk.errors import InvalidInput, NotEnoughStock
from kiosk.rules import LotStock, clean_text, parse_expiry, parse_units, pick_fefo

TODAY = date(2026, 11, 21)


@pytest.mark.parametrize(
    ("raw", "masked"),
    [("13812345678", "*******5678"), ("+86 138-1234-5678", "*******5678"),
     ("0207946000", "*******6000"), ("(0755) 8123-4567", "*******4567")],
)
def test_phone_is_masked_to_its_last_four_digits(raw: str, masked: str) -> None:
    # at most 4 digits and always 7 stars: the mask tells neither prefix nor length
    assert phone.mask(phone.normalise(raw)) == masked


@pytest.mark.parametrize(("raw", "digits"), [
    ("(0755) 8123-4567", "075581234567"), ("+86 (0755) 8123 4567", "+86075581234567"),
])
def test_a_number_with_brackets_is_accepted(raw: str, digits: str) -> None:
    assert phone.normalise(raw) == digits


@pytest.mark.parametrize("raw", ["١٣٨١٢٣٤٥٦٧٨", "138123456²8", "１３８１２３４５６７８"])
def test_non_ascii_digits_are_refused_in_plain_words(raw: str) -> None:
    with pytest.raises(InvalidInput, match=r"^Write the phone number with the digits 0 to 9\.$"):
        phone.normalise(raw)


@pytest.mark.parametrize("raw", ["abc", "12", "1" * 16, "138 1234 567x", "+"])
def test_bad_phone_numbers_are_refused_in_words(raw: str) -> None:
    with pytest.raises(InvalidInput, match="phone number"):
        phone.normalise(raw)


def test_same_number_written_differently_hashes_the_same() -> None:
    key = b"k" * 32
    assert phone.keyed_hash(phone.normalise("+86 138 1234 5678"), key) == phone.keyed_hash(
        phone.normalise("13812345678"), key
    )
    assert phone.keyed_hash("13812345678", key) != phone.keyed_hash("13812345678", b"x" * 32)


@pytest.mark.parametrize("raw", ["0", "-3", "2.5", "ten", "", "10001", True])
def test_units_must_be_a_positive_whole_number(raw: object) -> None:
    with pytest.raises(InvalidInput, match="Units"):
        parse_units(raw)


@pytest.mark.parametrize(
    ("raw", "reason"),
    [("2026-11-20", "expired"), ("2026-11-21", "today"), ("2026-13-01", "not a date"),
     ("21/11/2027", "not a date"), ("2040-01-01", "10 years"), ("20271121", "YYYY-MM-DD")],
)
def test_expiry_must_be_a_future_date(raw: str, reason: str) -> None:
    with pytest.raises(InvalidInput, match=reason):
        parse_expiry(raw, TODAY)


@pytest.mark.parametrize("raw", ["bad\x00lot", "tab\there", "x" * 41, "zero\u200bwidth"])
def test_text_with_control_characters_or_too_long_is_refused(raw: str) -> None:
    with pytest.raises(InvalidInput):
        clean_text(raw, "The lot number", 40)


def test_fefo_takes_earliest_expiry_first_and_skips_expired_lots() -> None:
    lots = [
        LotStock(1, date(2027, 5, 1), 10),
        LotStock(2, date(2026, 12, 1), 3),
        LotStock(3, date(2026, 11, 20), 50),  # expired
    ]
    picks = pick_fefo(lots, 5, TODAY)
    assert [(p.lot_id, p.units) for p in picks] == [(2, 3), (1, 2)]
    with pytest.raises(NotEnoughStock):
        pick_fefo(lots, 14, TODAY)
