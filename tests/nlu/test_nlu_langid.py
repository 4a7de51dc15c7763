"""Language identification on short, mixed and held-out messages."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from core.vocabulary import Language
from nlu.builtin import BuiltinBackend

HELDOUT = Path(__file__).resolve().parents[1] / "data" / "heldout" / "intents.jsonl"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("diolch", "cy"),
        ("shwmae", "cy"),
        ("dw i'n iawn", "cy"),
        ("wi moyn siarad", "cy"),
        ("dwi'n stressed am yr exams tbh", "cy"),
        ("mae'r group chat yn toxic", "cy"),
        ("thanks", "en"),
        ("im fine", "en"),
        ("my nain is ill", "en"),
        ("i'm so stressed about exams", "en"),
    ],
)
def test_short_and_mixed_messages(
    builtin_backend: BuiltinBackend, text: str, expected: str
) -> None:
    assert builtin_backend.language_identifier.identify(text) == expected


@pytest.mark.parametrize("text", ["ok", "k", "lol", "👍", "", "7/10", "?!"])
def test_the_hint_decides_messages_without_evidence(
    builtin_backend: BuiltinBackend, text: str
) -> None:
    identifier = builtin_backend.language_identifier
    assert identifier.identify(text, Language.CY) == Language.CY
    assert identifier.identify(text, Language.EN) == Language.EN


def test_a_clear_message_overrides_the_hint(builtin_backend: BuiltinBackend) -> None:
    identifier = builtin_backend.language_identifier
    assert identifier.identify("dw i ddim yn gallu cysgu", Language.EN) == Language.CY
    assert identifier.identify("i can't sleep at all", Language.CY) == Language.EN


def test_heldout_language_accuracy(builtin_backend: BuiltinBackend) -> None:
    rows = [json.loads(line) for line in HELDOUT.read_text(encoding="utf-8").splitlines()]
    for language in ("cy", "en"):
        group = [r for r in rows if r["lang"] == language]
        hits = sum(
            builtin_backend.language_identifier.identify(r["text"]) == language for r in group
        )
        assert hits / len(group) >= 0.95, language
