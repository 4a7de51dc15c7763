"""Many workers, one truth (PostgreSQL): one person's turns are serialised by the database, and
alert dispatchers racing over the same rows deliver each alert to each recipient once."""

from __future__ import annotations

import asyncio

from sqlalchemy import func, select

from core.channel import Reply
from llais.alerts import AlertDispatcher
from llais.app import App
from storage.models import AlertDelivery, ConversationStateRow, Person, SafeguardingAlert
from tests.support.learner import PlayedLearner
from tests.workers.conftest import disclose, link_dsl

DSL = "640001"


class SlowSender:
    """An alert sender that takes its time (so runs overlap) and records every send."""

    def __init__(self, sent: list[tuple[str, str]]) -> None:
        self.sent = sent

    async def send(self, chat_id: str, reply: Reply) -> None:
        await asyncio.sleep(0.02)
        self.sent.append((chat_id, reply.text))


async def _count(app: App, model: type[object]) -> int:
    async with app.sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def test_three_dispatchers_racing_deliver_each_alert_to_the_dsl_once(
    workers: list[App],
) -> None:
    await link_dsl(workers[0], DSL)
    learners = [str(555100 + n) for n in range(12)]
    await asyncio.gather(*(disclose(workers[n % 3], user) for n, user in enumerate(learners)))
    assert await _count(workers[0], SafeguardingAlert) == len(learners)

    sent: list[tuple[str, str]] = []
    dispatchers = [
        AlertDispatcher(settings=app.settings, sessions=app.sessions, sender=SlowSender(sent))
        for app in workers
    ]
    for _ in range(3):  # three rounds of every worker's job firing at once
        reports = await asyncio.gather(*(d.run_once() for d in dispatchers))
        assert not any(report.failed for report in reports)

    alerts = [text for chat, text in sent if chat == DSL and "SAFEGUARDING ALERT" in text]
    assert len(alerts) == len(learners), f"{len(alerts)} alert messages for {len(learners)}"
    assert len(set(alerts)) == len(learners)  # each alert once, none twice
    assert await _count(workers[0], AlertDelivery) == len(learners)


async def test_two_workers_handling_one_learners_messages_at_once_take_turns(
    workers: list[App],
) -> None:
    # Without the turn lock both first messages read "no such person" and insert it: one fails.
    pairs = [
        (
            PlayedLearner(workers[0].learner, user_id=str(user)),
            PlayedLearner(workers[1].learner, user_id=str(user)),
        )
        for user in range(556000, 556008)
    ]
    replies = await asyncio.gather(*(one.command("start") for pair in pairs for one in pair))
    assert all(reply for reply in replies)
    assert await _count(workers[0], Person) == len(pairs)
    assert await _count(workers[0], ConversationStateRow) == len(pairs)
