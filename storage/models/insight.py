"""The insight dashboard: accounts, their sign-in sessions, an audit log without personal data,
and intervention groups (a group has its own enrolment code; learners who enter it join)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from core.access import DashboardRole
from storage.models.base import Base, one_of
from storage.models.people import PERSON_FK
from storage.types import AwareDateTime, EnumText


class DashboardUser(Base):
    """An officer, school lead or DSL who signs in to the dashboard (argon2 password hash)."""

    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint(one_of("role", DashboardRole), name="role"),
        CheckConstraint(
            "(role = 'officer' AND school_id IS NULL)"
            " OR (role <> 'officer' AND school_id IS NOT NULL)",
            name="school_for_role",
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    role: Mapped[DashboardRole] = mapped_column(EnumText(DashboardRole, 20))
    school_id: Mapped[int | None] = mapped_column(
        ForeignKey("schools.id", ondelete="CASCADE"), nullable=True, index=True
    )
    password_hash: Mapped[str] = mapped_column(String(200))
    failed_attempts: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(AwareDateTime(), nullable=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(AwareDateTime())


class DashboardSession(Base):
    """A signed-in browser: only a hash of the cookie's token is stored."""

    __tablename__ = "user_sessions"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(AwareDateTime())
    expires_at: Mapped[datetime] = mapped_column(AwareDateTime())


class DashboardEvent(Base):
    """A sign-in, sign-out or export: the role, school and what, never who."""

    __tablename__ = "dashboard_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(AwareDateTime(), index=True)
    # sign_in, sign_in_failed, sign_in_locked, locked, sign_out, export
    event: Mapped[str] = mapped_column(String(30))
    role: Mapped[str | None] = mapped_column(String(20), nullable=True)
    school_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    subject: Mapped[str | None] = mapped_column(String(80), nullable=True)  # view and period


class InterventionGroup(Base):
    """A school's group (e.g. "ELSA Year 8 spring") with its own learner enrolment code."""

    __tablename__ = "intervention_groups"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(40))  # the intervention type: elsa, nurture, ...
    code: Mapped[str] = mapped_column(
        ForeignKey("enrolment_codes.code", ondelete="CASCADE"), unique=True
    )
    pre_period: Mapped[str] = mapped_column(String(40))  # fixed period ids (periods.py)
    post_period: Mapped[str] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(AwareDateTime())


class GroupMember(Base):
    """A learner who entered a group's code; erased with the learner."""

    __tablename__ = "group_members"

    group_id: Mapped[int] = mapped_column(
        ForeignKey("intervention_groups.id", ondelete="CASCADE"), primary_key=True
    )
    person_ref: Mapped[str] = mapped_column(
        ForeignKey(PERSON_FK, ondelete="CASCADE"), primary_key=True, index=True
    )
    joined_at: Mapped[datetime] = mapped_column(AwareDateTime())
