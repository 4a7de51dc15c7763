"""Answers to an update go past the bot's overall send budget; everything else waits for it."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime
from typing import Any

import pytest
from telegram.error import RetryAfter

from bot.telegram.ratelimit import AnswersFirstRateLimiter, answering

SENDS = 6


class Api:
    """Stands in for the Bot API call the limiter wraps; records when each was made."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, Any]] = []
        self.refuse_next = 0

    async def post(self, endpoint: str, data: dict[str, Any], **_: Any) -> bool:
        if self.refuse_next:
            self.refuse_next -= 1
            raise RetryAfter(1)
        self.sent.append((endpoint, data.get("chat_id")))
        return True


async def send(limiter: AnswersFirstRateLimiter, api: Api, chat_id: int | str) -> None:
    data = {"chat_id": chat_id, "text": "hi"}
    await limiter.process_request(api.post, ("sendMessage", data), {}, "sendMessage", data, None)


async def timed(coro: Any) -> float:
    started = time.perf_counter()
    await coro
    return time.perf_counter() - started


async def test_answers_to_private_chats_are_not_held_to_the_overall_budget() -> None:
    limiter = AnswersFirstRateLimiter(overall_max_rate=2, overall_time_period=1)
    await limiter.initialize()
    api = Api()
    with answering():
        took = await timed(asyncio.gather(*(send(limiter, api, 100 + n) for n in range(SENDS))))
    assert took < 0.5
    assert sorted(chat for _, chat in api.sent) == [100 + n for n in range(SENDS)]


async def test_what_a_job_sends_still_waits_for_the_overall_budget() -> None:
    limiter = AnswersFirstRateLimiter(overall_max_rate=2, overall_time_period=1)
    await limiter.initialize()
    api = Api()
    took = await timed(asyncio.gather(*(send(limiter, api, 100 + n) for n in range(SENDS))))
    assert took > 1.5  # two a second: six take two seconds after the first two
    assert len(api.sent) == SENDS


async def test_groups_keep_their_own_budget_while_an_update_is_answered() -> None:
    limiter = AnswersFirstRateLimiter(group_max_rate=2, group_time_period=1)
    await limiter.initialize()
    api = Api()
    with answering():
        took = await timed(asyncio.gather(*(send(limiter, api, -500) for _ in range(4))))
    assert took > 0.7
    assert len(api.sent) == 4


async def test_an_answer_refused_with_a_429_is_sent_after_the_pause() -> None:
    limiter = AnswersFirstRateLimiter()
    await limiter.initialize()
    api = Api()
    api.refuse_next = 1
    with answering():
        took = await timed(send(limiter, api, 100))
    assert took >= 1.0  # waited retry_after before the second try
    assert api.sent == [("sendMessage", 100)]


async def test_an_answer_refused_twice_and_a_job_refused_once_reach_the_caller() -> None:
    limiter = AnswersFirstRateLimiter()
    await limiter.initialize()
    api = Api()
    api.refuse_next = 2
    with answering(), pytest.raises(RetryAfter):
        await send(limiter, api, 100)
    api.refuse_next = 1
    with pytest.raises(RetryAfter):  # the campaign sender paces itself on a 429
        await send(limiter, api, 100)
    assert api.sent == []


async def test_the_update_processor_handles_each_update_as_an_answer() -> None:
    from telegram import Chat, Message, Update

    from bot.telegram.ordering import PerChatUpdateProcessor
    from bot.telegram.ratelimit import _ANSWERING

    seen: list[bool] = []

    async def handle() -> None:
        seen.append(_ANSWERING.get())

    chat = Chat(42, Chat.PRIVATE)
    update = Update(1, message=Message(1, datetime.now(UTC), chat, text="hi"))
    processor = PerChatUpdateProcessor()
    await processor.do_process_update(update, handle())
    await processor.do_process_update(object(), handle())
    assert seen == [True, True]
    assert _ANSWERING.get() is False  # and nothing outside an update is
