"""The job that closes the loop with the school: route learners' requests, then send whatever
the outbox has due. Like the alert job it keeps no state of its own (all of it is in the
database), so it is added again at every start."""

from __future__ import annotations

import logging
from datetime import timedelta

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from core.clock import utcnow
from llais.outbox import Outbox
from llais.requests import RequestRouter

log = logging.getLogger(__name__)

JOB_ID = "llais.outbox.deliver"


async def run_loop(router: RequestRouter, outbox: Outbox) -> None:
    """One run: requests first (they queue messages), then the outbox; errors are logged."""
    try:
        queued = await router.run_once()
        report = await outbox.deliver_due()
    except Exception as exc:
        log.error("outbox job failed: %s", type(exc).__name__)
        return
    if queued or report.sent or report.retried or report.failed:
        log.info(
            "outbox: %d request message(s) queued, %d sent, %d to retry, %d given up",
            queued,
            report.sent,
            report.retried,
            len(report.failed),
        )


def add_outbox_job(
    scheduler: AsyncIOScheduler, router: RequestRouter, outbox: Outbox, *, every_seconds: float
) -> None:
    """Add the job to ``scheduler``: first run straight away, then every ``every_seconds``."""
    scheduler.add_job(
        run_loop,
        "interval",
        args=[router, outbox],
        seconds=every_seconds,
        id=JOB_ID,
        replace_existing=True,
        coalesce=True,
        max_instances=1,
        next_run_time=utcnow() + timedelta(seconds=1),
        misfire_grace_time=None,
    )
