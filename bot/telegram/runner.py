"""Run bots inside an existing event loop (beside the scheduler) by long polling."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import logging
from datetime import timedelta

from telegram import Update

from bot.telegram.application import BOT_KIND, TelegramApp
from core.settings import Settings

logger = logging.getLogger(__name__)

ALLOWED_UPDATES = (
    Update.MESSAGE,
    Update.EDITED_MESSAGE,
    Update.CHANNEL_POST,
    Update.CALLBACK_QUERY,
)
POLL_TIMEOUT = timedelta(seconds=10)


async def run_polling_until(
    app: TelegramApp,
    stop: asyncio.Event,
    *,
    poll_interval: float = 0.0,
    poll_timeout: timedelta = POLL_TIMEOUT,
) -> None:
    """Long-poll for updates and handle them until ``stop`` is set, then shut down cleanly."""
    async with app:  # initialize (calls getMe) ... shutdown
        await app.start()
        try:
            assert app.updater is not None, "build the application with an updater"
            await app.updater.start_polling(
                poll_interval=poll_interval,
                timeout=poll_timeout,
                allowed_updates=ALLOWED_UPDATES,
            )
            logger.info("%s bot polling", app.bot_data.get(BOT_KIND))
            await stop.wait()
        finally:
            await _stop(app)


async def run_bots(apps: list[TelegramApp], stop: asyncio.Event, settings: Settings) -> None:
    """Long-poll every bot until ``stop`` is set (webhooks arrive through the web app instead:
    ``bot.telegram.webhook``). Only one process may poll a bot."""
    async with asyncio.TaskGroup() as group:
        for app in apps:
            group.create_task(
                run_polling_until(app, stop, poll_interval=settings.telegram_poll_interval)
            )


def webhook_secret(settings: Settings, token: str) -> str:
    """The secret Telegram must send with each webhook call: ``LLAIS_TELEGRAM_WEBHOOK_SECRET``,
    or else one derived from the secret key and the bot's token."""
    if settings.telegram_webhook_secret is not None:
        return settings.telegram_webhook_secret.get_secret_value()
    key = settings.secret_key.get_secret_value().encode("utf-8")
    return hmac.new(key, token.encode("utf-8"), hashlib.sha256).hexdigest()


async def _stop(app: TelegramApp) -> None:
    """Stop fetching, then the application; a failure in the first must not block the second."""
    try:
        if app.updater is not None and app.updater.running:
            await app.updater.stop()
    except Exception as exc:  # e.g. the last getUpdates returned data PTB cannot parse
        logger.warning(
            "%s bot: stopping updates failed: %s", app.bot_data.get(BOT_KIND), type(exc).__name__
        )
    finally:
        if app.running:
            await app.stop()
