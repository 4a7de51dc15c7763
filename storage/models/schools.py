"""Schools and the enrolment codes that place a person in a school (and year group)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String, false
from sqlalchemy.orm import Mapped, mapped_column

from core.vocabulary import CodeKind
from storage.models.base import Base
from storage.types import AwareDateTime, EnumText


class School(Base):
    __tablename__ = "schools"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    name_cy: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(AwareDateTime())
    # what the authority calls the school on the command line (``--school ABC``)
    code_prefix: Mapped[str | None] = mapped_column(String(12), unique=True, nullable=True)


class EnrolmentCode(Base):
    """A code a learner (or member of staff, or DSL) types to join a school."""

    __tablename__ = "enrolment_codes"

    code: Mapped[str] = mapped_column(String(40), primary_key=True)  # stored upper-case
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id", ondelete="CASCADE"), index=True)
    kind: Mapped[CodeKind] = mapped_column(EnumText(CodeKind, 20), default=CodeKind.LEARNER)
    year_group: Mapped[int | None] = mapped_column(Integer, nullable=True)  # 7..13 for learners
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # an invitation: spent on first use (by ``used_by``), refused after ``expires_at``
    single_use: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    expires_at: Mapped[datetime | None] = mapped_column(AwareDateTime(), nullable=True)
    used_at: Mapped[datetime | None] = mapped_column(AwareDateTime(), nullable=True)
    used_by: Mapped[str | None] = mapped_column(String(64), nullable=True)
    created_at: Mapped[datetime | None] = mapped_column(AwareDateTime(), nullable=True)

    def usable(self, *, by: str, now: datetime) -> bool:
        """Active, not expired, and not spent by someone else."""
        if not self.active or (self.expires_at is not None and self.expires_at <= now):
            return False
        return not (self.single_use and self.used_at is not None and self.used_by != by)
