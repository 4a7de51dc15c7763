"""Learners on Telegram for the learner-voice tests: the real bot polling the Bot API double."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable
from contextlib import asynccontextmanager

from telegram.ext import AIORateLimiter

from bot.telegram import (
    TelegramApp,
    TelegramCampaignTransport,
    build_application,
    run_polling_until,
)
from core.settings import Settings
from llais.app import App, voice_job
from llais.voice import VoiceJob
from tests.support.botapi_double import BotApiDouble, pointed_at

# A one-question poll that stays open (its close date is far away), for tests that answer it.
LIBRARY_POLL = """
poll:
  title: {en: "Library", cy: "Llyfrgell"}
  opens: 2026-11-01T09:00:00+00:00
  closes: 2099-11-30T16:00:00+00:00
  min_answers: 10
  questions:
    - id: open
      type: choice
      text: {en: "Should the library open at lunch?", cy: "A ddylai'r llyfrgell agor amser cinio?"}
      options:
        - {id: "yes", label: {en: "Yes", cy: "Dylai"}}
        - {id: "no", label: {en: "No", cy: "Na ddylai"}}
"""


def settings_for(base: Settings, double: BotApiDouble) -> Settings:
    """Settings pointing the bots at the double (and a small k, so few learners can meet it)."""
    return pointed_at(base, double, suppression_k=3)


@asynccontextmanager
async def polling(app: App, double: BotApiDouble) -> AsyncIterator[VoiceJob]:
    """The learner bot polling the double; yields the voice job sending over the same bot."""
    bot: TelegramApp = build_application(
        double.token, app.settings, app.learner, rate_limiter=AIORateLimiter(max_retries=0)
    )
    stop = asyncio.Event()
    task = asyncio.create_task(run_polling_until(bot, stop))
    try:
        await double.wait_until(lambda: any(c.method == "getUpdates" for c in double.calls), 15)
        yield voice_job(app, TelegramCampaignTransport(bot.bot))
    finally:
        stop.set()
        await asyncio.wait_for(task, 15)


def texts_to(double: BotApiDouble, user: int) -> list[str]:
    """Every text the bot sent to ``user``."""
    return [m.text for m in double.sent if m.chat_id == user]


async def turn(double: BotApiDouble, user: int, push: Awaitable[int], expect: str) -> str:
    """Push an update and wait for a new message to ``user`` containing ``expect``."""
    before = len(texts_to(double, user))
    await push

    def arrived() -> bool:
        return any(expect in text for text in texts_to(double, user)[before:])

    await double.wait_until(arrived, timeout=15)
    return "\n".join(texts_to(double, user)[before:])


async def join(double: BotApiDouble, user: int, code: str, *, invitations: bool) -> None:
    """A learner starts in English, joins with ``code`` and (maybe) turns invitations on."""
    await turn(double, user, double.push_command(user, "start"), "Pa iaith")
    await turn(double, user, double.press(user, "English"), "In an emergency, call 999")
    await turn(double, user, double.press(user, "OK, got it"), "If your school gave you a code")
    await turn(double, user, double.push_text(user, code), "What would you like")
    if invitations:
        await turn(double, user, double.push_command(user, "invites"), "Would you like")
        await turn(double, user, double.press(user, "Yes, invite me"), "Type /invites")
