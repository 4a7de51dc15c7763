"""Run the alert dispatcher on an APScheduler interval job inside the app's event loop.

The job keeps no state of its own: it is added again at every start, and everything it works from
(open alerts, their step and ``next_escalation_at``, deliveries so far) is in the database, so a
restart loses nothing and picks up whatever fell due while the app was down.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from llais.alerts.dispatch import AlertDispatcher
from llais.scheduler import JobScheduler, every

log = logging.getLogger(__name__)

JOB_ID = "llais.alerts.dispatch"


async def run_dispatch(dispatcher: AlertDispatcher) -> None:
    """The job: one dispatcher run; an error is logged (by kind) and the next run tries again."""
    try:
        report = await dispatcher.run_once()
    except Exception as exc:
        log.error("alert dispatch failed: %s", type(exc).__name__)
        return
    if report.escalated or report.delivered or report.failed or report.closed:
        log.info(
            "alert dispatch: %d escalated, %d delivered, %d told of acknowledgement, %d failed",
            report.escalated,
            report.delivered,
            report.closed,
            report.failed,
        )


def build_scheduler(dispatcher: AlertDispatcher, *, every_seconds: float) -> JobScheduler:
    """A scheduler with the dispatch job: first run straight away, then every ``every_seconds``."""
    scheduler = JobScheduler(timezone=dispatcher.settings.tz)
    add_dispatch_job(scheduler, dispatcher, every_seconds=every_seconds)
    return scheduler


def add_dispatch_job(
    scheduler: AsyncIOScheduler, dispatcher: AlertDispatcher, *, every_seconds: float
) -> None:
    """Add the dispatch job to ``scheduler``."""
    every(scheduler, run_dispatch, args=[dispatcher], seconds=every_seconds, job_id=JOB_ID)


@asynccontextmanager
async def scheduled(dispatcher: AlertDispatcher, *, every_seconds: float) -> AsyncIterator[None]:
    """Run the dispatch job in the current event loop for the duration of the block."""
    scheduler = build_scheduler(dispatcher, every_seconds=every_seconds)
    scheduler.start()
    log.info("alert dispatch scheduled every %g s", every_seconds)
    try:
        yield
    finally:
        await scheduler.stop()  # a run in progress finishes first
