"""A learner's "talk to someone at school" reaches a person: the wellbeing lead (or the DSL when
none is linked) gets it in the staff bot, takes it with one tap, the learner is told, gets a
staff reply through Llais and answers it; not taken in two school days, it is re-sent and goes
to the DSL. Real bots over HTTP against two Bot API doubles, the real services, the outbox and
the database (SQLite and PostgreSQL)."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.telegram import TelegramSender
from core.channel import Channel
from core.vocabulary import MessageDirection, RequestStatus
from llais.app import App
from llais.outbox import Outbox
from llais.requests import RequestRouter
from storage.models import ContactRequest, SafeguardingAlert, SchoolMessage
from tests.staff.conftest import Clock, bot_for, link_staff, polling, turn
from tests.support.botapi_double import BotApiDouble

LEARNER = 555101
WELLBEING = 630001
DSL = 630002


@dataclass
class Loop:
    """The request job and the outbox, sending through both bots, on the test's clock."""

    router: RequestRouter
    outbox: Outbox

    async def run(self) -> int:
        """One run of the job: route requests, then send what is due; returns how many left."""
        await self.router.run_once()
        return (await self.outbox.deliver_due()).sent


@asynccontextmanager
async def both_bots(
    app: App, learner_api: BotApiDouble, staff_api: BotApiDouble, clock: Clock
) -> AsyncIterator[Loop]:
    learner_bot = bot_for(learner_api, app.settings, app.learner, staff=False)
    staff_bot = bot_for(staff_api, app.settings, app.staff, staff=True)
    async with polling(learner_bot, learner_api), polling(staff_bot, staff_api):
        outbox = Outbox(
            sessions=app.sessions,
            senders={
                Channel.TELEGRAM: TelegramSender(learner_bot.bot),
                Channel.STAFF_TELEGRAM: TelegramSender(staff_bot.bot),
            },
            clock=clock,
        )
        yield Loop(RequestRouter(settings=app.settings, sessions=app.sessions, clock=clock), outbox)


async def enrol(api: BotApiDouble, user: int, code: str = "DEMO-Y10") -> None:
    await turn(api, user, api.push_command(user, "start"), "Pa iaith")
    await turn(api, user, api.press(user, "English"), "important")
    await turn(api, user, api.press(user, "OK, got it"), "type it")
    await turn(api, user, api.push_text(user, code), "Year")


async def ask_to_talk(api: BotApiDouble, user: int, *, name: str | None) -> str:
    """Help → worry → talk to someone at school → how to be found; returns the last answer."""
    await turn(api, user, api.push_command(user, "help"), "What would you like help with?")
    await turn(api, user, api.press(user, "Worry or anxiety"), "talk to someone at school")
    await turn(api, user, api.press(user, "Talk to someone at school"), "find you")
    if name is None:
        return await turn(api, user, api.press(user, "💬 Reply to me here"), "Done")
    await turn(api, user, api.press(user, "📝 My first name and form"), "first name")
    await turn(api, user, api.push_text(user, name), "form")
    return await turn(api, user, api.push_text(user, "10B"), "Done")


async def _requests(app: App) -> list[ContactRequest]:
    async with app.sessions() as session:
        return list(await session.scalars(select(ContactRequest).order_by(ContactRequest.id)))


async def _messages(app: App) -> list[SchoolMessage]:
    async with app.sessions() as session:
        return list(await session.scalars(select(SchoolMessage).order_by(SchoolMessage.id)))


