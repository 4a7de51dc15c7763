"""The theme of a learner's comment: the NLU's topic for it, counted only (never the text)."""

from __future__ import annotations

from typing import Final

from nlu import keys
from nlu.understand import Understanding

THEME_CONFIDENCE: Final = 0.55  # below this the comment's theme is "other"
TOPIC_PREFIX: Final = "topic_"
TOPICS: Final = (
    "bereavement",
    "bullying",
    "exam_stress",
    "family",
    "friendships",
    "identity",
    "loneliness",
    "sleep",
)
THEMES: Final = (*TOPICS, "low_mood", "feeling_good", "help", "other")
"""Every theme a comment or a poll's free-text answer can have (one vocabulary for check-in
comments, poll results and "you said, we did"), in the order dashboards show them."""


def theme_of(understanding: Understanding) -> str:
    """A comment's theme: its NLU topic when the NLU is sure enough, help-seeking or a mood when
    that is what it says, otherwise ``other``."""
    nlu = understanding.nlu
    sure = nlu.confidence >= THEME_CONFIDENCE
    if sure and nlu.intent.startswith(TOPIC_PREFIX) and nlu.intent[len(TOPIC_PREFIX) :] in TOPICS:
        return nlu.intent[len(TOPIC_PREFIX) :]
    if understanding.help_seeking:
        return "help"
    if sure and nlu.intent == keys.FEELING_LOW:
        return "low_mood"
    if sure and nlu.intent == "feeling_good":
        return "feeling_good"
    return "other"
