"""Messages kept on local disk while the database cannot be reached, until they can be applied.

One file per message in ``spool_dir`` (the directory 0700, each file 0600, written to a temporary
name, flushed to disk and renamed, so a crash leaves either the whole record or none). A file's
name orders it: the time it was kept, then the person's reference (so their pending messages are
found without reading any), then a random id. Records hold what the person sent, so nothing here
is ever logged but counts. A record is removed only once its turn is committed; it carries a
delivery key the turn records, so a record applied just before a crash is not applied again.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path

from pydantic import AwareDatetime, BaseModel, ConfigDict

from core.channel import Channel, Inbound, InboundKind

SUFFIX = ".json"
LOCK = ".lock"
FAILED = "failed"  # records that failed for another reason than an outage, kept for an operator
DISCARDED = "discarded.jsonl"  # in ``failed/``: one line per record an operator discarded (no text)
REF_CHARS = 16  # of the pseudonymous reference, in the file name


class Answered(StrEnum):
    """What the person was told when the message was kept."""

    CONCERN = "concern"  # care and the crisis contacts: the turn's own replies are not repeated
    KEPT = "kept"  # "kept, I'll answer when I'm back": the turn's replies follow later


class SpoolRecord(BaseModel):
    """One kept message (crossing to disk and back: validated on the way in)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    ref: str
    channel: Channel
    user_id: str
    chat_id: str
    kind: InboundKind
    at: AwareDatetime
    text: str = ""
    choice: str = ""
    command: str = ""
    delivery: str
    answered: Answered
    kept_at: AwareDatetime

    @classmethod
    def of(cls, inbound: Inbound, *, ref: str, answered: Answered, now: datetime) -> SpoolRecord:
        """The record for ``inbound``; its delivery key is the channel's, or a new one."""
        record_id = uuid.uuid4().hex
        return cls(
            id=record_id,
            ref=ref,
            channel=inbound.channel,
            user_id=inbound.user_id,
            chat_id=inbound.chat_id,
            kind=inbound.kind,
            at=inbound.at,
            text=inbound.text,
            choice=inbound.choice,
            command=inbound.command,
            delivery=inbound.delivery or f"spool:{record_id}",
            answered=answered,
            kept_at=now,
        )

    def inbound(self) -> Inbound:
        """The message as the channel delivered it, with the record's delivery key."""
        return Inbound(
            self.channel,
            self.user_id,
            self.chat_id,
            self.kind,
            self.at,
            text=self.text,
            choice=self.choice,
            command=self.command,
            delivery=self.delivery,
        )


class Spool:
    """The spool directory: keep, list in order, remove."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def _ensure(self) -> None:
        self.directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        os.chmod(self.directory, 0o700)

    def keep(self, record: SpoolRecord) -> Path:
        """Write ``record`` durably (0600) and return its file; raises ``OSError`` on failure."""
        self._ensure()
        name = f"{time.time_ns():020d}-{record.ref[:REF_CHARS]}-{record.id}{SUFFIX}"
        return write_durably(self.directory, name, record.model_dump_json().encode("utf-8"))

    def files(self) -> list[Path]:
        """Every kept record's file, oldest first."""
        if not self.directory.is_dir():
            return []
        return sorted(
            p for p in self.directory.iterdir() if p.suffix == SUFFIX and not p.name.startswith(".")
        )

    def __len__(self) -> int:
        return len(self.files())

    def pending_for(self, ref: str) -> bool:
        """Whether a message from this person waits (their next must wait behind it)."""
        if not self.directory.is_dir():
            return False
        part = f"-{ref[:REF_CHARS]}-"
        with os.scandir(self.directory) as entries:
            return any(part in e.name and e.name.endswith(SUFFIX) for e in entries)

    @staticmethod
    def read(path: Path) -> SpoolRecord:
        """The record in ``path``."""
        return SpoolRecord.model_validate(json.loads(path.read_text(encoding="utf-8")))

    def remove(self, path: Path) -> None:
        """Forget a record whose turn is committed."""
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
        _sync_directory(self.directory)

    def set_aside(self, path: Path) -> None:
        """Move a record that cannot be applied into ``failed/`` (still 0600, still on disk)."""
        aside = self.directory / FAILED
        aside.mkdir(mode=0o700, exist_ok=True)
        os.rename(path, aside / path.name)

    # ----- what an operator does with records set aside (``llais spool``) ---------------------
    def failed_files(self) -> list[Path]:
        """Every record set aside in ``failed/``, oldest first."""
        aside = self.directory / FAILED
        if not aside.is_dir():
            return []
        return sorted(p for p in aside.iterdir() if p.suffix == SUFFIX)

    def find_failed(self, record_id: str) -> Path | None:
        """The set-aside record with this id (the last part of its file name), or None."""
        found = [p for p in self.failed_files() if record_id_of(p) == record_id]
        return found[0] if len(found) == 1 and record_id else None

    def restore(self, path: Path) -> Path:
        """Put a set-aside record back in the spool under its own name, so the replay applies
        it in its original place in the order (behind nothing kept later by the same person)."""
        back = self.directory / path.name
        os.rename(path, back)
        _sync_directory(self.directory)
        return back

    def discard(self, path: Path, *, now: datetime) -> None:
        """Delete a set-aside record for good, recording its id, kind and times (never its text)
        in ``failed/discarded.jsonl`` first."""
        try:
            record: SpoolRecord | None = self.read(path)
        except (OSError, ValueError):
            record = None
        line = {
            "id": record_id_of(path),
            "kept_at": kept_at_of(path).isoformat(),
            "discarded_at": now.isoformat(),
            "channel": record.channel.value if record else None,
            "kind": record.kind.value if record else None,
        }
        log_path = path.parent / DISCARDED
        fd = os.open(log_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        try:
            os.write(fd, json.dumps(line).encode("utf-8") + b"\n")
            os.fsync(fd)
        finally:
            os.close(fd)
        path.unlink()
        _sync_directory(path.parent)

    @contextlib.contextmanager
    def exclusive(self) -> Iterator[bool]:
        """Hold the spool's lock (True), or yield False when another process holds it."""
        self._ensure()
        fd = os.open(self.directory / LOCK, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                yield False
                return
            try:
                yield True
            finally:
                fcntl.flock(fd, fcntl.LOCK_UN)
        finally:
            os.close(fd)


def record_id_of(path: Path) -> str:
    """A record's id: the last part of its file name."""
    return path.stem.rpartition("-")[2]


def kept_at_of(path: Path) -> datetime:
    """When a record was kept, from its file name (no need to read what it holds)."""
    stamp = path.name.partition("-")[0]
    try:
        return datetime.fromtimestamp(int(stamp) / 1e9, tz=UTC)
    except ValueError:
        return datetime.fromtimestamp(path.stat().st_mtime, tz=UTC)


def write_durably(directory: Path, name: str, data: bytes) -> Path:
    """Write ``data`` (and a newline) to ``directory/name`` (0600) so that a crash or power cut
    leaves the whole file or none: a temporary name, flushed, renamed, the directory synced."""
    final = directory / name
    temporary = directory / f".{name}.tmp"
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        os.write(fd, data + b"\n")
        os.fsync(fd)
    finally:
        os.close(fd)
    os.rename(temporary, final)
    _sync_directory(directory)
    return final


def _sync_directory(directory: Path) -> None:
    """Make a rename or unlink in ``directory`` survive a power cut."""
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
