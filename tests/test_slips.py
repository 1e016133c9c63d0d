"""Slip codes without a database: the signed token, the short code, every refusal."""

from __future__ import annotations

import os
import random
import re
from datetime import UTC, datetime

import pytest
import qrcode
import qrcode.util
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk import slips
from kiosk.errors import SlipRefused
from kiosk.slips import Refusal, ShortCode, Token

SECRET = bytes(range(32))
NONCE = "0123456789abcdef"
STATION = "HX01"


def token(slip_id: int = 42, station: str = STATION, secret: bytes = SECRET,
          nonce: str = NONCE) -> Token:
    return slips.make_token(station, slip_id, secret, nonce)


def short(slip_id: int = 42, station: str = STATION, secret: bytes = SECRET,
          nonce: str = NONCE) -> ShortCode:
    return slips.make_short_code(station, slip_id, secret, nonce)


def accepted(text: str, *, strict: bool = True) -> int | None:
    """The slip number if this station would take the text, else None."""
    try:
        code = slips.parse(text) if strict else slips.read(text)
        return slips.verify(code, STATION, SECRET, NONCE)
    except Refusal:
        return None


# -- the token ------------------------------------------------------------------------------


def test_a_token_reads_back_and_verifies() -> None:
    made = token(42)
    assert re.fullmatch(r"MS1:HX01:42:[A-Z2-7]{20}", made.text)
    assert slips.parse(made.text) == made
    assert slips.verify(slips.parse(made.text), STATION, SECRET, NONCE) == 42


def test_the_mac_carries_at_least_80_bits_and_depends_on_secret_station_slip_and_nonce() -> None:
    made = token(42)
    assert len(made.mac) * 5 >= 80
    others = {
        token(43).mac, token(42, station="HX02").mac, token(42, secret=bytes(32)).mac,
        token(42, nonce="fedcba9876543210").mac,
    }
    assert made.mac not in others and len(others) == 4


@pytest.mark.parametrize("station", ["AB", "HX01", "ABCDEFGHIJKL"])
@pytest.mark.parametrize("slip_id", [1, 999, slips.MAX_SLIP_ID])
def test_tokens_use_only_qr_alphanumeric_and_fit_version_4_at_level_q(
        station: str, slip_id: int) -> None:
    text = token(slip_id, station=station).text
    assert slips.fits_qr_alphanumeric(text)
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_Q)
    code.add_data(text)
    code.make(fit=True)
    assert code.version <= 4
    assert [segment.mode for segment in code.data_list] == [qrcode.util.MODE_ALPHA_NUM]


def test_a_token_carries_nothing_but_station_slip_number_and_mac() -> None:
    assert token(7).text.split(":")[:3] == ["MS1", "HX01", "7"]


@pytest.mark.parametrize(
    ("text", "reason", "words"),
    [
        ("https://example.com/promo", slips.NOT_MEDSHARE, "not a MedShare pickup slip"),
        ("6901234567892", slips.NOT_MEDSHARE, "product barcode"),
        ("MS2:HX01:42:AAAA", slips.NEWER_FORMAT, "newer version of MedShare"),
        ("MS1:HX01:42", slips.FORGED, "incomplete or has been altered"),
        ("MS1:HX01:042:" + "A" * 20, slips.FORGED, "incomplete or has been altered"),
        ("MS1:HX01:42:" + "A" * 19, slips.FORGED, "incomplete or has been altered"),
        ("MS1:HX01:42:" + "A" * 20 + ":X", slips.FORGED, "incomplete or has been altered"),
        ("MS1:H:42:" + "A" * 20, slips.FORGED, "incomplete or has been altered"),
        ("MS1:HX01:0:" + "A" * 20, slips.FORGED, "incomplete or has been altered"),
    ],
)
def test_malformed_codes_are_refused_with_a_plain_reason(text: str, reason: str,
                                                          words: str) -> None:
    with pytest.raises(SlipRefused, match=words) as refused:
        slips.parse(text)
    assert isinstance(refused.value, Refusal) and refused.value.reason == reason


def test_a_token_from_another_station_is_refused_naming_that_station() -> None:
    theirs = token(42, station="PD07", secret=b"x" * 32)
    with pytest.raises(Refusal, match=r"issued by station PD07, not by this station \(HX01\)") as r:
        slips.verify(slips.parse(theirs.text), STATION, SECRET, NONCE)
    assert r.value.reason == slips.OTHER_STATION and r.value.station == "PD07"


def test_an_altered_slip_number_or_mac_is_refused_as_altered_or_forged() -> None:
    made = token(42)
    for forged in (f"MS1:HX01:43:{made.mac}", made.text[:-1] + ("A" if made.mac[-1] != "A"
                                                                  else "B")):
        with pytest.raises(Refusal, match="altered or forged") as refused:
            slips.verify(slips.parse(forged), STATION, SECRET, NONCE)
        assert refused.value.reason == slips.FORGED


