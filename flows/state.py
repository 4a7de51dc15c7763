"""Conversation state: where a person is, stored as JSON so a restart resumes mid-flow.

What the engine and the actions own is typed: the scale answers and which rotated item each
scale step showed, the safety context of a concern, and what actions found out for later steps.
``data`` holds only what flow files ``store`` and display values for say-templates.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from core.vocabulary import Category, RiskLevel, SafeNow
from flows.effects import CheckinItem

DATA_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SafetyContext(_Strict):
    """The concern a safety flow is answering, and what the person has said about it since."""

    alert_id: str | None = None  # the learner's alert (a member of staff's concern has none)
    level: RiskLevel
    categories: tuple[Category, ...] = ()
    about_other: bool = False
    safe_now: SafeNow | None = None
    wants_contact: bool | None = None


class Findings(_Strict):
    """What actions found out, for later steps of the same conversation."""

    low: bool = False  # the check-in or mood just saved counts as low
    safeguarding_records: int = 0  # /mydata: safeguarding records held about the learner


class Frame(_Strict):
    """A flow in progress: its current step and what it has collected so far."""

    flow: str
    step: str
    data: dict[str, Any] = Field(default_factory=dict)
    answers: list[CheckinItem] = Field(default_factory=list)  # scale answers, in order
    items: dict[str, str] = Field(default_factory=dict)  # scale step -> the item it showed
    safety: SafetyContext | None = None
    found: Findings = Field(default_factory=Findings)
    skipped: bool = False  # resumed past a free-text step whose answer went to safeguarding

    @field_validator("data")
    @classmethod
    def _flow_names_only(cls, data: dict[str, Any]) -> dict[str, Any]:
        odd = [key for key in data if not DATA_NAME.match(key)]
        if odd:
            raise ValueError(f"{len(odd)} key(s) that are not flow data names")
        return data


class RecentText(_Strict):
    """One of the learner's last messages, read with the next so a split disclosure is seen
    whole. Kept only here (never logged), dropped when the session expires or data is erased."""

    text: str
    at: datetime


class ConversationState(_Strict):
    """The running flow, flows interrupted by it (resumed in order when it ends), and the
    person's last few messages of this session."""

    current: Frame | None = None
    interrupted: list[Frame] = Field(default_factory=list)
    recent: list[RecentText] = Field(default_factory=list)

    @property
    def idle(self) -> bool:
        """True when no flow is running."""
        return self.current is None
