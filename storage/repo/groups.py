"""Intervention groups: each has its own learner enrolment code; entering it joins the group."""

from __future__ import annotations

import secrets
from datetime import datetime

from sqlalchemy import select

from core.vocabulary import CodeKind
from storage.db import AsyncSession
from storage.models import EnrolmentCode, GroupMember, InterventionGroup
from storage.repo.schools import normalise_code

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I to misread


def new_group_code() -> str:
    """A fresh code such as ``GRP-7KQ2MX``."""
    return "GRP-" + "".join(secrets.choice(CODE_ALPHABET) for _ in range(6))


async def create_group(
    session: AsyncSession,
    *,
    school_id: int,
    name: str,
    kind: str,
    year_group: int | None,
    pre_period: str,
    post_period: str,
    now: datetime,
    code: str | None = None,
) -> InterventionGroup:
    """Create a group and its own active learner code (``year_group`` as the code's)."""
    chosen = normalise_code(code or new_group_code())
    session.add(
        EnrolmentCode(
            code=chosen,
            school_id=school_id,
            kind=CodeKind.LEARNER,
            year_group=year_group,
            active=True,
        )
    )
    await session.flush()
    group = InterventionGroup(
        school_id=school_id,
        name=name.strip(),
        kind=kind.strip().lower(),
        code=chosen,
        pre_period=pre_period,
        post_period=post_period,
        created_at=now,
    )
    session.add(group)
    await session.flush()
    return group


async def join_group(session: AsyncSession, *, code: str, person_ref: str, now: datetime) -> bool:
    """If ``code`` is a group's code, make the learner a member; True when they joined."""
    group = await session.scalar(
        select(InterventionGroup).where(InterventionGroup.code == normalise_code(code))
    )
    if group is None or await session.get(GroupMember, (group.id, person_ref)) is not None:
        return False
    session.add(GroupMember(group_id=group.id, person_ref=person_ref, joined_at=now))
    return True


async def school_groups(session: AsyncSession, *, school_id: int | None) -> list[InterventionGroup]:
    """A school's groups (every school's when ``school_id`` is None), newest first."""
    query = select(InterventionGroup).order_by(InterventionGroup.created_at.desc())
    if school_id is not None:
        query = query.where(InterventionGroup.school_id == school_id)
    return list((await session.execute(query)).scalars())
