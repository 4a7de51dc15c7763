"""The outbox's sender for the web chat (implements ``llais.outbox.ChannelSender``).

A web learner has no chat to push to: a message for them (a staff reply, a "your request was
taken" notice, an invitation) is written to their mailbox, and the page shows it the next time it
is loaded. The mailbox key is the web channel's reply address, so ``Delivery.address`` names it.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import async_sessionmaker

from core.clock import Clock, utcnow
from llais.outbox import Delivery, PermanentDeliveryError
from storage.db import AsyncSession
from storage.models.web import Author
from storage.repo import web_mailbox
from storage.repo.web_mailbox import MailboxButton


class WebMailboxSender:
    """Delivers outbox messages into web chat mailboxes."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession], clock: Clock = utcnow) -> None:
        self.sessions = sessions
        self.clock = clock

    async def send(self, delivery: Delivery) -> None:
        """Append the message (and its buttons) to the learner's mailbox."""
        if not delivery.address:
            raise PermanentDeliveryError("no web mailbox kept for this person")
        buttons = [
            [MailboxButton(label=b.label, payload=b.payload) for b in row]
            for row in delivery.reply.buttons
        ]
        async with self.sessions() as session, session.begin():
            await web_mailbox.append(
                session,
                mailbox=delivery.address,
                author=Author.LLAIS,
                text=delivery.reply.text,
                now=self.clock(),
                buttons=buttons,
            )
