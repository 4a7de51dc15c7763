"""What each measure publishes: one ``Spec`` per measure holding every table any page, export or
report may show, so one ``publish`` call protects them all together."""

from __future__ import annotations

from enum import StrEnum

from core.vocabulary import SpiceWell
from nlu.themes import THEMES
from storage.aggregate import PeriodKind, Spec, Unit
from storage.repo.insight import MOOD_LEVELS, PERMA_BANDS, PERMA_VALUES, STAFF_PILLARS

MOOD_TAGS = (
    "school_work",
    "friends",
    "family",
    "sleep",
    "health",
    "online",
    "money",
    "bullying",
    "other",
    "none",
)


class Measure(StrEnum):
    """A measure: one population in one period, one ``Spec``."""

    PARTICIPATION = "participation"
    PERMA = "perma"
    MOOD = "mood"
    REASONS = "reasons"
    HELP = "help"
    THEMES = "themes"
    STAFF = "staff"
    SAFEGUARDING = "safeguarding"
    REQUESTS = "requests"


SPECS: dict[Measure, Spec] = {
    Measure.PARTICIPATION: Spec(
        measure="participation",
        tables=(("school", "status"), ("year_group", "status"), ("school", "year_group", "status")),
        category="status",
        levels={"status": ("active", "inactive")},
    ),
    Measure.PERMA: Spec(
        measure="perma",
        tables=(("school", "band"), ("year_group", "band"), ("school", "year_group", "band")),
        values=PERMA_VALUES,
        category="band",
        levels={"band": PERMA_BANDS},
    ),
    Measure.MOOD: Spec(
        measure="mood",
        tables=(("school", "mood"), ("year_group", "mood"), ("school", "year_group", "mood")),
        values=("score",),
        category="mood",
        levels={"mood": MOOD_LEVELS},
    ),
    Measure.REASONS: Spec(
        measure="reasons",
        tables=(("school", "tag"), ("year_group", "tag")),
        category="tag",
        levels={"tag": MOOD_TAGS},
    ),
    Measure.HELP: Spec(
        measure="help",
        tables=(("school", "need"), ("year_group", "need")),
        category="need",
    ),
    Measure.THEMES: Spec(
        measure="themes",
        tables=(("school", "theme"), ("year_group", "theme")),
        category="theme",
        levels={"theme": THEMES},
    ),
    Measure.STAFF: Spec(
        measure="staff",
        tables=(("school", "well"),),
        values=STAFF_PILLARS,
        category="well",
        levels={"well": (*(w.value for w in SpiceWell), "none")},
    ),
    Measure.SAFEGUARDING: Spec(
        measure="safeguarding",
        tables=(("school", "ack"), ("level", "ack"), ("category", "ack")),
        unit=Unit.RECORDS,
        # minutes to acknowledge: a median per cell, over the alerts acknowledged
        values=("minutes",),
        medians=("minutes",),
        category="ack",
        levels={"ack": ("within", "late", "open")},
    ),
    Measure.REQUESTS: Spec(
        measure="requests",
        tables=(("school", "taken"),),
        unit=Unit.RECORDS,
        category="taken",
        levels={"taken": ("within", "late", "open")},
    ),
}

# Alerts are records: a term is the sum of its weeks, so publishing them weekly too would let a
# withheld weekly cell be worked out (storage/aggregate/README.md, "Nested periods"). Termly only.
PERIOD_KINDS: dict[Measure, tuple[PeriodKind, ...]] = {
    measure: (PeriodKind.WEEK, PeriodKind.HALF_TERM, PeriodKind.TERM, PeriodKind.YEAR)
    for measure in Measure
}
PERIOD_KINDS[Measure.SAFEGUARDING] = (PeriodKind.TERM,)
PERIOD_KINDS[Measure.REQUESTS] = (PeriodKind.TERM,)  # records too: termly only


def table_for(measure: Measure, by: tuple[str, ...]) -> tuple[str, ...]:
    """The published table for a breakdown ``by`` (the measure's category added)."""
    spec = SPECS[measure]
    wanted = set(by) | ({spec.category} if spec.category else set())
    for table in spec.tables:
        if set(table) == wanted:
            return table
    choices = "; ".join(",".join(d for d in t if d != spec.category) for t in spec.tables)
    raise ValueError(f"{measure.value} is published by: {choices}")
