"""A school's own contacts (DSL, wellbeing lead, counsellor, ELSA), as rows."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from core.errors import NotFoundError
from core.vocabulary import ContactRole
from storage.db import AsyncSession
from storage.models import School, SchoolContact


async def add_contact(
    session: AsyncSession,
    *,
    school_id: int,
    role: ContactRole,
    label: str,
    label_cy: str | None,
    how_to_reach: str,
    how_to_reach_cy: str | None,
    when: str | None,
    when_cy: str | None,
    at: datetime,
) -> SchoolContact:
    """Add a contact to a school (the caller commits)."""
    if await session.get(School, school_id) is None:
        raise NotFoundError(f"There is no school with id {school_id}.")
    row = SchoolContact(
        school_id=school_id,
        role=role,
        label=label,
        label_cy=label_cy,
        how_to_reach=how_to_reach,
        how_to_reach_cy=how_to_reach_cy,
        when=when,
        when_cy=when_cy,
        created_at=at,
    )
    session.add(row)
    await session.flush()
    return row


async def school_contacts(session: AsyncSession, *, school_id: int) -> list[SchoolContact]:
    """A school's contacts, in the order they were added."""
    query = (
        select(SchoolContact).where(SchoolContact.school_id == school_id).order_by(SchoolContact.id)
    )
    return list(await session.scalars(query))


async def remove_contact(session: AsyncSession, *, contact_id: int) -> None:
    """Remove a contact (the caller commits)."""
    row = await session.get(SchoolContact, contact_id)
    if row is None:
        raise NotFoundError(f"There is no school contact with id {contact_id}.")
    await session.delete(row)
    await session.flush()
