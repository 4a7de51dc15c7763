"""Applied updates are recognised when re-delivered, and forgotten once no re-delivery can come."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy.ext.asyncio import async_sessionmaker

from storage.db import AsyncSession
from storage.repo.updates import KEEP, first_delivery, forget_old

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


async def test_an_update_is_new_once_then_recognised_then_forgotten(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    async with sessions() as session, session.begin():
        assert await first_delivery(session, key="telegram:1001", now=NOW)
    async with sessions() as session, session.begin():
        assert not await first_delivery(session, key="telegram:1001", now=NOW)
        assert await first_delivery(session, key="staff-telegram:1001", now=NOW)
    async with sessions() as session, session.begin():
        assert await forget_old(session, now=NOW + KEEP - timedelta(minutes=1)) == 0
        assert await forget_old(session, now=NOW + KEEP + timedelta(minutes=1)) == 2
    async with sessions() as session, session.begin():
        assert await first_delivery(session, key="telegram:1001", now=NOW + KEEP)


async def test_a_delivery_rolled_back_with_its_turn_is_new_again(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    async with sessions() as session:
        async with session.begin():
            assert await first_delivery(session, key="telegram:7", now=NOW)
            await session.rollback()  # the turn failed: nothing of it, this record included, stays
    async with sessions() as session, session.begin():
        assert await first_delivery(session, key="telegram:7", now=NOW)
