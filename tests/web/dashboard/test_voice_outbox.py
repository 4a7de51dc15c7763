"""A "you said, we did" post made on the dashboard page reaches a web chat learner of the school
once, through the outbox the real voice job sends from. SQLite and PostgreSQL."""

from __future__ import annotations

from sqlalchemy import select

from core.access import DashboardRole
from core.settings import Settings
from llais.app import build_app, voice_job
from llais.commands.demo import seed_demo
from storage.db import make_engine, make_sessionmaker
from storage.models import School
from storage.repo.accounts import add_user
from tests.conftest import Clock
from tests.support.live_server import Serve
from tests.voice.test_voice_telegram import WEDNESDAY
from tests.web.chat_client import ChatClient
from tests.web.dashboard.support import PASSWORDS, csrf, signed_in
from tests.web.test_chat_http import enrol
from web.app import create_web_app
from web.security import SESSION_COOKIE

EN = "You told us the queue for lunch was too long, so Year 8 now eat first on Mondays."
CY = "Dywedoch chi fod y ciw cinio'n rhy hir, felly mae Blwyddyn 8 yn bwyta gyntaf ar ddydd Llun."


async def _lead_at_demo_school(url: str) -> None:
    engine = make_engine(url)
    try:
        async with make_sessionmaker(engine)() as session, session.begin():
            school = await session.scalar(select(School.id))
            await add_user(
                session,
                username="lead",
                role=DashboardRole.SCHOOL_LEAD,
                school_id=school,
                password=PASSWORDS["lead"],
                now=WEDNESDAY,
            )
    finally:
        await engine.dispose()


async def test_a_post_made_on_the_page_reaches_a_learner_once(
    serve: Serve, settings: Settings, clock: Clock
) -> None:
    await seed_demo(settings.database_url)
    await _lead_at_demo_school(settings.database_url)
    clock.now = WEDNESDAY  # in term, outside quiet hours; the web app and the job share it
    base = serve(create_web_app(settings.model_copy(update={"dashboard_warm": False}), clock=clock))
    learner = ChatClient(base)
    try:
        enrol(learner, code="DEMO-Y8")
        lead = signed_in(base, "lead")
        token = csrf(lead.get("/dashboard/voice/yousaid").text)
        answer = lead.post(
            "/dashboard/voice/yousaid",
            data={"csrf": token, "en": EN, "cy": CY, "about": "theme:other"},
        )
        assert answer.status_code == 303

        app = await build_app(settings, clock=clock)
        try:
            job = voice_job(app, None)  # no learner bot: the web chat's mailbox only
            assert (await job.run_once()).sent == 1
            assert (await job.run_once()).sent == 0  # a second run sends nothing again
        finally:
            await app.db.dispose()
        assert "sent to 1 learners" in lead.get("/dashboard/voice/yousaid").text

        for hour in (12, 15):  # the learner comes back later, twice
            clock.now = WEDNESDAY.replace(hour=hour)
            learner.client.cookies.delete(SESSION_COOKIE)
            learner.open()
            assert sum(EN in text for text in learner.messages) == 1, learner.messages
    finally:
        learner.close()
