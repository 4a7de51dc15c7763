"""Fixtures for signposting tests, on top of the shared database fixtures in ``tests/conftest.py``.

``session`` runs each database test on SQLite and on PostgreSQL (``database_url`` is parametrised
over both there); ``sqlite_url`` is a migrated SQLite file for the CLI tests.
"""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy.ext.asyncio import async_sessionmaker

from signposting.directory import Directory, load_seed
from storage import AsyncSession

LONDON = ZoneInfo("Europe/London")


@pytest.fixture(scope="session")
def directory() -> Directory:
    return load_seed(LONDON)


@pytest.fixture
async def session(sessions: async_sessionmaker[AsyncSession]) -> AsyncIterator[AsyncSession]:
    async with sessions() as db_session:
        yield db_session


@pytest.fixture
def sqlite_url(tmp_path: Path, sqlite_template: Path) -> str:
    """A migrated SQLite database for CLI tests."""
    path = tmp_path / "cli.db"
    shutil.copy(sqlite_template, path)
    return f"sqlite+aiosqlite:///{path}"
