"""Safeguarding alerts as seen by delivery: who receives them, what was sent, acknowledgement."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, or_, select

from core.vocabulary import AlertStatus, Language, StaffRole
from storage.db import AsyncSession
from storage.models import AlertDelivery, Person, ReplyAddress, SafeguardingAlert, School


@dataclass(frozen=True, slots=True)
class Recipient:
    """A linked safeguarding lead (or the authority's contact) with a chat to deliver to."""

    ref: str
    role: StaffRole
    school_id: int | None
    chat_id: str
    language: Language | None

    @classmethod
    def of(cls, person: Person, address: ReplyAddress) -> Recipient:
        """The recipient a linked member of staff and their address make."""
        assert person.role is not None, "only staff receive alerts"
        return cls(person.ref, person.role, person.school_id, address.chat_id, person.language)


async def open_alerts(session: AsyncSession) -> list[SafeguardingAlert]:
    """Every alert not yet acknowledged, oldest first."""
    rows = await session.scalars(
        select(SafeguardingAlert)
        .where(SafeguardingAlert.status == AlertStatus.OPEN)
        .order_by(SafeguardingAlert.created_at)
    )
    return list(rows)


async def get_alert(
    session: AsyncSession, *, alert_id: str, for_update: bool = False
) -> SafeguardingAlert | None:
    """The alert with this id, or None; ``for_update`` locks its row until the commit."""
    return await session.get(SafeguardingAlert, alert_id, with_for_update=for_update)


async def recipients(
    session: AsyncSession, *, school_id: int | None, roles: Sequence[StaffRole]
) -> list[Recipient]:
    """Linked staff in ``roles`` for the school (the authority role is not tied to a school)."""
    school_roles = [role for role in roles if role is not StaffRole.AUTHORITY]
    wanted: list[ColumnElement[bool]] = []
    if school_id is not None and school_roles:
        wanted.append((Person.school_id == school_id) & Person.role.in_(school_roles))
    if StaffRole.AUTHORITY in roles:
        wanted.append(Person.role == StaffRole.AUTHORITY)
    if not wanted:
        return []
    rows = await session.execute(
        select(Person, ReplyAddress)
        .join(ReplyAddress, ReplyAddress.person_ref == Person.ref)
        .where(or_(*wanted))
        .order_by(Person.linked_at, Person.ref)
    )
    return [Recipient.of(person, address) for person, address in rows]


async def delivered_to(session: AsyncSession, *, alert_id: str, step: int) -> dict[str, str]:
    """Everyone the alert has been delivered to at ``step``, with the digest of what they saw."""
    rows = await session.execute(
        select(AlertDelivery.recipient_ref, AlertDelivery.digest).where(
            AlertDelivery.alert_id == alert_id, AlertDelivery.step == step
        )
    )
    return {ref: digest for ref, digest in rows}


async def record_delivery(
    session: AsyncSession,
    *,
    alert_id: str,
    recipient: Recipient,
    step: int,
    digest: str,
    now: datetime,
) -> None:
    """Log that the alert (as ``digest``) reached ``recipient`` at ``step``; no text is stored."""
    row = await session.scalar(
        select(AlertDelivery).where(
            AlertDelivery.alert_id == alert_id,
            AlertDelivery.recipient_ref == recipient.ref,
            AlertDelivery.step == step,
        )
    )
    if row is not None:  # an update of what they already had
        row.digest, row.sent_at = digest, now
        return
    session.add(
        AlertDelivery(
            alert_id=alert_id,
            recipient_ref=recipient.ref,
            role=recipient.role,
            step=step,
            digest=digest,
            sent_at=now,
        )
    )


async def school_names(session: AsyncSession, *, ids: Sequence[int]) -> dict[int, tuple[str, str]]:
    """English and Welsh names of the given schools."""
    if not ids:
        return {}
    rows = await session.scalars(select(School).where(School.id.in_(set(ids))))
    return {school.id: (school.name, school.name_cy) for school in rows}


async def acknowledge(
    session: AsyncSession, *, alert: SafeguardingAlert, by: str, now: datetime
) -> None:
    """Record who acknowledged the alert and when; it is no longer escalated."""
    alert.status = AlertStatus.ACKNOWLEDGED
    alert.acknowledged_at = now
    alert.acknowledged_by = by
    alert.next_escalation_at = None


async def unclosed_acknowledged(
    session: AsyncSession,
) -> list[tuple[AlertDelivery, SafeguardingAlert]]:
    """Deliveries of acknowledged alerts whose recipient has not been told so yet."""
    rows = await session.execute(
        select(AlertDelivery, SafeguardingAlert)
        .join(SafeguardingAlert, SafeguardingAlert.id == AlertDelivery.alert_id)
        .where(
            SafeguardingAlert.status != AlertStatus.OPEN,
            AlertDelivery.closed_at.is_(None),
        )
        .order_by(AlertDelivery.id)
    )
    return [(delivery, alert) for delivery, alert in rows]


async def recipient(session: AsyncSession, *, ref: str) -> Recipient | None:
    """A linked member of staff with a chat to reach them, or None."""
    row = (
        await session.execute(
            select(Person, ReplyAddress)
            .join(ReplyAddress, ReplyAddress.person_ref == Person.ref)
            .where(Person.ref == ref, Person.role.is_not(None))
        )
    ).first()
    if row is None:
        return None
    person, address = row
    return Recipient.of(person, address)


async def close_deliveries(
    session: AsyncSession, *, alert_id: str, recipient_ref: str, now: datetime
) -> None:
    """Mark that ``recipient_ref`` knows the alert was acknowledged."""
    rows = await session.scalars(
        select(AlertDelivery).where(
            AlertDelivery.alert_id == alert_id,
            AlertDelivery.recipient_ref == recipient_ref,
            AlertDelivery.closed_at.is_(None),
        )
    )
    for row in rows:
        row.closed_at = now


async def role_of(session: AsyncSession, *, ref: str | None) -> StaffRole | None:
    """The role of a member of staff, or None when they are not (or no longer) known."""
    person = await session.get(Person, ref) if ref else None
    return person.role if person else None


async def recently_acknowledged(
    session: AsyncSession, *, since: datetime
) -> list[SafeguardingAlert]:
    """Acknowledged alerts raised since ``since`` (their learner may still be answering)."""
    rows = await session.scalars(
        select(SafeguardingAlert).where(
            SafeguardingAlert.status != AlertStatus.OPEN,
            SafeguardingAlert.created_at >= since,
        )
    )
    return list(rows)


async def deliveries_of(session: AsyncSession, *, alert_id: str) -> list[AlertDelivery]:
    """Every delivery of an alert, oldest first."""
    rows = await session.scalars(
        select(AlertDelivery).where(AlertDelivery.alert_id == alert_id).order_by(AlertDelivery.id)
    )
    return list(rows)
