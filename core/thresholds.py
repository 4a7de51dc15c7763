"""What "low" means: the one definition used by the flows, storage and reports."""

from __future__ import annotations

from collections.abc import Sequence

LOW_CHECKIN_MEAN = 4.0  # a learner check-in averaging under 4 of 10 counts as low
LOW_MOOD = 2  # 😢 or 🙁 (of 1..5)
LOWEST_MOOD = 1  # 😢: answered with care and an offer of support at once
STREAK_TO_OFFER = 3  # support is offered gently after this many low check-ins or moods in a row
LOW_STAFF_MEAN = 2.5  # of 5: a staff check-in averaging this or less offers support
LOWEST_RATING = 1  # a staff pillar rated this low offers support on its own
LOW_MONEY_RATING = 2  # the financial pillar at this or less adds money advice for staff


def checkin_is_low(values: Sequence[int]) -> bool:
    """Whether a learner check-in with these ratings counts as low."""
    return bool(values) and checkin_mean_is_low(sum(values) / len(values))


def checkin_mean_is_low(mean: float) -> bool:
    """Whether a learner check-in with this mean rating counts as low."""
    return mean < LOW_CHECKIN_MEAN


def mood_is_low(score: int) -> bool:
    """Whether a mood score counts as low."""
    return score <= LOW_MOOD


def staff_checkin_is_low(values: Sequence[int]) -> bool:
    """Whether a staff check-in is low: a low mean, or one pillar at the bottom."""
    if not values:
        return False
    return sum(values) / len(values) <= LOW_STAFF_MEAN or min(values) <= LOWEST_RATING
