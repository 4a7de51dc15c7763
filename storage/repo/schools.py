"""Schools, enrolment codes and single-use staff invitations."""

from __future__ import annotations

import re
import secrets
from datetime import datetime
from typing import Any

from sqlalchemy import select, update

from core.clock import utcnow
from core.errors import LlaisError, NotFoundError
from core.vocabulary import Audience, CodeKind
from storage.db import AsyncSession
from storage.models import EnrolmentCode, Person, School

CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
PREFIX = re.compile(r"[A-Z0-9]{2,8}")
YEAR_GROUPS = range(7, 14)
INVITE_LABELS = {
    CodeKind.STAFF: "STAFF",
    CodeKind.DSL: "DSL",
    CodeKind.DEPUTY_DSL: "DEPUTY",
    CodeKind.WELLBEING_LEAD: "WELLBEING",
    CodeKind.AUTHORITY: "AUTHORITY",
}


def normalise_code(code: str) -> str:
    """Codes are matched case-insensitively, ignoring spaces."""
    return "".join(code.split()).upper()


async def lookup_code(
    session: AsyncSession, *, code: str, by: str = "", now: datetime | None = None
) -> tuple[EnrolmentCode, School] | None:
    """A usable code and its school, or None: active, not expired, not spent by someone other
    than ``by`` (an invitation's own user may type it again)."""
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
    if not enrolment.usable(by=by, now=now or utcnow()):
        return None
    return enrolment, school


async def spend_code(session: AsyncSession, *, code: str, by: str, now: datetime) -> bool:
    """Spend a single-use invitation on ``by`` (locked until the commit); False when it is
    already spent by someone else or no longer usable."""
    enrolment = await session.get(EnrolmentCode, normalise_code(code), with_for_update=True)
    if enrolment is None or not enrolment.usable(by=by, now=now):
        return False
    if enrolment.single_use and enrolment.used_at is None:
        enrolment.used_at, enrolment.used_by = now, by
    return True


def random_part(length: int) -> str:
    """Characters nobody confuses when reading a code aloud (no 0/O, 1/I/L)."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(length))


async def school_by_prefix(session: AsyncSession, *, prefix: str) -> School:
    """The school with this code prefix (or id); NotFoundError otherwise."""
    school = await session.scalar(select(School).where(School.code_prefix == prefix.upper()))
    if school is None and prefix.isdigit():
        school = await session.get(School, int(prefix))
    if school is None:
        raise NotFoundError(f"No school has the code prefix {prefix!r}.")
    return school


async def create_school(
    session: AsyncSession, *, name: str, name_cy: str, prefix: str, now: datetime
) -> School:
    """A new school with its code prefix; LlaisError when the name or prefix is taken."""
    prefix = normalise_code(prefix)
    if not PREFIX.fullmatch(prefix):
        raise LlaisError("A code prefix is 2 to 8 letters or digits, e.g. YGC.")
    taken = await session.scalar(
        select(School).where((School.code_prefix == prefix) | (School.name == name))
    )
    if taken is not None:
        raise LlaisError(f"A school with that name or prefix exists already (id {taken.id}).")
    school = School(name=name, name_cy=name_cy, code_prefix=prefix, created_at=now)
    session.add(school)
    await session.flush()
    return school


async def learner_codes(session: AsyncSession, *, school_id: int) -> list[EnrolmentCode]:
    """The school's active learner codes, by year group."""
    rows = await session.scalars(
        select(EnrolmentCode)
        .where(
            EnrolmentCode.school_id == school_id,
            EnrolmentCode.kind == CodeKind.LEARNER,
            EnrolmentCode.active.is_(True),
        )
        .order_by(EnrolmentCode.year_group)
    )
    return list(rows)


async def issue_learner_codes(
    session: AsyncSession, *, school: School, now: datetime
) -> list[EnrolmentCode]:
    """Retire the school's learner codes and issue one new code per year group."""
    for old in await learner_codes(session, school_id=school.id):
        old.active = False
    prefix = school.code_prefix or str(school.id)
    fresh = [
        EnrolmentCode(
            code=f"{prefix}-Y{year}-{random_part(4)}",
            school_id=school.id,
            kind=CodeKind.LEARNER,
            year_group=year,
            active=True,
            created_at=now,
        )
        for year in YEAR_GROUPS
    ]
    session.add_all(fresh)
    await session.flush()
    return fresh


async def invite(
    session: AsyncSession,
    *,
    school: School,
    kind: CodeKind,
    expires_at: datetime,
    now: datetime,
    code: str | None = None,
) -> EnrolmentCode:
    """A single-use invitation for the staff bot: spent on first use, refused after expiry."""
    prefix = school.code_prefix or str(school.id)
    label = INVITE_LABELS[kind]
    invitation = EnrolmentCode(
        code=normalise_code(code or f"{prefix}-{label}-{random_part(6)}"),
        school_id=school.id,
        kind=kind,
        year_group=None,
        active=True,
        single_use=True,
        expires_at=expires_at,
        created_at=now,
    )
    session.add(invitation)
    await session.flush()
    return invitation


async def advance_year(session: AsyncSession, *, school_id: int) -> tuple[int, int]:
    """Move the school's learners up a year; Year 13 leavers are unlinked from the school.

    Returns (moved up, left).
    """
    last = YEAR_GROUPS[-1]
    leavers = await session.execute(
        update(Person)
        .where(
            Person.school_id == school_id,
            Person.audience == Audience.LEARNER,
            Person.year_group >= last,
        )
        .values(school_id=None, year_group=None)
    )
    moved = await session.execute(
        update(Person)
        .where(
            Person.school_id == school_id,
            Person.audience == Audience.LEARNER,
            Person.year_group.is_not(None),
        )
        .values(year_group=Person.year_group + 1)
    )
    return _count(moved), _count(leavers)


def _count(result: Any) -> int:
    return int(getattr(result, "rowcount", 0) or 0)


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
    session: AsyncSession,
    *,
    school_id: int,
    code: str,
    kind: CodeKind,
    year_group: int | None,
    expires_at: datetime | None = None,
) -> bool:
    """Create an enrolment code (with ``expires_at``: a single-use invitation) if it does not
    exist; True when created."""
    code = normalise_code(code)
    if await session.get(EnrolmentCode, code) is not None:
        return False
    session.add(
        EnrolmentCode(
            code=code,
            school_id=school_id,
            kind=kind,
            year_group=year_group,
            single_use=expires_at is not None,
            expires_at=expires_at,
        )
    )
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
