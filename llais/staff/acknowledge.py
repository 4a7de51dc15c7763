"""One-tap acknowledgement of a safeguarding alert by a linked safeguarding lead."""

from __future__ import annotations

import logging
from datetime import datetime
from zoneinfo import ZoneInfo

from core.channel import Reply
from core.i18n import catalogue
from core.vocabulary import DEFAULT_LANGUAGE, parse_language
from llais.alerts.render import local_time
from storage.db import AsyncSession
from storage.models import SafeguardingAlert, StaffMember
from storage.repo import alerts as repo

log = logging.getLogger(__name__)


def may_acknowledge(member: StaffMember, alert: SafeguardingAlert) -> bool:
    """The authority's contact may acknowledge any alert; a (deputy) DSL their school's."""
    if member.role == "authority":
        return True
    return member.role in ("dsl", "deputy_dsl") and member.school_id == alert.school_id


async def acknowledge_alert(
    session: AsyncSession,
    *,
    alert_id: str,
    member: StaffMember | None,
    now: datetime,
    tz: ZoneInfo,
) -> Reply:
    """Record the acknowledgement (time and who), or say why it was not needed or allowed."""
    language = (parse_language(member.language) if member else None) or DEFAULT_LANGUAGE
    cat = catalogue()
    alert = await repo.get_alert(session, alert_id=alert_id, for_update=True)
    if alert is None:
        return Reply(cat.get("staff.ack_unknown", language))
    if member is None or not may_acknowledge(member, alert):
        log.warning(
            "alert %s: acknowledge refused for a %s", alert.id, member.role if member else "-"
        )
        return Reply(cat.get("staff.ack_not_allowed", language))
    if alert.status == "acknowledged" and alert.acknowledged_at is not None:
        key = (
            "staff.ack_already_you"
            if alert.acknowledged_by == member.ref
            else "staff.ack_already_other"
        )
        return Reply(cat.get(key, language, time=local_time(alert.acknowledged_at, tz)))
    await repo.acknowledge(session, alert=alert, by=member.ref, now=now)
    waited = int((now - alert.created_at).total_seconds())
    log.info("alert %s acknowledged by a %s after %d s", alert.id, member.role, waited)
    return Reply(cat.get("staff.ack_done", language, time=local_time(now, tz)))
