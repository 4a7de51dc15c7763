"""The outbox: every message Llais sends to a person outside the turn that answers them.

A row says who (a person and the channel whose reply address to use), what (a catalogue key
with its parameters, or stored text, rendered in the person's language when it leaves), how
urgent (priority) and where it is (pending, sent, failed; attempts and when to try next).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from core.vocabulary import Audience, OutboxStatus
from storage.models.base import Base, one_of
from storage.models.people import PERSON_FK
from storage.types import AwareDateTime, EnumText


class OutboxMessage(Base):
    """One message to one person; erased with the person (it may carry their words)."""

    __tablename__ = "outbox"
    __table_args__ = (
        CheckConstraint(one_of("status", OutboxStatus), name="status"),
        CheckConstraint(one_of("audience", Audience), name="audience"),
        CheckConstraint("priority BETWEEN 0 AND 9", name="priority"),
        Index("ix_outbox_due", "status", "priority", "not_before"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    idempotency_key: Mapped[str] = mapped_column(String(160), unique=True)
    person_ref: Mapped[str] = mapped_column(ForeignKey(PERSON_FK, ondelete="CASCADE"), index=True)
    audience: Mapped[Audience] = mapped_column(EnumText(Audience, 10))
    channel: Mapped[str] = mapped_column(String(30))
    priority: Mapped[int] = mapped_column(Integer)
    # {"key": "staff.x", "params": {...}} or {"text": "..."}; buttons: rows of {key|label, payload}
    message: Mapped[dict[str, Any]] = mapped_column(JSON)
    buttons: Mapped[list[list[dict[str, str]]]] = mapped_column(JSON, default=list)
    text: Mapped[str | None] = mapped_column(Text, nullable=True)  # typed by a person
    status: Mapped[OutboxStatus] = mapped_column(
        EnumText(OutboxStatus, 10), default=OutboxStatus.PENDING
    )
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    not_before: Mapped[datetime] = mapped_column(AwareDateTime())
    created_at: Mapped[datetime] = mapped_column(AwareDateTime())
    sent_at: Mapped[datetime | None] = mapped_column(AwareDateTime(), nullable=True)
    last_error_kind: Mapped[str | None] = mapped_column(String(60), nullable=True)
