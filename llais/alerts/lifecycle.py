"""An alert handled to the end: new -> acknowledged -> action taken or referred -> closed with a
reason, each step (and every note) an entry in the append-only chronology with who and when.

In the staff bot, ``/alerts`` lists the open alerts a safeguarding lead may handle, with their
state and age; each carries buttons for the steps it can take next. Payloads are
``al:<verb>:<alert id>[:<choice>]`` (at most 61 bytes, under Telegram's 64).
"""

from __future__ import annotations

import logging
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select

from core.channel import Button, Reply
from core.i18n import catalogue
from core.vocabulary import (
    DEFAULT_LANGUAGE,
    AlertEventKind,
    AlertStatus,
    CloseReason,
    Language,
    Referral,
    StaffRole,
)
from llais.alerts.render import ack_payload, local_time
from storage.db import AsyncSession
from storage.models import AlertDelivery, Person, SafeguardingAlert
from storage.repo import alert_events
from storage.repo.alert_events import may_handle

log = logging.getLogger(__name__)

PREFIX = "al:"
HANDLED = (AlertStatus.ACTION_TAKEN, AlertStatus.REFERRED)
NEXT: dict[AlertStatus, tuple[str, ...]] = {
    AlertStatus.OPEN: (),
    AlertStatus.ACKNOWLEDGED: ("act", "ref"),
    AlertStatus.ACTION_TAKEN: ("ref", "close"),
    AlertStatus.REFERRED: ("act", "close"),
    AlertStatus.CLOSED: (),
}


def message_keys() -> frozenset[str]:
    """The catalogue keys built at run time from the vocabulary (checked at start-up)."""
    return frozenset(
        [f"school.alert_state_{status.value}" for status in AlertStatus]
        + [f"school.referral_{target.value}" for target in Referral]
        + [f"school.close_reason_{reason.value}" for reason in CloseReason]
        + [f"school.event_{kind.value}" for kind in AlertEventKind]
        + [
            f"school.alert_button_{verb}"
            for verb in ("act", "ref", "close", "note", "log", "write")
        ]
    )


def payload(verb: str, alert_id: str, choice: str | None = None) -> str:
    """A button payload for one step on one alert."""
    return f"{PREFIX}{verb}:{alert_id}" + (f":{choice}" if choice else "")


def parse(data: str) -> tuple[str, str, str | None] | None:
    """(verb, alert id, choice) from a payload, or None for any other payload."""
    if not data.startswith(PREFIX):
        return None
    verb, _, rest = data[len(PREFIX) :].partition(":")
    alert_id, _, choice = rest.partition(":")
    return (verb, alert_id, choice or None) if verb and alert_id else None


