"""A learner's data rights end to end over the real engine and database: a learner who has
checked in, logged a mood, answered a poll, opted in to invitations, received a message from
school and a "you said, we did", and raised a safeguarding alert asks /mydata (every count, in
English and Welsh), then /delete: everything goes except the alert. SQLite and PostgreSQL."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, or_, select

from core.channel import Channel
from core.vocabulary import Audience, OutboxStatus, StaffRole
from flows.polls import dump_definition, parse_poll
from llais.app import App, voice_job
from llais.requests import take_request
from storage.models import (
    Checkin,
    CheckinAnswer,
    ContactRequest,
    ConversationStateRow,
    InvitationOptIn,
    MoodLog,
    OutboxMessage,
    Person,
    PollAnswer,
    ReplyAddress,
    SafeguardingAlert,
    School,
    SchoolMessage,
    WebMessage,
)
from storage.repo import threads
from storage.repo import voice as voice_repo
from tests.llais.test_conversation import checkin, enrol
from tests.support.learner import PlayedLearner
from tests.voice.support import LIBRARY_POLL

POST_EN = "You said the library should open at lunch: it does from Monday."
POST_CY = "Dywedoch chi y dylai'r llyfrgell agor amser cinio: mae'n agor o ddydd Llun."


@dataclass
class Phone:
    """The learner bot's side of a campaign send: what reached which chat."""

    sent: list[tuple[str, str]] = field(default_factory=list)

    async def send_text(self, chat_id: str, text: str) -> None:
        self.sent.append((chat_id, text))


async def the_learner(app: App) -> Person:
    async with app.sessions() as session:
        return (
            await session.scalars(select(Person).where(Person.audience == Audience.LEARNER))
        ).one()


async def school_poll(app: App) -> None:
    """A poll for the demo school (every year group)."""
    async with app.sessions() as session, session.begin():
        school = await session.scalar(select(School.id))
        assert school is not None
        poll = parse_poll(LIBRARY_POLL, "test")
        await voice_repo.create_poll(
            session,
            definition=dump_definition(poll),
            school_ids=[school],
            year_groups=poll.year_groups,
            opens_at=poll.opens,
            closes_at=poll.closes,
            min_answers=poll.min_answers,
            now=app.clock(),
        )


async def school_answers(app: App, learner: Person) -> None:
    """The wellbeing lead takes the learner's request and writes; the school posts what changed."""
    now = app.clock()
    async with app.sessions() as session, session.begin():
        lead = Person(
            ref="wellbeing-lead".ljust(64, "0"),
            audience=Audience.STAFF,
            channel=Channel.STAFF_TELEGRAM,
            school_id=learner.school_id,
            role=StaffRole.WELLBEING_LEAD,
            stopped=False,
            created_at=now,
            linked_at=now,
        )
        session.add(lead)
        request = (
            await session.scalars(
                select(ContactRequest).where(ContactRequest.learner_ref == learner.ref)
            )
        ).one()
        await take_request(session, request_id=request.id, member=lead, now=now, tz=app.settings.tz)
        sent = await threads.staff_sends(
            session, staff=lead, thread=f"r:{request.id}", text="Come to room 4 at lunch", now=now
        )
        assert sent is not None
        assert learner.school_id is not None
        await voice_repo.post_announcement(
            session,
            school_id=learner.school_id,
            text_en=POST_EN,
            text_cy=POST_CY,
            poll_id=None,
            theme=None,
            now=now,
        )


async def about(app: App, ref: str, mailbox: str | None = None) -> dict[str, int]:
    """Rows about the learner, table by table (the alert's thread messages apart)."""
    mailboxes = [mailbox] if mailbox else []
    queries = {
        "people": select(func.count()).where(Person.ref == ref),
        "reply_addresses": select(func.count()).where(ReplyAddress.person_ref == ref),
        "conversation_states": select(func.count()).where(ConversationStateRow.person_ref == ref),
        "checkins": select(func.count()).where(Checkin.person_ref == ref),
        "checkin_answers": select(func.count()).where(CheckinAnswer.person_ref == ref),
        "mood_logs": select(func.count()).where(MoodLog.learner_ref == ref),
        "poll_answers": select(func.count()).where(PollAnswer.person_ref == ref),
        "invitation_optins": select(func.count()).where(InvitationOptIn.person_ref == ref),
        "contact_requests": select(func.count()).where(ContactRequest.learner_ref == ref),
        "school_messages": select(func.count()).where(
            SchoolMessage.learner_ref == ref, SchoolMessage.alert_id.is_(None)
        ),
        "outbox": select(func.count()).where(
            or_(OutboxMessage.person_ref == ref, OutboxMessage.idempotency_key.like("req:%"))
        ),
        "web_messages": select(func.count()).where(WebMessage.mailbox.in_(mailboxes)),
        "alerts": select(func.count()).where(SafeguardingAlert.learner_ref == ref),
    }
    async with app.sessions() as session:
        return {name: int(await session.scalar(query) or 0) for name, query in queries.items()}


