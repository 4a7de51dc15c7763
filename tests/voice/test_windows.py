"""Invitation windows: weekdays, the end date, term and half-term, quiet hours (pure)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from llais.voice.windows import (
    QuietHours,
    ScheduleTimes,
    current_window,
    in_term,
    parse_days,
    parse_hhmm,
)
from storage.aggregate.terms import load_calendar

LONDON = ZoneInfo("Europe/London")
QUIET = QuietHours(time(21, 0), time(7, 30))
CALENDAR = load_calendar()
SCHEDULE = ScheduleTimes(
    id=4, weekdays=(0, 3), at_time=time(10, 30), window_minutes=60, until=date(2027, 3, 1)
)


def at(y: int, m: int, d: int, hh: int, mm: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=LONDON)


def window(now: datetime) -> object:
    return current_window(SCHEDULE, now, tz=LONDON, calendar=CALENDAR, quiet=QUIET)


def test_a_window_opens_on_a_scheduled_day_in_term_for_its_length() -> None:
    found = window(at(2026, 11, 26, 10, 45))  # a Thursday in the autumn term
    assert found is not None
    assert found.campaign == "invite:4:2026-11-26"  # type: ignore[attr-defined]
    assert window(at(2026, 11, 26, 10, 29)) is None
    assert window(at(2026, 11, 26, 11, 30)) is None  # the window has closed
    assert window(at(2026, 11, 25, 10, 45)) is None  # a Wednesday


def test_no_window_in_the_holidays_at_half_term_or_after_the_end_date() -> None:
    assert window(at(2026, 12, 24, 10, 45)) is None  # Christmas holidays (a Thursday)
    assert window(at(2026, 10, 29, 10, 45)) is None  # autumn half-term (a Thursday)
    assert window(at(2027, 3, 4, 10, 45)) is None  # in term, after --until
    assert not in_term(CALENDAR, date(2031, 1, 6))  # a year the calendar has no dates for
    assert in_term(CALENDAR, date(2026, 9, 1)) and not in_term(CALENDAR, date(2026, 8, 31))


def test_no_window_in_quiet_hours_and_the_quiet_hours_wrap_midnight() -> None:
    late = ScheduleTimes(
        id=5, weekdays=(3,), at_time=time(20, 30), window_minutes=90, until=date(2027, 1, 1)
    )
    now = at(2026, 11, 26, 20, 45)
    assert current_window(late, now, tz=LONDON, calendar=CALENDAR, quiet=QUIET) is not None
    now = at(2026, 11, 26, 21, 15)
    assert current_window(late, now, tz=LONDON, calendar=CALENDAR, quiet=QUIET) is None
    assert (
        QUIET.contains(time(23, 59)) and QUIET.contains(time(0, 0)) and QUIET.contains(time(7, 29))
    )
    assert not QUIET.contains(time(7, 30)) and not QUIET.contains(time(20, 59))
    resume = QUIET.next_end(datetime(2026, 11, 26, 22, 0, tzinfo=UTC), LONDON)
    assert resume == at(2026, 11, 27, 7, 30)


def test_days_and_times_are_read_as_a_school_lead_types_them() -> None:
    assert parse_days("mon,thu") == (0, 3)
    assert parse_days("Monday, Thursday") == (0, 3)
    assert parse_hhmm("10:30") == time(10, 30)
    with pytest.raises(ValueError, match="unknown day"):
        parse_days("mon,funday")
    with pytest.raises(ValueError, match="not a time"):
        parse_hhmm("half ten")
