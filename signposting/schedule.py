"""Opening hours: is a service open at a moment, and when does it next open (Europe/London)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from signposting.hsds import Schedule

# How far ahead to look for the next opening; weekly rules always open within a week.
HORIZON_DAYS = 8


@dataclass(frozen=True)
class Hours:
    """Whether a service is open at a moment, and if not, when it next opens (both UTC-aware)."""

    open_now: bool
    next_open: datetime | None
    closes_at: datetime | None
    known: bool


def _wall(day: date, at: time, tz: ZoneInfo) -> datetime:
    # A wall time in the spring-forward gap resolves forward, as a clock would.
    return datetime.combine(day, at, tzinfo=tz).astimezone(UTC)


def intervals(
    schedules: Iterable[Schedule],
    start: date,
    end: date,
    tz: ZoneInfo,
    *,
    holidays: frozenset[date] = frozenset(),
    on_holidays: str = "normal",
) -> Iterator[tuple[datetime, datetime]]:
    """Opening intervals (UTC) of every rule that starts on a day from ``start`` to ``end``."""
    rules = tuple(schedules)
    day = start
    while day <= end:
        if day in holidays and on_holidays == "open":
            yield _wall(day, time(0), tz), _wall(day + timedelta(days=1), time(0), tz)
        if day in holidays and on_holidays == "closed":
            day += timedelta(days=1)
            continue
        for rule in rules:
            if day.weekday() not in rule.weekdays:
                continue
            closing_day = day if rule.closes_at > rule.opens_at else day + timedelta(days=1)
            yield _wall(day, rule.opens_at, tz), _wall(closing_day, rule.closes_at, tz)
        day += timedelta(days=1)


def _merge(spans: Iterable[tuple[datetime, datetime]]) -> list[tuple[datetime, datetime]]:
    merged: list[tuple[datetime, datetime]] = []
    for opens, closes in sorted(spans):
        if merged and opens <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], closes))
        else:
            merged.append((opens, closes))
    return merged


def hours_at(
    schedules: Iterable[Schedule],
    at: datetime,
    tz: ZoneInfo,
    *,
    holidays: frozenset[date] = frozenset(),
    on_holidays: str = "normal",
) -> Hours:
    """Evaluate ``schedules`` at ``at`` (timezone-aware) in the zone ``tz``."""
    if at.tzinfo is None:
        raise ValueError("opening hours need a timezone-aware datetime")
    rules = tuple(schedules)
    if not rules:
        return Hours(open_now=False, next_open=None, closes_at=None, known=False)
    moment = at.astimezone(UTC)
    today = at.astimezone(tz).date()
    spans = _merge(
        intervals(
            rules,
            today - timedelta(days=HORIZON_DAYS),
            today + timedelta(days=HORIZON_DAYS),
            tz,
            holidays=holidays,
            on_holidays=on_holidays,
        )
    )
    horizon = _wall(today + timedelta(days=HORIZON_DAYS - 1), time(0), tz)
    for opens, closes in spans:
        if opens <= moment < closes:
            # a span that runs to the edge of the window does not close (24/7)
            until = closes if closes < horizon else None
            return Hours(open_now=True, next_open=None, closes_at=until, known=True)
    upcoming = [opens for opens, _ in spans if opens > moment]
    return Hours(open_now=False, next_open=min(upcoming, default=None), closes_at=None, known=True)


def always_open(schedules: Iterable[Schedule]) -> bool:
    """Whether the rules cover every moment of the week (24/7)."""
    covered = [False] * 7
    for rule in schedules:
        if rule.opens_at == time(0) and rule.closes_at == time(0):
            for weekday in rule.weekdays:
                covered[weekday] = True
    return all(covered)
