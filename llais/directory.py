"""The services directory in use: the newest import in the database, else the bundled seed.

Storage keeps imports as JSON; signposting validates and parses them. Load once at start-up and
keep the result: matching needs no further I/O.
"""

from __future__ import annotations

import logging
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from signposting.directory import SEED_PATH, Directory, dump_document, load_seed
from signposting.hsds import Document
from signposting.validation import parse_document
from storage.db import AsyncSession
from storage.repo import directory as repo

log = logging.getLogger(__name__)


async def save_document(
    session: AsyncSession, *, document: Document, source: str, at: datetime
) -> int:
    """Store a validated document as the newest import; return its id (caller commits)."""
    return await repo.save_import(
        session,
        document=dump_document(document),
        source=source,
        service_count=len(document.services),
        at=at,
    )


async def load_directory(
    session: AsyncSession | None, *, tz: ZoneInfo, seed: Path = SEED_PATH
) -> Directory:
    """The directory the app uses: the newest import if there is one, else the bundled seed."""
    row = await repo.latest_import(session) if session is not None else None
    if row is None:
        directory = load_seed(tz, seed)
    else:
        source = f"database import {row.id} ({row.source})"
        directory = Directory(parse_document(row.document, source), tz, source)
    log.info("directory loaded from %s: %d services", directory.source, len(directory.services))
    return directory
