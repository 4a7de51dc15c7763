"""The insight service: one publication per measure and period, a finished period published once,
the running one answered from the last publication while a fresh one is made."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

import llais.insight.service as service_module
from core.settings import Settings
from llais.insight.service import InsightService, PeriodError
from llais.insight.specs import Measure
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
