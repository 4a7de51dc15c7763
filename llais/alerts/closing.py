"""After acknowledgement: tell the others who had the alert, and pass on later answers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from core.channel import Reply
from core.i18n import catalogue
from core.vocabulary import ALERT_ROLES, DEFAULT_LANGUAGE, AlertStatus
from llais.alerts.render import AlertView, local_time
from storage.db import AsyncSession
from storage.models import AlertDelivery, SafeguardingAlert
from storage.repo import alerts as repo
from storage.repo.alerts import Recipient


@dataclass(frozen=True, slots=True)
class Notice:
    """One "already acknowledged" message to send, and the delivery it closes."""

    alert_id: str
    recipient: Recipient
    reply: Reply


async def plan_notices(
    session: AsyncSession, *, alert: SafeguardingAlert, now: datetime, tz: ZoneInfo
) -> list[Notice]:
    """Notices for an acknowledged alert; the acknowledger's own deliveries are closed silently."""
    notices: dict[tuple[str, str], Notice] = {}
    if alert.status is AlertStatus.OPEN:  # acknowledged, or already further on
        return []
    for delivery in await repo.unclosed_deliveries(session, alert_id=alert.id):
        key = (alert.id, delivery.recipient_ref)
        if key in notices:
            continue
        found = None
        if delivery.recipient_ref != alert.acknowledged_by:
            found = await repo.recipient(session, ref=delivery.recipient_ref)
        if found is None or alert.acknowledged_at is None:
            # the acknowledger, or someone no longer linked: nothing to send
            await repo.close_deliveries(
                session, alert_id=alert.id, recipient_ref=delivery.recipient_ref, now=now
            )
            continue
        language = found.language or DEFAULT_LANGUAGE
        cat = catalogue()
        role = await repo.role_of(session, ref=alert.acknowledged_by)
        who = cat.get(f"staff.ack_by_{role.value if role in ALERT_ROLES else 'someone'}", language)
        text = cat.get(
            "staff.ack_notice",
            language,
            when=local_time(alert.created_at, tz),
            time=local_time(alert.acknowledged_at, tz),
            who=who,
        )
        notices[key] = Notice(alert.id, found, Reply(text))
    return list(notices.values())


async def plan_late_updates(
    session: AsyncSession, *, alert: SafeguardingAlert, now: datetime, window: timedelta
) -> list[tuple[AlertView, int, Recipient]]:
    """Answers or a level that changed after acknowledgement, for everyone who had the alert
    (while the alert is younger than ``window``)."""
    found: list[tuple[AlertView, int, Recipient]] = []
    if alert.status is AlertStatus.OPEN or alert.created_at < now - window:
        return found
    names = await repo.school_names(
        session, ids=[alert.school_id] if alert.school_id is not None else []
    )
    view = AlertView.of(alert, names.get(alert.school_id) if alert.school_id else None)
    latest: dict[str, AlertDelivery] = {}
    for delivery in await repo.deliveries_of(session, alert_id=alert.id):
        latest[delivery.recipient_ref] = delivery
    for ref, delivery in latest.items():
        if delivery.digest == view.digest:
            continue
        who = await repo.recipient(session, ref=ref)
        if who is not None:
            found.append((view, delivery.step, who))
    return found
