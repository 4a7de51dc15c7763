"""Pseudonymous learners, their voice data, and the conversation state.

Voice data is keyed by ``learner_ref`` (a keyed hash), never by a channel id. The channel address
needed to reply lives in ``reply_addresses``, apart from voice data.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base
from storage.types import AwareDateTime

LEARNER_FK = "learners.ref"


class Learner(Base):
    __tablename__ = "learners"

    ref: Mapped[str] = mapped_column(String(64), primary_key=True)
    channel: Mapped[str] = mapped_column(String(30))
    language: Mapped[str | None] = mapped_column(String(2), nullable=True)
    school_id: Mapped[int | None] = mapped_column(
        ForeignKey("schools.id", ondelete="SET NULL"), nullable=True, index=True
    )
    year_group: Mapped[int | None] = mapped_column(Integer, nullable=True)
    stopped: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(AwareDateTime())


class ReplyAddress(Base):
    """Where to reach a learner; kept apart from voice data, erased with the learner."""

    __tablename__ = "reply_addresses"

    learner_ref: Mapped[str] = mapped_column(
        ForeignKey(LEARNER_FK, ondelete="CASCADE"), primary_key=True
    )
    channel: Mapped[str] = mapped_column(String(30), primary_key=True)
    chat_id: Mapped[str] = mapped_column(String(64))


class Checkin(Base):
    __tablename__ = "checkins"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    learner_ref: Mapped[str] = mapped_column(ForeignKey(LEARNER_FK, ondelete="CASCADE"), index=True)
    completed_at: Mapped[datetime] = mapped_column(AwareDateTime())
    comment: Mapped[str | None] = mapped_column(
        Text, nullable=True
    )  # optional free text, retained briefly


class CheckinAnswer(Base):
    __tablename__ = "checkin_answers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    checkin_id: Mapped[int] = mapped_column(
        ForeignKey("checkins.id", ondelete="CASCADE"), index=True
    )
    learner_ref: Mapped[str] = mapped_column(ForeignKey(LEARNER_FK, ondelete="CASCADE"), index=True)
    domain: Mapped[str] = mapped_column(String(20))  # P, E, R, M, A
    item_id: Mapped[str] = mapped_column(String(40))
    value: Mapped[int] = mapped_column(Integer)
    answered_at: Mapped[datetime] = mapped_column(AwareDateTime())


class MoodLog(Base):
    __tablename__ = "mood_logs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    learner_ref: Mapped[str] = mapped_column(ForeignKey(LEARNER_FK, ondelete="CASCADE"), index=True)
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
