"""Outbox senders over the learner and staff bots (implement ``llais.outbox.ChannelSender``)."""

from __future__ import annotations

from telegram import Bot
from telegram.error import BadRequest, Forbidden

from bot.telegram.outbound import keyboard
from llais.outbox import Delivery, PermanentDeliveryError


class TelegramSender:
    """Sends outbox messages through one bot (the learner bot, or the staff bot)."""

    def __init__(self, bot: Bot) -> None:
        self.bot = bot

    async def send(self, delivery: Delivery) -> None:
        """Send the message to the person's chat; a blocked bot or lost chat is permanent."""
        if delivery.address is None:
            raise PermanentDeliveryError("no chat kept for this person on this channel")
        reply = delivery.reply
        try:
            await self.bot.send_message(
                delivery.address, reply.text, reply_markup=keyboard(reply.buttons)
            )
        except (Forbidden, BadRequest) as exc:
            raise PermanentDeliveryError(type(exc).__name__) from exc