# -- the short code --------------------------------------------------------------------------


def test_a_short_code_is_short_grouped_and_reads_back() -> None:
    code = short(42)
    assert re.fullmatch(r"[0-9A-HJKMNP-TV-Z]{3}-[0-9A-HJKMNP-TV-Z]{3}-[0-9A-HJKMNP-TV-Z]{3}",
                        code.text)
    assert slips.parse(code.text) == code
    assert slips.verify(code, STATION, SECRET, NONCE) == 42


def test_typing_a_short_code_forgives_case_spaces_dashes_and_look_alike_characters() -> None:
    for slip_id in range(1, 400):
        code = short(slip_id)
        compact = code.compact
        variants = {
            code.text.lower(),
            compact,
            " ".join(compact),
            f"  {code.text}\n",
            compact.replace("0", "O").replace("1", "I"),
            compact.replace("1", "l").lower(),
        }
        for typed in variants:
            assert slips.parse(typed) == code, typed
            assert accepted(typed) == slip_id


def test_every_single_mistyped_character_is_caught_by_the_check_character() -> None:
    code = short(1234).compact
    for position in range(len(code)):
        for char in slips.CROCKFORD:
            if char == code[position]:
                continue
            typo = code[:position] + char + code[position + 1:]
            with pytest.raises(Refusal) as refused:
                slips.parse(typo)
            assert refused.value.reason == slips.MISTYPED
            assert "mistyped" in str(refused.value)


def test_swapped_neighbours_are_caught_except_zero_and_z() -> None:
    rng = random.Random(3)
    missed = 0
    for _ in range(300):
        code = short(rng.randint(1, 50_000), nonce=f"{rng.getrandbits(64):016x}").compact
        for i in range(len(code) - 1):
            a, b = code[i], code[i + 1]
            if a == b:
                continue
            swapped = code[:i] + b + a + code[i + 2:]
            try:
                slips.parse(swapped)
            except Refusal:
                continue
            assert {a, b} == {"0", "Z"}, (code, swapped)
            missed += 1
    assert missed < 30


def test_a_short_code_with_a_good_check_character_but_wrong_mac_is_refused() -> None:
    body = slips.crockford_encode(42, 2) + "ABCDEF"
    typed = body + slips.luhn32_check(body)
    assert slips.parse(typed) == ShortCode(42, "ABCDEF")
    with pytest.raises(Refusal, match="does not match any slip issued at this station"):
        slips.verify(slips.parse(typed), STATION, SECRET, NONCE)


@pytest.mark.parametrize("typed", ["K7M-4QX", "K7M4QX2RBXYZW", "hello"])
def test_a_code_of_the_wrong_length_is_not_taken_for_a_slip(typed: str) -> None:
    with pytest.raises(Refusal):
        slips.parse(typed)


# -- nothing else is ever accepted ----------------------------------------------------------


def _mutants(text: str, rng: random.Random) -> list[str]:
    """Every single-bit flip, every truncation, and random character substitutions."""
    raw = text.encode("ascii")
    out = [raw[:cut].decode("ascii") for cut in range(len(raw))]
    for index in range(len(raw)):
        for bit in range(8):
            flipped = bytearray(raw)
            flipped[index] ^= 1 << bit
            out.append(flipped.decode("latin-1"))
    alphabet = [*sorted(slips.QR_ALPHANUMERIC), "a", "z", "\n", "é"]
    for _ in range(400):
        chars = list(text)
        for _ in range(rng.randint(1, 3)):
            chars[rng.randrange(len(chars))] = rng.choice(alphabet)
        out.append("".join(chars))
    return [mutant for mutant in out if mutant != text]


def test_100k_random_truncated_and_bit_flipped_codes_are_never_accepted() -> None:
    rng = random.Random(int(os.environ.get("MEDSHARE_TEST_SEED", "2022")))
    tried = 0
    for slip_id in rng.sample(range(1, 100_000), 120):
        original = token(slip_id)
        for mutant in _mutants(original.text, rng):
            # exactly as scanned: nothing but the original is accepted
            assert accepted(mutant) is None, mutant
            # read tolerantly (trimmed, upper-cased): only the same token is accepted
            if accepted(mutant, strict=False) is not None:
                assert mutant.strip().upper() == original.text, mutant
            tried += 1
        code = short(slip_id)
        for mutant in _mutants(code.text, rng):
            if accepted(mutant) is not None:
                assert slips.normalise_short_code(mutant) == code.compact, mutant
            tried += 1
    alphabet = "".join(sorted(slips.QR_ALPHANUMERIC))
    for _ in range(20_000):
        shape = rng.random()
        if shape < 0.5:  # well-formed tokens with a random MAC
            text = (f"MS1:{STATION}:{rng.randint(1, 999_999)}:"
                    + "".join(rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567") for _ in range(20)))
        elif shape < 0.75:  # random short codes
            text = "".join(rng.choice(slips.CROCKFORD) for _ in range(rng.randint(9, 11)))
        else:  # random QR text
            text = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 60)))
        assert accepted(text) is None and accepted(text, strict=False) is None, text
        tried += 1
    assert tried >= 100_000


