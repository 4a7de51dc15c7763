"""The web chat mailbox: append, read, clear (see ``storage.models.web``).

``append`` is what any sender to the web channel calls (the chat itself, and a sender for
messages staff send later): the mailbox key is the web channel's reply address.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, select

from storage.db import AsyncSession
from storage.models import Author, WebMessage

SHOWN_AT_MOST = 200  # messages a page shows


@dataclass(frozen=True)
class MailboxButton:
    label: str
    payload: str


@dataclass(frozen=True)
class MailboxMessage:
    id: int
    author: Author
    text: str
    buttons: tuple[tuple[MailboxButton, ...], ...]
    created_at: datetime


def _rows(buttons: Sequence[Sequence[MailboxButton]]) -> list[list[dict[str, Any]]]:
    return [[{"label": b.label, "payload": b.payload} for b in row] for row in buttons]


def _message(row: WebMessage) -> MailboxMessage:
    buttons = tuple(
        tuple(MailboxButton(str(b["label"]), str(b["payload"])) for b in line)
        for line in row.buttons or []
    )
    return MailboxMessage(row.id, row.author, row.text, buttons, row.created_at)


async def append(
    session: AsyncSession,
    *,
    mailbox: str,
    author: Author,
    text: str,
    now: datetime,
    buttons: Sequence[Sequence[MailboxButton]] = (),
) -> int:
    """Add a message at the end of the mailbox; returns its id."""
    row = WebMessage(
        mailbox=mailbox, author=author, text=text, buttons=_rows(buttons), created_at=now
    )
    session.add(row)
    await session.flush()
    return row.id


async def since(
    session: AsyncSession, *, mailbox: str, after: datetime, after_id: int = 0
) -> list[MailboxMessage]:
    """The mailbox's messages from ``after`` (and with ids above ``after_id``), oldest first,
    the latest :data:`SHOWN_AT_MOST` at most."""
    rows = await session.scalars(
        select(WebMessage)
        .where(
            WebMessage.mailbox == mailbox,
            WebMessage.created_at >= after,
            WebMessage.id > after_id,
        )
        .order_by(WebMessage.id.desc())
        .limit(SHOWN_AT_MOST)
    )
    return [_message(row) for row in reversed(list(rows))]


async def pending(
    session: AsyncSession, *, mailbox: str, look_back: int = 20
) -> list[MailboxMessage]:
    """Llais's and staff's messages since the learner's last one (what awaits an answer),
    oldest first, whatever their age."""
    rows = await session.scalars(
        select(WebMessage)
        .where(WebMessage.mailbox == mailbox)
        .order_by(WebMessage.id.desc())
        .limit(look_back)
    )
    waiting: list[MailboxMessage] = []
    for row in rows:
        if row.author is Author.LEARNER:
            break
        waiting.append(_message(row))
    return list(reversed(waiting))


async def learner_posts(session: AsyncSession, *, mailbox: str) -> int:
    """How many messages the learner has sent in this mailbox (a page's turn number)."""
    count = await session.scalar(
        select(func.count())
        .select_from(WebMessage)
        .where(WebMessage.mailbox == mailbox, WebMessage.author == Author.LEARNER)
    )
    return int(count or 0)


async def clear(session: AsyncSession, *, mailbox: str) -> int:
    """Delete every message of the mailbox; returns how many."""
    result = await session.execute(delete(WebMessage).where(WebMessage.mailbox == mailbox))
    return int(getattr(result, "rowcount", 0) or 0)


async def purge(session: AsyncSession, *, now: datetime, days: int) -> int:
    """Delete messages older than ``days`` (they hold free text); returns how many."""
    cutoff = now - timedelta(days=days)
    result = await session.execute(delete(WebMessage).where(WebMessage.created_at < cutoff))
    return int(getattr(result, "rowcount", 0) or 0)
