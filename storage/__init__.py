"""Storage: SQLAlchemy models, the engine and session factory, migrations and data access."""

from storage.db import AsyncSession, make_engine, make_sessionmaker
from storage.migrate import upgrade, upgrade_async

__all__ = ["AsyncSession", "make_engine", "make_sessionmaker", "upgrade", "upgrade_async"]
