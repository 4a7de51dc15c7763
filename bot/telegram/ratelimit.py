"""Telegram's flood limits for what a bot sends of its own accord; answers to a person go first.

PTB's ``AIORateLimiter`` holds every request that names a chat to one budget (30 a second by
default) in this process's memory. Applied to everything, that budget caps a worker at about 30
answers a second (a turn sends one or two), queues every learner's reply behind everyone else's,
and leaves a campaign sent at 28 a second beside replies with almost nothing. Telegram's
published figure is for bulk notifications ("about 30 messages a second"); a reply to the
message a person has just sent is what the API is for, one per update and per chat. So, while
an update is being handled (:func:`answering`), messages to a private chat go past the overall
budget; alerts, the outbox and campaigns (sent by jobs, never while an update is handled) still
wait for it, groups keep their per-group budget, and a 429's ``retry_after`` still pauses every
request of the bot, answers included. An answer refused with a 429 is tried once more after that
pause (``ANSWER_RETRIES``) rather than lost: its turn is committed, and a re-delivered update would
only show the person where they are.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from telegram.ext import AIORateLimiter

JSONDict = dict[str, Any]

ANSWER_RETRIES = 1  # tries after a 429 for an answer (what jobs send keeps the limiter's own)

_ANSWERING: ContextVar[bool] = ContextVar("llais_answering_an_update", default=False)


@contextmanager
def answering() -> Iterator[None]:
    """Mark the requests made inside the block as answers to the update being handled."""
    token = _ANSWERING.set(True)
    try:
        yield
    finally:
        _ANSWERING.reset(token)


def _private_chat(data: JSONDict) -> bool:
    """Whether the request goes to a person's private chat (a positive numeric chat id)."""
    chat_id = data.get("chat_id")
    try:
        return int(chat_id) > 0  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return False  # "@channelname", or no chat at all


class AnswersFirstRateLimiter(AIORateLimiter):
    """``AIORateLimiter`` whose overall budget leaves out answers to a person's own message."""

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | JSONDict | list[JSONDict]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> bool | JSONDict | list[JSONDict]:
        """Send the request; an answer to a private chat is not counted against the budget."""
        if _ANSWERING.get() and _private_chat(data):
            # ``data`` only tells the limiter which budgets apply (the request itself is in
            # ``args``): without a chat id it applies none but the pause after a 429.
            data = {key: value for key, value in data.items() if key != "chat_id"}
            rate_limit_args = rate_limit_args or ANSWER_RETRIES
        return await super().process_request(
            callback, args, kwargs, endpoint, data, rate_limit_args
        )
