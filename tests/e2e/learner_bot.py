"""The learner bot over Telegram for the end-to-end tests: polling the Bot API double, one turn
at a time, and enrolment in either language."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable
from contextlib import asynccontextmanager

from telegram.ext import AIORateLimiter

from bot.telegram import build_application, run_polling_until
from core.settings import Settings
from llais.app import App, build_app
from tests.conftest import Clock
from tests.support.botapi_double import BotApiDouble, pointed_at

USER = 555001

# What the learner presses and reads while enrolling, by language: the language button, the
# emergency line of the welcome, the welcome's button, the code prompt and the menu prompt.
_ENROL = {
    "en": (
        "English",
        "In an emergency, call 999",
        "OK, got it",
        "If your school gave you a code",
        "What would you like",
    ),
    "cy": (
        "Cymraeg",
        "Mewn argyfwng, ffonia 999",
        "Iawn, dw i'n deall",
        "Os cest ti god",
        "Beth hoffet ti",
    ),
}


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
    return pointed_at(base, double)


async def enrol(double: BotApiDouble, *, lang: str, code: str) -> tuple[str, str]:
    """/start, choose ``lang``, read the welcome and type the school's ``code``; return the texts of
    the welcome and of the reply to the code."""
    button, emergency, understood, code_prompt, menu = _ENROL[lang]
    await turn(double, double.push_command(USER, "start"), "Pa iaith")
    welcome = await turn(double, double.press(USER, button), emergency)
    await turn(double, double.press(USER, understood), code_prompt)
    enrolled = await turn(double, double.push_text(USER, code), menu)
    return welcome, enrolled


@asynccontextmanager
async def demo_app(
    settings: Settings, double: BotApiDouble, clock: Clock, *, seeded: bool = True
) -> AsyncIterator[App]:
    """The app on ``settings``' database (with the demo school unless ``seeded`` is False), its
    learner bot pointed at ``double``; the database is let go when the block ends."""
    from llais.commands.demo import seed_demo

    if seeded:
        await seed_demo(settings.database_url)
    app = await build_app(settings_for(settings, double), clock=clock)
    try:
        yield app
    finally:
        await app.db.dispose()
