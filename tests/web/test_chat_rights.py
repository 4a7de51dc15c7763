"""A web chat learner's data rights over real HTTP without JavaScript: /mydata counts everything
held (the chat's own messages too), and /delete erases it, drops what waits to be sent, forgets
the device and keeps only the safeguarding alert. SQLite and PostgreSQL."""

from __future__ import annotations

import html

from sqlalchemy import func, select

from core.settings import Settings
from llais.app import build_app, voice_job
from llais.commands.demo import seed_demo
from storage.models import OutboxMessage, ReplyAddress, SafeguardingAlert, WebMessage
from tests.conftest import Clock
from tests.llais.test_data_rights import POST_EN, about, school_answers, school_poll, the_learner
from tests.support.live_server import Serve
from tests.web.chat_client import ChatClient
from tests.web.test_chat_http import enrol
from web.app import create_web_app
from web.security import SESSION_COOKIE


async def test_a_web_chat_learner_sees_everything_held_then_erases_it(
    serve: Serve, settings: Settings, clock: Clock
) -> None:
    await seed_demo(settings.database_url)
    # one long conversation within the test clock's minute: lift the per-minute limits
    settings = settings.model_copy(update={"web_rate_per_device": 500, "web_rate_per_address": 500})
    learner = ChatClient(serve(create_web_app(settings, clock=clock)))
    app = await build_app(settings, clock=clock)
    try:
        enrol(learner, code="DEMO-Y8")
        learner.say("/checkin")
        for value in ("6", "7", "8", "4", "9"):
            learner.press(value)
        learner.say("more quiet spaces please")
        learner.say("/mood")
        learner.press("😐")
        learner.press("School work")
        learner.press("✅ Done")
        learner.press("Skip")
        learner.say("/invites")
        learner.press("Yes, invite me")
        await school_poll(app)
        job = voice_job(app, None)  # the web chat's mailbox only
        assert (await job.run_once()).sent == 1  # the poll's invitation
        learner.say("/poll")
        learner.press("Yes")
        learner.say("/help")
        learner.press("School work and exams")
        learner.press("Talk to someone at school")
        learner.press("💬 Reply to me here")
        person = await the_learner(app)
        await school_answers(app, person)
        assert (await job.run_once()).sent == 1  # the "you said, we did"
        learner.client.cookies.delete(SESSION_COOKIE)  # the learner comes back later
        learner.open()
        assert any(POST_EN in text for text in learner.messages)
        learner.say("my step dad hits me when he's drunk")
        learner.press("Yes")

        async with app.sessions() as session:
            mailbox = await session.scalar(
                select(ReplyAddress.chat_id).where(ReplyAddress.person_ref == person.ref)
            )
            assert mailbox is not None
            transcript = await session.scalar(
                select(func.count()).where(WebMessage.mailbox == mailbox)
            )
        learner.say("/mydata")
        said = learner.last()
        for line in (
            "• Year group: 8",
            "• Check-ins: 1",
            "• Mood logs: 1",
            "• Notes and comments you typed: 1",
            "• Polls you answered: 1",
            "• Check-in invitations: on",
            "• Requests to talk to someone at school: 1",
            "• Messages between you and school staff: 1",
            "• Messages I sent you that weren't replies (invitations, polls, messages and news "
            "from your school): 2",
            "• Messages waiting to be sent to you: 2",
            f"• Messages in this web chat, yours and mine: {transcript} (cleared after 30 days",
            "• A code for this browser's chat",
            "• Safeguarding records: 1",
        ):
            assert line in said, (line, said)

        learner.say("/delete")
        assert "safeguarding lead" in learner.last()
        learner.press("Yes, erase it all")
        assert "Your data has been erased" in html.unescape(learner.page)
        assert "llais_device" not in learner.client.cookies
        gone = await about(app, person.ref, mailbox)
        assert gone.pop("alerts") == 1
        assert gone == dict.fromkeys(gone, 0), gone
        async with app.sessions() as session:
            assert await session.scalar(select(func.count()).select_from(WebMessage)) == 0
            waiting = await session.scalar(
                select(func.count()).where(OutboxMessage.person_ref == person.ref)
            )
            assert waiting == 0
            alert = (await session.scalars(select(SafeguardingAlert))).one()
            assert alert.learner_ref == person.ref and alert.channel == "web"
        learner.open()
        assert learner.choices == {"Start chatting": "llais:start"} and learner.messages == []
    finally:
        learner.close()
        await app.db.dispose()
