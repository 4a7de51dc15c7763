"""When learners may be invited: a schedule's window on a school day in term, outside quiet
hours. Pure: the time, the schedule and the calendar in; a window or nothing out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo

from storage.aggregate.terms import TermCalendar


@dataclass(frozen=True, slots=True)
class QuietHours:
    """Local times with no invitations, polls or posts (e.g. 21:00 to 07:30, over midnight)."""

    start: time
    end: time

    def contains(self, local: time) -> bool:
        """True when ``local`` falls in the quiet hours."""
        if self.start <= self.end:
            return self.start <= local < self.end
        return local >= self.start or local < self.end

    def next_end(self, at: datetime, tz: tzinfo) -> datetime:
        """When the quiet hours that ``at`` falls in end (``at`` itself outside them)."""
        local = at.astimezone(tz)
        if not self.contains(local.time().replace(tzinfo=None)):
            return at
        end = datetime.combine(local.date(), self.end, tzinfo=tz)
        if end <= local:
            end = datetime.combine(local.date() + timedelta(days=1), self.end, tzinfo=tz)
        return end


def in_term(calendar: TermCalendar, day: date) -> bool:
    """True on a day inside a term and outside its half-term holiday; a day the calendar does
    not cover counts as outside term (no invitations without known dates)."""
    year = calendar.year(day.year if day.month >= 9 else day.year - 1)
    if year is None:
        return False
    for term in year.terms:
        if term.first_day <= day <= term.last_day:
            brk = term.half_term
            return not brk.first_day <= day <= brk.last_day
    return False


@dataclass(frozen=True, slots=True)
class ScheduleTimes:
    """What the window logic needs of a stored schedule."""

    id: int
    weekdays: tuple[int, ...]  # 0 = Monday
    at_time: time
    window_minutes: int
    until: date


@dataclass(frozen=True, slots=True)
class Window:
    """One invitation window of one schedule; its campaign key makes it one send per learner."""

    schedule_id: int
    day: date
    starts: datetime
    ends: datetime

    @property
    def campaign(self) -> str:
        """The idempotency key's campaign part: one invitation per learner per window."""
        return f"invite:{self.schedule_id}:{self.day.isoformat()}"


def current_window(
    schedule: ScheduleTimes,
    now: datetime,
    *,
    tz: tzinfo,
    calendar: TermCalendar,
    quiet: QuietHours,
) -> Window | None:
    """The schedule's window open at ``now``, if any: a scheduled weekday, in term, before the
    end date, between the start time and the end of the window, and outside quiet hours."""
    local = now.astimezone(tz)
    day = local.date()
    if day > schedule.until or local.weekday() not in schedule.weekdays:
        return None
    if not in_term(calendar, day):
        return None
    starts = datetime.combine(day, schedule.at_time, tzinfo=tz)
    ends = starts + timedelta(minutes=schedule.window_minutes)
    if not starts <= local < ends or quiet.contains(local.time().replace(tzinfo=None)):
        return None
    return Window(schedule.id, day, starts, ends)


def parse_hhmm(text: str) -> time:
    """``"10:30"`` as a time; anything else is a ValueError with a plain sentence."""
    hours, sep, minutes = text.strip().partition(":")
    if not sep or not hours.isdigit() or not minutes.isdigit() or len(minutes) != 2:
        raise ValueError(f"{text!r} is not a time like 10:30")
    return time(int(hours), int(minutes))


WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def parse_days(text: str) -> tuple[int, ...]:
    """``"mon,thu"`` as weekday numbers (Monday 0)."""
    days = [part.strip().lower()[:3] for part in text.split(",") if part.strip()]
    unknown = [day for day in days if day not in WEEKDAYS]
    if unknown or not days:
        raise ValueError(f"unknown day(s) {', '.join(unknown) or '(none)'}; use mon,tue,...,sun")
    return tuple(sorted({WEEKDAYS.index(day) for day in days}))
