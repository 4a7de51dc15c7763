"""Fixtures for signposting tests: the seed directory and a fresh migrated database per test.

The database fixture runs every test on SQLite and on the real PostgreSQL server. Each PostgreSQL
test gets its own database (created and dropped here), so it is isolated from other packages'
tests. Swap for the shared fixtures in ``tests/conftest.py`` when they land.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from signposting.directory import Directory, load_seed
from storage import AsyncSession, make_engine, make_sessionmaker, upgrade_async

LONDON = ZoneInfo("Europe/London")
PG_SERVER = os.environ.get("LLAIS_TEST_PG", "postgresql+asyncpg://postgres@127.0.0.1:5432/test")


@pytest.fixture(scope="session")
def directory() -> Directory:
    return load_seed(LONDON)


async def _on_server(statement: str) -> None:
    engine = create_async_engine(PG_SERVER, isolation_level="AUTOCOMMIT")
    try:
        async with engine.connect() as connection:
            await connection.execute(text(statement))
    finally:
        await engine.dispose()


async def _postgres_database() -> tuple[str, str]:
    name = f"llais_sg_{uuid.uuid4().hex[:12]}"
    await _on_server(f'CREATE DATABASE "{name}"')
    return name, f"{PG_SERVER.rsplit('/', 1)[0]}/{name}"


async def _drop_postgres_database(name: str) -> None:
    await _on_server(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", "postgresql"])
async def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    """A freshly migrated database on each backend."""
    if request.param == "sqlite":
        url = f"sqlite+aiosqlite:///{tmp_path / 'signposting.db'}"
        await upgrade_async(url)
        yield url
        return
    name, url = await _postgres_database()
    try:
        await upgrade_async(url)
        yield url
    finally:
        await _drop_postgres_database(name)


@pytest.fixture
async def session(database_url: str) -> AsyncIterator[AsyncSession]:
    engine = make_engine(database_url)
    async with make_sessionmaker(engine)() as db_session:
        yield db_session
    await engine.dispose()


@pytest.fixture
async def sqlite_url(tmp_path: Path) -> str:
    """A migrated SQLite database for CLI tests."""
    url = f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}"
    await upgrade_async(url)
    return url
