"""Fixed reporting periods: week, half-term, term and school year. No arbitrary date ranges.

Every period is a whole number of Monday-to-Sunday weeks in the calendar's zone (Europe/London),
from Monday 00:00 to Monday 00:00, so two periods can only ever differ by whole weeks, and each week
is itself a period under the same rule. A term runs from the Monday of the week it starts in to the
end of the week it ends in, and includes its half-term holiday; its first half ends when the
holiday's week begins and its second half starts the Monday after the holiday. A school year runs
from the week containing 1 September to the week before the next one.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from pydantic import AwareDatetime, BaseModel, ConfigDict

from storage.aggregate.errors import CalendarError, NaiveDatetimeError
from storage.aggregate.symbols import Language
from storage.aggregate.terms import SchoolYear, Term, TermCalendar, TermName, monday_of

WEEK = timedelta(days=7)


class PeriodKind(StrEnum):
    """The only kinds of reporting period."""

    WEEK = "week"
    HALF_TERM = "half_term"
    TERM = "term"
    YEAR = "year"


class Period(BaseModel):
    """One fixed reporting period: ``start`` inclusive, ``end`` exclusive, both Monday 00:00."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: PeriodKind
    id: str
    start: AwareDatetime
    end: AwareDatetime
    school_year: int | None = None
    term: TermName | None = None
    half: int | None = None

    def contains(self, moment: datetime) -> bool:
        """True when ``moment`` (timezone-aware) falls in the period."""
        return self.start <= _aware(moment) < self.end


def _aware(moment: datetime) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise NaiveDatetimeError("a naive datetime was given; periods need timezone-aware ones")
    return moment


def _midnight(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time(0), tzinfo=zone)


def _week(monday: date, zone: ZoneInfo) -> Period:
    iso = monday.isocalendar()
    return Period(
        kind=PeriodKind.WEEK,
        id=f"{iso.year}-W{iso.week:02d}",
        start=_midnight(monday, zone),
        end=_midnight(monday + WEEK, zone),
    )


def _year(year: SchoolYear, zone: ZoneInfo) -> Period:
    return Period(
        kind=PeriodKind.YEAR,
        id=year.label,
        start=_midnight(monday_of(date(year.starts, 9, 1)), zone),
        end=_midnight(monday_of(date(year.starts + 1, 9, 1)), zone),
        school_year=year.starts,
    )


def _term(year: SchoolYear, term: Term, zone: ZoneInfo) -> Period:
    return Period(
        kind=PeriodKind.TERM,
        id=f"{year.label}.{term.name}",
        start=_midnight(monday_of(term.first_day), zone),
        end=_midnight(monday_of(term.last_day) + WEEK, zone),
        school_year=year.starts,
        term=term.name,
    )


def _halves(year: SchoolYear, term: Term, zone: ZoneInfo) -> tuple[Period, Period]:
    brk = term.half_term
    bounds = (
        (monday_of(term.first_day), monday_of(brk.first_day)),
        (monday_of(brk.last_day) + WEEK, monday_of(term.last_day) + WEEK),
    )
    first, second = (
        Period(
            kind=PeriodKind.HALF_TERM,
            id=f"{year.label}.{term.name}.{half}",
            start=_midnight(start, zone),
            end=_midnight(end, zone),
            school_year=year.starts,
            term=term.name,
            half=half,
        )
        for half, (start, end) in enumerate(bounds, start=1)
    )
    return first, second


