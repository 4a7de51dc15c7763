"""Pseudonymous staff, their check-ins, and the address alerts are delivered to."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select

from storage.db import AsyncSession
from storage.models import (
    ConversationStateRow,
    StaffAddress,
    StaffCheckin,
    StaffCheckinAnswer,
    StaffMember,
)


async def get_member(session: AsyncSession, *, ref: str) -> StaffMember | None:
    """The member of staff with this reference, or None."""
    return await session.get(StaffMember, ref)


async def create_member(
    session: AsyncSession, *, ref: str, channel: str, now: datetime
) -> StaffMember:
    """Record a new pseudonymous member of staff."""
    member = StaffMember(ref=ref, channel=channel, role="staff", created_at=now)
    session.add(member)
    await session.flush()
    return member


async def save_address(session: AsyncSession, *, ref: str, channel: str, chat_id: str) -> None:
    """Remember where to deliver alerts to this member of staff (apart from voice data)."""
    address = await session.get(StaffAddress, ref)
    if address is None:
        session.add(StaffAddress(staff_ref=ref, channel=channel, chat_id=chat_id))
    else:
        address.channel, address.chat_id = channel, chat_id


async def drop_address(session: AsyncSession, *, ref: str) -> None:
    """Forget the chat address (for someone no longer linked to receive alerts)."""
    await session.execute(delete(StaffAddress).where(StaffAddress.staff_ref == ref))


async def checkin_count(session: AsyncSession, *, ref: str) -> int:
    """How many check-ins this member of staff has completed."""
    count = await session.scalar(select(func.count()).where(StaffCheckin.staff_ref == ref))
    return int(count or 0)


async def save_checkin(
    session: AsyncSession,
    *,
    ref: str,
    school_id: int | None,
    answers: Sequence[tuple[str, str, int]],
    lowest_well: str | None,
    now: datetime,
) -> StaffCheckin:
    """Store a check-in: (domain, item id, value) answers and the lowest SPICE well."""
    checkin = StaffCheckin(
        staff_ref=ref, school_id=school_id, lowest_well=lowest_well, completed_at=now
    )
    session.add(checkin)
    await session.flush()
    session.add_all(
        StaffCheckinAnswer(
            checkin_id=checkin.id,
            staff_ref=ref,
            domain=domain,
            item_id=item_id,
            value=value,
            answered_at=now,
        )
        for domain, item_id, value in answers
    )
    return checkin


async def my_data(session: AsyncSession, *, ref: str) -> dict[str, Any]:
    """What is stored about a member of staff: counts, role and whether a chat id is kept."""
    member = await session.get(StaffMember, ref)
    address = await session.get(StaffAddress, ref)
    return {
        "checkins": await checkin_count(session, ref=ref),
        "role": member.role if member else None,
        "address": address is not None,
    }


async def erase_member(session: AsyncSession, *, ref: str) -> None:
    """Erase a member of staff's check-ins, state, address and account (which unlinks alerts)."""
    await session.execute(
        delete(ConversationStateRow).where(ConversationStateRow.person_ref == ref)
    )
    await session.execute(delete(StaffCheckinAnswer).where(StaffCheckinAnswer.staff_ref == ref))
    await session.execute(delete(StaffCheckin).where(StaffCheckin.staff_ref == ref))
    await session.execute(delete(StaffAddress).where(StaffAddress.staff_ref == ref))
    await session.execute(delete(StaffMember).where(StaffMember.ref == ref))
