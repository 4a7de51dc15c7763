"""Excerpts for the DSL are centred on what the detector found."""

from __future__ import annotations

from llais.excerpts import EXCERPT_CHARS, excerpt_around
from nlu.safeguarding import CueSpan


def test_a_short_message_is_kept_whole() -> None:
    assert excerpt_around("  he hits me  ", [CueSpan(3, 10, "abuse")]) == "he hits me"


def test_a_long_message_is_cut_around_its_cue_within_the_limit() -> None:
    text = "a" * 3000 + " he hits me " + "b" * 3000
    start = text.index("he hits me")
    cut = excerpt_around(text, [CueSpan(start, start + 10, "abuse:physical")])
    assert "he hits me" in cut and len(cut) <= EXCERPT_CHARS
    assert cut.startswith("…") and cut.endswith("…")
    assert abs(cut.index("he hits me") - len(cut) // 2) < 20  # centred


def test_a_cue_at_the_very_end_keeps_the_end() -> None:
    text = "x" * 4500 + " kill myself"
    cut = excerpt_around(text, [CueSpan(len(text) - 11, len(text), "kill myself")])
    assert cut.endswith("kill myself") and len(cut) <= EXCERPT_CHARS


def test_without_a_located_cue_the_start_or_with_tail_the_end() -> None:
    text = "first " * 200 + "last words"
    assert excerpt_around(text, [CueSpan(0, len(text), "context")]).startswith("first")
    assert excerpt_around(text, (), tail=True).endswith("last words")
