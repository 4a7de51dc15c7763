"""A school's own contacts: checked by signposting, kept by storage."""

from __future__ import annotations

from datetime import datetime

from signposting.contacts import NewSchoolContact, SchoolContactInfo, school_contact_info
from storage.db import AsyncSession
from storage.models import SchoolContact
from storage.repo import contacts as repo


def _info(row: SchoolContact) -> SchoolContactInfo:
    return school_contact_info(
        id=row.id,
        school_id=row.school_id,
        role=row.role,
        label=row.label,
        label_cy=row.label_cy,
        how_to_reach=row.how_to_reach,
        how_to_reach_cy=row.how_to_reach_cy,
        when=row.when,
        when_cy=row.when_cy,
    )


async def add_school_contact(
    session: AsyncSession, *, contact: NewSchoolContact, at: datetime
) -> SchoolContactInfo:
    """Add a contact to a school (the caller commits)."""
    return _info(await repo.add_contact(session, **contact.model_dump(), at=at))


async def list_school_contacts(session: AsyncSession, *, school_id: int) -> list[SchoolContactInfo]:
    """A school's contacts, in the order they were added."""
    return [_info(row) for row in await repo.school_contacts(session, school_id=school_id)]


async def remove_school_contact(session: AsyncSession, *, contact_id: int) -> None:
    """Remove a contact (the caller commits)."""
    await repo.remove_contact(session, contact_id=contact_id)
