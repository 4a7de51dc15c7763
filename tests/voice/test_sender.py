"""The outbox's campaign lane: paced under Telegram's limits with backoff on 429, each message
once across a restart, blocked learners stopped, and alerts never waiting behind a campaign.
Real python-telegram-bot over HTTP against the Bot API double; SQLite and PostgreSQL."""

from __future__ import annotations

from collections import Counter
from collections.abc import AsyncIterator
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import async_sessionmaker
from telegram import Bot
from telegram.request import HTTPXRequest

from bot.telegram import TelegramCampaignTransport, TelegramSender
from core.channel import Channel
from core.vocabulary import Audience, Language, OutboxPriority
from llais.outbox import Outbox, queue
from llais.voice import CampaignSender
from llais.voice.sender import LEASE
from llais.voice.windows import QuietHours
from storage.db import AsyncSession
from storage.models import InvitationOptIn, OutboxMessage, Person
from storage.repo import people
from storage.repo import voice as repo
from tests.conftest import Clock
from tests.support.botapi_double import BotApiDouble, botapi

__all__ = ["botapi"]  # the Bot API double's fixture (tests.support)

T0 = datetime(2026, 11, 26, 11, 0, tzinfo=UTC)
FIRST_CHAT = 880000
CAMPAIGN = "invite:1:2026-11-26"


@pytest.fixture
async def bot(botapi: BotApiDouble) -> AsyncIterator[Bot]:
    request = HTTPXRequest(connection_pool_size=16)
    async with Bot(botapi.token, base_url=botapi.base_url, request=request) as real:
        yield real


async def _learners(sessions: async_sessionmaker[AsyncSession], n: int) -> list[str]:
    refs = [f"learner{i:03d}" for i in range(n)]
    async with sessions() as session, session.begin():
        for i, ref in enumerate(refs):
            person = await people.create_person(
                session, ref=ref, audience=Audience.LEARNER, channel=Channel.TELEGRAM, now=T0
            )
            person.language = Language.CY if i % 2 else Language.EN
            await people.keep_address(
                session, person=person, channel=Channel.TELEGRAM, chat_id=str(FIRST_CHAT + i)
            )
            session.add(InvitationOptIn(person_ref=ref, opted_in_at=T0))
        to = [(ref, Channel.TELEGRAM.value) for ref in refs]
        added = await repo.enqueue(
            session,
            campaign=CAMPAIGN,
            to=to,
            message_key="voice.invitation",
            params={},
            now=T0,
        )
        assert added == n
        again = await repo.enqueue(
            session, campaign=CAMPAIGN, to=to, message_key="voice.invitation", params={}, now=T0
        )
        assert again == 0  # the idempotency key: planned twice, queued once
    return refs


def _sender(
    sessions: async_sessionmaker[AsyncSession], bot: Bot, clock: Clock, rate: float = 28.0
) -> CampaignSender:
    return CampaignSender(
        sessions=sessions,
        transport=TelegramCampaignTransport(bot),
        rate=rate,
        quiet=QuietHours(time(21, 0), time(7, 30)),
        tz=ZoneInfo("Europe/London"),
        clock=clock,
    )


def _per_chat(botapi: BotApiDouble) -> Counter[int]:
    return Counter(m.chat_id for m in botapi.sent if m.chat_id >= FIRST_CHAT)


async def test_429s_are_waited_out_and_every_learner_gets_the_message_once(
    sessions: async_sessionmaker[AsyncSession], botapi: BotApiDouble, bot: Bot
) -> None:
    refs = await _learners(sessions, 12)
    botapi.limit_rate(per_second=5, retry_after=1)  # far below what the sender tries
    report = await _sender(sessions, bot, Clock(T0)).drain()
    assert botapi.rate_limited > 0 and report.retried > 0
    assert report.sent == len(refs)
    assert _per_chat(botapi) == Counter({FIRST_CHAT + i: 1 for i in range(len(refs))})
    welsh = [m.text for m in botapi.sent if m.chat_id == FIRST_CHAT + 1]
    assert "amser gwiriad" in welsh[0]


async def test_a_restart_sends_what_a_dead_sender_held_once_and_nothing_twice(
    sessions: async_sessionmaker[AsyncSession], botapi: BotApiDouble, bot: Bot
) -> None:
    refs = await _learners(sessions, 6)
    clock = Clock(T0)
    async with sessions() as session, session.begin():  # a sender claims two, then dies
        held = await repo.claim(session, now=clock.now, limit=2, lease=LEASE)
    assert len(held) == 2
    first = await _sender(sessions, bot, clock).drain()
    assert first.sent == len(refs) - 2  # the held ones wait for their lease
    clock.now = T0 + LEASE + timedelta(seconds=1)
    second = await _sender(sessions, bot, clock).drain()
    assert second.sent == 2
    assert await _sender(sessions, bot, clock).drain() == type(second)()  # nothing left
    assert sorted(_per_chat(botapi).values()) == [1] * len(refs)


async def test_a_blocked_bot_stops_the_learner_and_quiet_hours_hold_the_rest(
    sessions: async_sessionmaker[AsyncSession], botapi: BotApiDouble, bot: Bot
) -> None:
    refs = await _learners(sessions, 3)
    botapi.blocked.add(FIRST_CHAT)
    clock = Clock(T0)
    clock.now = datetime(2026, 11, 26, 22, 0, tzinfo=UTC)  # quiet hours: nothing leaves
    assert (await _sender(sessions, bot, clock).drain()).sent == 0
    assert _per_chat(botapi) == Counter()
    clock.now = datetime(2026, 11, 27, 7, 31, tzinfo=UTC)
    report = await _sender(sessions, bot, clock).drain()
    assert report.sent == 2 and report.stopped == 1
    async with sessions() as session:
        blocked = await session.get(Person, refs[0])
        assert blocked is not None and blocked.stopped
        assert await session.get(InvitationOptIn, refs[0]) is None


async def test_alerts_and_replies_never_wait_behind_a_campaign(
    sessions: async_sessionmaker[AsyncSession], botapi: BotApiDouble, bot: Bot
) -> None:
    refs = await _learners(sessions, 40)
    async with sessions() as session, session.begin():
        await queue(
            session,
            key="alert-told:1",
            person_ref=refs[4],
            audience=Audience.LEARNER,
            channel=Channel.TELEGRAM,
            priority=OutboxPriority.REPLY,
            message_key="voice.no_poll",
            now=T0 + timedelta(seconds=5),  # queued after the whole campaign
        )
    lanes = (OutboxPriority.ALERT, OutboxPriority.REPLY)
    outbox = Outbox(
        sessions=sessions,
        senders={Channel.TELEGRAM: TelegramSender(bot)},
        clock=lambda: T0 + timedelta(seconds=5),
        priorities=lanes,
    )
    delivered = await outbox.deliver_due(limit=1)
    assert delivered.sent == 1
    assert len(botapi.sent) == 1 and "no poll" in botapi.sent[0].text  # the reply, alone
    async with sessions() as session:
        pending = await session.scalar(
            select(OutboxMessage.id).where(OutboxMessage.priority == OutboxPriority.CAMPAIGN)
        )
    assert pending is not None  # the campaign is left to its own lane
    report = await _sender(sessions, bot, Clock(T0)).drain()
    assert report.sent == len(refs)
