"""``llais serve``: run the bots whose tokens are configured, until interrupted."""

from __future__ import annotations

import argparse
import asyncio
import logging
import signal
from typing import Any

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.telegram import build_application, quiet_library_loggers, run_bots
from core.channel import Channel
from core.settings import Settings
from llais.alerts import AlertDispatcher, TelegramAlertSender, add_dispatch_job
from llais.app import running_app
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
        apps = []
        token = settings.token("learner")
        if token:
            apps.append(build_application(token, settings, app.learner, bot_kind="learner"))
        staff_token = settings.token("staff")
        if staff_token:
            staff = build_application(
                staff_token, settings, app.staff, channel=Channel.STAFF_TELEGRAM, bot_kind="staff"
            )
            apps.append(staff)
        if not apps:
            print(NO_TOKEN_HELP)
            return
        log.info("serving %d bot(s)", len(apps))
        scheduler = AsyncIOScheduler(timezone=settings.tz)
        add_retention_job(scheduler, settings, app.sessions)
        if staff_token:
            sender = TelegramAlertSender(staff.bot)
            dispatcher = AlertDispatcher(settings=settings, sessions=app.sessions, sender=sender)
            add_dispatch_job(scheduler, dispatcher, every_seconds=settings.alert_poll_seconds)
        else:
            log.warning("no staff bot token: safeguarding alerts are stored but not delivered")
        scheduler.start()
        try:
            await run_bots(apps, stop, settings)
        finally:
            scheduler.shutdown(wait=False)


def _serve(args: argparse.Namespace, settings: Settings) -> int:
    quiet_library_loggers()

    async def main() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        await serve(settings, stop)

    asyncio.run(main())
    return 0
