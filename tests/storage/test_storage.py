"""Storage on both databases: migrations match the models, times stay aware, retention works."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import select
from sqlalchemy.ext.asyncio import async_sessionmaker

from core.vocabulary import Audience
from storage.db import AsyncSession, make_engine
from storage.models import Base, Checkin, MoodLog, Person
from storage.repo.retention import purge_free_text

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


def learner(ref: str, channel: str, created_at: datetime) -> Person:
    return Person(
        ref=ref, audience=Audience.LEARNER, channel=channel, created_at=created_at, stopped=False
    )


def checkin(ref: str, completed_at: datetime, comment: str) -> Checkin:
    return Checkin(
        person_ref=ref, audience=Audience.LEARNER, completed_at=completed_at, comment=comment
    )


async def test_migrations_create_exactly_the_models(database_url: str) -> None:
    engine = make_engine(database_url)
    try:
        async with engine.connect() as conn:

            def diff(sync_conn: object) -> list[object]:
                context = MigrationContext.configure(sync_conn, opts={"compare_type": True})  # type: ignore[arg-type]
                return list(compare_metadata(context, Base.metadata))

            assert await conn.run_sync(diff) == []
    finally:
        await engine.dispose()


async def test_datetimes_come_back_timezone_aware(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    async with sessions() as session, session.begin():
        session.add(learner("r1", "telegram", NOW))
    async with sessions() as session:
        person = (await session.scalars(select(Person))).one()
    assert person.created_at == NOW and person.created_at.tzinfo is not None


async def test_naive_datetimes_are_refused(sessions: async_sessionmaker[AsyncSession]) -> None:
    with pytest.raises(Exception, match="naive datetime"):
        async with sessions() as session, session.begin():
            naive = datetime(2026, 1, 1)  # noqa: DTZ001 - the point of the test
            session.add(learner("r2", "telegram", naive))


async def test_free_text_is_cleared_after_the_retention_period(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    async with sessions() as session, session.begin():
        session.add(learner("r3", "web", NOW))
        await session.flush()
        session.add_all(
            [
                checkin("r3", NOW - timedelta(days=31), "old"),
                checkin("r3", NOW - timedelta(days=2), "new"),
                MoodLog(
                    learner_ref="r3",
                    score=3,
                    tags=[],
                    note="old",
                    logged_at=NOW - timedelta(days=40),
                ),
            ]
        )
    async with sessions() as session, session.begin():
        assert await purge_free_text(session, now=NOW, days=30) == 2
    async with sessions() as session:
        comments = sorted(str(c) for c in await session.scalars(select(Checkin.comment)))
        notes = list(await session.scalars(select(MoodLog.note)))
    assert comments == ["None", "new"] and notes == [None]
