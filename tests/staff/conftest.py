"""Fixtures for the staff bot and alert delivery: the real app, two Bot API doubles, a clock."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path

import pytest
from telegram.ext import AIORateLimiter

from bot.telegram import TelegramApp, build_application, run_polling_until
from core.channel import Channel, ConversationHandler
from core.settings import Settings
from tests.support.botapi_double import BotApiDouble

SECRET = "staff-test-secret-key-long-enough"
STAFF_TOKEN = "987654321:LLAIS-STAFF-TEST-TOKEN-not-real"
STAFF_CHANNEL = Channel.STAFF_TELEGRAM


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock(datetime(2026, 11, 25, 10, 30, tzinfo=UTC))


@pytest.fixture
async def learner_api() -> AsyncIterator[BotApiDouble]:
    """The Bot API double the learner bot talks to."""
    async with BotApiDouble() as double:
        yield double
    assert double.unknown_calls == []


@pytest.fixture
async def staff_api() -> AsyncIterator[BotApiDouble]:
    """A second Bot API double, for the staff bot (its own token and bot user)."""
    async with BotApiDouble(
        STAFF_TOKEN, bot_id=7000000002, bot_username="llais_staff_test_bot"
    ) as double:
        yield double
    assert double.unknown_calls == []


@pytest.fixture
def settings(database_url: str, intent_model_dir: Path, staff_api: BotApiDouble) -> Settings:
    """Settings for the test database; Telegram calls go to the staff double by default."""
    return Settings(
        _env_file=None,
        database_url=database_url,
        secret_key=SECRET,
        nlu_model_dir=intent_model_dir,
        telegram_base_url=staff_api.base_url,
        telegram_base_file_url=staff_api.base_file_url,
    )


def bot_for(
    double: BotApiDouble, settings: Settings, handler: ConversationHandler, *, staff: bool
) -> TelegramApp:
    """A real python-telegram-bot application for ``double``."""
    config = settings.model_copy(
        update={
            "telegram_base_url": double.base_url,
            "telegram_base_file_url": double.base_file_url,
        }
    )
    return build_application(
        double.token,
        config,
        handler,
        channel=STAFF_CHANNEL if staff else Channel.TELEGRAM,
        bot_kind="staff" if staff else "learner",
        rate_limiter=AIORateLimiter(max_retries=0),
    )


@asynccontextmanager
async def polling(bot: TelegramApp, double: BotApiDouble) -> AsyncIterator[TelegramApp]:
    """The bot long-polls its double until the block ends."""
    stop = asyncio.Event()
    before = len(double.calls_to("getUpdates"))
    task = asyncio.create_task(run_polling_until(bot, stop))
    await double.wait_for_call("getUpdates", before + 1)
    try:
        yield bot
    finally:
        stop.set()
        await asyncio.wait_for(task, 15)


async def turn(double: BotApiDouble, user: int, push: Awaitable[int], expect: str) -> str:
    """Push an update and wait for a new message to ``user`` containing ``expect``."""
    before = len(double.messages_to(user))
    await push

    def arrived() -> bool:
        return any(expect in m.text for m in double.messages_to(user)[before:])

    await double.wait_until(arrived, timeout=15)
    return "\n".join(m.text for m in double.messages_to(user)[before:])


async def link_staff(double: BotApiDouble, user: int, code: str, language: str = "English") -> str:
    """Start the staff bot as ``user``, choose a language and type ``code``; return the answer."""
    await turn(double, user, double.push_command(user, "start"), "Pa iaith")
    expect = "cod" if language == "Cymraeg" else "code"
    await turn(double, user, double.press(user, language), expect)
    done = "Diolch" if language == "Cymraeg" else "Thanks"
    return await turn(double, user, double.push_text(user, code), done)
