"""Risk levels and assessments: parsing, labels, and combining that can never lower."""

from __future__ import annotations

import itertools

import pytest

from core.vocabulary import Category, RiskLevel
from nlu.safeguarding import NONE_ASSESSMENT, RiskAssessment


def test_labels_round_trip_through_parse() -> None:
    assert [level.label for level in RiskLevel] == ["none", "low", "medium", "high", "critical"]
    for level in RiskLevel:
        assert RiskLevel.parse(level.label) is level
    assert RiskLevel.parse(" HIGH ") is RiskLevel.HIGH


def test_parse_rejects_unknown_labels() -> None:
    with pytest.raises(ValueError, match="unknown risk level"):
        RiskLevel.parse("severe")


def test_categories_are_the_ten_from_the_reference_page() -> None:
    assert tuple(Category) == (
        "suicide", "self_harm", "abuse", "domestic_abuse", "exploitation",
        "bullying", "substance", "eating", "running_away", "harm_others",
    )  # fmt: skip


def test_is_concern_from_medium_up() -> None:
    concern = {lvl for lvl in RiskLevel if RiskAssessment(lvl, (), ()).is_concern}
    assert concern == {RiskLevel.MEDIUM, RiskLevel.HIGH, RiskLevel.CRITICAL}
    assert not NONE_ASSESSMENT.is_concern


def test_raised_with_never_lowers_and_unions() -> None:
    for a, b in itertools.product(RiskLevel, repeat=2):
        first = RiskAssessment(a, (Category.SUICIDE,), ("kms",))
        second = RiskAssessment(
            b, (Category.BULLYING, Category.ABUSE), ("model:bullying", "kms"), True
        )
        combined = first.raised_with(second)
        assert combined.level == max(a, b)
        assert combined.level >= first.level and combined.level >= second.level
        assert combined.categories == ("abuse", "bullying", "suicide")
        assert combined.cues == ("kms", "model:bullying")
        assert combined.about_other


def test_raised_with_none_keeps_the_assessment() -> None:
    high = RiskAssessment(RiskLevel.HIGH, (Category.ABUSE,), ("abuse:physical",))
    assert high.raised_with(NONE_ASSESSMENT) == high
    assert NONE_ASSESSMENT.raised_with(high) == high
