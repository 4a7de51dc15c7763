"""Fixtures for the Telegram adapter: a Bot API double and a bot polling it in the test's loop."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager

import pytest
from telegram.ext import AIORateLimiter

from bot.telegram import TelegramApp, build_application, run_polling_until
from core.channel import ConversationHandler
from core.settings import Settings
from tests.bot.handlers import settings_for
from tests.support.botapi_double import BotApiDouble, botapi

__all__ = ["botapi"]  # the double's fixture, for every test here


@pytest.fixture
def settings(botapi: BotApiDouble) -> Settings:
    """Settings for the ``botapi`` double."""
    return settings_for(botapi)


RunBot = Callable[[ConversationHandler], AbstractAsyncContextManager[TelegramApp]]


@pytest.fixture
def run_bot(botapi: BotApiDouble, settings: Settings) -> RunBot:
    """Return ``run_bot(handler)``: a context in which a learner bot polls the double."""

    @asynccontextmanager
    async def running(handler: ConversationHandler) -> AsyncIterator[TelegramApp]:
        app = build_application(
            botapi.token, settings, handler, rate_limiter=AIORateLimiter(max_retries=0)
        )
        stop = asyncio.Event()
        task = asyncio.create_task(run_polling_until(app, stop))
        await botapi.wait_for_call("getUpdates")
        try:
            yield app
        finally:
            stop.set()
            await asyncio.wait_for(task, 10)

    return running
