"""Learner voice in the web chat, over real HTTP without JavaScript: an invitation waits in the
learner's mailbox and shows the next time they open the page, once. SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from core.settings import Settings
from llais.app import build_app, voice_job
from llais.commands.demo import seed_demo
from storage.models import School
from storage.repo import voice as repo
from tests.conftest import Clock
from tests.support.live_server import Serve
from tests.voice.test_voice_telegram import INVITATION, WEDNESDAY
from tests.web.chat_client import ChatClient
from tests.web.test_chat_http import enrol
from web.app import create_web_app
from web.security import SESSION_COOKIE


async def test_a_web_chat_learner_sees_one_invitation_the_next_time_they_open_the_page(
    serve: Serve, settings: Settings, clock: Clock
) -> None:
    await seed_demo(settings.database_url)
    clock.now = WEDNESDAY.replace(hour=9)  # the web chat and the job share the test's clock
    learner = ChatClient(serve(create_web_app(settings, clock=clock)))
    try:
        enrol(learner, code="DEMO-Y8")
        learner.say("/invites")
        learner.press("Yes, invite me")
        assert "Type /invites" in learner.last()

        clock.now = WEDNESDAY  # a Wednesday window, in term, outside quiet hours
        app = await build_app(settings, clock=clock)
        try:
            async with app.sessions() as session, session.begin():
                school = await session.scalar(select(School.id))
                assert school is not None
                await repo.add_schedule(
                    session,
                    school_id=school,
                    weekdays=[2],
                    at_time="10:00",
                    window_minutes=120,
                    year_groups=[],
                    until=date(2026, 12, 18),
                    now=clock.now,
                )
            job = voice_job(app, None)  # no learner bot: the web chat's mailbox only
            assert (await job.run_once()).sent == 1
            assert (await job.run_once()).sent == 0
        finally:
            await app.db.dispose()

        for hour in (12, 15):  # the learner comes back later, twice
            clock.now = WEDNESDAY.replace(hour=hour)
            learner.client.cookies.delete(SESSION_COOKIE)
            learner.open()
            assert sum(INVITATION in text for text in learner.messages) == 1, learner.messages
    finally:
        learner.close()
