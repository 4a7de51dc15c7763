"""Who may see what on the insight dashboard: the roles and the one role matrix every route uses."""

from __future__ import annotations

from enum import StrEnum


class DashboardRole(StrEnum):
    """A dashboard account's role."""

    OFFICER = "officer"  # the authority: every school, safeguarding operations
    SCHOOL_LEAD = "school_lead"  # one school, with the authority's figure beside it
    DSL = "dsl"  # one school's designated safeguarding lead

    @property
    def needs_school(self) -> bool:
        """Whether an account in this role belongs to one school."""
        return self is not DashboardRole.OFFICER


class View(StrEnum):
    """Everything the dashboard shows or exports; each page and each CSV is one view."""

    PARTICIPATION = "participation"
    PERMA = "perma"
    MOOD = "mood"
    STAFF = "staff"
    SAFEGUARDING = "safeguarding"
    GROUPS = "groups"
    VOICE = "voice"  # learner voice: check-in schedules, polls, "you said, we did" (issue 13)


# Safeguarding operations are for officers only (issue 12). A DSL already sees every alert of
# their own school in the staff bot, one by one; an aggregate of their own school's alerts adds
# nothing they lack and a per-school alert table would be the most sensitive table in Llais. So
# a DSL sees the learner-voice views of their own school (participation, PERMA, mood), which
# help them plan, but not staff wellbeing (a matter for the head and the authority) nor groups.
# Learner voice (issue 13) is run by a school lead for their school; officers see every school's
# and create polls for any school; a DSL has no part in it.
ROLE_MATRIX: dict[DashboardRole, frozenset[View]] = {
    DashboardRole.OFFICER: frozenset(View),
    DashboardRole.SCHOOL_LEAD: frozenset(
        {View.PARTICIPATION, View.PERMA, View.MOOD, View.STAFF, View.GROUPS, View.VOICE}
    ),
    DashboardRole.DSL: frozenset({View.PARTICIPATION, View.PERMA, View.MOOD}),
}


def may_see(role: DashboardRole, view: View) -> bool:
    """Whether ``role`` may see (and export) ``view``."""
    return view in ROLE_MATRIX[role]