async def test_a_request_reaches_the_wellbeing_lead_is_taken_answered_and_answered_back(
    app: App,
    learner_api: BotApiDouble,
    staff_api: BotApiDouble,
    clock: Clock,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO)
    async with both_bots(app, learner_api, staff_api, clock) as loop:
        await link_staff(staff_api, WELLBEING, "DEMO-WELLBEING")
        await link_staff(staff_api, DSL, "DEMO-DSL")
        await enrol(learner_api, LEARNER)
        done = await ask_to_talk(learner_api, LEARNER, name="Sam")
        assert "I'll tell you here when someone has taken your request" in done

        assert await loop.run() == 1  # to the wellbeing lead only
        request_msg = staff_api.messages_to(WELLBEING)[-1]
        assert "would like to talk to someone at school" in request_msg.text
        assert "Year group: 10" in request_msg.text and "anxiety" in request_msg.text
        assert "first name Sam, form 10B" in request_msg.text
        assert str(LEARNER) not in request_msg.text
        assert all("talk to someone" not in m.text for m in staff_api.messages_to(DSL))
        assert await loop.run() == 0  # nothing twice

        clock.now += timedelta(minutes=20)
        taken = await turn(
            staff_api, WELLBEING, staff_api.press(WELLBEING, "🙋 I'll take this"), "taken"
        )
        assert "first name Sam, form 10B" in taken and "✔️ Mark as done" in (
            staff_api.messages_to(WELLBEING)[-1].button_labels
        )
        assert await loop.run() == 1
        told = learner_api.messages_to(LEARNER)[-1].text
        assert "your school's wellbeing lead has seen your request" in told

        await turn(staff_api, WELLBEING, staff_api.press(WELLBEING, "✍️ Write a message"), "Type")
        await turn(
            staff_api,
            WELLBEING,
            staff_api.push_text(WELLBEING, "Come to room 12 at break, Sam"),
            "Sent through Llais",
        )
        assert await loop.run() == 1
        reply = learner_api.messages_to(LEARNER)[-1]
        assert "A message from your school's wellbeing lead" in reply.text
        assert "Come to room 12 at break, Sam" in reply.text

        await turn(learner_api, LEARNER, learner_api.press(LEARNER, "↩️ Answer"), "answer")
        await turn(learner_api, LEARNER, learner_api.push_text(LEARNER, "ok see you there"), "Sent")
        assert await loop.run() == 1
        answer = staff_api.messages_to(WELLBEING)[-1].text
        assert "The learner answered (request" in answer and "ok see you there" in answer

        # an answer is a learner's free text like any other: the detector reads it first
        [request] = await _requests(app)
        await learner_api.push_callback(LEARNER, f"answer:r:{request.id}", reply.message_id)
        await learner_api.wait_until(lambda: "answer" in learner_api.messages_to(LEARNER)[-1].text)
        await turn(
            learner_api,
            LEARNER,
            learner_api.push_text(LEARNER, "my dad hits me when he's been drinking"),
            "Are you safe right now?",
        )
        done = await turn(
            staff_api,
            WELLBEING,
            staff_api.push_callback(WELLBEING, f"rdone:{request.id}", 1),
            "marked as done",
        )
        assert f"Request {request.id} is marked as done" in done

    [request] = await _requests(app)
    assert request.status is RequestStatus.CLOSED and request.first_name == "Sam"
    messages = await _messages(app)
    assert [(m.direction, m.text) for m in messages] == [
        (MessageDirection.TO_LEARNER, "Come to room 12 at break, Sam"),
        (MessageDirection.TO_STAFF, "ok see you there"),
    ]
    assert all(m.request_id == request.id for m in messages)
    async with app.sessions() as session:
        [alert] = (await session.scalars(select(SafeguardingAlert))).all()
    assert alert.excerpt == "my dad hits me when he's been drinking"
    # logs carry kinds and counts: no name, form, message text or chat id
    logged = "\n".join(record.getMessage() for record in caplog.records)
    for secret in ("Sam", "10B", "room 12", "see you there", "drinking", str(LEARNER)):
        assert secret not in logged
    assert "request 1 taken by a wellbeing_lead" in logged


async def test_without_a_wellbeing_lead_the_request_goes_to_the_dsl_and_a_template_reply(
    app: App, learner_api: BotApiDouble, staff_api: BotApiDouble, clock: Clock
) -> None:
    async with both_bots(app, learner_api, staff_api, clock) as loop:
        await link_staff(staff_api, DSL, "DEMO-DSL", language="Cymraeg")
        await enrol(learner_api, LEARNER)
        await ask_to_talk(learner_api, LEARNER, name=None)
        assert await loop.run() == 1
        sent = staff_api.messages_to(DSL)[-1].text
        assert "Hoffai dysgwr siarad â rhywun yn yr ysgol" in sent  # in the DSL's language
        assert "eu hateb yma drwy Llais" in sent
        await turn(
            staff_api, DSL, staff_api.press(DSL, "🙋 Fe wna i hyn"), "Rydych chi wedi cymryd"
        )
        await turn(
            staff_api,
            DSL,
            staff_api.press(DSL, "📩 “Dere i 'ngweld i amser egwyl”"),
            "Wedi'i anfon drwy Llais",
        )
        assert await loop.run() == 2
        texts = [m.text for m in learner_api.messages_to(LEARNER)[-2:]]
        assert "your school's safeguarding lead has seen your request" in texts[0]
        assert "Could you come and see me at break today?" in texts[1]  # the learner's English


