"""Non-urgent requests from a learner for someone at school to get in touch."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base
from storage.models.people import PERSON_FK
from storage.types import AwareDateTime


class ContactRequest(Base):
    """For the school's wellbeing lead; erased with the learner's data."""

    __tablename__ = "contact_requests"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    learner_ref: Mapped[str] = mapped_column(ForeignKey(PERSON_FK, ondelete="CASCADE"), index=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id", ondelete="CASCADE"), index=True)
    year_group: Mapped[int | None] = mapped_column(Integer, nullable=True)
    need: Mapped[str | None] = mapped_column(String(40), nullable=True)
    created_at: Mapped[datetime] = mapped_column(AwareDateTime())
    status: Mapped[str] = mapped_column(String(20), default="open")  # open | done
