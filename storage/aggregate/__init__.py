"""Aggregation with disclosure control: the one place where published figures are made safe.

Every dashboard page, export and report gets its figures from ``publish``: raw rows of one measure
for one fixed reporting period go in, tables whose cells hold a figure or a symbol come out.
Reporting periods come from ``periods``. This package imports nothing else of Llais.
"""

from storage.aggregate.disclosure import publish, publish_series
from storage.aggregate.errors import (
    AggregateError,
    CalendarError,
    DisclosureInputError,
    NaiveDatetimeError,
)
from storage.aggregate.model import SCHOOL, Policy, Row, Spec, Unit
from storage.aggregate.periods import (
    Period,
    PeriodKind,
    all_periods,
    period_by_id,
    period_containing,
    period_label,
    periods_between,
)
from storage.aggregate.published import Figure, Publication, PublishedCell, PublishedTable
from storage.aggregate.symbols import LANGUAGES, Language, Symbol, symbol_label
from storage.aggregate.terms import TermCalendar, TermName, load_calendar

__all__ = [
    "LANGUAGES",
    "SCHOOL",
    "AggregateError",
    "CalendarError",
    "DisclosureInputError",
    "Figure",
    "Language",
    "NaiveDatetimeError",
    "Period",
    "PeriodKind",
    "Policy",
    "Publication",
    "PublishedCell",
    "PublishedTable",
    "Row",
    "Spec",
    "Symbol",
    "TermCalendar",
    "TermName",
    "Unit",
    "all_periods",
    "load_calendar",
    "period_by_id",
    "period_containing",
    "period_label",
    "periods_between",
    "publish",
    "publish_series",
    "symbol_label",
]
