"""Apply the messages kept in the spool once the database is back, oldest first.

Every ``llais serve`` runs this job (first straight away, so a worker restarted after a crash
applies what it had kept); one process at a time on a machine holds the spool's lock. A kept
message is applied as a normal turn (its alert committed with it, its replies queued in the
outbox), and only then removed. The run stops at the first sign the database is still away
(checked with a query of its own) and tries again next time; a record that fails for any other
reason is set aside in ``failed/`` rather than block everyone behind it.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from pydantic import ValidationError
from sqlalchemy import text

from core.errors import LlaisError
from core.vocabulary import Audience
from llais.dialogue import DialogueService
from llais.scheduler import every
from llais.spool import Spool, SpoolRecord
from storage.availability import unavailable

log = logging.getLogger(__name__)

JOB_ID = "llais.spool.replay"


class RecordFailed(LlaisError):
    """A record failed as if the database were away, twice, while the database answered."""


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
                except Exception as exc:
                    log.error("spool: a kept message could not be read (%s)", _kind(exc))
                    self.spool.set_aside(path)
                    report.set_aside += 1
                    continue
                try:
                    applied = await self._apply(service, record)
                except Exception as exc:
                    if unavailable(exc) and not isinstance(exc, RecordFailed):
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

    async def _apply(self, service: DialogueService, record: SpoolRecord) -> bool:  # type: ignore[type-arg]
        """Apply one record; an outage-like failure while the database answers is tried once
        more and then raised as what it is (not an outage), so it cannot block the rest."""
        try:
            return await service.apply_kept(record)
        except Exception as exc:
            if not unavailable(exc) or not await self._reachable(service):
                raise
        try:
            return await service.apply_kept(record)
        except Exception as exc:
            if unavailable(exc) and await self._reachable(service):
                raise RecordFailed(type(exc).__name__) from exc
            raise

    @staticmethod
    async def _reachable(service: DialogueService) -> bool:  # type: ignore[type-arg]
        """Whether the database answers after all: then the record's own failure only looked
        like an outage (a socket error elsewhere, say), and it must not block the rest for ever."""
        try:
            async with service.sessions() as session:
                await session.execute(text("SELECT 1"))
        except Exception:
            return False
        return True


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
