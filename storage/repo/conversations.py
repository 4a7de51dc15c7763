"""Where each person is in a conversation, stored as JSON so a restart resumes mid-flow."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from storage.db import AsyncSession
from storage.models import ConversationStateRow


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
