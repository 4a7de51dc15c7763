"""Run Alembic migrations programmatically (``llais db upgrade``)."""

from __future__ import annotations

import asyncio
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"


def alembic_config(url: str) -> Config:
    """An Alembic config pointing at our migrations and ``url``."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", url)
    return config


def upgrade(url: str, revision: str = "head") -> None:
    """Upgrade the database at ``url`` to ``revision`` (blocking; runs its own event loop)."""
    command.upgrade(alembic_config(url), revision)


async def upgrade_async(url: str, revision: str = "head") -> None:
    """Upgrade from inside a running event loop (migrations run in a worker thread)."""
    await asyncio.to_thread(upgrade, url, revision)


def head_revisions() -> frozenset[str]:
    """The revisions the migrations end at (one, normally)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return frozenset(ScriptDirectory.from_config(config).get_heads())


async def applied_revisions(engine: AsyncEngine) -> frozenset[str]:
    """The revisions the database is at (empty when it was never migrated)."""
    async with engine.connect() as conn:
        try:
            rows = await conn.execute(text("SELECT version_num FROM alembic_version"))
        except Exception:  # no alembic_version table: never migrated
            return frozenset()
        return frozenset(str(row[0]) for row in rows)