async def test_mydata_counts_everything_in_both_languages_and_delete_erases_it_but_the_alert(
    app: App,
) -> None:
    learner = PlayedLearner(app.learner)
    await enrol(learner)
    await checkin(learner)
    await learner.say("more clubs at lunch please")
    await learner.command("mood")
    await learner.press("🙂")
    await learner.press("Friends")
    await learner.press("✅ Done")
    await learner.press("Skip")
    await learner.command("invites")
    await learner.press("Yes, invite me")
    await school_poll(app)
    phone = Phone()
    job = voice_job(app, phone)
    await job.run_once()  # the poll's invitation
    await learner.command("poll")
    await learner.press("Yes")
    await learner.command("help")
    await learner.press("School work and exams")
    await learner.press("Talk to someone at school")
    await learner.press("💬 Reply to me here")
    person = await the_learner(app)
    await school_answers(app, person)
    await job.run_once()  # the "you said, we did"
    assert any(POST_EN in text for _, text in phone.sent)
    await learner.say("my step dad hits me when he's drunk")
    await learner.press("Yes")

    await learner.command("mydata")
    said = learner.text()
    held = await about(app, person.ref)
    async with app.sessions() as session:
        pending = await session.scalar(
            select(func.count()).where(
                OutboxMessage.person_ref == person.ref,
                OutboxMessage.status == OutboxStatus.PENDING,
            )
        )
    for line in (
        "• Language: English",
        "• School: Ysgol Llais Demo",
        "• Year group: 9",
        "• Messages from me when you haven't written first: on",
        "• Check-ins: 1",
        "• Mood logs: 1",
        "• Notes and comments you typed: 1 (deleted after 30 days)",
        "• Polls you answered: 1",
        "• Check-in invitations: on",
        "• Requests to talk to someone at school: 1",
        "• Messages between you and school staff: 1",
        "• Groups you joined with a code: 0",
        f"• Messages I sent you that weren't replies (invitations, polls, messages and news "
        f"from your school): {len(phone.sent)}",
        f"• Messages waiting to be sent to you: {pending}",
        "• The id of this chat, kept apart from your answers",
        "• Safeguarding records: 1",
        "It follows your school's safeguarding rules, so /delete doesn't remove it",
    ):
        assert line in said, (line, said)
    assert len(phone.sent) == 2 and pending == 2  # "taken" and the lead's message wait
    assert "web chat" not in said
    assert held["poll_answers"] == 1 and held["invitation_optins"] == 1

    await learner.command("language")
    await learner.press("Cymraeg")
    await learner.command("fydata")
    said = learner.text()
    for line in (
        "• Iaith: Cymraeg",
        "• Blwyddyn: 9",
        "• Gwiriadau lles: 1",
        "• Cofnodion hwyliau: 1",
        "• Arolygon wnest ti eu hateb: 1",
        "• Gwahoddiadau i wiriad lles: ymlaen",
        "• Ceisiadau i siarad â rhywun yn yr ysgol: 1",
        "• Negeseuon rhyngot ti a staff yr ysgol: 1",
        f"• Negeseuon sy'n aros i gael eu hanfon atat ti: {pending}",
        "• Cofnodion diogelu: 1",
        "arweinydd diogelu",
    ):
        assert line in said, (line, said)

    await learner.command("dileu")
    assert "arweinydd diogelu" in learner.text()  # what stays is said before anything goes
    await learner.press("Ie, dileu'r cyfan")
    assert "wedi'i ddileu" in learner.text()
    gone = await about(app, person.ref)
    assert gone.pop("alerts") == 1  # the safeguarding record stays, under the same reference
    assert gone == dict.fromkeys(gone, 0), gone
    async with app.sessions() as session:
        alert = (await session.scalars(select(SafeguardingAlert))).one()
        assert alert.learner_ref == person.ref and alert.excerpt
