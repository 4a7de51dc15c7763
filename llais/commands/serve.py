"""``llais serve``: run the bots whose tokens are configured, until interrupted.

Stopping (SIGTERM, SIGINT or ``stop``) is bounded. First the scheduler starts no more job runs
and a run in progress gets :data:`~llais.scheduler.STOP_GRACE` (5 s) to finish, while the bots
still answer; a run still going then is cancelled (waited for up to 2 s). Then the bots stop:
the long poll is dropped at once, updates already fetched are handled, and the last
``getUpdates`` confirms them (each Telegram request has 5 s timeouts). Last the database
connections close. The process then cancels whatever is left, for up to :data:`SETTLE_SECONDS`,
and exits.
"""

from __future__ import annotations

import argparse
import asyncio
import atexit
import gc
import logging
import signal
from typing import Any

from core.settings import Settings
from core.vocabulary import OutboxPriority
from llais.alerts import AlertDispatcher, add_dispatch_job
from llais.alerts.out_of_hours import OutOfHours
from llais.app import replayer, running_app, telegram_bots, voice_job, web_senders, web_server
from llais.housekeeping import add_retention_job
from llais.loop import add_outbox_job
from llais.outbox import Outbox
from llais.replay import add_replay_job
from llais.requests import RequestRouter
from llais.scheduler import STOP_GRACE, JobScheduler
from llais.voice import add_voice_job

log = logging.getLogger(__name__)

SETTLE_SECONDS = 3.0  # how long the process keeps cancelling tasks left after serve() returns

NO_TOKEN_HELP = """\
No bot token is configured, so only the web chat is served.

To run the learner bot on Telegram as well, create a bot with @BotFather and set its token:
    export LLAIS_LEARNER_BOT_TOKEN=123456:ABC...        (or put it in .env)
    make run
To try the same conversation in this terminal instead:
    .venv/bin/llais chat
"""


def register(sub: Any) -> None:
    """Add the ``serve`` command."""
    parser: argparse.ArgumentParser = sub.add_parser(
        "serve", help="run the web app and the configured bots"
    )
    parser.set_defaults(func=_serve)


async def serve(settings: Settings, stop: asyncio.Event, *, grace: float = STOP_GRACE) -> None:
    """Run the web app and every configured bot until ``stop`` is set; a running job gets
    ``grace`` s to finish."""
    async with running_app(settings) as app:
        bots = telegram_bots(app)
        web = web_server(app)
        if not bots.apps:
            print(NO_TOKEN_HELP)
        log.info("serving the web app and %d bot(s)", len(bots.apps))
        scheduler = JobScheduler(timezone=settings.tz)
        add_retention_job(scheduler, settings, app.sessions)
        if bots.alert_sender is not None:
            dispatcher = AlertDispatcher(
                settings=settings,
                sessions=app.sessions,
                sender=bots.alert_sender,
                out_of_hours=OutOfHours(settings, app.learner.signposter.directory),
            )
            add_dispatch_job(scheduler, dispatcher, every_seconds=settings.alert_poll_seconds)
        else:
            log.warning("no staff bot token: safeguarding alerts are stored but not delivered")
        # the one outbox: alerts and replies leave from the outbox job, most urgent first;
        # campaigns (invitations, polls, results, posts) from the voice job's paced lane
        job = voice_job(app, bots.campaign_transport)  # the web chat's mailbox, at least
        add_voice_job(scheduler, job, every_seconds=settings.campaign_poll_seconds)
        lanes = (OutboxPriority.ALERT, OutboxPriority.REPLY)
        router = RequestRouter(settings=settings, sessions=app.sessions)
        outbox = Outbox(
            sessions=app.sessions, senders={**bots.senders, **web_senders(app)}, priorities=lanes
        )
        add_outbox_job(scheduler, router, outbox, every_seconds=settings.outbox_poll_seconds)
        # messages kept while the database was away (by this process or one that died)
        add_replay_job(scheduler, replayer(app), every_seconds=settings.spool_poll_seconds)
        scheduler.start()
        bots_stop, web_stop = asyncio.Event(), asyncio.Event()
        running = asyncio.create_task(bots.run(bots_stop), name="llais bots")
        serving = asyncio.create_task(web.run(web_stop, on_started=_announce), name="llais web")
        stopping = asyncio.create_task(stop.wait(), name="llais stop")
        watched = {serving, stopping} | ({running} if bots.apps else set())
        try:
            await asyncio.wait(watched, return_when=asyncio.FIRST_COMPLETED)
        finally:
            stopping.cancel()
            # jobs first: the alert job sends through the staff bot and records what it sent
            await scheduler.stop(grace)
            web_stop.set()
            bots_stop.set()
            try:
                await serving  # a web app that failed to start raises here
            finally:
                await running  # and a bot that failed raises here


def _announce(address: str) -> None:
    """Print the web chat's address once it is listening (``make run`` shows it)."""
    print(f"Llais web chat: {address}/chat", flush=True)


async def settle(within: float = SETTLE_SECONDS) -> None:
    """Cancel every other task until none is left or ``within`` seconds pass (then log how many).

    Cancelling once is not always enough: a task may await again in a ``finally`` (aiosqlite's
    close does), and the event loop's own final cancellation would then wait for ever.
    """
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    me = asyncio.current_task()
    while left := [task for task in asyncio.all_tasks() if task is not me]:
        if loop.time() >= deadline:
            log.error("%d task(s) still running at exit", len(left))
            return
        for task in left:
            task.cancel()
        await asyncio.wait(left, timeout=0.1)


def _serve(args: argparse.Namespace, settings: Settings) -> int:
    async def main() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        try:
            await serve(settings, stop)
        finally:
            await settle()

    asyncio.run(main())
    # Freezing the heap as the process exits spares the exit its garbage-collection passes over
    # the loaded models: 4-5 s on a busy machine, 0.5 s frozen. (At exit, not now: a caller
    # such as a test may go on running in this process.)
    atexit.register(gc.freeze)
    return 0
