"""Housekeeping jobs that run inside ``llais serve``: free text is cleared after retention, and
records of applied updates once no re-delivery can come. Every worker may run them: rows another
worker is clearing are skipped (``storage.repo.retention``)."""

from __future__ import annotations

import logging
from datetime import timedelta

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from sqlalchemy.ext.asyncio import async_sessionmaker

from core.clock import utcnow
from core.settings import Settings
from llais.dialogue import SESSION
from llais.scheduler import every
from storage.db import AsyncSession
from storage.repo import web_mailbox
from storage.repo.retention import purge_free_text, purge_recent_messages
from storage.repo.updates import forget_old as forget_old_updates

log = logging.getLogger(__name__)

RETENTION_JOB_ID = "llais.retention.purge"
RETENTION_EVERY = timedelta(hours=6)


async def run_retention(settings: Settings, sessions: async_sessionmaker[AsyncSession]) -> int:
    """Clear check-in comments, mood notes and web chat messages older than the retention
    period, and the recent messages of sessions that have expired."""
    try:
        async with sessions() as session, session.begin():
            now = utcnow()
            cleared = await purge_free_text(
                session, now=now, days=settings.free_text_retention_days
            )
            await purge_recent_messages(session, before=now - SESSION)
            cleared += await web_mailbox.purge(
                session, now=now, days=settings.free_text_retention_days
            )
            await forget_old_updates(session, now=now)
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
    every(
        scheduler,
        run_retention,
        args=[settings, sessions],
        seconds=RETENTION_EVERY.total_seconds(),
        job_id=RETENTION_JOB_ID,
        first_at=utcnow() + timedelta(seconds=5),
    )
