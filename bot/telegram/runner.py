"""Run bots inside an existing event loop (beside the scheduler), by long polling or webhook."""

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


async def run_webhook_until(
    app: TelegramApp,
    stop: asyncio.Event,
    *,
    webhook_url: str,
    listen: str,
    port: int,
    url_path: str,
    secret_token: str,
) -> None:
    """Serve a webhook on ``listen:port/url_path`` until ``stop`` is set, then shut down."""
    async with app:
        await app.start()
        try:
            assert app.updater is not None, "build the application with an updater"
            await app.updater.start_webhook(
                listen=listen,
                port=port,
                url_path=url_path,
                webhook_url=webhook_url,
                allowed_updates=ALLOWED_UPDATES,
                secret_token=secret_token,
            )
            logger.info("%s bot serving a webhook on port %d", app.bot_data.get(BOT_KIND), port)
            await stop.wait()
        finally:
            await _stop(app)


async def run_bots(apps: list[TelegramApp], stop: asyncio.Event, settings: Settings) -> None:
    """Run every bot until ``stop`` is set: webhooks if a webhook URL is set, else polling.

    With webhooks, bot ``i`` listens on ``telegram_webhook_port + i`` at ``/telegram/<kind>``
    and registers ``<telegram_webhook_url>/telegram/<kind>``; the reverse proxy maps each path.
    """
    async with asyncio.TaskGroup() as group:
        for index, app in enumerate(apps):
            if settings.telegram_webhook_url:
                path = f"telegram/{app.bot_data.get(BOT_KIND, index)}"
                run = run_webhook_until(
                    app,
                    stop,
                    webhook_url=f"{settings.telegram_webhook_url.rstrip('/')}/{path}",
                    listen=settings.telegram_webhook_listen,
                    port=settings.telegram_webhook_port + index,
                    url_path=path,
                    secret_token=webhook_secret(settings, app.bot.token),
                )
            else:
                run = run_polling_until(app, stop, poll_interval=settings.telegram_poll_interval)
            group.create_task(run)


def webhook_secret(settings: Settings, token: str) -> str:
    """Return the secret Telegram must send with each webhook call, derived from the secret key."""
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
