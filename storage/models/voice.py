"""Learner voice, both ways: check-in invitation schedules and opt-ins, polls and their answers,
"you said, we did" posts, and the campaigns planned. A campaign's messages go through the one
outbox (``storage.models.outbox``) under the idempotency key ``<campaign>:<learner>``, so
planning twice, retrying or restarting never queues a second message.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base
from storage.models.people import PERSON_FK
from storage.types import AwareDateTime


class InviteSchedule(Base):
    """When a school's learners are invited to check in: weekdays, a local time, year groups."""

    __tablename__ = "invite_schedules"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id", ondelete="CASCADE"), index=True)
    weekdays: Mapped[list[int]] = mapped_column(JSON)  # 0 = Monday .. 6 = Sunday
    at_time: Mapped[str] = mapped_column(String(5))  # "10:30", local time
    window_minutes: Mapped[int] = mapped_column(Integer)
    year_groups: Mapped[list[int]] = mapped_column(JSON)  # empty: every year group
    until: Mapped[date] = mapped_column(Date)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(AwareDateTime())


class SchoolCalendar(Base):
    """A school's own term calendar (the authority's default applies without one)."""

    __tablename__ = "school_calendars"

    school_id: Mapped[int] = mapped_column(
        ForeignKey("schools.id", ondelete="CASCADE"), primary_key=True
    )
    document: Mapped[dict[str, Any]] = mapped_column(JSON)
    source: Mapped[str] = mapped_column(String(500))
    updated_at: Mapped[datetime] = mapped_column(AwareDateTime())


class InvitationOptIn(Base):
    """A learner who asked for check-in invitations (off by default); erased with them."""

    __tablename__ = "invitation_optins"

    person_ref: Mapped[str] = mapped_column(
        ForeignKey(PERSON_FK, ondelete="CASCADE"), primary_key=True
    )
    opted_in_at: Mapped[datetime] = mapped_column(AwareDateTime())


class Poll(Base):
    """A poll as data (its validated definition), targeted at schools and year groups."""

    __tablename__ = "polls"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    definition: Mapped[dict[str, Any]] = mapped_column(JSON)
    school_ids: Mapped[list[int]] = mapped_column(JSON)
    year_groups: Mapped[list[int]] = mapped_column(JSON)  # empty: every year group
    opens_at: Mapped[datetime] = mapped_column(AwareDateTime())
    closes_at: Mapped[datetime] = mapped_column(AwareDateTime(), index=True)
    min_answers: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(AwareDateTime())
    # set when the results were worked out after closing (and sent, when the threshold was met)
    results_at: Mapped[datetime | None] = mapped_column(AwareDateTime(), nullable=True)
    results: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)


class PollAnswer(Base):
    """One learner's answer to one question; a free-text answer keeps only its theme."""

    __tablename__ = "poll_answers"
    __table_args__ = (
        UniqueConstraint("poll_id", "person_ref", "question_id", name="uq_poll_answers_once"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    poll_id: Mapped[int] = mapped_column(ForeignKey("polls.id", ondelete="CASCADE"), index=True)
    person_ref: Mapped[str] = mapped_column(ForeignKey(PERSON_FK, ondelete="CASCADE"), index=True)
    school_id: Mapped[int | None] = mapped_column(
        ForeignKey("schools.id", ondelete="SET NULL"), nullable=True
    )
    year_group: Mapped[int | None] = mapped_column(Integer, nullable=True)
    question_id: Mapped[str] = mapped_column(String(40))
    value: Mapped[str | None] = mapped_column(String(40), nullable=True)  # option id or scale value
    # a free-text answer is kept only until the poll closes, then replaced by its theme
    text: Mapped[str | None] = mapped_column(Text, nullable=True)
    theme: Mapped[str | None] = mapped_column(String(40), nullable=True)
    answered_at: Mapped[datetime] = mapped_column(AwareDateTime())


class Announcement(Base):
    """A "you said, we did" post: what a school changed, linked to a poll or a theme."""

    __tablename__ = "announcements"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id", ondelete="CASCADE"), index=True)
    text_en: Mapped[str] = mapped_column(Text)
    text_cy: Mapped[str] = mapped_column(Text)
    poll_id: Mapped[int | None] = mapped_column(
        ForeignKey("polls.id", ondelete="SET NULL"), nullable=True
    )
    theme: Mapped[str | None] = mapped_column(String(40), nullable=True)
    posted_at: Mapped[datetime] = mapped_column(AwareDateTime(), index=True)


class Campaign(Base):
    """A campaign planned once (a window's invitations, a poll, its results, a post); its
    messages are in the outbox, each under the key ``<campaign>:<learner>``."""

    __tablename__ = "campaigns"

    key: Mapped[str] = mapped_column(String(60), primary_key=True)  # e.g. "invite:3:2026-11-26"
    planned_at: Mapped[datetime] = mapped_column(AwareDateTime())
    queued: Mapped[int] = mapped_column(Integer)
