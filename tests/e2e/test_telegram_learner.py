"""A learner on Telegram, end to end: real python-telegram-bot over HTTP against the Bot API
double, the real conversation service, a real database (SQLite and PostgreSQL), and a restart."""

from __future__ import annotations

from sqlalchemy import func, select

from core.settings import Settings
from core.vocabulary import RiskLevel
from storage.models import CheckinAnswer, MoodLog, SafeguardingAlert
from tests.conftest import Clock
from tests.e2e.learner_bot import USER, demo_app, enrol, polling, turn
from tests.support.botapi_double import BotApiDouble, botapi

__all__ = ["botapi"]


async def test_a_learner_from_start_to_mydata_across_a_restart(
    botapi: BotApiDouble, settings: Settings, clock: Clock
) -> None:
    async with demo_app(settings, botapi, clock) as app, polling(app, botapi):
        welcome, text = await enrol(botapi, lang="en", code="DEMO-Y10")
        assert "not a person" in welcome and "safeguarding lead" in welcome
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

    # Restart: a fresh app and bot on the same database.
    async with demo_app(settings, botapi, clock, seeded=False) as restarted:
        async with polling(restarted, botapi):
            text = await turn(botapi, botapi.push_command(USER, "mydata"), "Check-ins: 1")
            assert "Mood logs: 1" in text and "Year group: 10" in text
        async with restarted.sessions() as session:
            assert await session.scalar(select(func.count()).select_from(CheckinAnswer)) == 5
            assert await session.scalar(select(func.count()).select_from(MoodLog)) == 1


async def test_a_disclosure_over_telegram_gets_crisis_contacts_and_one_alert(
    botapi: BotApiDouble, settings: Settings, clock: Clock
) -> None:
    async with demo_app(settings, botapi, clock) as app:
        async with polling(app, botapi):
            _, text = await enrol(botapi, lang="cy", code="DEMO-Y8")
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


async def test_group_chats_are_refused_and_reach_nothing(
    botapi: BotApiDouble, settings: Settings, clock: Clock
) -> None:
    async with demo_app(settings, botapi, clock, seeded=False) as app:
        async with polling(app, botapi):
            await botapi.push_group_text(USER, "hello everyone I want to die")
            await botapi.wait_until(lambda: any(m.chat_id != USER for m in botapi.sent), 15)
        async with app.sessions() as session:
            assert await session.scalar(select(func.count()).select_from(SafeguardingAlert)) == 0
