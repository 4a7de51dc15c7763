"""The directory in the database: ``llais directory import`` writes, start-up reads the newest."""

from __future__ import annotations

import logging
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import select

from signposting.directory import SEED_PATH, Directory, dump_document, load_seed
from signposting.hsds import Document
from signposting.validation import parse_document
from storage.db import AsyncSession
from storage.models.contacts import DirectoryImport

log = logging.getLogger(__name__)


async def save_document(
    session: AsyncSession, *, document: Document, source: str, at: datetime
) -> int:
    """Store a validated document as the newest import; return its id (caller commits)."""
    row = DirectoryImport(
        imported_at=at,
        source=source[:500],
        service_count=len(document.services),
        document=dump_document(document),
    )
    session.add(row)
    await session.flush()
    return row.id


async def latest_import(session: AsyncSession) -> DirectoryImport | None:
    """The newest import, or None when the directory has never been imported."""
    query = select(DirectoryImport).order_by(
        DirectoryImport.imported_at.desc(), DirectoryImport.id.desc()
    )
    return (await session.scalars(query.limit(1))).first()


async def load_directory(
    session: AsyncSession | None, *, tz: ZoneInfo, seed: Path = SEED_PATH
) -> Directory:
    """The directory the app uses: the newest import if there is one, else the bundled seed.

    Call once at start-up and keep the result; matching needs no further I/O.
    """
    row = await latest_import(session) if session is not None else None
    if row is None:
        directory = load_seed(tz, seed)
    else:
        source = f"database import {row.id} ({row.source})"
        directory = Directory(parse_document(row.document, source), tz, source)
    log.info("directory loaded from %s: %d services", directory.source, len(directory.services))
    return directory
