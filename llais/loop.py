"""The job that closes the loop with the school: route learners' requests, then send whatever
the outbox has due. Like the alert job it keeps no state of its own (all of it is in the
database), so it is added again at every start."""

from __future__ import annotations

import logging

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from llais.outbox import Outbox
from llais.requests import RequestRouter
from llais.scheduler import every

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
    every(scheduler, run_loop, args=[router, outbox], seconds=every_seconds, job_id=JOB_ID)
