"""Pseudonymous learners, their voice data and conversation state."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select

from core.thresholds import checkin_mean_is_low, mood_is_low
from storage.db import AsyncSession
from storage.models import (
    Checkin,
    CheckinAnswer,
    ContactRequest,
    ConversationStateRow,
    Learner,
    MoodLog,
    ReplyAddress,
    SafeguardingAlert,
)


async def get_learner(session: AsyncSession, *, ref: str) -> Learner | None:
    """The learner with this reference, or None."""
    return await session.get(Learner, ref)


async def create_learner(
    session: AsyncSession, *, ref: str, channel: str, now: datetime
) -> Learner:
    """Record a new pseudonymous learner."""
    learner = Learner(ref=ref, channel=channel, created_at=now, stopped=False)
    session.add(learner)
    await session.flush()
    return learner


async def save_reply_address(
    session: AsyncSession, *, ref: str, channel: str, chat_id: str
) -> None:
    """Remember where to reach the learner on a channel (kept apart from voice data)."""
    address = await session.get(ReplyAddress, (ref, channel))
    if address is None:
        session.add(ReplyAddress(learner_ref=ref, channel=channel, chat_id=chat_id))
    elif address.chat_id != chat_id:
        address.chat_id = chat_id


async def load_state(session: AsyncSession, *, ref: str) -> dict[str, Any] | None:
    """The stored conversation state, or None."""
    row = await session.get(ConversationStateRow, ref)
    return dict(row.state) if row else None


async def save_state(
    session: AsyncSession, *, ref: str, state: dict[str, Any], now: datetime
) -> None:
    """Store the conversation state."""
    row = await session.get(ConversationStateRow, ref)
    if row is None:
        session.add(ConversationStateRow(person_ref=ref, state=state, updated_at=now))
    else:
        row.state = state
        row.updated_at = now


async def checkin_count(session: AsyncSession, *, ref: str) -> int:
    """How many check-ins the learner has completed."""
    count = await session.scalar(select(func.count()).where(Checkin.learner_ref == ref))
    return int(count or 0)


async def my_data(session: AsyncSession, *, ref: str) -> dict[str, int]:
    """Counts of what is stored about the learner."""
    checkins = await checkin_count(session, ref=ref)
    moods = await session.scalar(select(func.count()).where(MoodLog.learner_ref == ref))
    comments = await session.scalar(
        select(func.count()).where(Checkin.learner_ref == ref, Checkin.comment.is_not(None))
    )
    notes = await session.scalar(
        select(func.count()).where(MoodLog.learner_ref == ref, MoodLog.note.is_not(None))
    )
    alerts = await session.scalar(select(func.count()).where(SafeguardingAlert.learner_ref == ref))
    return {
        "checkins": checkins,
        "moods": int(moods or 0),
        "notes": int(comments or 0) + int(notes or 0),
        "alerts": int(alerts or 0),
    }


async def low_streak(session: AsyncSession, *, ref: str, window: int = 10) -> int:
    """How many of the learner's latest check-ins and moods in a row were low."""
    moods = (
        await session.execute(
            select(MoodLog.logged_at, MoodLog.score)
            .where(MoodLog.learner_ref == ref)
            .order_by(MoodLog.logged_at.desc())
            .limit(window)
        )
    ).all()
    checkins = (
        await session.execute(
            select(Checkin.completed_at, func.avg(CheckinAnswer.value))
            .join(CheckinAnswer, CheckinAnswer.checkin_id == Checkin.id)
            .where(Checkin.learner_ref == ref)
            .group_by(Checkin.id, Checkin.completed_at)
            .order_by(Checkin.completed_at.desc())
            .limit(window)
        )
    ).all()
    events = sorted(
        [(at, mood_is_low(score)) for at, score in moods]
        + [(at, checkin_mean_is_low(float(mean))) for at, mean in checkins],
        key=lambda pair: pair[0],
        reverse=True,
    )
    streak = 0
    for _, low in events:
        if not low:
            break
        streak += 1
    return streak


async def erase_learner(session: AsyncSession, *, ref: str) -> None:
    """Erase the learner's voice data, state and reply addresses (cascades from the learner row)."""
    await session.execute(
        delete(ConversationStateRow).where(ConversationStateRow.person_ref == ref)
    )
    await session.execute(delete(CheckinAnswer).where(CheckinAnswer.learner_ref == ref))
    await session.execute(delete(Checkin).where(Checkin.learner_ref == ref))
    await session.execute(delete(MoodLog).where(MoodLog.learner_ref == ref))
    await session.execute(delete(ContactRequest).where(ContactRequest.learner_ref == ref))
    await session.execute(delete(ReplyAddress).where(ReplyAddress.learner_ref == ref))
    await session.execute(delete(Learner).where(Learner.ref == ref))
