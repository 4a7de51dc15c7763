"""Apply a staff turn's effects inside the caller's transaction (committed before any reply)."""

from __future__ import annotations

import logging
from datetime import datetime

from flows.effects import (
    Effect,
    EraseMyData,
    LinkStaffRole,
    SaveStaffCheckin,
    SetLanguage,
    SetStopped,
)
from storage.db import AsyncSession
from storage.models import StaffMember
from storage.repo import staff as repo

log = logging.getLogger(__name__)

ALERT_ROLES = frozenset({"dsl", "deputy_dsl", "authority"})


async def apply_staff_effects(
    session: AsyncSession, effects: list[Effect], *, member: StaffMember, now: datetime
) -> bool:
    """Apply effects in order; returns True when the member's data was erased."""
    for effect in effects:
        match effect:
            case SetLanguage(language=language):
                member.language = language
            case SetStopped():
                pass  # the staff bot sends nothing unasked except alerts to linked leads
            case LinkStaffRole(school_id=school_id, role=role):
                member.school_id, member.role, member.linked_at = school_id, role, now
                log.info("staff account linked as %s", role)
            case SaveStaffCheckin(answers=answers, lowest_well=lowest_well):
                await repo.save_checkin(
                    session,
                    ref=member.ref,
                    school_id=member.school_id,
                    answers=[(a.domain, a.item_id, a.value) for a in answers],
                    lowest_well=lowest_well,
                    now=now,
                )
            case EraseMyData():
                await session.flush()
                await repo.erase_member(session, ref=member.ref)
                return True
            case _:
                log.error("effect %s is not for the staff bot; ignored", type(effect).__name__)
    await session.flush()
    return False