def age(since: datetime, now: datetime, language: Language) -> str:
    """How long ago, roughly: minutes, hours or days."""
    minutes = max(int((now - since).total_seconds() // 60), 0)
    cat = catalogue()
    if minutes < 120:
        return cat.get("school.age_minutes", language, n=minutes)
    if minutes < 48 * 60:
        return cat.get("school.age_hours", language, n=minutes // 60)
    return cat.get("school.age_days", language, n=minutes // (24 * 60))


def step_buttons(alert: SafeguardingAlert, language: Language) -> tuple[tuple[Button, ...], ...]:
    """The buttons for what can be done next with ``alert``."""
    cat = catalogue()
    first: tuple[Button, ...]
    if alert.status is AlertStatus.OPEN:
        first = (Button(cat.get("staff.ack_button", language), ack_payload(alert.id)),)
    else:
        first = tuple(
            Button(cat.get(f"school.alert_button_{verb}", language), payload(verb, alert.id))
            for verb in NEXT[alert.status]
        )
    rows: list[tuple[Button, ...]] = [first] if first else []
    if alert.status is not AlertStatus.OPEN:
        rows.append(
            (
                Button(cat.get("school.alert_button_note", language), payload("note", alert.id)),
                Button(cat.get("school.alert_button_write", language), f"write:a:{alert.id}"),
            )
        )
    rows.append((Button(cat.get("school.alert_button_log", language), payload("log", alert.id)),))
    return tuple(rows)


async def alerts_for(session: AsyncSession, member: Person) -> list[SafeguardingAlert]:
    """Alerts not yet closed that ``member`` may handle, oldest first."""
    query = select(SafeguardingAlert).where(SafeguardingAlert.status != AlertStatus.CLOSED)
    if member.role is not StaffRole.AUTHORITY:
        query = query.where(SafeguardingAlert.school_id == member.school_id)
    rows = await session.scalars(query.order_by(SafeguardingAlert.created_at))
    return [alert for alert in rows if may_handle(member, alert)]


async def list_alerts(
    session: AsyncSession, *, member: Person | None, now: datetime, tz: ZoneInfo
) -> list[Reply]:
    """``/alerts``: one message per open alert with its state, age and next steps."""
    cat = catalogue()
    language = (member.language if member else None) or DEFAULT_LANGUAGE
    if member is None or member.role not in (
        StaffRole.DSL,
        StaffRole.DEPUTY_DSL,
        StaffRole.AUTHORITY,
    ):
        return [Reply(cat.get("school.alerts_not_allowed", language))]
    alerts = await alerts_for(session, member)
    if not alerts:
        return [Reply(cat.get("school.alerts_none", language))]
    replies = [Reply(cat.get("school.alerts_header", language, n=len(alerts)))]
    for alert in alerts:
        delivered = await session.scalar(
            select(AlertDelivery.id).where(AlertDelivery.alert_id == alert.id).limit(1)
        )
        text = cat.get(
            "school.alerts_item",
            language,
            id=alert.id[:8],
            level=cat.get(f"staff.level_{alert.level.label}", language),
            state=cat.get(f"school.alert_state_{alert.status.value}", language),
            year=alert.year_group if alert.year_group is not None else "–",
            when=local_time(alert.created_at, tz),
            age=age(alert.created_at, now, language),
            undelivered="" if delivered else cat.get("school.alerts_undelivered", language),
        )
        replies.append(Reply(text, step_buttons(alert, language)))
    return replies


async def chronology_reply(
    session: AsyncSession, *, alert: SafeguardingAlert, language: Language, tz: ZoneInfo
) -> Reply:
    """The alert's record, step by step, with who and when."""
    cat = catalogue()
    lines = [
        cat.get(
            "school.chronology_header",
            language,
            id=alert.id[:8],
            when=local_time(alert.created_at, tz),
        )
    ]
    for event in await alert_events.chronology(session, alert_id=alert.id):
        who = (
            cat.get(f"staff.role_{event.by_role.value}", language)
            if event.by_role
            else cat.get("school.by_learner", language)
        )
        what = cat.get(f"school.event_{event.kind.value}", language)
        if event.kind is AlertEventKind.REFERRED and event.detail:
            what += f": {cat.get(f'school.referral_{event.detail}', language)}"
        if event.kind is AlertEventKind.CLOSED and event.detail:
            what += f": {cat.get(f'school.close_reason_{event.detail}', language)}"
        line = f"• {local_time(event.at, tz)} · {who} · {what}"
        if event.note:
            line += f"\n  “{event.note}”"
        lines.append(line)
    lines.append(
        cat.get(
            "school.chronology_state",
            language,
            state=cat.get(f"school.alert_state_{alert.status.value}", language),
        )
    )
    return Reply(
        "\n".join(lines),
        step_buttons(alert, language) if alert.status is not AlertStatus.CLOSED else (),
    )


async def take_step(
    session: AsyncSession,
    *,
    data: str,
    member: Person | None,
    now: datetime,
    tz: ZoneInfo,
) -> Reply | None:
    """Handle one lifecycle button (None when ``data`` is not one); refuse what is not allowed."""
    parsed = parse(data)
    if parsed is None:
        return None
    verb, alert_id, choice = parsed
    cat = catalogue()
    language = (member.language if member else None) or DEFAULT_LANGUAGE
    alert = await session.get(SafeguardingAlert, alert_id, with_for_update=True)
    if alert is None:
        return Reply(cat.get("staff.ack_unknown", language))
    if member is None or not may_handle(member, alert):
        log.warning(
            "alert %s: step %s refused for a %s", alert.id, verb, member.role if member else "-"
        )
        return Reply(cat.get("staff.ack_not_allowed", language))
    if verb == "log":
        return await chronology_reply(session, alert=alert, language=language, tz=tz)
    if verb == "ref" and choice is None:
        return _choices(alert, "ref", [t.value for t in Referral], "referral", language)
    if verb == "close" and choice is None:
        return _choices(alert, "close", [r.value for r in CloseReason], "close_reason", language)
    wanted = {
        "act": AlertStatus.ACTION_TAKEN,
        "ref": AlertStatus.REFERRED,
        "close": AlertStatus.CLOSED,
    }
    target = wanted.get(verb)
    if target is None or verb not in NEXT[alert.status] or not _valid_choice(verb, choice):
        return Reply(
            cat.get(
                "school.step_not_now",
                language,
                state=cat.get(f"school.alert_state_{alert.status.value}", language),
            ),
            step_buttons(alert, language),
        )
    kind = {
        AlertStatus.ACTION_TAKEN: AlertEventKind.ACTION_TAKEN,
        AlertStatus.REFERRED: AlertEventKind.REFERRED,
        AlertStatus.CLOSED: AlertEventKind.CLOSED,
    }[target]
    alert.status = target
    await alert_events.add_event(
        session, alert_id=alert.id, kind=kind, by=member, at=now, detail=choice
    )
    log.info("alert %s: %s by a %s", alert.id, target.value, member.role)
    return Reply(
        cat.get(
            "school.step_done",
            language,
            state=cat.get(f"school.alert_state_{target.value}", language),
            time=local_time(now, tz),
        ),
        step_buttons(alert, language) if target is not AlertStatus.CLOSED else (),
    )


def _valid_choice(verb: str, choice: str | None) -> bool:
    if verb == "ref":
        return choice in {t.value for t in Referral}
    if verb == "close":
        return choice in {r.value for r in CloseReason}
    return choice is None


def _choices(
    alert: SafeguardingAlert, verb: str, values: list[str], prefix: str, language: Language
) -> Reply:
    cat = catalogue()
    rows = tuple(
        (Button(cat.get(f"school.{prefix}_{value}", language), payload(verb, alert.id, value)),)
        for value in values
    )
    return Reply(cat.get(f"school.ask_{prefix}", language), rows)