async def test_a_request_not_taken_in_two_school_days_is_re_sent_and_goes_to_the_dsl(
    app: App, learner_api: BotApiDouble, staff_api: BotApiDouble, clock: Clock
) -> None:
    async with both_bots(app, learner_api, staff_api, clock) as loop:
        await link_staff(staff_api, WELLBEING, "DEMO-WELLBEING")
        await link_staff(staff_api, DSL, "DEMO-DSL")
        await enrol(learner_api, LEARNER)
        await ask_to_talk(learner_api, LEARNER, name=None)
        assert await loop.run() == 1
        clock.now += timedelta(days=1, hours=23)  # Wednesday 10:30 -> Friday 09:30
        assert await loop.run() == 0
        clock.now += timedelta(hours=1)  # two school days
        assert await loop.run() == 2
        assert "Sent again" in staff_api.messages_to(WELLBEING)[-1].text
        assert "Sent again" in staff_api.messages_to(DSL)[-1].text
        await turn(staff_api, DSL, staff_api.press(DSL, "🙋 I'll take this"), "taken")
        assert await loop.run() == 2  # the learner, and the colleague told it is taken
        assert "taken by a colleague (the designated safeguarding lead)" in (
            staff_api.messages_to(WELLBEING)[-1].text
        )
        late = await turn(
            staff_api, WELLBEING, staff_api.press(WELLBEING, "🙋 I'll take this"), "already"
        )
        assert "already taken by a colleague" in late
        clock.now += timedelta(days=7)
        assert await loop.run() == 0  # taken: never re-sent again


async def test_a_staff_members_own_disclosure_in_a_message_to_a_learner_is_held_in_their_language(
    app: App, learner_api: BotApiDouble, staff_api: BotApiDouble, clock: Clock
) -> None:
    async with both_bots(app, learner_api, staff_api, clock) as loop:
        await link_staff(staff_api, WELLBEING, "DEMO-WELLBEING", language="Cymraeg")
        await enrol(learner_api, LEARNER)
        await ask_to_talk(learner_api, LEARNER, name=None)
        assert await loop.run() == 1
        await turn(
            staff_api,
            WELLBEING,
            staff_api.press(WELLBEING, "🙋 Fe wna i hyn"),
            "Rydych chi wedi cymryd",
        )
        assert await loop.run() == 1  # the learner hears it was taken
        before = len(learner_api.messages_to(LEARNER))
        await turn(
            staff_api, WELLBEING, staff_api.press(WELLBEING, "✍️ Ysgrifennu neges"), "Teipiwch"
        )
        # their own words, not the learner's: never sent, never an alert, support offered
        await turn(
            staff_api,
            WELLBEING,
            staff_api.push_text(WELLBEING, "Rydw i eisiau marw"),
            "Anfon beth bynnag",
        )
        held = staff_api.messages_to(WELLBEING)[-1]
        assert held.text.startswith("Dydw i ddim wedi anfon hwn at y dysgwr eto")
        assert "(Hunanladdiad)" in held.text
        assert "Cymorth i staff, yn gyfrinachol:" in held.text
        assert held.button_labels == ["Anfon beth bynnag", "Ysgrifennu eto", "Canslo"]
        send_anyway = held.buttons[0][0]["callback_data"]
        assert await loop.run() == 0
        await turn(staff_api, WELLBEING, staff_api.press(WELLBEING, "Canslo"), "does dim")
        assert await loop.run() == 0
        # cancelled: the words are gone, a late "Send anyway" on the warning sends nothing
        late = staff_api.push_callback(WELLBEING, send_anyway, held.message_id)
        await turn(staff_api, WELLBEING, late, "cwestiwn cynharach")
        assert await loop.run() == 0
        assert len(learner_api.messages_to(LEARNER)) == before  # nothing reached the learner
        assert [m for m in await _messages(app) if m.direction is MessageDirection.TO_LEARNER] == []
    async with app.sessions() as session:
        assert list(await session.scalars(select(SafeguardingAlert))) == []
