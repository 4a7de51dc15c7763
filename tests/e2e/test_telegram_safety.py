"""Issue 8 over Telegram: a split disclosure and a concern about a friend, end to end (real
python-telegram-bot over HTTP against the Bot API double, the real service and database)."""

from __future__ import annotations

from sqlalchemy import select

from core.settings import Settings
from core.vocabulary import Category, RiskLevel
from storage.models import SafeguardingAlert
from tests.conftest import Clock
from tests.e2e.learner_bot import USER, demo_app, enrol, polling, turn
from tests.support.botapi_double import BotApiDouble, botapi

__all__ = ["botapi"]


async def test_a_disclosure_split_over_messages_on_telegram_raises_one_alert(
    botapi: BotApiDouble, settings: Settings, clock: Clock
) -> None:
    async with demo_app(settings, botapi, clock) as app:
        async with polling(app, botapi):
            await enrol(botapi, lang="en", code="DEMO-Y10")
            await turn(botapi, botapi.push_text(USER, "mum hasnt been home since tuesday"), "")
            text = await turn(
                botapi,
                botapi.push_text(USER, "theres no food left"),
                "Are you safe right now?",
            )
            assert "999" in text and "Childline" in text
        async with app.sessions() as session:
            alerts = (await session.scalars(select(SafeguardingAlert))).all()
        assert len(alerts) == 1
        alert = alerts[0]
        assert alert.level >= RiskLevel.HIGH and "context" in alert.cues
        assert "mum hasnt been home" in alert.excerpt and "no food" in alert.excerpt


async def test_a_concern_about_a_friend_on_telegram_has_its_own_path(
    botapi: BotApiDouble, settings: Settings, clock: Clock
) -> None:
    async with demo_app(settings, botapi, clock) as app:
        async with polling(app, botapi):
            await enrol(botapi, lang="cy", code="DEMO-Y8")
            text = await turn(
                botapi,
                botapi.push_text(
                    USER, "mae fy ffrind wedi dweud ei bod hi'n mynd i ladd ei hun heno"
                ),
                "A sut wyt ti'n teimlo",
            )
            assert "ffonia 999 yn syth" in text and "Sut i helpu ffrind" in text
            assert "Wyt ti'n ddiogel ar hyn o bryd?" not in text
        async with app.sessions() as session:
            alert = (await session.scalars(select(SafeguardingAlert))).one()
        assert alert.about_other is True and alert.safe_now is None
        assert alert.level is RiskLevel.CRITICAL and Category.SUICIDE in alert.categories
