"""The in-process job scheduler, whose stop lets a running job finish before the app goes away.

APScheduler 3's ``AsyncIOScheduler.shutdown()`` cancels the task of a job that is running and
returns without waiting for it. A job cut off like that loses its work (an alert sent but its
delivery not recorded is sent again), and a cancel that lands inside a database call can leave
a task behind that never ends (SQLAlchemy's shielded close of an aiosqlite connection whose
worker thread has already stopped), so the event loop's final cancellation waits for ever.
:meth:`JobScheduler.stop` instead stops starting runs, gives a running one ``grace`` seconds to
finish, and only then cancels it and waits for it.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta, tzinfo
from typing import Any

from apscheduler.executors.asyncio import AsyncIOExecutor
from apscheduler.schedulers.asyncio import AsyncIOScheduler

from core.clock import utcnow

log = logging.getLogger(__name__)

STOP_GRACE = 5.0  # seconds a running job has to finish once the app is stopping
CANCEL_WAIT = 2.0  # seconds to wait for a job's task to end after it was cancelled


class FinishingExecutor(AsyncIOExecutor):  # type: ignore[misc]
    """APScheduler's asyncio executor, except that shutting down does not cancel running jobs."""

    def shutdown(self, wait: bool = True) -> None:
        """Leave running jobs alone: :meth:`finish` waits for them."""

    async def finish(self, grace: float) -> None:
        """Wait up to ``grace`` seconds for running jobs, then cancel the rest and wait for them."""
        # APScheduler keeps the task of each running coroutine job here until it is done
        running = {task for task in self._pending_futures if not task.done()}
        if not running:
            return
        _, late = await asyncio.wait(running, timeout=grace)
        if not late:
            return
        log.warning("%d job run(s) still running after %g s: cancelling", len(late), grace)
        for task in late:
            task.cancel()
        _, stuck = await asyncio.wait(late, timeout=CANCEL_WAIT)
        if stuck:
            log.error("%d job run(s) did not end after being cancelled", len(stuck))


class JobScheduler(AsyncIOScheduler):  # type: ignore[misc]
    """An ``AsyncIOScheduler`` on the running event loop; stop it with :meth:`stop`."""

    def __init__(self, *, timezone: tzinfo) -> None:
        self._runs = FinishingExecutor()
        super().__init__(timezone=timezone, executors={"default": self._runs})

    async def stop(self, grace: float = STOP_GRACE) -> None:
        """Start no more runs, let a running job finish (cancelled after ``grace`` seconds)."""
        if self.running:
            self.shutdown(wait=False)
        await self._runs.finish(grace)


def every(
    scheduler: AsyncIOScheduler,
    func: Callable[..., Any],
    *,
    seconds: float,
    job_id: str,
    args: Sequence[Any] = (),
    first_at: datetime | None = None,
) -> None:
    """Run ``func`` every ``seconds`` (first at ``first_at``, by default in a second): one run at a
    time, runs missed while one was going coalesced into one, and none dropped for being late."""
    scheduler.add_job(
        func,
        "interval",
        args=list(args),
        seconds=seconds,
        id=job_id,
        replace_existing=True,
        coalesce=True,
        max_instances=1,
        next_run_time=first_at or utcnow() + timedelta(seconds=1),
        misfire_grace_time=None,
    )
