"""The voice job: plan what is due, then send it, on an interval inside the app's event loop.
Its state is all in the database, so a restart carries on where the last run stopped."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import timedelta

from core.clock import Clock, utcnow
from llais.scheduler import JobScheduler, every
from llais.voice.campaigns import CampaignPlanner
from llais.voice.sender import CampaignSender, SendReport

log = logging.getLogger(__name__)

JOB_ID = "llais.voice.campaigns"


@dataclass
class VoiceJob:
    """Plans campaigns and drains the queue."""

    planner: CampaignPlanner
    sender: CampaignSender
    clock: Clock = utcnow

    async def run_once(self, stop: asyncio.Event | None = None) -> SendReport:
        """One run: queue what is due now, then send what is due."""
        planned = await self.planner.plan(self.clock())
        report = await self.sender.drain(stop)
        if planned.queued or report.sent or report.stopped:
            log.info(
                "voice: queued %s; sent %d, stopped %d, expired %d, retried %d",
                planned.queued or "-",
                report.sent,
                report.stopped,
                report.expired,
                report.retried,
            )
        return report


def add_voice_job(scheduler: JobScheduler, job: VoiceJob, *, every_seconds: float) -> None:
    """Run the voice job every ``every_seconds``, never two runs at once."""

    async def run() -> None:
        try:
            await job.run_once()
        except Exception as exc:
            log.error("voice job failed: %s", type(exc).__name__)

    every(
        scheduler,
        run,
        seconds=every_seconds,
        job_id=JOB_ID,
        first_at=job.clock() + timedelta(seconds=1),
    )
