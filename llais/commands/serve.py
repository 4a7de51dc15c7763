"""``llais serve``: run the bots whose tokens are configured, until interrupted."""

from __future__ import annotations

import argparse
import asyncio
import logging
import signal
from typing import Any

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from core.settings import Settings
from llais.alerts import AlertDispatcher, add_dispatch_job
from llais.app import running_app, telegram_bots
from llais.housekeeping import add_retention_job

log = logging.getLogger(__name__)

NO_TOKEN_HELP = """\
No bot token is configured, so there is nothing to serve yet.

To run the learner bot on Telegram, create a bot with @BotFather and set its token:
    export LLAIS_LEARNER_BOT_TOKEN=123456:ABC...        (or put it in .env)
    make run
To try the same conversation in this terminal without Telegram:
    .venv/bin/llais chat
"""


def register(sub: Any) -> None:
    """Add the ``serve`` command."""
    parser: argparse.ArgumentParser = sub.add_parser("serve", help="run the configured bots")
    parser.set_defaults(func=_serve)


async def serve(settings: Settings, stop: asyncio.Event) -> None:
    """Run every configured bot until ``stop`` is set."""
    async with running_app(settings) as app:
        bots = telegram_bots(app)
        if not bots.apps:
            print(NO_TOKEN_HELP)
            return
        log.info("serving %d bot(s)", len(bots.apps))
        scheduler = AsyncIOScheduler(timezone=settings.tz)
        add_retention_job(scheduler, settings, app.sessions)
        if bots.alert_sender is not None:
            dispatcher = AlertDispatcher(
                settings=settings, sessions=app.sessions, sender=bots.alert_sender
            )
            add_dispatch_job(scheduler, dispatcher, every_seconds=settings.alert_poll_seconds)
        else:
            log.warning("no staff bot token: safeguarding alerts are stored but not delivered")
        scheduler.start()
        try:
            await bots.run(stop)
        finally:
            scheduler.shutdown(wait=False)


def _serve(args: argparse.Namespace, settings: Settings) -> int:
    async def main() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        await serve(settings, stop)

    asyncio.run(main())
    return 0
