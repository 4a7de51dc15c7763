"""Sending an alert to a chat: a small port the channel adapter implements (``bot.telegram``)."""

from __future__ import annotations

from typing import Protocol

from core.channel import Reply


class AlertSender(Protocol):
    """Delivers one message to one chat; raises when it could not be delivered."""

    async def send(self, chat_id: str, reply: Reply) -> None: ...
