"""Updates pushed to the web app's webhook routes, handed to PTB's ``Application.process_update``.

No PTB webhook server runs: the one web application receives ``POST /telegram/<kind>``, checks the
secret header and calls :meth:`TelegramWebhook.receive`, which returns only once the turn is
committed and its replies are sent. The route answers 200 then, so Telegram re-delivers an
update a crash interrupted; the conversation service recognises a re-delivered update id
(``Inbound.delivery``) and does not apply it twice. A turn that failed (the database unreachable,
say) has told the person, in both languages, to try again: that is answered 200 too, since
nothing was committed and a re-delivery would only repeat the apology; a failure that could not
even be told is answered 503, for Telegram to re-deliver.
"""

from __future__ import annotations

import asyncio
import hmac
import logging
from collections.abc import Sequence
from typing import Any

from telegram import Update

from bot.telegram.application import BOT_KIND, TelegramApp
from bot.telegram.failures import Handling, handling
from bot.telegram.ratelimit import answering
from bot.telegram.runner import ALLOWED_UPDATES
from llais.webhooks import Received

logger = logging.getLogger(__name__)


class TelegramWebhook:
    """One bot's webhook: the initialised application, its secret, and where Telegram calls."""

    def __init__(self, app: TelegramApp, *, secret: str) -> None:
        self.app = app
        self.secret = secret
        self.ready = False

    @property
    def kind(self) -> str:
        """The bot's kind: "learner" or "staff" (its route is ``/telegram/<kind>``)."""
        return str(self.app.bot_data.get(BOT_KIND, ""))

    def accepts(self, secret_header: str | None) -> bool:
        """Whether ``X-Telegram-Bot-Api-Secret-Token`` carries this bot's secret."""
        given = (secret_header or "").encode("utf-8", "replace")
        return hmac.compare_digest(given, self.secret.encode("utf-8"))

    async def start(self, url: str | None) -> None:
        """Initialise the application (``getMe``); with ``url``, register the webhook there
        (every worker does: it is the same registration)."""
        await self.app.initialize()
        self.ready = True
        if url:
            await self.app.bot.set_webhook(
                url, secret_token=self.secret, allowed_updates=list(ALLOWED_UPDATES)
            )
            logger.info("%s bot: webhook registered", self.kind)

    async def stop(self) -> None:
        """Release the application's HTTP connections (the webhook stays registered)."""
        self.ready = False
        await self.app.shutdown()

    async def receive(self, payload: Any) -> Received:
        """Handle one update as Telegram posted it; return once its turn is committed."""
        if not self.ready:
            return Received.NOT_READY
        if not isinstance(payload, dict):
            return Received.MALFORMED
        try:
            update = Update.de_json(payload, self.app.bot)
        except Exception as exc:  # whatever the parser makes of hostile input
            logger.warning("%s bot: an unreadable update (%s)", self.kind, type(exc).__name__)
            return Received.MALFORMED
        outcome = Handling()
        with handling(outcome), answering():
            await self.app.process_update(update)
        if not outcome.failed:
            return Received.HANDLED
        return Received.TOLD_TO_RETRY if outcome.told else Received.FAILED


async def serve_webhooks(
    webhooks: Sequence[TelegramWebhook], stop: asyncio.Event, *, base_url: str
) -> None:
    """Initialise each bot and register ``<base_url>/telegram/<kind>``; release them at ``stop``.

    The updates themselves arrive through the web app's routes meanwhile.
    """
    started: list[TelegramWebhook] = []
    try:
        for hook in webhooks:
            await hook.start(f"{base_url.rstrip('/')}/telegram/{hook.kind}")
            started.append(hook)
        await stop.wait()
    finally:
        for hook in started:
            try:
                await hook.stop()
            except Exception as exc:  # one bot failing to close must not keep the other open
                logger.warning("%s bot: shutdown failed: %s", hook.kind, type(exc).__name__)
