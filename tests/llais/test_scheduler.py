"""The job scheduler's stop lets a running job finish, and is bounded when a job will not."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime

from llais.commands.serve import settle
from llais.scheduler import JobScheduler


def _scheduler_with(job: object) -> JobScheduler:
    scheduler = JobScheduler(timezone=UTC)
    scheduler.add_job(job, "date", run_date=datetime.now(UTC), id="job", misfire_grace_time=None)
    return scheduler


async def test_stop_waits_for_a_running_job_to_finish() -> None:
    started, finished = asyncio.Event(), asyncio.Event()

    async def job() -> None:
        started.set()
        await asyncio.sleep(0.3)
        finished.set()

    scheduler = _scheduler_with(job)
    scheduler.start()
    await asyncio.wait_for(started.wait(), 10)
    await scheduler.stop(grace=5.0)

    assert finished.is_set()
    assert not scheduler.running


async def test_stop_cancels_a_job_still_running_after_the_grace_period() -> None:
    started, cancelled = asyncio.Event(), asyncio.Event()

    async def job() -> None:
        started.set()
        try:
            await asyncio.sleep(3600)
        except asyncio.CancelledError:
            cancelled.set()
            raise

    scheduler = _scheduler_with(job)
    scheduler.start()
    await asyncio.wait_for(started.wait(), 10)
    begun = time.monotonic()
    await scheduler.stop(grace=0.5)

    assert cancelled.is_set()
    assert 0.5 <= time.monotonic() - begun < 3.0


async def _awaits_again_when_cancelled() -> None:
    # like aiosqlite's Connection.close(): its finally awaits a future nobody will resolve
    try:
        await asyncio.sleep(3600)
    finally:
        await asyncio.get_running_loop().create_future()


def test_settle_ends_a_task_that_one_cancellation_does_not() -> None:
    left: list[asyncio.Task[None]] = []

    async def main() -> None:
        left.append(asyncio.create_task(_awaits_again_when_cancelled()))
        await asyncio.sleep(0)
        await settle(within=5.0)

    begun = time.monotonic()
    asyncio.run(main())  # the loop's own final cancellation would wait for ever on this task

    assert left[0].cancelled()
    assert time.monotonic() - begun < 3.0
