"""The core's message catalog: every entry in both languages, with the same placeholders."""

from __future__ import annotations

import string

import pytest

from kiosk.messages import LANGUAGES, MESSAGES, say


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("key", sorted(MESSAGES))
def test_every_message_is_in_every_language_with_the_same_placeholders(key: str) -> None:
    entry = MESSAGES[key]
    assert set(entry) == set(LANGUAGES), f"{key} misses a language"
    assert all(entry[lang] for lang in LANGUAGES), f"{key} is empty in a language"
    names = {lang: placeholders(entry[lang]) for lang in LANGUAGES}
    assert names["en"] == names["zh"], f"{key}: placeholders differ: {names}"


def test_a_language_the_station_does_not_speak_reads_english() -> None:
    assert say("slip.collect_by", "fr", end="Mon") == "Collect by Mon"
    assert say("slip.collect_by", "zh", end="周一") == "请在 周一 前领取"
