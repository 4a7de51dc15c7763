"""Housekeeping jobs that run inside ``llais serve``: free text is cleared after retention."""

from __future__ import annotations

import logging
from datetime import timedelta

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from sqlalchemy.ext.asyncio import async_sessionmaker

from core.clock import utcnow
from core.settings import Settings
from storage.db import AsyncSession
from storage.repo import web_mailbox
from storage.repo.retention import purge_free_text

log = logging.getLogger(__name__)

RETENTION_JOB_ID = "llais.retention.purge"
RETENTION_EVERY = timedelta(hours=6)


async def run_retention(settings: Settings, sessions: async_sessionmaker[AsyncSession]) -> int:
    """Clear check-in comments, mood notes and web chat messages older than the retention
    period."""
    try:
        async with sessions() as session, session.begin():
            cleared = await purge_free_text(
                session, now=utcnow(), days=settings.free_text_retention_days
            )
            cleared += await web_mailbox.purge(
                session, now=utcnow(), days=settings.free_text_retention_days
            )
    except Exception as exc:
        log.error("retention purge failed: %s", type(exc).__name__)
        return 0
    if cleared:
        log.info("retention purge cleared %d comment(s) and note(s)", cleared)
    return cleared


def add_retention_job(
    scheduler: AsyncIOScheduler, settings: Settings, sessions: async_sessionmaker[AsyncSession]
) -> None:
    """Run the purge shortly after start, then every few hours."""
    scheduler.add_job(
        run_retention,
        "interval",
        args=[settings, sessions],
        seconds=RETENTION_EVERY.total_seconds(),
        id=RETENTION_JOB_ID,
        replace_existing=True,
        coalesce=True,
        max_instances=1,
        next_run_time=utcnow() + timedelta(seconds=5),
        misfire_grace_time=None,
    )
