"""Deliver safeguarding alerts through the staff bot (implements ``llais.alerts.AlertSender``)."""

from __future__ import annotations

from telegram import Bot

from bot.telegram.outbound import keyboard
from core.channel import Reply


class TelegramAlertSender:
    """Sends alerts through the staff bot."""

    def __init__(self, bot: Bot) -> None:
        self.bot = bot

    async def send(self, chat_id: str, reply: Reply) -> None:
        """Send ``reply`` with its buttons to ``chat_id``."""
        await self.bot.send_message(chat_id, reply.text, reply_markup=keyboard(reply.buttons))
