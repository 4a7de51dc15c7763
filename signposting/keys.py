"""The catalogue keys signposting builds at run time, so start-up can check they all exist."""

from __future__ import annotations

from typing import get_args

from core.vocabulary import ContactRole
from signposting.matching import Reason
from signposting.taxonomy import GENERAL, NEEDS

WEEKDAYS = range(7)  # Monday = 0, as ``datetime.weekday``


def message_keys() -> frozenset[str]:
    """Needs, school contact roles, weekdays and the reasons a match was chosen."""
    return frozenset(
        [f"signposting.need_{need}" for need in (*NEEDS, GENERAL)]
        + [f"signposting.role_{role.value}" for role in ContactRole]
        + [f"signposting.day_{day}" for day in WEEKDAYS]
        + [f"signposting.why_{reason}" for reason in get_args(Reason)]
        + ["signposting.why_crisis_open_hours"]  # a crisis line open now, but not 24/7
    )
