"""Channel updates already applied, so a re-delivered one (a webhook retried after a crash, a
long poll that was never confirmed) is recognised and not applied twice."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base
from storage.types import AwareDateTime


class ProcessedUpdate(Base):
    """One update a turn committed, keyed by channel and the channel's update id (no content)."""

    __tablename__ = "processed_updates"

    key: Mapped[str] = mapped_column(String(80), primary_key=True)  # e.g. "telegram:1234"
    processed_at: Mapped[datetime] = mapped_column(AwareDateTime(), index=True)
