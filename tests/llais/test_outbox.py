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
from tests.support.botapi_double import BotApiDouble

T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
CHAT = 4242


class Clock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
async def double() -> AsyncIterator[BotApiDouble]:
    async with BotApiDouble() as api:
        yield api
    assert api.unknown_calls == []


@pytest.fixture
async def bot(double: BotApiDouble) -> AsyncIterator[Bot]:
    async with Bot(double.token, base_url=double.base_url) as real:
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
    sessions: async_sessionmaker[AsyncSession], double: BotApiDouble, bot: Bot
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
        sessions=sessions, senders={Channel.TELEGRAM: TelegramSender(bot)}, clock=Clock()
    )
    report = await outbox.deliver_due()
    again = await outbox.deliver_due()

    assert (report.sent, again.sent) == (1, 0)
    [sent] = double.messages_to(CHAT)
    assert "Dere i ystafell 12 amser egwyl" in sent.text
    assert "arweinydd lles" in sent.text  # the role, rendered in Welsh when it left
    assert sent.buttons[0][0]["callback_data"] == "answer:1"
    async with sessions() as session:
        assert await session.scalar(select(func.count()).select_from(OutboxMessage)) == 1
        row = await repo.get_message(session, key="reply:1")
        assert row is not None and row.status is OutboxStatus.SENT and row.sent_at == T0


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
    sessions: async_sessionmaker[AsyncSession], double: BotApiDouble, bot: Bot
) -> None:
    await _learner(sessions, "blocked", CHAT, Language.EN)
    await _learner(sessions, "flaky", CHAT + 1, Language.EN)
    double.blocked.add(CHAT)
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

    clock = Clock()
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
    assert [m.text for m in double.messages_to(CHAT + 1)] == ["hello"]
    assert double.messages_to(CHAT) == []


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
