"""Pseudonymous staff, their check-ins, and safeguarding alert deliveries to DSLs.

Staff voice data (check-ins) is keyed by ``staff_ref`` (a keyed hash), never by a channel id. The
chat id needed to deliver alerts to a DSL lives in ``staff_addresses``, apart from voice data.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base
from storage.types import AwareDateTime

STAFF_FK = "staff_members.ref"
STAFF_ROLES = ("staff", "dsl", "deputy_dsl", "authority")


class StaffMember(Base):
    """A member of staff on the staff bot; ``role`` says whether alerts reach them."""

    __tablename__ = "staff_members"
    __table_args__ = (
        CheckConstraint("role IN ('staff', 'dsl', 'deputy_dsl', 'authority')", name="role"),
    )

    ref: Mapped[str] = mapped_column(String(64), primary_key=True)
    channel: Mapped[str] = mapped_column(String(30))
    language: Mapped[str | None] = mapped_column(String(2), nullable=True)
    school_id: Mapped[int | None] = mapped_column(
        ForeignKey("schools.id", ondelete="SET NULL"), nullable=True, index=True
    )
    role: Mapped[str] = mapped_column(String(20), default="staff")
    linked_at: Mapped[datetime | None] = mapped_column(AwareDateTime(), nullable=True)
    created_at: Mapped[datetime] = mapped_column(AwareDateTime())


class StaffAddress(Base):
    """Where to reach a member of staff (kept apart from voice data; erased with them)."""

    __tablename__ = "staff_addresses"

    staff_ref: Mapped[str] = mapped_column(
        ForeignKey(STAFF_FK, ondelete="CASCADE"), primary_key=True
    )
    channel: Mapped[str] = mapped_column(String(30))
    chat_id: Mapped[str] = mapped_column(String(64))


class StaffCheckin(Base):
    """One staff check-in: CARI pillar answers, and the SPICE well that feels lowest."""

    __tablename__ = "staff_checkins"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    staff_ref: Mapped[str] = mapped_column(ForeignKey(STAFF_FK, ondelete="CASCADE"), index=True)
    school_id: Mapped[int | None] = mapped_column(
        ForeignKey("schools.id", ondelete="SET NULL"), nullable=True, index=True
    )
    lowest_well: Mapped[str | None] = mapped_column(String(20), nullable=True)
    completed_at: Mapped[datetime] = mapped_column(AwareDateTime(), index=True)


class StaffCheckinAnswer(Base):
    """One pillar rating in a staff check-in."""

    __tablename__ = "staff_checkin_answers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    checkin_id: Mapped[int] = mapped_column(
        ForeignKey("staff_checkins.id", ondelete="CASCADE"), index=True
    )
    staff_ref: Mapped[str] = mapped_column(ForeignKey(STAFF_FK, ondelete="CASCADE"), index=True)
    domain: Mapped[str] = mapped_column(String(20))  # mental, physical, social, financial
    item_id: Mapped[str] = mapped_column(String(40))
    value: Mapped[int] = mapped_column(Integer)
    answered_at: Mapped[datetime] = mapped_column(AwareDateTime())


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
    role: Mapped[str] = mapped_column(String(20))
    step: Mapped[int] = mapped_column(Integer)
    digest: Mapped[str] = mapped_column(String(16))  # what was shown (level, answers), hashed
    sent_at: Mapped[datetime] = mapped_column(AwareDateTime())
    # set once the recipient knows the alert was acknowledged (by them, or told it was)
    closed_at: Mapped[datetime | None] = mapped_column(AwareDateTime(), nullable=True)
