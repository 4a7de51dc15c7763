"""What a page shows for a view: its measures, breakdowns and trend figure, scoped to the account
(an officer sees every school; a school lead or DSL their own, with the authority beside)."""

from __future__ import annotations

from dataclasses import dataclass

from core.access import DashboardRole, View
from llais.insight.specs import SPECS, Measure, table_for
from storage.aggregate import Publication, PublishedCell
from storage.repo.accounts import Account

MEASURES: dict[View, tuple[Measure, ...]] = {
    View.PARTICIPATION: (Measure.PARTICIPATION,),
    View.PERMA: (Measure.PERMA,),
    View.MOOD: (Measure.MOOD, Measure.REASONS, Measure.HELP, Measure.THEMES),
    View.STAFF: (Measure.STAFF,),
    View.SAFEGUARDING: (Measure.SAFEGUARDING, Measure.REQUESTS),
}
BREAKDOWNS = ("school", "year_group", "level", "category")
# The figure a trend follows: a mean by name, or the share of one category level.
TREND: dict[Measure, tuple[str, str]] = {
    Measure.PARTICIPATION: ("percent", "active"),
    Measure.PERMA: ("mean", "overall"),
    Measure.MOOD: ("mean", "score"),
    Measure.STAFF: ("mean", "mental"),
    Measure.SAFEGUARDING: ("percent", "within"),
    Measure.REQUESTS: ("percent", "within"),
}


@dataclass(frozen=True, slots=True)
class Scope:
    """Whose figures: every school (None) or one school's, with the authority beside."""

    school: str | None

    @classmethod
    def of(cls, account: Account) -> Scope:
        """An officer's scope is every school; everyone else's is their own school."""
        if account.role is DashboardRole.OFFICER:
            return cls(None)
        return cls(str(account.school_id))

    def view(self, publication: Publication) -> Publication:
        """The publication as this reader may see it."""
        return publication if self.school is None else publication.for_school(self.school)


def dims_for(measure: Measure, by: str, scope: Scope) -> tuple[str, ...]:
    """The table a page shows for a breakdown (a school's own breakdowns keep the school)."""
    wanted: tuple[str, ...] = (by,) if scope.school is None or by == "school" else ("school", by)
    for candidate in (wanted, (by,), ("school",)):
        try:
            return table_for(measure, candidate)
        except ValueError:
            continue
    return SPECS[measure].tables[0]


def breakdowns(measure: Measure) -> list[str]:
    """The breakdowns a measure is published by (besides its category)."""
    spec = SPECS[measure]
    found = {d for table in spec.tables for d in table if d != spec.category}
    return [b for b in BREAKDOWNS if b in found]


def trend_cell(
    publication: Publication, measure: Measure, school: str | None
) -> PublishedCell | None:
    """The cell a trend follows: the authority's total, or the school's own (None when the
    period has no data from that school, so it has no cell)."""
    how, name = TREND[measure]
    spec = SPECS[measure]
    key: dict[str, str] = {} if school is None else {"school": school}
    if how == "percent" and spec.category is not None:
        key[spec.category] = name
    table = publication.table(*table_for(measure, ("school",)))
    try:
        return table.cell(**key)
    except KeyError:
        return None


def trend_figure(cell: PublishedCell | None, measure: Measure) -> str:
    """The trend's figure as text (a number or a symbol; a dash for no data at all)."""
    if cell is None:
        return "–"
    how, name = TREND[measure]
    if how == "mean":
        return cell.means[name].text()
    return cell.percent.text() if cell.percent is not None else ""
