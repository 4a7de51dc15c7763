"""Per-school contacts (DSL, wellbeing lead, counsellor, ELSA): schema and data access."""

from __future__ import annotations

from datetime import datetime
from typing import Literal, get_args

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select

from core.errors import NotFoundError
from core.i18n import Text
from storage.db import AsyncSession
from storage.models.contacts import SchoolContact
from storage.models.schools import EnrolmentCode, School

Role = Literal["dsl", "deputy_dsl", "wellbeing_lead", "counsellor", "elsa"]
ROLES: tuple[Role, ...] = get_args(Role)


class SchoolContactInfo(BaseModel):
    """A school contact as the matcher and the CLI see it; Welsh falls back to the given text."""

    model_config = ConfigDict(frozen=True)

    id: int
    school_id: int
    role: Role
    label: Text
    how_to_reach: Text
    when: Text | None = None


def _text(en: str, cy: str | None) -> Text:
    return Text(cy=cy or en, en=en)


def _info(row: SchoolContact) -> SchoolContactInfo:
    return SchoolContactInfo(
        id=row.id,
        school_id=row.school_id,
        role=row.role,  # the CHECK constraint keeps it a Role; pydantic re-checks
        label=_text(row.label, row.label_cy),
        how_to_reach=_text(row.how_to_reach, row.how_to_reach_cy),
        when=_text(row.when, row.when_cy) if row.when else None,
    )


class NewSchoolContact(BaseModel):
    """What a school gives to add a contact."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    school_id: int
    role: Role
    label: str = Field(min_length=1, max_length=200)
    label_cy: str | None = Field(default=None, min_length=1, max_length=200)
    how_to_reach: str = Field(min_length=1, max_length=500)
    how_to_reach_cy: str | None = Field(default=None, min_length=1, max_length=500)
    when: str | None = Field(default=None, min_length=1)
    when_cy: str | None = Field(default=None, min_length=1)


async def add_school_contact(
    session: AsyncSession, *, contact: NewSchoolContact, at: datetime
) -> SchoolContactInfo:
    """Add a contact to a school (the caller commits)."""
    if await session.get(School, contact.school_id) is None:
        raise NotFoundError(f"There is no school with id {contact.school_id}.")
    row = SchoolContact(**contact.model_dump(), created_at=at)
    session.add(row)
    await session.flush()
    return _info(row)


async def list_school_contacts(session: AsyncSession, *, school_id: int) -> list[SchoolContactInfo]:
    """A school's contacts, in the order they were added."""
    query = (
        select(SchoolContact).where(SchoolContact.school_id == school_id).order_by(SchoolContact.id)
    )
    return [_info(row) for row in await session.scalars(query)]


async def remove_school_contact(session: AsyncSession, *, contact_id: int) -> None:
    """Remove a contact (the caller commits)."""
    row = await session.get(SchoolContact, contact_id)
    if row is None:
        raise NotFoundError(f"There is no school contact with id {contact_id}.")
    await session.delete(row)
    await session.flush()


async def resolve_school(session: AsyncSession, *, code: str) -> int:
    """The school id for a school id number or an enrolment code."""
    if code.isdigit() and await session.get(School, int(code)) is not None:
        return int(code)
    enrolment = await session.get(EnrolmentCode, code.strip().upper())
    if enrolment is None:
        raise NotFoundError(f"No school has the id or enrolment code {code!r}.")
    return enrolment.school_id
