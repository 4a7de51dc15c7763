"""Logging set-up: event kinds, ids and timings only; libraries that log SQL parameters or
payloads (which can hold message text) are held at WARNING whatever the configured level."""

from __future__ import annotations

import logging

# aiosqlite and SQLAlchemy log statements with their parameters (message text) at DEBUG/INFO.
DATA_LIBRARIES = ("aiosqlite", "asyncpg", "sqlalchemy.engine", "sqlalchemy.pool", "alembic")


def configure_logging(level: str | int) -> None:
    """Configure the root logger and quieten libraries that could log personal data."""
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger().setLevel(level)
    for name in DATA_LIBRARIES:
        logging.getLogger(name).setLevel(logging.WARNING)
