"""The insight service: one publication per measure and period, a finished period published once,
the running one answered from the last publication while a fresh one is made."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

import llais.insight.service as service_module
from core.settings import Settings
from llais.insight.service import InsightService, PeriodError
from llais.insight.specs import Measure
from llais.insight.synthetic import VoicePlan, seed_voice
from storage.aggregate import PeriodKind
from tests.llais.insight.crafted import IN_TERM, TERM, craft


async def test_a_running_period_is_refreshed_in_the_background(
    sessions: async_sessionmaker[AsyncSession],
    database_url: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    async with sessions() as session, session.begin():
        await craft(session)
    settings = Settings(database_url=database_url, secret_key="test-secret-key-long-enough-x")
    service = InsightService(settings, sessions, clock=lambda: IN_TERM + timedelta(days=1))
    term = service.period(Measure.PERMA, TERM)
    first = await service.publication(Measure.PERMA, term)
    assert await service.publication(Measure.PERMA, term) is first
    monkeypatch.setattr(service_module, "CURRENT_SECONDS", -1.0)  # expire at once
    await service._publish(Measure.PERMA, term)
    stale = await service.publication(Measure.PERMA, term)
    assert await service.publication(Measure.PERMA, term) is stale  # one refresh at a time
    await asyncio.gather(*service._tasks)
    fresh = await service.publication(Measure.PERMA, term)
    assert fresh is not stale and fresh == stale  # same figures, made again
    assert service.latest(Measure.SAFEGUARDING).kind is PeriodKind.TERM
    with pytest.raises(PeriodError):
        service.period(Measure.SAFEGUARDING, "2025-W41")


async def test_a_finished_period_is_published_once(
    sessions: async_sessionmaker[AsyncSession], database_url: str
) -> None:
    async with sessions() as session, session.begin():
        await craft(session)
    settings = Settings(database_url=database_url, secret_key="test-secret-key-long-enough-x")
    service = InsightService(settings, sessions, clock=lambda: IN_TERM + timedelta(days=400))
    term = service.period(Measure.MOOD, TERM)
    first = await service.publication(Measure.MOOD, term)
    assert service._cache[(Measure.MOOD, TERM)][0] is None
    assert await service.publication(Measure.MOOD, term) is first


async def test_synthetic_voice_data_fills_every_measure_including_themes_and_requests(
    sessions: async_sessionmaker[AsyncSession], database_url: str
) -> None:
    now = datetime(2026, 7, 1, 12, 0, tzinfo=UTC)
    service = InsightService(
        Settings(database_url=database_url, secret_key="test-secret-key-long-enough-x"),
        sessions,
        clock=lambda: now,
    )
    async with sessions() as session, session.begin():
        made = await seed_voice(
            session, plan=VoicePlan(learners=1500, schools=3), calendar=service.calendar, now=now
        )
    assert made["requests"] > 0
    term = service.periods(PeriodKind.YEAR, now=now)[0]
    themes = await service.publication(Measure.THEMES, term)
    assert any(cell.count.shown for cell in themes.table("school", "theme").margin("theme"))
    shown = []
    for period in service.periods(PeriodKind.TERM, now=now):
        requests = await service.publication(Measure.REQUESTS, period)
        shown.append(requests.table("school", "taken").cell().count.shown)
    assert any(shown)  # the authority's requests in some term (about 10 a term here)
