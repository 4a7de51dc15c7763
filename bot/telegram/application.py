"""Build a python-telegram-bot ``Application`` wired to the conversation service."""

from __future__ import annotations

from typing import Any, TypeAlias

from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    ContextTypes,
    ExtBot,
    JobQueue,
    MessageHandler,
    filters,
)

from bot.telegram.handlers import TelegramCallbacks
from bot.telegram.ordering import PerChatUpdateProcessor
from bot.telegram.ratelimit import AnswersFirstRateLimiter
from bot.telegram.request import AiohttpRequest
from core.channel import Channel, ConversationHandler
from core.settings import Settings

TelegramApp: TypeAlias = Application[
    ExtBot[int],
    ContextTypes.DEFAULT_TYPE,
    dict[Any, Any],
    dict[Any, Any],
    dict[Any, Any],
    JobQueue[ContextTypes.DEFAULT_TYPE],
]

BOT_KIND = "llais.bot_kind"  # key in ``application.bot_data``: "learner" or "staff"

_PRIVATE = filters.ChatType.PRIVATE & ~filters.StatusUpdate.ALL
_SHARED = (filters.UpdateType.MESSAGE | filters.UpdateType.CHANNEL_POST) & ~(
    filters.ChatType.PRIVATE | filters.StatusUpdate.ALL
)


def build_application(
    token: str,
    settings: Settings,
    handler: ConversationHandler,
    *,
    channel: Channel = Channel.TELEGRAM,
    bot_kind: str = "learner",
    rate_limiter: AIORateLimiter | None = None,
    max_concurrent_updates: int = 64,
) -> TelegramApp:
    """Return an application that passes private messages and button presses to ``handler``.

    Updates from different chats are handled concurrently, each chat's in order; the answers to
    an update are not held to the bot's overall send budget (``bot.telegram.ratelimit``); its
    requests other than ``getUpdates`` go through aiohttp (``bot.telegram.request``).
    """
    app = (
        ApplicationBuilder()
        .token(token)
        .base_url(settings.telegram_base_url)
        .base_file_url(settings.telegram_base_file_url)
        .request(AiohttpRequest())  # long polling keeps PTB's own one-connection client
        .rate_limiter(rate_limiter or AnswersFirstRateLimiter())
        .concurrent_updates(PerChatUpdateProcessor(max_concurrent_updates))
        .build()
    )
    callbacks = TelegramCallbacks(handler, channel=channel, bot_kind=bot_kind)
    app.add_handler(
        MessageHandler(filters.UpdateType.MESSAGES & _PRIVATE, callbacks.on_private_message)
    )
    app.add_handler(MessageHandler(_SHARED, callbacks.on_shared_chat))
    app.add_handler(CallbackQueryHandler(callbacks.on_button))
    app.add_error_handler(callbacks.on_error)
    app.bot_data[BOT_KIND] = bot_kind
    return app
