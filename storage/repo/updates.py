"""Recognise channel updates already applied (see ``storage.models.updates``)."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import bindparam, delete
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from storage.db import AsyncSession, takes_row_locks
from storage.models import ProcessedUpdate

KEEP = timedelta(days=2)  # Telegram gives up re-delivering an update after a day
# Built once per dialect: the statement is the same for every update. "raw": a plain statement
# with its parameters, not an ORM bulk insert of a list of rows (whose result has no rowcount).
_RECORD = {
    dialect: insert(ProcessedUpdate)
    .values(key=bindparam("key"), processed_at=bindparam("now"))
    .on_conflict_do_nothing()
    .execution_options(dml_strategy="raw")
    for dialect, insert in (("postgresql", pg_insert), ("sqlite", sqlite_insert))
}


async def first_delivery(session: AsyncSession, *, key: str, now: datetime) -> bool:
    """Record ``key`` in this transaction; False when a committed (or concurrent) transaction
    recorded it already, i.e. the update was applied before."""
    statement = _RECORD["postgresql" if takes_row_locks(session) else "sqlite"]
    result = await session.execute(statement, {"key": key, "now": now})
    return bool(getattr(result, "rowcount", 0))


async def forget_old(session: AsyncSession, *, now: datetime) -> int:
    """Drop records older than any re-delivery; returns how many."""
    result = await session.execute(
        delete(ProcessedUpdate).where(ProcessedUpdate.processed_at < now - KEEP)
    )
    return int(getattr(result, "rowcount", 0) or 0)
