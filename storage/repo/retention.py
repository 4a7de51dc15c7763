"""Free text is kept only as long as needed: check-in comments and mood notes are cleared after the
retention period (safeguarding records follow their own policy and are not touched here)."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select, update

from storage.db import AsyncSession
from storage.models import Checkin, ConversationStateRow, MoodLog


async def purge_free_text(session: AsyncSession, *, now: datetime, days: int) -> int:
    """Clear comments and notes older than ``days``; returns how many were cleared."""
    cutoff = now - timedelta(days=days)
    # rows another worker is clearing now are skipped (SKIP LOCKED on PostgreSQL), not waited for
    checkins = (
        select(Checkin.id)
        .where(Checkin.completed_at < cutoff, Checkin.comment.is_not(None))
        .with_for_update(skip_locked=True)
    )
    moods = (
        select(MoodLog.id)
        .where(MoodLog.logged_at < cutoff, MoodLog.note.is_not(None))
        .with_for_update(skip_locked=True)
    )
    comments = await session.execute(
        update(Checkin).where(Checkin.id.in_(checkins.scalar_subquery())).values(comment=None)
    )
    notes = await session.execute(
        update(MoodLog).where(MoodLog.id.in_(moods.scalar_subquery())).values(note=None)
    )
    return int(getattr(comments, "rowcount", 0) or 0) + int(getattr(notes, "rowcount", 0) or 0)


async def purge_recent_messages(session: AsyncSession, *, before: datetime) -> int:
    """Drop the recent messages (read as context) from states last used before ``before``."""
    rows = await session.scalars(
        select(ConversationStateRow).where(ConversationStateRow.updated_at < before)
    )
    cleared = 0
    for row in rows:
        if row.state.get("recent"):
            row.state = {**row.state, "recent": []}  # a new dict: the JSON column changes
            cleared += 1
    return cleared
