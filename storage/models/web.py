"""The web chat's mailbox: what a learner's page shows, newest last.

A mailbox is named by an opaque key (a keyed hash of the device id), which is also the web
channel's reply address: the chat writes the learner's messages and Llais's replies into it, and a
sender for messages staff send later can append to it the same way. Rows hold free text, so they
are cleared after the retention period and when the learner erases their data or forgets the
device.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, CheckConstraint, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, one_of
from storage.types import AwareDateTime, EnumText


class Author(StrEnum):
    """Who wrote a mailbox message."""

    LEARNER = "learner"
    LLAIS = "llais"
    STAFF = "staff"


class WebMessage(Base):
    """One message in a web chat mailbox; ``buttons`` are rows of ``{label, payload}``."""

    __tablename__ = "web_messages"
    __table_args__ = (
        CheckConstraint(one_of("author", Author), name="author"),
        Index("ix_web_messages_mailbox_id", "mailbox", "id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    mailbox: Mapped[str] = mapped_column(String(64))
    author: Mapped[Author] = mapped_column(EnumText(Author, 10))
    text: Mapped[str] = mapped_column(Text)
    buttons: Mapped[list[list[dict[str, Any]]]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(AwareDateTime(), index=True)
