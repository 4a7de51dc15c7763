"""Schools and enrolment codes."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from core.errors import NotFoundError
from core.vocabulary import CodeKind
from storage.db import AsyncSession
from storage.models import EnrolmentCode, School


def normalise_code(code: str) -> str:
    """Codes are matched case-insensitively, ignoring spaces."""
    return "".join(code.split()).upper()


async def lookup_code(session: AsyncSession, *, code: str) -> tuple[EnrolmentCode, School] | None:
    """An active enrolment code and its school, or None."""
    row = (
        await session.execute(
            select(EnrolmentCode, School)
            .join(School, School.id == EnrolmentCode.school_id)
            .where(EnrolmentCode.code == normalise_code(code), EnrolmentCode.active.is_(True))
        )
    ).first()
    if row is None:
        return None
    enrolment, school = row
    return enrolment, school


async def get_or_create_school(
    session: AsyncSession, *, name: str, name_cy: str, now: datetime
) -> School:
    """The school with this name, created if missing."""
    school = await session.scalar(select(School).where(School.name == name))
    if school is None:
        school = School(name=name, name_cy=name_cy, created_at=now)
        session.add(school)
        await session.flush()
    return school


async def ensure_code(
    session: AsyncSession, *, school_id: int, code: str, kind: CodeKind, year_group: int | None
) -> bool:
    """Create an enrolment code if it does not exist; True when created."""
    code = normalise_code(code)
    if await session.get(EnrolmentCode, code) is not None:
        return False
    session.add(EnrolmentCode(code=code, school_id=school_id, kind=kind, year_group=year_group))
    return True


async def school_name(session: AsyncSession, *, school_id: int | None) -> str | None:
    """A school's name, or None."""
    if school_id is None:
        return None
    school = await session.get(School, school_id)
    return school.name if school else None


async def resolve_school(session: AsyncSession, *, code: str) -> int:
    """The school id for a school id number or an enrolment code."""
    if code.isdigit() and await session.get(School, int(code)) is not None:
        return int(code)
    enrolment = await session.get(EnrolmentCode, code.strip().upper())
    if enrolment is None:
        raise NotFoundError(f"No school has the id or enrolment code {code!r}.")
    return enrolment.school_id
