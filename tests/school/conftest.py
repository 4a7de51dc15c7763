"""The loop back to the school uses the staff bot's fixtures: the real app, two Bot API doubles
and a clock."""

from tests.staff.conftest import (
    clock,
    learner_api,
    settings,
    staff_api,
)

__all__ = ["clock", "learner_api", "settings", "staff_api"]
