"""Plain messages crossing the edge between channel adapters and the conversation service.

Adapters (Telegram, terminal, web) turn what their channel delivers into an ``Inbound`` and
send each ``Reply`` back; nothing inside Llais knows which channel a message came from
beyond its name.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Protocol

from core.vocabulary import Audience


class Channel(StrEnum):
    """The channels adapters deliver from; a person's reference is per channel."""

    TELEGRAM = "telegram"  # the learner bot
    STAFF_TELEGRAM = "staff-telegram"  # the staff bot
    TERMINAL = "terminal"  # ``llais chat``
    WEB = "web"  # the learner web chat

    @property
    def audience(self) -> Audience:
        """Who this channel's people are (a safeguarding alert comes from a learner channel)."""
        return Audience.STAFF if self is Channel.STAFF_TELEGRAM else Audience.LEARNER


class InboundKind(StrEnum):
    TEXT = "text"
    CHOICE = "choice"
    COMMAND = "command"
    UNSUPPORTED = "unsupported"  # a sticker, photo, voice note... anything that is not text


@dataclass(frozen=True, slots=True)
class Inbound:
    """One thing a person did in a channel."""

    channel: Channel
    user_id: str  # the channel's user id: hashed into a pseudonymous reference, never stored raw
    chat_id: str  # where to reply: stored apart from voice data
    kind: InboundKind
    at: datetime  # timezone-aware
    text: str = ""  # free text (TEXT), or the command's arguments (COMMAND)
    choice: str = ""  # button payload (CHOICE)
    command: str = ""  # command name without the slash (COMMAND), e.g. "start"
    # the channel's id for this delivery (e.g. "telegram:<update_id>"): a repeat is not applied
    delivery: str | None = None


@dataclass(frozen=True, slots=True)
class Button:
    """A choice offered under a message; ``payload`` fits Telegram's 64-byte callback data."""

    label: str
    payload: str


@dataclass(frozen=True, slots=True)
class Reply:
    """One message to send, already in the person's language."""

    text: str
    buttons: tuple[tuple[Button, ...], ...] = field(default_factory=tuple)


class ConversationHandler(Protocol):
    """What a channel adapter calls: persist first, then return what to send."""

    async def handle(self, inbound: Inbound) -> list[Reply]: ...
