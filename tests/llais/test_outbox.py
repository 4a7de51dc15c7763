"""The outbox: queued once per key, claimed most urgent first (SKIP LOCKED on PostgreSQL), sent
through a real python-telegram-bot ``Bot`` to the Bot API double, retried with backoff, and
given up on when the person blocked the bot."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import async_sessionmaker
from telegram import Bot

from bot.telegram import TelegramSender
from core.channel import Channel
from core.vocabulary import Audience, Language, OutboxPriority, OutboxStatus
from llais.outbox import Delivery, Outbox, queue
from storage.db import AsyncSession
from storage.models import OutboxMessage
from storage.repo import outbox as repo
from storage.repo import people
from storage.repo.retention import purge_free_text
from tests.conftest import Clock
from tests.support.botapi_double import BotApiDouble, botapi

__all__ = ["botapi"]  # the Bot API double's fixture (tests.support)

T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
CHAT = 4242


@pytest.fixture
async def bot(botapi: BotApiDouble) -> AsyncIterator[Bot]:
    async with Bot(botapi.token, base_url=botapi.base_url) as real:
        yield real


async def _learner(
    sessions: async_sessionmaker[AsyncSession], ref: str, chat: int | None, language: Language
) -> None:
    async with sessions() as session, session.begin():
        person = await people.create_person(
            session, ref=ref, audience=Audience.LEARNER, channel=Channel.TELEGRAM, now=T0
        )
        person.language = language
        if chat is not None:
            await people.keep_address(
                session, person=person, channel=Channel.TELEGRAM, chat_id=str(chat)
            )


async def _queue(
    sessions: async_sessionmaker[AsyncSession],
    key: str,
    ref: str,
    priority: OutboxPriority = OutboxPriority.REPLY,
    **kwargs: object,
) -> None:
    async with sessions() as session, session.begin():
        await queue(
            session,
            key=key,
            person_ref=ref,
            audience=Audience.LEARNER,
            channel=Channel.TELEGRAM,
            priority=priority,
            now=T0,
            **kwargs,  # type: ignore[arg-type]
        )


async def test_a_message_is_queued_once_and_sent_in_the_persons_language(
    sessions: async_sessionmaker[AsyncSession], botapi: BotApiDouble, bot: Bot
) -> None:
    await _learner(sessions, "learner-cy", CHAT, Language.CY)
    for _ in range(2):  # the same cause twice queues one message
        await _queue(
            sessions,
            "reply:1",
            "learner-cy",
            message_key="school.staff_says",
            params={"who": {"key": "staff.role_wellbeing_lead"}},
            text="Dere i ystafell 12 amser egwyl",
            buttons=[[{"key": "school.answer_button", "payload": "answer:1"}]],
        )
    outbox = Outbox(
        sessions=sessions, senders={Channel.TELEGRAM: TelegramSender(bot)}, clock=Clock(T0)
    )
    report = await outbox.deliver_due()
    again = await outbox.deliver_due()

    assert (report.sent, again.sent) == (1, 0)
    [sent] = botapi.messages_to(CHAT)
    assert "Dere i ystafell 12 amser egwyl" in sent.text
    assert "arweinydd lles" in sent.text  # the role, rendered in Welsh when it left
    assert sent.buttons[0][0]["callback_data"] == "answer:1"
    async with sessions() as session:
        assert await session.scalar(select(func.count()).select_from(OutboxMessage)) == 1
        row = await repo.get_message(session, key="reply:1")
        assert row is not None and row.status is OutboxStatus.SENT and row.sent_at == T0
    async with sessions() as session, session.begin():  # past retention, the typed text goes
        assert await purge_free_text(session, now=T0 + timedelta(days=31), days=30) == 1
    async with sessions() as session:
        row = await repo.get_message(session, key="reply:1")
        assert row is not None and row.text is None and row.status is OutboxStatus.SENT


async def test_alerts_leave_before_replies_and_replies_before_campaigns(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    await _learner(sessions, "l1", CHAT, Language.EN)
    await _queue(sessions, "c", "l1", OutboxPriority.CAMPAIGN, text="campaign")
    await _queue(sessions, "r", "l1", OutboxPriority.REPLY, text="reply")
    await _queue(sessions, "a", "l1", OutboxPriority.ALERT, text="alert")
    async with sessions() as session, session.begin():
        first = await repo.claim_due(session, now=T0, limit=2)
        assert [row.idempotency_key for row in first] == ["a", "r"]
        # claimed rows are leased: not due again until the lease runs out
        assert [r.idempotency_key for r in await repo.claim_due(session, now=T0)] == ["c"]
        assert await repo.claim_due(session, now=T0 + timedelta(seconds=30)) == []
        later = await repo.claim_due(session, now=T0 + timedelta(minutes=3))
        assert {row.idempotency_key for row in later} == {"a", "r", "c"}
        assert all(row.attempts == 2 for row in later if row.idempotency_key != "c")


async def test_a_blocked_bot_is_given_up_on_and_a_passing_failure_is_retried_with_backoff(
    sessions: async_sessionmaker[AsyncSession], botapi: BotApiDouble, bot: Bot
) -> None:
    await _learner(sessions, "blocked", CHAT, Language.EN)
    await _learner(sessions, "flaky", CHAT + 1, Language.EN)
    botapi.blocked.add(CHAT)
    await _queue(sessions, "to-blocked", "blocked", text="hello")
    await _queue(sessions, "to-flaky", "flaky", text="hello")

    class FlakyThenTelegram:
        """Fails once (a network blip), then sends through the real bot."""

        def __init__(self) -> None:
            self.failures = 1
            self.real = TelegramSender(bot)

        async def send(self, delivery: Delivery) -> None:
            if delivery.person_ref == "flaky" and self.failures:
                self.failures -= 1
                raise ConnectionError("blip")
            await self.real.send(delivery)

    clock = Clock(T0)
    outbox = Outbox(sessions=sessions, senders={Channel.TELEGRAM: FlakyThenTelegram()}, clock=clock)
    first = await outbox.deliver_due()
    assert first.sent == 0 and first.retried == 1 and len(first.failed) == 1
    async with sessions() as session:
        blocked = await repo.get_message(session, key="to-blocked")
        flaky = await repo.get_message(session, key="to-flaky")
    assert blocked is not None and blocked.status is OutboxStatus.FAILED
    assert blocked.last_error_kind == "Forbidden"
    assert flaky is not None and flaky.status is OutboxStatus.PENDING
    assert flaky.last_error_kind == "ConnectionError"
    assert flaky.not_before == T0 + repo.backoff(1)

    assert (await outbox.deliver_due()).sent == 0  # not yet due
    clock.now = flaky.not_before
    assert (await outbox.deliver_due()).sent == 1
    assert [m.text for m in botapi.messages_to(CHAT + 1)] == ["hello"]
    assert botapi.messages_to(CHAT) == []


async def test_two_workers_never_claim_the_same_message(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    await _learner(sessions, "l1", CHAT, Language.EN)
    for n in range(6):
        await _queue(sessions, f"m{n}", "l1", text=f"m{n}")
    async with sessions() as first:
        if first.get_bind().dialect.name != "postgresql":
            pytest.skip("SQLite has one writer at a time (BEGIN IMMEDIATE): nothing to skip")
        async with first.begin():
            mine = await repo.claim_due(first, now=T0, limit=4)
            async with sessions() as second, second.begin():  # while the first still holds locks
                theirs = await repo.claim_due(second, now=T0, limit=4)
    assert len(mine) == 4 and len(theirs) == 2
    assert not {r.id for r in mine} & {r.id for r in theirs}


async def test_a_channel_nobody_sends_on_yet_keeps_its_messages_until_a_sender_is_registered(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    await _learner(sessions, "web-learner", None, Language.EN)
    async with sessions() as session, session.begin():
        await queue(
            session,
            key="web:1",
            person_ref="web-learner",
            audience=Audience.LEARNER,
            channel=Channel.WEB,
            priority=OutboxPriority.REPLY,
            text="hello on the web",
            now=T0,
        )

    class Mailbox:
        """Stands in for the web chat's mailbox: keeps what it was given."""

        def __init__(self) -> None:
            self.got: list[Delivery] = []

        async def send(self, delivery: Delivery) -> None:
            self.got.append(delivery)

    clock = Clock(T0)
    outbox = Outbox(sessions=sessions, senders={}, clock=clock)
    for _ in range(3):
        assert (await outbox.deliver_due()).sent == 0
        clock.now += timedelta(minutes=5)
    async with sessions() as session:
        row = await repo.get_message(session, key="web:1")
        assert row is not None and (row.status, row.attempts) == (OutboxStatus.PENDING, 0)
    mailbox = Mailbox()
    outbox.register(Channel.WEB, mailbox)
    assert (await outbox.deliver_due()).sent == 1
    [delivery] = mailbox.got
    assert (delivery.address, delivery.reply.text) == (None, "hello on the web")