@settings(max_examples=400, deadline=None)
@given(st.text(max_size=80))
def test_any_text_at_all_is_either_a_code_or_a_plain_refusal(text: str) -> None:
    try:
        code = slips.read(text)
    except Refusal as refusal:
        assert refusal.reason in {slips.NOT_MEDSHARE, slips.MISTYPED, slips.FORGED,
                                  slips.NEWER_FORMAT}
        assert str(refusal) and "\n" not in str(refusal)
        return
    assert isinstance(code, Token | ShortCode)


@settings(max_examples=300, deadline=None)
@given(st.from_regex(r"\AMS1:[A-Z0-9]{2,12}:[1-9][0-9]{0,5}:[A-Z2-7]{20}\Z"))
def test_well_formed_tokens_with_made_up_macs_never_verify(text: str) -> None:
    code = slips.parse(text)
    assert isinstance(code, Token)
    with pytest.raises(Refusal) as refused:
        slips.verify(code, code.station, SECRET, NONCE)
    assert refused.value.reason == slips.FORGED


@settings(max_examples=200, deadline=None)
@given(st.integers(1, slips.MAX_SLIP_ID), st.binary(min_size=32, max_size=32),
       st.from_regex(r"\A[A-Z0-9]{2,12}\Z"))
def test_every_genuine_code_round_trips(slip_id: int, secret: bytes, station: str) -> None:
    made = slips.make_token(station, slip_id, secret, NONCE)
    assert slips.verify(slips.read(made.text.lower()), station, secret, NONCE) == slip_id
    typed = slips.make_short_code(station, slip_id, secret, NONCE)
    assert slips.verify(slips.read(typed.text), station, secret, NONCE) == slip_id
    assert len(typed.compact) <= 11


# -- dates on slips ----------------------------------------------------------------------------


def test_moments_print_the_same_whatever_the_process_locale() -> None:
    import locale

    moment = datetime(2026, 11, 23, 10, 5, tzinfo=UTC)
    before = locale.setlocale(locale.LC_TIME)
    try:
        for name in ("C.UTF-8", "C"):
            try:
                locale.setlocale(locale.LC_TIME, name)
            except locale.Error:
                continue
            english = slips.format_moment(moment, "en")
            chinese = slips.format_moment(moment, "zh")
            assert re.fullmatch(r"(Mon|Tue) 2[34] Nov 2026, \d\d:\d5", english)
            assert re.fullmatch(r"2026年11月2[34]日（周[一二]）\d\d:\d5", chinese)
    finally:
        locale.setlocale(locale.LC_TIME, before)


# -- training stations ------------------------------------------------------------------------


def test_a_training_token_says_so_and_no_real_station_accepts_it() -> None:
    real = token(42)
    practice = slips.make_token(STATION, 42, SECRET, NONCE, training=True)
    assert re.fullmatch(r"MST:HX01:42:[A-Z2-7]{20}", practice.text)
    assert slips.fits_qr_alphanumeric(practice.text)
    assert practice.mac != real.mac  # the marker is inside the MAC's domain
    parsed = slips.parse(practice.text)
    assert parsed == practice and parsed.training
    assert slips.verify(parsed, STATION, SECRET, NONCE, training=True) == 42
    with pytest.raises(Refusal, match="This is a TRAINING slip") as refused:
        slips.verify(parsed, STATION, SECRET, NONCE)
    assert refused.value.reason == slips.TRAINING
    with pytest.raises(Refusal, match="issued by a real station"):
        slips.verify(real, STATION, SECRET, NONCE, training=True)
    # the same digits with the real prefix are a forgery, not a real slip
    with pytest.raises(Refusal, match="altered or forged"):
        slips.verify(slips.parse("MS1" + practice.text[3:]), STATION, SECRET, NONCE)
    # a training short code never matches at a real station
    practice_short = slips.make_short_code(STATION, 42, SECRET, NONCE, training=True)
    assert practice_short != short(42)
    with pytest.raises(Refusal):
        slips.verify(slips.parse(practice_short.text), STATION, SECRET, NONCE)
