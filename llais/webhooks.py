"""What the web app's webhook routes call: a receiver per bot, built by the composition root.

The web layer knows this port only (never python-telegram-bot): it checks the secret header with
:meth:`UpdateReceiver.accepts`, hands the decoded JSON to :meth:`UpdateReceiver.receive`, and maps
the :class:`Received` outcome to an HTTP status (:data:`STATUS`).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any, Protocol


class Received(StrEnum):
    """What became of one pushed update."""

    HANDLED = "handled"  # committed and answered, or nothing to do
    MALFORMED = "malformed"  # not an update this bot can read: nothing to re-deliver
    TOLD_TO_RETRY = "told_to_retry"  # it failed and the person was asked to try again
    FAILED = "failed"  # it failed and nobody could be told: re-deliver it
    NOT_READY = "not_ready"  # the bot is starting or stopping: re-deliver it


# 200 tells Telegram the update is done with; anything else makes it re-deliver the update.
STATUS: dict[Received, int] = {
    Received.HANDLED: 200,
    Received.MALFORMED: 200,
    Received.TOLD_TO_RETRY: 200,
    Received.FAILED: 503,
    Received.NOT_READY: 503,
}


class UpdateReceiver(Protocol):
    """One bot's webhook."""

    def accepts(self, secret_header: str | None) -> bool:
        """Whether the request carries this bot's webhook secret."""
        ...

    async def receive(self, payload: Any) -> Received:
        """Handle one update; return once its turn is committed and answered."""
        ...
