"""Conversation state: where a person is, stored as JSON so a restart resumes mid-flow."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field


class Frame(BaseModel):
    """A flow in progress: its current step and what it has collected so far."""

    flow: str
    step: str
    data: dict[str, Any] = Field(default_factory=dict)
    skipped: bool = False  # resumed past a free-text step whose answer went to safeguarding


class ConversationState(BaseModel):
    """The running flow, and flows interrupted by it (resumed in order when it ends)."""

    current: Frame | None = None
    interrupted: list[Frame] = Field(default_factory=list)

    @property
    def idle(self) -> bool:
        """True when no flow is running."""
        return self.current is None
