"""The detector answers every input, quickly and the same way every time."""

from __future__ import annotations

import random
import time

import pytest

from core.vocabulary import RiskLevel
from nlu.safeguarding import RiskAssessment, SafeguardingDetector

DETECTOR = SafeguardingDetector()


def _random_text(seed: int, size: int) -> str:
    rng = random.Random(seed)
    return bytes(rng.getrandbits(8) for _ in range(size)).decode("utf-8", errors="replace")


@pytest.mark.parametrize(
    "text",
    [
        "",
        " ",
        "\n\t\r",
        "😂😂😂💀💀",
        "🫠🧍‍♀️🏳️‍🌈",
        "\u200b\u200c\u200d\u2060\ufeff",
        "\x00\x01\x02",
        "\ud800",  # a lone surrogate
        "?!?!...---",
        "1234567890",
        "a" * 100_000,
        "k i l l " * 20_000,
        _random_text(1, 100_000),
        bytes(range(256)).decode("latin-1"),
    ],
)
def test_any_input_gets_an_assessment(text: str) -> None:
    started = time.perf_counter()
    result = DETECTOR.assess(text)
    assert isinstance(result, RiskAssessment)
    assert time.perf_counter() - started < 2.0


def test_invisible_or_emoji_only_messages_are_not_concerns() -> None:
    assert DETECTOR.assess("\u200b\u200b\u200b").level == RiskLevel.NONE
    assert DETECTOR.assess("💀💀💀").level == RiskLevel.NONE


def test_a_disclosure_at_the_end_of_a_huge_message_is_found() -> None:
    text = "school was fine today. " * 4_000 + "but i want to kill myself"
    assert DETECTOR.assess(text).level >= RiskLevel.HIGH


def test_assess_is_deterministic() -> None:
    texts = ["kms lol", "dwi isio marw", "my dad hits me", "hi", _random_text(2, 2_000)]
    first = [DETECTOR.assess(t) for t in texts]
    second = [SafeguardingDetector().assess(t) for t in texts]
    assert first == second


def test_typical_messages_are_fast() -> None:
    texts = [
        "i want to die",
        "dwi'n teimlo'n drist heddiw",
        "this homework is killing me lol",
    ] * 200
    started = time.perf_counter()
    for text in texts:
        DETECTOR.assess(text)
    per_message = (time.perf_counter() - started) / len(texts)
    assert per_message < 0.005
