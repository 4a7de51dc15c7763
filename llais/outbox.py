"""One outbox for every message Llais sends to a person outside the turn that answers them.

The API, small on purpose (other parts of Llais queue through it):

* ``queue(session, key=..., person_ref=..., channel=..., priority=..., message_key=...,
  params=..., text=..., buttons=..., now=...)`` (re-exported from ``storage.repo.outbox.enqueue``)
  queues a message inside the caller's transaction, once per idempotency ``key``: the message is
  committed with whatever caused it, and a retry of that cause queues nothing new. ``message_key``
  is a catalogue key rendered in the person's language when the message leaves; a parameter
  may be ``{"en": ..., "cy": ...}`` or ``{"key": "staff.role_dsl"}`` (resolved then too); ``text``
  is what a person typed (filled into ``{text}``, or sent as it is without a key). Buttons are
  rows of ``{"key" | "label": ..., "payload": ...}``.
* :class:`Outbox` ``.deliver_due()`` claims due messages (``FOR UPDATE SKIP LOCKED`` on
  PostgreSQL), most urgent first (``OutboxPriority``: ALERT, REPLY, CAMPAIGN), renders each and
  hands it to the :class:`ChannelSender` registered for its channel. A sender raises
  :class:`PermanentDeliveryError` when trying again cannot help (the person blocked the bot);
  anything else is retried with backoff, up to ``MAX_ATTEMPTS``.
* A channel (Telegram learner and staff bots; the web chat's mailbox later) only implements
  ``ChannelSender.send(Delivery)``; the address (a chat id) is looked up from the person's
  reply address on that channel when the message leaves.
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, Protocol

from sqlalchemy.ext.asyncio import async_sessionmaker

from core.channel import Button, Reply
from core.clock import Clock, utcnow
from core.errors import LlaisError
from core.i18n import catalogue
from core.vocabulary import DEFAULT_LANGUAGE, Language, OutboxPriority, OutboxStatus
from storage.db import AsyncSession
from storage.models.outbox import OutboxMessage
from storage.repo import outbox as repo
from storage.repo import people
from storage.repo.outbox import enqueue as queue

__all__ = [
    "ChannelSender",
    "Delivered",
    "Delivery",
    "Outbox",
    "PermanentDeliveryError",
    "queue",
    "render",
]

log = logging.getLogger(__name__)

LEASE = timedelta(minutes=2)  # a claimed message is not claimed again for this long


class PermanentDeliveryError(LlaisError):
    """Sending cannot succeed however often it is tried (blocked bot, chat gone)."""


@dataclass(frozen=True, slots=True)
class Delivery:
    """One rendered message for a channel: who, where (the chat id, when the channel has one)."""

    outbox_id: int
    person_ref: str
    channel: str
    address: str | None
    reply: Reply


class ChannelSender(Protocol):
    """Sends one message on one channel; raises when it could not be delivered."""

    async def send(self, delivery: Delivery) -> None: ...


@dataclass
class Delivered:
    """What one ``deliver_due`` run did (counts and ids only)."""

    sent: int = 0
    retried: int = 0
    failed: list[int] = field(default_factory=list)  # outbox ids given up on this run


def _param(value: Any, language: Language) -> Any:
    cat = catalogue()
    if isinstance(value, Mapping):
        if "key" in value:
            return cat.get(str(value["key"]), language)
        return value.get(language.value, value.get(DEFAULT_LANGUAGE.value, ""))
    return value


def render(row: OutboxMessage, language: Language) -> Reply:
    """The message in ``language``: its catalogue text (or stored text) and its buttons."""
    cat = catalogue()
    key = row.message.get("key")
    params = {name: _param(value, language) for name, value in row.message["params"].items()}
    if key is None:
        text = row.text or ""
    else:
        text = cat.get(str(key), language, **{"text": row.text or "", **params})
    rows = tuple(
        tuple(
            Button(cat.get(b["key"], language) if "key" in b else b.get("label", ""), b["payload"])
            for b in buttons
        )
        for buttons in row.buttons
    )
    return Reply(text, rows)


class Outbox:
    """Delivers due outbox messages through the senders registered per channel."""

    def __init__(
        self,
        *,
        sessions: async_sessionmaker[AsyncSession],
        senders: Mapping[str, ChannelSender],
        clock: Clock = utcnow,
        priorities: Collection[OutboxPriority] | None = None,
    ) -> None:
        self.sessions = sessions
        self.senders = dict(senders)
        self.clock = clock
        # None: every priority; campaigns may have their own paced lane (llais.voice.sender)
        self.priorities = priorities

    def register(self, channel: str, sender: ChannelSender) -> None:
        """Send ``channel``'s messages through ``sender`` (e.g. the web chat's mailbox)."""
        self.senders[channel] = sender

    async def deliver_due(self, *, limit: int = 50) -> Delivered:
        """Claim due messages (leased, committed), send each, and record how it went."""
        report = Delivered()
        now = self.clock()
        async with self.sessions() as session, session.begin():
            rows = await repo.claim_due(
                session,
                now=now,
                limit=limit,
                lease=LEASE,
                channels=list(self.senders),
                priorities=self.priorities,
            )
            work: list[Delivery] = []
            for row in rows:
                person = await people.get_person(session, ref=row.person_ref)
                language = (person.language if person else None) or DEFAULT_LANGUAGE
                address = await repo.address_of(
                    session, person_ref=row.person_ref, channel=row.channel
                )
                work.append(
                    Delivery(row.id, row.person_ref, row.channel, address, render(row, language))
                )
        for delivery in work:
            await self._send(delivery, report)
        return report

    async def _send(self, delivery: Delivery, report: Delivered) -> None:
        sender = self.senders[delivery.channel]
        error: str | None = None
        permanent = False
        try:
            await sender.send(delivery)
        except PermanentDeliveryError as exc:
            error, permanent = type(exc.__cause__ or exc).__name__, True
        except Exception as exc:  # any other failure is retried with backoff
            error = type(exc).__name__
        async with self.sessions() as session, session.begin():
            if error is None:
                await repo.mark_sent(session, message_id=delivery.outbox_id, now=self.clock())
                report.sent += 1
                return
            status = await repo.mark_failed(
                session,
                message_id=delivery.outbox_id,
                now=self.clock(),
                error_kind=error,
                permanent=permanent,
            )
        if status is OutboxStatus.FAILED:
            report.failed.append(delivery.outbox_id)
            log.warning("outbox %d: given up (%s)", delivery.outbox_id, error)
        else:
            report.retried += 1
            log.info("outbox %d: send failed (%s), will retry", delivery.outbox_id, error)
