"""Engine and session factory for the configured database (SQLite by default, or PostgreSQL)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine
from sqlalchemy.ext.asyncio import AsyncSession as AsyncSession


def make_engine(url: str, *, foreign_keys: bool = True) -> AsyncEngine:
    """Create the async engine; on SQLite enable foreign keys and a busy timeout.

    Migrations connect with ``foreign_keys=False``: SQLite's batch mode copies and drops tables,
    and a drop with foreign keys on would cascade into the tables that refer to it.
    """
    kwargs: dict[str, Any] = {}
    if url.startswith("sqlite"):
        kwargs["connect_args"] = {"timeout": 30}
    elif url.startswith("postgresql"):
        # after an outage pooled connections are dead: test each on checkout, and give up on an
        # unreachable server within seconds (a turn then asks the person to try again)
        kwargs["pool_pre_ping"] = True
        kwargs["connect_args"] = {"timeout": 5}
    engine = create_async_engine(url, **kwargs)
    if url.startswith("sqlite"):

        @event.listens_for(engine.sync_engine, "connect")
        def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
            cursor = dbapi_connection.cursor()
            cursor.execute(f"PRAGMA foreign_keys={'ON' if foreign_keys else 'OFF'}")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.close()
            dbapi_connection.isolation_level = None  # let the "begin" hook below start transactions

        @event.listens_for(engine.sync_engine, "begin")
        def _begin_immediate(connection: Any) -> None:
            # Take the write lock up front: concurrent chats then wait for each other (busy
            # timeout) instead of failing when a read transaction tries to become a write.
            connection.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def make_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """Sessions that keep loaded objects usable after commit."""
    return async_sessionmaker(engine, expire_on_commit=False)


def takes_row_locks(session: AsyncSession) -> bool:
    """Whether the database serialises work with row and advisory locks (PostgreSQL), rather than
    by SQLite's one writer at a time (``BEGIN IMMEDIATE``, one process)."""
    return session.get_bind().dialect.name == "postgresql"
