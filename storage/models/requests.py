"""Requests from a learner for someone at school to get in touch, and the messages between the
school and the learner that follow (for a request, or for a safeguarding alert)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column

from core.vocabulary import MessageDirection, RequestStatus
from storage.models.base import Base
from storage.models.people import PERSON_FK
from storage.types import AwareDateTime, EnumText


class ContactRequest(Base):
    """For the school's wellbeing lead (or its DSLs); erased with the learner's data.

    How to be found is the learner's choice: a first name and form (shown only to the member of
    staff who receives it), or ``reply_here`` (answered through Llais, the account never shown).
    """

    __tablename__ = "contact_requests"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    learner_ref: Mapped[str] = mapped_column(ForeignKey(PERSON_FK, ondelete="CASCADE"), index=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id", ondelete="CASCADE"), index=True)
    year_group: Mapped[int | None] = mapped_column(Integer, nullable=True)
    need: Mapped[str | None] = mapped_column(String(40), nullable=True)
    created_at: Mapped[datetime] = mapped_column(AwareDateTime())
    status: Mapped[RequestStatus] = mapped_column(
        EnumText(RequestStatus, 20), default=RequestStatus.OPEN
    )
    channel: Mapped[str | None] = mapped_column(String(30), nullable=True)  # to answer on
    first_name: Mapped[str | None] = mapped_column(String(60), nullable=True)
    form: Mapped[str | None] = mapped_column(String(30), nullable=True)
    reply_here: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    taken_by: Mapped[str | None] = mapped_column(String(64), nullable=True)
    taken_at: Mapped[datetime | None] = mapped_column(AwareDateTime(), nullable=True)
    step: Mapped[int] = mapped_column(Integer, default=0, server_default="0")  # 1: re-sent
    next_step_at: Mapped[datetime | None] = mapped_column(AwareDateTime(), nullable=True)


class SchoolMessage(Base):
    """A message between a member of staff and a learner, kept with its request or alert."""

    __tablename__ = "school_messages"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    request_id: Mapped[int | None] = mapped_column(
        ForeignKey("contact_requests.id", ondelete="CASCADE"), nullable=True, index=True
    )
    # kept with the safeguarding record when the learner erases their data
    alert_id: Mapped[str | None] = mapped_column(
        ForeignKey("safeguarding_alerts.id"), nullable=True, index=True
    )
    learner_ref: Mapped[str] = mapped_column(String(64), index=True)
    staff_ref: Mapped[str] = mapped_column(String(64))
    direction: Mapped[MessageDirection] = mapped_column(EnumText(MessageDirection, 10))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(AwareDateTime())
