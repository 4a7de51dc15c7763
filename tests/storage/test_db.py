"""Pooled PostgreSQL connections: a connection the server closed is never handed out, and a
checkout costs no round trip (issue 11's per-turn budget)."""

from __future__ import annotations

import asyncio
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from storage.db import make_engine
from tests.support.outage import outage_for


async def backend_pid(engine: AsyncEngine) -> int:
    async with engine.connect() as conn:
        return int(await conn.scalar(text("SELECT pg_backend_pid()")) or 0)


async def test_a_backend_the_server_terminated_is_replaced_on_checkout(postgres_url: str) -> None:
    engine = make_engine(postgres_url)
    admin = make_engine(postgres_url)
    try:
        first = await backend_pid(engine)  # now idle in the pool
        async with admin.connect() as conn:
            ended = await conn.scalar(text("SELECT pg_terminate_backend(:pid)"), {"pid": first})
        assert ended is True
        await asyncio.sleep(0.2)  # the event loop reads the server's goodbye
        second = await backend_pid(engine)  # would fail on the dead connection without a check
        assert second != first
    finally:
        await engine.dispose()
        await admin.dispose()


async def test_after_a_cut_the_first_checkout_is_served(postgres_url: str) -> None:
    async with outage_for(postgres_url) as outage:
        engine = make_engine(outage.url)
        try:
            before = await backend_pid(engine)
            await outage.cut()  # every pooled connection dropped, as a restart would
            outage.restore()
            await asyncio.sleep(0.2)
            assert await backend_pid(engine) not in (0, before)
        finally:
            await engine.dispose()


async def test_a_checkout_sends_no_ping(postgres_url: str) -> None:
    """A pre-ping would cost three round trips per turn (BEGIN, the ping, ROLLBACK)."""
    engine = make_engine(postgres_url)
    dialect = engine.sync_engine.dialect
    ping = dialect.do_ping
    pings: list[int] = []

    def counted(dbapi_connection: Any) -> bool:
        pings.append(1)
        return ping(dbapi_connection)

    dialect.do_ping = counted  # type: ignore[method-assign]  # the real ping, counted
    try:
        for _ in range(3):
            assert await backend_pid(engine)
        assert pings == []
    finally:
        await engine.dispose()
