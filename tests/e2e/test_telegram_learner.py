"""A learner on Telegram, end to end: real python-telegram-bot over HTTP against the Bot API
double, the real conversation service, a real database (SQLite and PostgreSQL), and a restart."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable
from contextlib import asynccontextmanager

from sqlalchemy import func, select
from telegram.ext import AIORateLimiter

from bot.telegram import build_application, run_polling_until
from core.settings import Settings
from core.vocabulary import RiskLevel
from llais.app import App, build_app
from storage.models import CheckinAnswer, MoodLog, SafeguardingAlert
from tests.conftest import Clock
from tests.support.botapi_double import BotApiDouble, botapi

__all__ = ["botapi"]
USER = 555001


@asynccontextmanager
async def polling(app: App, double: BotApiDouble) -> AsyncIterator[None]:
    """The learner bot polling the double until the block ends."""
    bot = build_application(
        double.token, app.settings, app.learner, rate_limiter=AIORateLimiter(max_retries=0)
    )
    stop = asyncio.Event()
    task = asyncio.create_task(run_polling_until(bot, stop))
    try:
        yield
    finally:
        stop.set()
        await asyncio.wait_for(task, 15)


async def turn(double: BotApiDouble, push: Awaitable[int], expect: str) -> str:
    """Push an update and wait for a new message containing ``expect``; return the new text."""
    before = len([m for m in double.sent if m.chat_id == USER])
    await push

    def arrived() -> bool:
        new = [m for m in double.sent if m.chat_id == USER][before:]
        return any(expect in m.text for m in new)

    await double.wait_until(arrived, timeout=15)
    return "\n".join(m.text for m in [m for m in double.sent if m.chat_id == USER][before:])


def settings_for(base: Settings, double: BotApiDouble) -> Settings:
    return base.model_copy(
        update={
            "telegram_base_url": double.base_url,
            "telegram_base_file_url": double.base_file_url,
            "learner_bot_token": None,
        }
    )


async def test_a_learner_from_start_to_mydata_across_a_restart(
    botapi: BotApiDouble, settings: Settings, clock: Clock
) -> None:
    from llais.commands.demo import seed_demo

    await seed_demo(settings.database_url)
    config = settings_for(settings, botapi)
    app = await build_app(config, clock=clock)
    try:
        async with polling(app, botapi):
            await turn(botapi, botapi.push_command(USER, "start"), "Pa iaith")
            text = await turn(botapi, botapi.press(USER, "English"), "In an emergency, call 999")
            assert "not a person" in text and "safeguarding lead" in text
            await turn(botapi, botapi.press(USER, "OK, got it"), "If your school gave you a code")
            text = await turn(botapi, botapi.push_text(USER, "DEMO-Y10"), "What would you like")
            assert "Year 10" in text
            await turn(botapi, botapi.push_command(USER, "checkin"), "0 = ")
            for value in ("6", "7", "8", "4"):
                await turn(botapi, botapi.press(USER, value), "0 = ")
            await turn(botapi, botapi.press(USER, "9"), "anything you'd like your school")
            await turn(botapi, botapi.push_text(USER, "more quiet spaces please"), "Thank you")
            await turn(botapi, botapi.push_command(USER, "mood"), "How are you feeling")
            await turn(botapi, botapi.press(USER, "😐"), "Pick as many")
            await turn(botapi, botapi.press(USER, "School work"), "You've picked")
            await turn(botapi, botapi.press(USER, "✅ Done"), "add a note")
            await turn(botapi, botapi.press(USER, "Skip"), "mood is logged")
            text = await turn(botapi, botapi.push_sticker(USER), "only read text")
            assert "sticker" in text
            pressed = [m for m in botapi.sent if m.chat_id == USER and m.edits]
            assert pressed, "pressed keyboards are closed with the choice shown"
    finally:
        await app.db.dispose()

    restarted = await build_app(config, clock=clock)
    try:
        async with polling(restarted, botapi):
            text = await turn(botapi, botapi.push_command(USER, "mydata"), "Check-ins: 1")
            assert "Mood logs: 1" in text and "Year group: 10" in text
        async with restarted.sessions() as session:
            assert await session.scalar(select(func.count()).select_from(CheckinAnswer)) == 5
            assert await session.scalar(select(func.count()).select_from(MoodLog)) == 1
    finally:
        await restarted.db.dispose()


async def test_a_disclosure_over_telegram_gets_crisis_contacts_and_one_alert(
    botapi: BotApiDouble, settings: Settings, clock: Clock
) -> None:
    from llais.commands.demo import seed_demo

    await seed_demo(settings.database_url)
    app = await build_app(settings_for(settings, botapi), clock=clock)
    try:
        async with polling(app, botapi):
            await turn(botapi, botapi.push_command(USER, "start"), "Pa iaith")
            await turn(botapi, botapi.press(USER, "Cymraeg"), "Mewn argyfwng, ffonia 999")
            await turn(botapi, botapi.press(USER, "Iawn, dw i'n deall"), "Os cest ti god")
            text = await turn(botapi, botapi.push_text(USER, "DEMO-Y8"), "Beth hoffet ti")
            assert "Blwyddyn 8" in text
            await turn(botapi, botapi.push_command(USER, "checkin"), "0 = ")
            for value in ("3", "2", "1", "2"):
                await turn(botapi, botapi.press(USER, value), "0 = ")
            await turn(botapi, botapi.press(USER, "3"), "oes unrhyw beth")
            text = await turn(
                botapi,
                botapi.push_text(USER, "mae fy llystad yn fy nharo i bob nos"),
                "Wyt ti'n ddiogel",
            )
            assert "Childline" in text and "999" in text
        async with app.sessions() as session:
            alerts = (await session.scalars(select(SafeguardingAlert))).all()
        assert len(alerts) == 1 and alerts[0].year_group == 8
        assert alerts[0].level in (RiskLevel.HIGH, RiskLevel.CRITICAL)
    finally:
        await app.db.dispose()


async def test_group_chats_are_refused_and_reach_nothing(
    botapi: BotApiDouble, settings: Settings, clock: Clock
) -> None:
    app = await build_app(settings_for(settings, botapi), clock=clock)
    try:
        async with polling(app, botapi):
            await botapi.push_group_text(USER, "hello everyone I want to die")
            await botapi.wait_until(lambda: any(m.chat_id != USER for m in botapi.sent), 15)
        async with app.sessions() as session:
            assert await session.scalar(select(func.count()).select_from(SafeguardingAlert)) == 0
    finally:
        await app.db.dispose()
