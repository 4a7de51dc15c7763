"""Fixed reporting periods: London midnights, clock changes, half-term edges, whole periods only."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

import pytest

from storage.aggregate import (
    CalendarError,
    NaiveDatetimeError,
    Period,
    PeriodKind,
    TermName,
    all_periods,
    load_calendar,
    period_by_id,
    period_containing,
    period_label,
    periods_between,
)

LONDON = ZoneInfo("Europe/London")
CALENDAR = load_calendar()


def london(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0
) -> datetime:
    """A wall-clock time in London."""
    return datetime(year, month, day, hour, minute, second, tzinfo=LONDON)


def elapsed(period: Period) -> timedelta:
    """Real time from start to end (same-zone subtraction in Python is wall-clock time)."""
    return period.end.astimezone(UTC) - period.start.astimezone(UTC)


def containing(moment: datetime, kind: PeriodKind) -> Period:
    period = period_containing(moment, kind, CALENDAR)
    assert period is not None
    return period


def test_a_week_runs_from_monday_midnight_london_time() -> None:
    sunday_night = london(2026, 9, 13, 23, 59, 59)
    monday = london(2026, 9, 14, 0, 0)
    assert containing(sunday_night, PeriodKind.WEEK).id == "2026-W37"
    assert containing(monday, PeriodKind.WEEK).id == "2026-W38"
    # 23:30 UTC on a summer Sunday is already Monday 00:30 in London
    assert containing(datetime(2026, 9, 13, 23, 30, tzinfo=UTC), PeriodKind.WEEK).id == "2026-W38"
    week = containing(monday, PeriodKind.WEEK)
    assert week.start == monday and week.end == london(2026, 9, 21)


def test_weeks_over_the_clock_changes_keep_london_midnights() -> None:
    spring = containing(london(2026, 3, 29, 12), PeriodKind.WEEK)  # clocks go forward that Sunday
    assert spring.start == london(2026, 3, 23) and spring.end == london(2026, 3, 30)
    assert elapsed(spring) == timedelta(hours=167)
    autumn = containing(london(2026, 10, 25, 12), PeriodKind.WEEK)  # clocks go back
    assert elapsed(autumn) == timedelta(hours=169)
    # the repeated hour 01:00-02:00 on 25 October belongs to that week both times round
    first = datetime(2026, 10, 25, 0, 30, tzinfo=UTC)  # 01:30 BST
    second = datetime(2026, 10, 25, 1, 30, tzinfo=UTC)  # 01:30 GMT
    assert autumn.contains(first) and autumn.contains(second)
    assert autumn.end.utcoffset() == timedelta(0) and autumn.start.utcoffset() == timedelta(hours=1)


def test_half_term_edges() -> None:
    # 2025-26 autumn: term from Mon 1 Sep, half-term holiday Mon 27 - Fri 31 Oct (clocks went
    # back on Sun 26 Oct), term ends Fri 19 Dec.
    last_moment_of_first_half = london(2025, 10, 26, 23, 59, 59)
    first = containing(last_moment_of_first_half, PeriodKind.HALF_TERM)
    assert first.id == "2025-26.autumn.1" and first.half == 1
    assert first.start == london(2025, 9, 1) and first.end == london(2025, 10, 27)
    assert period_containing(london(2025, 10, 27), PeriodKind.HALF_TERM, CALENDAR) is None
    assert period_containing(london(2025, 11, 2, 23, 59), PeriodKind.HALF_TERM, CALENDAR) is None
    second = containing(london(2025, 11, 3), PeriodKind.HALF_TERM)
    assert second.id == "2025-26.autumn.2" and second.end == london(2025, 12, 22)
    # the holiday week is still in the term
    assert containing(london(2025, 10, 29, 12), PeriodKind.TERM).id == "2025-26.autumn"


def test_a_term_covers_whole_weeks_even_when_it_starts_midweek() -> None:
    term = containing(london(2026, 9, 1, 9), PeriodKind.TERM)  # starts on Tuesday 1 September
    assert term.id == "2026-27.autumn" and term.term is TermName.AUTUMN
    assert term.start == london(2026, 8, 31) and term.end == london(2026, 12, 21)
    for period in all_periods(PeriodKind.TERM, CALENDAR) + all_periods(PeriodKind.YEAR, CALENDAR):
        for edge in (period.start, period.end):
            assert edge.weekday() == 0 and (edge.hour, edge.minute) == (0, 0)
            assert edge.tzinfo is not None


def test_holidays_have_no_term_but_a_school_year() -> None:
    christmas = london(2026, 12, 25, 12)
    assert period_containing(christmas, PeriodKind.TERM, CALENDAR) is None
    assert containing(christmas, PeriodKind.YEAR).id == "2026-27"
    august = london(2026, 8, 20)
    assert period_containing(august, PeriodKind.TERM, CALENDAR) is None
    assert containing(august, PeriodKind.YEAR).id == "2025-26"


def test_school_years_tile_time_without_gaps() -> None:
    years = all_periods(PeriodKind.YEAR, CALENDAR)
    assert [y.id for y in years] == ["2024-25", "2025-26", "2026-27", "2027-28"]
    assert all(a.end == b.start for a, b in pairwise(years))
    assert years[2].start == london(2026, 8, 31)  # the week containing 1 September


def test_every_period_is_whole_weeks_inside_its_school_year() -> None:
    years = {y.school_year: y for y in all_periods(PeriodKind.YEAR, CALENDAR)}
    for kind in (PeriodKind.TERM, PeriodKind.HALF_TERM):
        for period in all_periods(kind, CALENDAR):
            year = years[period.school_year]
            assert year.start <= period.start < period.end <= year.end
            assert (period.end.date() - period.start.date()).days % 7 == 0


def test_periods_between_gives_whole_periods_only() -> None:
    weeks = periods_between(london(2026, 9, 2), london(2026, 9, 28), PeriodKind.WEEK, CALENDAR)
    assert [w.id for w in weeks] == ["2026-W37", "2026-W38", "2026-W39"]  # not 31 Aug, not 28 Sep
    terms = periods_between(london(2025, 9, 1), london(2026, 9, 1), PeriodKind.TERM, CALENDAR)
    assert [t.id for t in terms] == ["2025-26.autumn", "2025-26.spring", "2025-26.summer"]
    assert periods_between(london(2025, 9, 2), london(2025, 12, 1), PeriodKind.TERM, CALENDAR) == []
    halves = periods_between(london(2025, 9, 1), london(2026, 1, 1), PeriodKind.HALF_TERM, CALENDAR)
    assert [h.id for h in halves] == ["2025-26.autumn.1", "2025-26.autumn.2"]


def test_outside_the_calendar_there_is_no_term_but_there_are_weeks() -> None:
    later = london(2031, 1, 15)
    assert period_containing(later, PeriodKind.TERM, CALENDAR) is None
    assert period_containing(later, PeriodKind.YEAR, CALENDAR) is None
    assert containing(later, PeriodKind.WEEK).id == "2031-W03"


def test_naive_datetimes_are_refused() -> None:
    naive = datetime(2026, 9, 14, 9, 0)  # noqa: DTZ001 - the point of the test
    with pytest.raises(NaiveDatetimeError):
        period_containing(naive, PeriodKind.WEEK, CALENDAR)
    with pytest.raises(NaiveDatetimeError):
        periods_between(naive, london(2026, 10, 1), PeriodKind.WEEK, CALENDAR)


def test_a_period_is_found_again_by_its_id() -> None:
    for kind in PeriodKind:
        for period in all_periods(kind, CALENDAR)[:60]:
            assert period_by_id(period.id, CALENDAR) == period
    with pytest.raises(CalendarError):
        period_by_id("2031-32.autumn", CALENDAR)
    with pytest.raises(CalendarError):
        period_by_id("2026-W60", CALENDAR)


@pytest.mark.parametrize(
    ("ident", "en", "cy"),
    [
        ("2026-W37", "Week beginning 7 September 2026", "Wythnos yn dechrau 7 Medi 2026"),
        ("2026-27.autumn", "Autumn term 2026", "Tymor yr Hydref 2026"),
        ("2026-27.spring.1", "Spring term 2027, first half", "Tymor y Gwanwyn 2027, hanner cyntaf"),
        ("2026-27.summer.2", "Summer term 2027, second half", "Tymor yr Haf 2027, ail hanner"),
        ("2026-27", "School year 2026–27", "Blwyddyn ysgol 2026–27"),
    ],
)
def test_labels_in_both_languages(ident: str, en: str, cy: str) -> None:
    period = period_by_id(ident, CALENDAR)
    assert period_label(period, "en") == en
    assert period_label(period, "cy") == cy


def test_every_period_has_a_label_in_each_language_and_they_differ() -> None:
    for kind in PeriodKind:
        for period in all_periods(kind, CALENDAR):
            en, cy = period_label(period, "en"), period_label(period, "cy")
            assert en and cy and en != cy


def test_the_week_label_uses_the_london_date() -> None:
    week = containing(london(2026, 10, 26, 0, 0), PeriodKind.WEEK)
    assert week.start.astimezone(UTC).date() == date(2026, 10, 26)
    assert period_label(week, "en") == "Week beginning 26 October 2026"
    summer = containing(london(2026, 6, 1, 0, 30), PeriodKind.WEEK)
    assert summer.start.astimezone(UTC).date() == date(2026, 5, 31)  # 23:00 UTC the day before
    assert period_label(summer, "cy") == "Wythnos yn dechrau 1 Mehefin 2026"
