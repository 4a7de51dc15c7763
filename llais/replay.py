"""Apply the messages kept in the spool once the database is back, oldest first.

Every ``llais serve`` runs this job (first straight away, so a worker restarted after a crash
applies what it had kept); one process at a time on a machine holds the spool's lock. A kept
message is applied as a normal turn (its alert committed with it, its replies queued in the
outbox), and only then removed. The run stops at the first sign the database is still away and
tries again next time; a record that fails for any other reason is set aside in ``failed/``
rather than block everyone behind it.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from pydantic import ValidationError

from core.vocabulary import Audience
from llais.dialogue import DialogueService
from llais.scheduler import every
from llais.spool import Spool
from storage.availability import unavailable

log = logging.getLogger(__name__)

JOB_ID = "llais.spool.replay"


@dataclass
class Replayed:
    """What one run did (counts only)."""

    applied: int = 0
    repeated: int = 0  # applied before a crash, removed now
    set_aside: int = 0
    waiting: int = 0  # still kept: the database is away, or another process is applying them


class Replayer:
    """Applies kept records through the conversation service of their audience."""

    def __init__(self, spool: Spool, services: Mapping[Audience, DialogueService]) -> None:  # type: ignore[type-arg]
        self.spool = spool
        self.services = dict(services)

    async def run_once(self) -> Replayed:
        """Apply what is kept, in order, until done or the database fails."""
        report = Replayed()
        with self.spool.exclusive() as mine:
            files = self.spool.files()
            if not mine:
                report.waiting = len(files)
                return report
            for index, path in enumerate(files):
                try:
                    record = self.spool.read(path)
                    service = self.services[record.channel.audience]
                    applied = await service.apply_kept(record)
                except Exception as exc:
                    if unavailable(exc):
                        report.waiting = len(files) - index
                        break
                    log.error("spool: a kept message could not be applied (%s)", _kind(exc))
                    self.spool.set_aside(path)
                    report.set_aside += 1
                    continue
                self.spool.remove(path)
                if applied:
                    report.applied += 1
                else:
                    report.repeated += 1
        if report.applied or report.repeated or report.set_aside:
            log.info(
                "spool: %d kept message(s) applied, %d already applied, %d set aside, %d waiting",
                report.applied,
                report.repeated,
                report.set_aside,
                report.waiting,
            )
        return report


def _kind(exc: Exception) -> str:
    unreadable = isinstance(exc, ValueError | ValidationError)
    return "unreadable record" if unreadable else type(exc).__name__


async def run_replay(replayer: Replayer) -> None:
    """One scheduled run; nothing it raises stops the scheduler."""
    try:
        await replayer.run_once()
    except Exception as exc:
        log.error("spool job failed: %s", type(exc).__name__)


def add_replay_job(
    scheduler: AsyncIOScheduler, replayer: Replayer, *, every_seconds: float
) -> None:
    """Add the job to ``scheduler``: first run straight away, then every ``every_seconds``."""
    every(scheduler, run_replay, args=[replayer], seconds=every_seconds, job_id=JOB_ID)
