"""Receipts of alert messages that were sent but could not be recorded.

The dispatcher sends an alert message while it holds the alert's row, then records it in the same
transaction. If the database goes away between the two (the send reached Telegram, the commit did
not reach PostgreSQL), nothing in the database says the message went, and the next run would send
it again. So the dispatcher first writes a receipt to local disk (beside the spool, 0600, whole
or not at all) and every run, in any process on this machine, records the receipts it finds
before it claims anything. A receipt holds references, a step and a digest: no alert text.

What it cannot cover: a process killed during the send itself (it never learns whether the send
arrived: the alert is sent again, a repeat rather than a loss), and workers on another machine,
which do not see this machine's receipts (they may send once more before this machine's workers
record it).
"""

from __future__ import annotations

import contextlib
import json
import uuid
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from pydantic import AwareDatetime, BaseModel, ConfigDict

from core.vocabulary import Language, StaffRole
from llais.spool import write_durably
from storage.db import AsyncSession
from storage.repo import alerts as repo
from storage.repo.alerts import Recipient

DIRECTORY = "receipts"  # under the spool directory
SUFFIX = ".json"


class Receipt(BaseModel):
    """One message that reached its recipient: what ``_record`` would have written."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    alert_id: str
    recipient_ref: str
    role: StaffRole
    school_id: int | None
    chat_id: str
    language: Language | None
    step: int
    digest: str | None  # None: the notice that someone else acknowledged it
    sent_at: AwareDatetime

    @classmethod
    def of(
        cls, alert_id: str, recipient: Recipient, *, step: int, digest: str | None, now: datetime
    ) -> Receipt:
        """The receipt of ``recipient``'s message about ``alert_id``."""
        return cls(
            alert_id=alert_id,
            recipient_ref=recipient.ref,
            role=recipient.role,
            school_id=recipient.school_id,
            chat_id=recipient.chat_id,
            language=recipient.language,
            step=step,
            digest=digest,
            sent_at=now,
        )

    @property
    def recipient(self) -> Recipient:
        return Recipient(self.recipient_ref, self.role, self.school_id, self.chat_id, self.language)

    async def record(self, session: AsyncSession) -> None:
        """Record the message as delivered (idempotent: a receipt whose lost commit did land updates
        the same row)."""
        if self.digest is None:
            await repo.close_deliveries(
                session, alert_id=self.alert_id, recipient_ref=self.recipient_ref, now=self.sent_at
            )
        else:
            await repo.record_delivery(
                session,
                alert_id=self.alert_id,
                recipient=self.recipient,
                step=self.step,
                digest=self.digest,
                now=self.sent_at,
            )


@dataclass(frozen=True)
class Receipts:
    """The receipts directory of one machine's spool."""

    directory: Path

    @classmethod
    def beside(cls, spool_dir: Path) -> Receipts:
        return cls(spool_dir / DIRECTORY)

    def keep(self, receipt: Receipt) -> Path:
        """Write ``receipt`` durably; raises ``OSError`` when the disk fails too."""
        self.directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        name = f"{receipt.sent_at.timestamp():017.6f}-{uuid.uuid4().hex}{SUFFIX}"
        return write_durably(self.directory, name, receipt.model_dump_json().encode("utf-8"))

    def pending(self) -> list[tuple[Path, Receipt]]:
        """Every receipt not yet recorded, oldest first (unreadable ones stay for an operator)."""
        if not self.directory.is_dir():
            return []
        found = []
        for path in sorted(self.directory.glob(f"*{SUFFIX}")):
            with contextlib.suppress(OSError, ValueError):  # vanished, or torn by a disk fault
                found.append((path, Receipt.model_validate(json.loads(path.read_text("utf-8")))))
        return found

    def remove(self, path: Path) -> None:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
