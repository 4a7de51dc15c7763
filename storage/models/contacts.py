"""Signposting data kept in the database: per-school contacts and directory imports."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from core.vocabulary import ContactRole
from storage.models.base import Base, one_of
from storage.types import AwareDateTime, EnumText


class SchoolContact(Base):
    """Someone in a school a learner can go to (DSL, wellbeing lead, counsellor, ELSA)."""

    __tablename__ = "school_contacts"
    __table_args__ = (CheckConstraint(one_of("role", ContactRole), name="role"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id", ondelete="CASCADE"), index=True)
    role: Mapped[ContactRole] = mapped_column(EnumText(ContactRole, 20))
    label: Mapped[str] = mapped_column(String(200))  # a name or "Mrs Jones, Year 9 office"
    label_cy: Mapped[str | None] = mapped_column(String(200), nullable=True)
    how_to_reach: Mapped[str] = mapped_column(String(500))
    how_to_reach_cy: Mapped[str | None] = mapped_column(String(500), nullable=True)
    when: Mapped[str | None] = mapped_column(Text, nullable=True)
    when_cy: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[datetime] = mapped_column(AwareDateTime())


class DirectoryImport(Base):
    """One validated directory document written by ``llais directory import``; the newest wins."""

    __tablename__ = "directory_imports"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    imported_at: Mapped[datetime] = mapped_column(AwareDateTime(), index=True)
    source: Mapped[str] = mapped_column(String(500))
    service_count: Mapped[int] = mapped_column(Integer)
    document: Mapped[dict[str, Any]] = mapped_column(JSON)
