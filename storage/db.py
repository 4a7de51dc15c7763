"""Engine and session factory for the configured database (SQLite by default, or PostgreSQL)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import event
from sqlalchemy.exc import DisconnectionError
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
        # give up on an unreachable server within seconds (a turn then asks the person to try
        # again); pooled connections are checked on checkout (below)
        kwargs["connect_args"] = {"timeout": 5}
        # keep every connection opened, up to twenty: with five (SQLAlchemy's default), and
        # still with ten kept and ten more allowed, a worker under load kept closing the
        # overflow connections it had just opened and opening new ones (a connection and a
        # server process each time: 20-30 per 400 turns at 40 learners); at most twenty, as
        # before
        kwargs["pool_size"] = 20
        kwargs["max_overflow"] = 0
    engine = create_async_engine(url, **kwargs)
    if url.startswith("postgresql"):
        event.listen(engine.sync_engine, "checkout", _refuse_closed)
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


def _refuse_closed(_dbapi_connection: Any, record: Any, _proxy: Any) -> None:
    """Hand out no pooled connection the server or the network has closed (a restart, an outage,
    a terminated backend): the pool then opens a new one, so the first turn after an outage is
    served rather than failed. A closed socket is seen by the event loop as soon as the peer
    closes it, so this costs no round trip, where a pre-ping costs three per checkout (BEGIN, a
    ping, ROLLBACK). A connection that dies after this check fails its statement, which
    invalidates the pool, and the turn is kept in the spool."""
    driver = record.driver_connection
    if driver is not None and driver.is_closed():
        raise DisconnectionError("the pooled connection was closed")


def make_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """Sessions that keep loaded objects usable after commit."""
    return async_sessionmaker(engine, expire_on_commit=False)


def takes_row_locks(session: AsyncSession) -> bool:
    """Whether the database serialises work with row and advisory locks (PostgreSQL), rather than
    by SQLite's one writer at a time (``BEGIN IMMEDIATE``, one process)."""
    return session.get_bind().dialect.name == "postgresql"
