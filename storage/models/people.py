"""People (learners and staff, pseudonymous), their check-ins and moods, where to reach them, and
where they are in a conversation.

Voice data is keyed by ``person_ref`` (a keyed hash of channel and channel user id), never by a
channel id. The address needed to reply lives in ``reply_addresses``, apart from voice data; a
member of staff keeps one only while in a role that receives safeguarding alerts.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, CheckConstraint, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from core.vocabulary import Audience, Language, SpiceWell, StaffRole
from storage.models.base import Base, one_of
from storage.types import AwareDateTime, EnumText

PERSON_FK = "people.ref"


class Person(Base):
    """A learner or a member of staff; ``role`` (staff only) says whether alerts reach them."""

    __tablename__ = "people"
    __table_args__ = (
        CheckConstraint(one_of("audience", Audience), name="audience"),
        CheckConstraint(one_of("role", StaffRole), name="role"),
        CheckConstraint(
            f"(audience = '{Audience.STAFF.value}' AND role IS NOT NULL)"
            f" OR (audience = '{Audience.LEARNER.value}' AND role IS NULL)",
            name="role_for_staff",
        ),
    )

    ref: Mapped[str] = mapped_column(String(64), primary_key=True)
    audience: Mapped[Audience] = mapped_column(EnumText(Audience, 10))
    channel: Mapped[str] = mapped_column(String(30))
    language: Mapped[Language | None] = mapped_column(EnumText(Language, 2), nullable=True)
    school_id: Mapped[int | None] = mapped_column(
        ForeignKey("schools.id", ondelete="SET NULL"), nullable=True, index=True
    )
    year_group: Mapped[int | None] = mapped_column(Integer, nullable=True)  # learners
    role: Mapped[StaffRole | None] = mapped_column(EnumText(StaffRole, 20), nullable=True)
    stopped: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(AwareDateTime())
    linked_at: Mapped[datetime | None] = mapped_column(AwareDateTime(), nullable=True)  # staff
    # wrong enrolment or invitation codes in a row, and until when codes are refused
    code_failures: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    code_blocked_until: Mapped[datetime | None] = mapped_column(AwareDateTime(), nullable=True)


class ReplyAddress(Base):
    """Where to reach a person on a channel; kept apart from voice data, erased with them."""

    __tablename__ = "reply_addresses"

    person_ref: Mapped[str] = mapped_column(
        ForeignKey(PERSON_FK, ondelete="CASCADE"), primary_key=True
    )
    channel: Mapped[str] = mapped_column(String(30), primary_key=True)
    chat_id: Mapped[str] = mapped_column(String(64))


class Checkin(Base):
    """One check-in (PERMA for learners, CARI and SPICE for staff) and the school at the time."""

    __tablename__ = "checkins"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_ref: Mapped[str] = mapped_column(ForeignKey(PERSON_FK, ondelete="CASCADE"), index=True)
    audience: Mapped[Audience] = mapped_column(EnumText(Audience, 10))
    school_id: Mapped[int | None] = mapped_column(
        ForeignKey("schools.id", ondelete="SET NULL"), nullable=True, index=True
    )
    completed_at: Mapped[datetime] = mapped_column(AwareDateTime(), index=True)
    # optional free text (learners), retained briefly
    comment: Mapped[str | None] = mapped_column(Text, nullable=True)
    # the SPICE well that feels lowest (staff)
    lowest_well: Mapped[SpiceWell | None] = mapped_column(EnumText(SpiceWell, 20), nullable=True)


class CheckinAnswer(Base):
    """One rating in a check-in: its domain (P, E, R, M, A; mental, physical...) and item."""

    __tablename__ = "checkin_answers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    checkin_id: Mapped[int] = mapped_column(
        ForeignKey("checkins.id", ondelete="CASCADE"), index=True
    )
    person_ref: Mapped[str] = mapped_column(ForeignKey(PERSON_FK, ondelete="CASCADE"), index=True)
    domain: Mapped[str] = mapped_column(String(20))
    item_id: Mapped[str] = mapped_column(String(40))
    value: Mapped[int] = mapped_column(Integer)
    answered_at: Mapped[datetime] = mapped_column(AwareDateTime())


class MoodLog(Base):
    """A learner's mood, its reasons and an optional note."""

    __tablename__ = "mood_logs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    learner_ref: Mapped[str] = mapped_column(ForeignKey(PERSON_FK, ondelete="CASCADE"), index=True)
    score: Mapped[int] = mapped_column(Integer)  # 1 (lowest) .. 5
    tags: Mapped[list[str]] = mapped_column(JSON, default=list)
    note: Mapped[str | None] = mapped_column(Text, nullable=True)
    logged_at: Mapped[datetime] = mapped_column(AwareDateTime())


class ConversationStateRow(Base):
    """Where a person is in a conversation, so a restart resumes mid-flow."""

    __tablename__ = "conversation_states"

    person_ref: Mapped[str] = mapped_column(String(64), primary_key=True)
    state: Mapped[dict[str, Any]] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(AwareDateTime())
