"""The one route to figures: rows from storage, one ``publish`` per measure and period, cached
for finished periods (a finished period never changes) and briefly for the current one."""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.ext.asyncio import async_sessionmaker

from core.clock import Clock, utcnow
from core.settings import Settings
from core.vocabulary import RiskLevel
from llais.insight.specs import PERIOD_KINDS, SPECS, Measure
from llais.requests import add_school_days
from storage.aggregate import (
    CalendarError,
    Period,
    PeriodKind,
    Policy,
    Publication,
    Row,
    TermCalendar,
    all_periods,
    load_calendar,
    period_by_id,
    publish,
)
from storage.db import AsyncSession
from storage.repo import insight

log = logging.getLogger(__name__)
CURRENT_SECONDS = 60.0  # how long a figure for a period still running is reused


class PeriodError(ValueError):
    """A period that does not exist or is not published for a measure."""


@dataclass
class InsightService:
    """Publications per (measure, period), every one made by ``storage.aggregate.publish``."""

    settings: Settings
    sessions: async_sessionmaker[AsyncSession]
    clock: Clock = utcnow
    calendar: TermCalendar = field(default_factory=load_calendar)
    _cache: dict[tuple[Measure, str], tuple[float | None, Publication]] = field(
        default_factory=dict
    )
    _refreshing: set[tuple[Measure, str]] = field(default_factory=set)
    _tasks: set[asyncio.Task[None]] = field(default_factory=set)

    @property
    def policy(self) -> Policy:
        """The Llais rule with the configured k."""
        return Policy(k=self.settings.suppression_k)

    def period(self, measure: Measure, ident: str) -> Period:
        """A fixed period by id, if the measure is published for its kind."""
        period = self.period_any(ident)
        if period.kind not in PERIOD_KINDS[measure]:
            raise PeriodError(f"{measure.value} is not published per {period.kind.value}")
        return period

    def period_any(self, ident: str) -> Period:
        """A fixed period of any kind by id."""
        try:
            return period_by_id(ident, self.calendar)
        except CalendarError as exc:
            raise PeriodError(str(exc)) from exc

    def periods(self, kind: PeriodKind, *, now: datetime | None = None) -> list[Period]:
        """The periods of a kind that have started, newest first."""
        moment = now or self.clock()
        return sorted(
            (p for p in all_periods(kind, self.calendar) if p.start <= moment),
            key=lambda p: p.start,
            reverse=True,
        )

    def latest(self, measure: Measure, kind: PeriodKind | None = None) -> Period:
        """The newest started period of ``kind`` (the measure's widest kind by default)."""
        kinds = PERIOD_KINDS[measure]
        chosen = kind or (PeriodKind.TERM if PeriodKind.TERM in kinds else kinds[-1])
        if chosen not in kinds:
            raise PeriodError(f"{measure.value} is not published per {chosen.value}")
        found = self.periods(chosen)
        if not found:
            raise PeriodError(f"no {chosen.value} has started yet")
        return found[0]

    async def rows(self, measure: Measure, period: Period) -> list[Row]:
        """The raw rows of a measure in a period (for ``publish`` only)."""
        async with self.sessions() as session:
            match measure:
                case Measure.PARTICIPATION:
                    return await insight.participation_rows(session, period=period)
                case Measure.PERMA:
                    return await insight.perma_rows(session, period=period)
                case Measure.MOOD:
                    return (await insight.mood_rows(session, period=period))[0]
                case Measure.REASONS:
                    return (await insight.mood_rows(session, period=period))[1]
                case Measure.HELP:
                    return await insight.help_rows(session, period=period)
                case Measure.STAFF:
                    return await insight.staff_rows(session, period=period)
                case Measure.THEMES:
                    return await insight.theme_rows(session, period=period)
                case Measure.REQUESTS:
                    days, tz = self.settings.request_window_school_days, self.settings.tz
                    return await insight.request_rows(
                        session, period=period, deadline=lambda at: add_school_days(at, days, tz)
                    )
                case Measure.SAFEGUARDING:
                    windows = {level.label: self.settings.ack_minutes(level) for level in RiskLevel}
                    return await insight.alert_rows(session, period=period, window_minutes=windows)

    async def publication(self, measure: Measure, period: Period) -> Publication:
        """Every table of the measure for the period, with the Llais rule applied.

        A finished period is published once. For the period still running, a publication older
        than a minute is still answered (it was made safe as a whole) while a fresh one is made
        in the background, so no reader waits for ``publish`` after the first.
        """
        key = (measure, period.id)
        cached = self._cache.get(key)
        if cached is None:
            return await self._publish(measure, period)
        expires, publication = cached
        if expires is not None and time.monotonic() >= expires and key not in self._refreshing:
            self._refreshing.add(key)
            task = asyncio.create_task(self._refresh(measure, period))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
        return publication

    async def _publish(self, measure: Measure, period: Period) -> Publication:
        rows = await self.rows(measure, period)
        # publish is CPU-bound (up to ~1 s): off the event loop, so pages keep being served
        published = await asyncio.to_thread(publish, rows, SPECS[measure], self.policy)
        finished = period.end <= self.clock()
        expires = None if finished else time.monotonic() + CURRENT_SECONDS
        self._cache[(measure, period.id)] = (expires, published)
        return published

    async def _refresh(self, measure: Measure, period: Period) -> None:
        try:
            await self._publish(measure, period)
        except Exception:  # the stale publication stays; the next request tries again
            log.exception("insight: refreshing %s %s failed", measure.value, period.id)
        finally:
            self._refreshing.discard((measure, period.id))

    async def warm(self, depth: int = 6) -> None:
        """Publish the latest ``depth`` terms (and the current week and half-term) of every
        measure ahead of the first reader: what a page and its trend need."""
        for measure in Measure:
            for kind in PERIOD_KINDS[measure]:
                count = depth if kind is PeriodKind.TERM else 1
                for period in self.periods(kind)[:count]:
                    await self.publication(measure, period)

    def start_warming(self) -> None:
        """Warm the cache in the background (from a running event loop)."""
        task = asyncio.create_task(self.warm())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)


async def names_of_schools(
    sessions: async_sessionmaker[AsyncSession], language: str
) -> dict[str, str]:
    """School names in the reader's language (Welsh name when reading Welsh)."""
    async with sessions() as session:
        names = await insight.school_names(session)
    return {k: (cy if language == "cy" else en) for k, (en, cy) in names.items()}