def all_periods(kind: PeriodKind, calendar: TermCalendar) -> list[Period]:
    """Every period of ``kind`` the calendar covers, in time order."""
    zone = calendar.tz
    if kind is PeriodKind.WEEK:
        first = _year(calendar.years[0], zone).start.date()
        last = _year(calendar.years[-1], zone).end.date()
        return [_week(first + i * WEEK, zone) for i in range((last - first) // WEEK)]
    found: list[Period] = []
    for year in calendar.years:
        if kind is PeriodKind.YEAR:
            found.append(_year(year, zone))
        for term in year.terms:
            if kind is PeriodKind.TERM:
                found.append(_term(year, term, zone))
            elif kind is PeriodKind.HALF_TERM:
                found.extend(_halves(year, term, zone))
    return found


def period_containing(moment: datetime, kind: PeriodKind, calendar: TermCalendar) -> Period | None:
    """The period of ``kind`` containing ``moment``; None in a holiday or outside the calendar.

    Any moment has a week, even outside the calendar's years.
    """
    moment = _aware(moment)
    if kind is PeriodKind.WEEK:
        return _week(monday_of(moment.astimezone(calendar.tz).date()), calendar.tz)
    return next((p for p in all_periods(kind, calendar) if p.contains(moment)), None)


def periods_between(
    start: datetime, end: datetime, kind: PeriodKind, calendar: TermCalendar
) -> list[Period]:
    """The whole periods of ``kind`` lying inside ``[start, end)``, in time order.

    A period only partly inside is left out: a range never yields a part of a period.
    """
    start, end = _aware(start), _aware(end)
    if kind is PeriodKind.WEEK:
        zone = calendar.tz
        monday = monday_of(start.astimezone(zone).date())
        if _midnight(monday, zone) < start:
            monday += WEEK
        weeks = []
        while (week := _week(monday, zone)).end <= end:
            weeks.append(week)
            monday += WEEK
        return weeks
    return [p for p in all_periods(kind, calendar) if start <= p.start and p.end <= end]


_WEEK_ID = re.compile(r"^(\d{4})-W(\d{2})$")


def period_by_id(ident: str, calendar: TermCalendar) -> Period:
    """The period with this id, e.g. ``2026-W37``, ``2026-27.autumn.1``, ``2026-27.autumn``."""
    match = _WEEK_ID.match(ident)
    if match:
        try:
            monday = date.fromisocalendar(int(match[1]), int(match[2]), 1)
        except ValueError as exc:
            raise CalendarError(f"no such week: {ident!r}") from exc
        return _week(monday, calendar.tz)
    for kind in (PeriodKind.YEAR, PeriodKind.TERM, PeriodKind.HALF_TERM):
        for period in all_periods(kind, calendar):
            if period.id == ident:
                return period
    raise CalendarError(f"no reporting period {ident!r} in the term calendar")


_MONTHS = {
    "en": (
        "January", "February", "March", "April", "May", "June",
        "July", "August", "September", "October", "November", "December",
    ),
    "cy": (
        "Ionawr", "Chwefror", "Mawrth", "Ebrill", "Mai", "Mehefin",
        "Gorffennaf", "Awst", "Medi", "Hydref", "Tachwedd", "Rhagfyr",
    ),
}  # fmt: skip
_TERMS = {
    "en": {
        TermName.AUTUMN: "Autumn term",
        TermName.SPRING: "Spring term",
        TermName.SUMMER: "Summer term",
    },
    "cy": {
        TermName.AUTUMN: "Tymor yr Hydref",
        TermName.SPRING: "Tymor y Gwanwyn",
        TermName.SUMMER: "Tymor yr Haf",
    },
}
_HALVES = {"en": ("first half", "second half"), "cy": ("hanner cyntaf", "ail hanner")}
_WEEK_OF = {"en": "Week beginning {day}", "cy": "Wythnos yn dechrau {day}"}
_YEAR_OF = {"en": "School year {years}", "cy": "Blwyddyn ysgol {years}"}


def _calendar_year(period: Period) -> int:
    assert period.school_year is not None
    return period.school_year + (0 if period.term is TermName.AUTUMN else 1)


def period_label(period: Period, language: Language) -> str:
    """The period's name for readers, e.g. "Autumn term 2026" / "Tymor yr Hydref 2026"."""
    if period.kind is PeriodKind.WEEK:
        day = period.start.date()
        text = f"{day.day} {_MONTHS[language][day.month - 1]} {day.year}"
        return _WEEK_OF[language].format(day=text)
    assert period.school_year is not None
    if period.kind is PeriodKind.YEAR:
        years = f"{period.school_year}–{(period.school_year + 1) % 100:02d}"
        return _YEAR_OF[language].format(years=years)
    assert period.term is not None
    term = f"{_TERMS[language][period.term]} {_calendar_year(period)}"
    if period.kind is PeriodKind.TERM:
        return term
    assert period.half is not None
    return f"{term}, {_HALVES[language][period.half - 1]}"
