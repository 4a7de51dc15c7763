"""One-tap acknowledgement of a safeguarding alert by a linked safeguarding lead."""

from __future__ import annotations

import logging
from datetime import datetime
from zoneinfo import ZoneInfo

from core.channel import Reply
from core.i18n import catalogue
from core.vocabulary import DEFAULT_LANGUAGE, AlertEventKind, AlertStatus
from llais.alerts.lifecycle import step_buttons
from llais.alerts.render import local_time
from storage.db import AsyncSession
from storage.models import Person, SafeguardingAlert
from storage.repo import alert_events
from storage.repo import alerts as repo

log = logging.getLogger(__name__)


def may_acknowledge(member: Person, alert: SafeguardingAlert) -> bool:
    """The authority's contact may acknowledge any alert; a (deputy) DSL their school's."""
    return alert_events.may_handle(member, alert)


async def acknowledge_alert(
    session: AsyncSession,
    *,
    alert_id: str,
    member: Person | None,
    now: datetime,
    tz: ZoneInfo,
) -> Reply:
    """Record the acknowledgement (time and who), or say why it was not needed or allowed."""
    language = (member.language if member else None) or DEFAULT_LANGUAGE
    cat = catalogue()
    alert = await repo.get_alert(session, alert_id=alert_id, for_update=True)
    if alert is None:
        return Reply(cat.get("staff.ack_unknown", language))
    if member is None or not may_acknowledge(member, alert):
        role = member.role if member and member.role else "-"
        log.warning("alert %s: acknowledge refused for a %s", alert.id, role)
        return Reply(cat.get("staff.ack_not_allowed", language))
    if alert.status is not AlertStatus.OPEN and alert.acknowledged_at is not None:
        key = (
            "staff.ack_already_you"
            if alert.acknowledged_by == member.ref
            else "staff.ack_already_other"
        )
        return Reply(cat.get(key, language, time=local_time(alert.acknowledged_at, tz)))
    await repo.acknowledge(session, alert=alert, by=member.ref, now=now)
    await alert_events.add_event(
        session, alert_id=alert.id, kind=AlertEventKind.ACKNOWLEDGED, by=member, at=now
    )
    waited = int((now - alert.created_at).total_seconds())
    log.info("alert %s acknowledged by a %s after %d s", alert.id, member.role, waited)
    return Reply(
        cat.get("staff.ack_done", language, time=local_time(now, tz)),
        step_buttons(alert, language),
    )
