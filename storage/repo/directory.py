"""Directory imports: ``llais directory import`` writes a validated document, start-up reads the
newest (signposting parses it; storage keeps it as JSON)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select

from storage.db import AsyncSession
from storage.models import DirectoryImport


async def save_import(
    session: AsyncSession,
    *,
    document: dict[str, Any],
    source: str,
    service_count: int,
    at: datetime,
) -> int:
    """Store a document as the newest import; return its id (the caller commits)."""
    row = DirectoryImport(
        imported_at=at, source=source[:500], service_count=service_count, document=document
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
