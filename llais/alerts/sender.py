"""Sending an alert to a chat: a small port, and its implementation over a Telegram bot."""

from __future__ import annotations

from typing import Protocol

from telegram import Bot

from bot.telegram.outbound import keyboard
from core.channel import Reply


class AlertSender(Protocol):
    """Delivers one message to one chat; raises when it could not be delivered."""

    async def send(self, chat_id: str, reply: Reply) -> None: ...


class TelegramAlertSender:
    """Sends alerts through the staff bot."""

    def __init__(self, bot: Bot) -> None:
        self.bot = bot

    async def send(self, chat_id: str, reply: Reply) -> None:
        """Send ``reply`` with its buttons to ``chat_id``."""
        await self.bot.send_message(chat_id, reply.text, reply_markup=keyboard(reply.buttons))
