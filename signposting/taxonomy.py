"""The needs vocabulary (Llais's taxonomy terms) and the audiences a service can be for."""

from __future__ import annotations

from typing import Literal, get_args

from core.vocabulary import Category

Audience = Literal["learner", "staff", "parent"]
AUDIENCES: tuple[Audience, ...] = get_args(Audience)

TAXONOMY = "llais-needs"

# The safeguarding detector's categories; a concern in one of these goes to the school's DSL.
SAFEGUARDING_NEEDS: tuple[str, ...] = tuple(Category)

WELLBEING_NEEDS: tuple[str, ...] = (
    "anxiety",
    "low_mood",
    "exam_stress",
    "family",
    "friendships",
    "sleep",
    "bereavement",
    "identity",
    "money",
    "loneliness",
    "staff_wellbeing",
    "crisis",
)

# "general" marks a service that listens about anything; it matches every need, less closely.
GENERAL = "general"
NEEDS: tuple[str, ...] = SAFEGUARDING_NEEDS + WELLBEING_NEEDS
TERMS: frozenset[str] = frozenset((*NEEDS, GENERAL))


def is_safeguarding(need: str) -> bool:
    """Whether ``need`` is one of the safeguarding categories."""
    return need in SAFEGUARDING_NEEDS
