"""A message from school reaches a web chat learner: the outbox's web sender writes it into the
learner's mailbox and the page shows it on the next load (with its answer button)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import select

from core.channel import Channel
from core.settings import Settings
from core.vocabulary import Audience, OutboxPriority
from llais.commands.demo import seed_demo
from llais.outbox import Outbox, queue
from storage.db import make_engine, make_sessionmaker
from storage.models import ContactRequest
from tests.support.live_server import Serve
from tests.web.chat_client import ChatClient
from tests.web.test_chat_http import enrol
from web.app import create_web_app
from web.chat.outbox import WebMailboxSender


@pytest.fixture
async def seeded(settings: Settings) -> Settings:
    await seed_demo(settings.database_url)
    return settings


@pytest.fixture
def learner(serve: Serve, seeded: Settings) -> Iterator[ChatClient]:
    chat = ChatClient(serve(create_web_app(seeded)))
    yield chat
    chat.close()


@pytest.mark.parametrize(
    ("language", "ask", "here", "told"),
    [
        ("English", "I want to talk to someone at school", "💬 Reply to me here", "Good news"),
        ("Cymraeg", "dw i eisiau siarad â rhywun yn yr ysgol", "💬 Ateb fi yma", "Newyddion da"),
    ],
)
async def test_a_web_learner_gets_the_school_message_on_the_next_page_load(
    learner: ChatClient, seeded: Settings, language: str, ask: str, here: str, told: str
) -> None:
    enrol(learner, language=language)
    learner.say(ask)
    learner.press(here)
    engine = make_engine(seeded.database_url)
    sessions = make_sessionmaker(engine)
    try:
        async with sessions() as session:
            request = (await session.scalars(select(ContactRequest))).one()
        assert request.channel == Channel.WEB and request.reply_here
        async with sessions() as session, session.begin():
            await queue(
                session,
                key=f"req:{request.id}:taken",
                person_ref=request.learner_ref,
                audience=Audience.LEARNER,
                channel=Channel.WEB,
                priority=OutboxPriority.REPLY,
                message_key="school.request_taken_learner",
                params={"who": {"key": "school.who_wellbeing_lead"}},
                text=None,
                buttons=[[{"key": "school.answer_button", "payload": "answer:t1"}]],
                now=request.created_at,
            )
        outbox = Outbox(sessions=sessions, senders={Channel.WEB: WebMailboxSender(sessions)})
        report = await outbox.deliver_due()
        assert report.sent == 1
        assert told not in learner.last()
        learner.open()
        assert told in learner.last()
        assert "answer:t1" in learner.choices.values()  # the answer button came with it
        again = await outbox.deliver_due()
        assert again.sent == 0  # delivered once
    finally:
        await engine.dispose()
