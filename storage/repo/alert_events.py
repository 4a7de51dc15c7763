"""An alert's chronology: append-only by design (no update or delete here, and database
triggers refuse both); a correction is a new entry."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from core.vocabulary import AlertEventKind, StaffRole
from storage.db import AsyncSession
from storage.models import AlertEvent, Person, SafeguardingAlert

SCHOOL_LEADS = (StaffRole.DSL, StaffRole.DEPUTY_DSL)


def may_handle(member: Person | None, alert: SafeguardingAlert) -> bool:
    """The authority's contact may handle any alert; a (deputy) DSL their own school's."""
    if member is None:
        return False
    if member.role is StaffRole.AUTHORITY:
        return True
    return member.role in SCHOOL_LEADS and member.school_id == alert.school_id


async def add_event(
    session: AsyncSession,
    *,
    alert_id: str,
    kind: AlertEventKind,
    by: Person | None,
    at: datetime,
    detail: str | None = None,
    note: str | None = None,
) -> AlertEvent:
    """Append one entry (who, when, what) to the alert's chronology."""
    event = AlertEvent(
        alert_id=alert_id,
        kind=kind,
        at=at,
        by_ref=by.ref if by else None,
        by_role=by.role if by else None,
        detail=detail,
        note=note,
    )
    session.add(event)
    await session.flush()
    return event


async def chronology(session: AsyncSession, *, alert_id: str) -> list[AlertEvent]:
    """Every entry for the alert, in the order they were made."""
    rows = await session.scalars(
        select(AlertEvent).where(AlertEvent.alert_id == alert_id).order_by(AlertEvent.id)
    )
    return list(rows)
