"""Safeguarding alerts (written in the same transaction as the message that raised them) and the
log of their delivery to safeguarding leads."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from core.vocabulary import AlertEventKind, AlertStatus, Category, RiskLevel, SafeNow, StaffRole
from storage.models.base import Base
from storage.types import AwareDateTime, CategoryList, EnumText, RiskLevelText


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
    level: Mapped[RiskLevel] = mapped_column(RiskLevelText())
    categories: Mapped[list[Category]] = mapped_column(CategoryList(), default=list)
    cues: Mapped[list[str]] = mapped_column(JSON, default=list)
    excerpt: Mapped[str] = mapped_column(Text)
    channel: Mapped[str] = mapped_column(String(30))
    contact_requested: Mapped[bool] = mapped_column(Boolean, default=False)
    safe_now: Mapped[SafeNow | None] = mapped_column(EnumText(SafeNow, 10), nullable=True)
    created_at: Mapped[datetime] = mapped_column(AwareDateTime(), index=True)
    status: Mapped[AlertStatus] = mapped_column(EnumText(AlertStatus, 20), default=AlertStatus.OPEN)
    acknowledged_at: Mapped[datetime | None] = mapped_column(AwareDateTime(), nullable=True)
    acknowledged_by: Mapped[str | None] = mapped_column(String(64), nullable=True)
    escalation_step: Mapped[int] = mapped_column(Integer, default=0)
    next_escalation_at: Mapped[datetime | None] = mapped_column(AwareDateTime(), nullable=True)


class AlertDelivery(Base):
    """An alert sent to one recipient at one escalation step (the delivery log; no text)."""

    __tablename__ = "alert_deliveries"
    __table_args__ = (
        UniqueConstraint("alert_id", "recipient_ref", "step", name="uq_alert_deliveries_once"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    alert_id: Mapped[str] = mapped_column(
        ForeignKey("safeguarding_alerts.id", ondelete="CASCADE"), index=True
    )
    recipient_ref: Mapped[str] = mapped_column(String(64), index=True)
    role: Mapped[StaffRole] = mapped_column(EnumText(StaffRole, 20))
    step: Mapped[int] = mapped_column(Integer)
    digest: Mapped[str] = mapped_column(String(16))  # what was shown (level, answers), hashed
    sent_at: Mapped[datetime] = mapped_column(AwareDateTime())
    # set once the recipient knows the alert was acknowledged (by them, or told it was)
    closed_at: Mapped[datetime | None] = mapped_column(AwareDateTime(), nullable=True)


class AlertEvent(Base):
    """One step in an alert's chronology: who, when, what (append-only: corrections are new
    entries; the database refuses UPDATE and DELETE on this table)."""

    __tablename__ = "alert_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    alert_id: Mapped[str] = mapped_column(ForeignKey("safeguarding_alerts.id"), index=True)
    at: Mapped[datetime] = mapped_column(AwareDateTime())
    by_ref: Mapped[str | None] = mapped_column(String(64), nullable=True)
    by_role: Mapped[StaffRole | None] = mapped_column(EnumText(StaffRole, 20), nullable=True)
    kind: Mapped[AlertEventKind] = mapped_column(EnumText(AlertEventKind, 20))
    detail: Mapped[str | None] = mapped_column(String(40), nullable=True)  # referral, reason
    note: Mapped[str | None] = mapped_column(Text, nullable=True)
