"""Safeguarding alerts: written in the same transaction as the message that raised them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base
from storage.types import AwareDateTime


class SafeguardingAlert(Base):
    """A concern for a school's DSL (or the authority's contact when there is no school).

    Not erased with the learner's data: safeguarding records follow their own retention policy.
    """

    __tablename__ = "safeguarding_alerts"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    learner_ref: Mapped[str] = mapped_column(String(64), index=True)
    school_id: Mapped[int | None] = mapped_column(
        ForeignKey("schools.id", ondelete="SET NULL"), nullable=True, index=True
    )
    year_group: Mapped[int | None] = mapped_column(Integer, nullable=True)
    level: Mapped[str] = mapped_column(String(10))
    categories: Mapped[list[str]] = mapped_column(JSON, default=list)
    cues: Mapped[list[str]] = mapped_column(JSON, default=list)
    excerpt: Mapped[str] = mapped_column(Text)
    channel: Mapped[str] = mapped_column(String(30))
    contact_requested: Mapped[bool] = mapped_column(Boolean, default=False)
    safe_now: Mapped[str | None] = mapped_column(String(10), nullable=True)  # yes | no | unsure
    created_at: Mapped[datetime] = mapped_column(AwareDateTime(), index=True)
    status: Mapped[str] = mapped_column(String(20), default="open")  # open | acknowledged
    acknowledged_at: Mapped[datetime | None] = mapped_column(AwareDateTime(), nullable=True)
    acknowledged_by: Mapped[str | None] = mapped_column(String(64), nullable=True)
    escalation_step: Mapped[int] = mapped_column(Integer, default=0)
    next_escalation_at: Mapped[datetime | None] = mapped_column(AwareDateTime(), nullable=True)
