"""The outbox's data access: enqueue once per key, claim what is due, record how it went.

``claim_due`` takes the due rows with ``SELECT ... FOR UPDATE SKIP LOCKED`` on PostgreSQL, so
several workers never claim the same row; SQLite (one writer at a time, ``BEGIN IMMEDIATE``)
uses a plain select. A claim is a lease: the row's ``not_before`` moves ``lease`` ahead and its
``attempts`` goes up, so a worker that dies mid-send leaves the row to be claimed again later.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select

from core.vocabulary import Audience, OutboxPriority, OutboxStatus
from storage.db import AsyncSession
from storage.models.outbox import OutboxMessage
from storage.models.people import ReplyAddress

MAX_ATTEMPTS = 6
BACKOFF_BASE = timedelta(seconds=30)
BACKOFF_CAP = timedelta(hours=1)


def backoff(attempts: int) -> timedelta:
    """How long to wait before the next try after ``attempts`` failed tries (doubling, capped)."""
    delay: timedelta = BACKOFF_BASE * (2 ** max(attempts - 1, 0))
    return min(delay, BACKOFF_CAP)


async def enqueue(
    session: AsyncSession,
    *,
    key: str,
    person_ref: str,
    audience: Audience,
    channel: str,
    priority: OutboxPriority,
    message_key: str | None = None,
    params: Mapping[str, Any] | None = None,
    text: str | None = None,
    buttons: Sequence[Sequence[Mapping[str, str]]] = (),
    now: datetime,
    not_before: datetime | None = None,
) -> OutboxMessage:
    """Queue a message once: a second call with the same ``key`` returns the first row."""
    existing = await session.scalar(
        select(OutboxMessage).where(OutboxMessage.idempotency_key == key)
    )
    if existing is not None:
        return existing
    message: dict[str, Any] = {"params": dict(params or {})}
    if message_key is not None:
        message["key"] = message_key
    row = OutboxMessage(
        idempotency_key=key,
        person_ref=person_ref,
        audience=audience,
        channel=channel,
        priority=int(priority),
        message=message,
        buttons=[[dict(button) for button in row] for row in buttons],
        text=text,
        status=OutboxStatus.PENDING,
        attempts=0,
        not_before=not_before or now,
        created_at=now,
    )
    session.add(row)
    await session.flush()
    return row


async def claim_due(
    session: AsyncSession,
    *,
    now: datetime,
    limit: int = 50,
    lease: timedelta = timedelta(minutes=2),
    channels: Collection[str] | None = None,
    priorities: Collection[int] | None = None,
) -> list[OutboxMessage]:
    """Claim up to ``limit`` due messages, most urgent first, leasing them for ``lease``; with
    ``channels``, only messages for those (a channel nobody sends on keeps its messages); with
    ``priorities``, only those (campaigns have a paced lane of their own)."""
    query = (
        select(OutboxMessage)
        .where(OutboxMessage.status == OutboxStatus.PENDING, OutboxMessage.not_before <= now)
        .order_by(OutboxMessage.priority, OutboxMessage.not_before, OutboxMessage.id)
        .limit(limit)
    )
    if channels is not None:
        query = query.where(OutboxMessage.channel.in_(list(channels)))
    if priorities is not None:
        query = query.where(OutboxMessage.priority.in_([int(p) for p in priorities]))
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    rows = list(await session.scalars(query))
    for row in rows:
        row.attempts += 1
        row.not_before = now + lease
    await session.flush()
    return rows


async def address_of(session: AsyncSession, *, person_ref: str, channel: str) -> str | None:
    """The chat id kept for the person on ``channel``, or None."""
    address = await session.get(ReplyAddress, (person_ref, channel))
    return address.chat_id if address is not None else None


async def mark_sent(session: AsyncSession, *, message_id: int, now: datetime) -> None:
    """The message left."""
    row = await session.get(OutboxMessage, message_id)
    if row is not None:
        row.status, row.sent_at, row.last_error_kind = OutboxStatus.SENT, now, None


async def mark_failed(
    session: AsyncSession,
    *,
    message_id: int,
    now: datetime,
    error_kind: str,
    permanent: bool = False,
) -> OutboxStatus | None:
    """A try failed: retry later (backoff) or give up; returns the row's new status."""
    row = await session.get(OutboxMessage, message_id)
    if row is None:
        return None
    row.last_error_kind = error_kind[:60]
    if permanent or row.attempts >= MAX_ATTEMPTS:
        row.status = OutboxStatus.FAILED
    else:
        row.not_before = now + backoff(row.attempts)
    return row.status


async def get_message(session: AsyncSession, *, key: str) -> OutboxMessage | None:
    """The message queued under ``key``, or None."""
    return await session.scalar(select(OutboxMessage).where(OutboxMessage.idempotency_key == key))


async def count_by_status(session: AsyncSession) -> dict[OutboxStatus, int]:
    """How many messages are in each status (for the CLI and logs)."""
    rows = await session.execute(
        select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)
    )
    return {status: int(count) for status, count in rows}
