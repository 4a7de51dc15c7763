"""Apply a turn's effects inside the caller's transaction (committed before any reply is sent)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from core.vocabulary import RiskLevel
from flows.effects import (
    Effect,
    Enrol,
    EraseMyData,
    RaiseAlert,
    RequestContact,
    SaveCheckin,
    SaveMood,
    SetLanguage,
    SetStopped,
    UpdateAlert,
)
from storage.db import AsyncSession
from storage.models import (
    Checkin,
    CheckinAnswer,
    ContactRequest,
    Learner,
    MoodLog,
    SafeguardingAlert,
)
from storage.repo.learners import erase_learner

EXCERPT_CHARS = 500


@dataclass(frozen=True)
class ApplyContext:
    """Who the effects are for, and the policy they follow."""

    learner: Learner
    channel: str
    now: datetime
    ack_minutes_high: int
    ack_minutes_medium: int


def _higher(a: str, b: str | None) -> str:
    if b is None:
        return a
    return a if RiskLevel.parse(a) >= RiskLevel.parse(b) else b


def _merge(existing: list[str], extra: tuple[str, ...]) -> list[str]:
    return sorted(set(existing) | set(extra))


async def _raise_alert(session: AsyncSession, effect: RaiseAlert, ctx: ApplyContext) -> None:
    urgent = RiskLevel.parse(effect.level).urgent
    minutes = ctx.ack_minutes_high if urgent else ctx.ack_minutes_medium
    session.add(
        SafeguardingAlert(
            id=effect.alert_id,
            learner_ref=ctx.learner.ref,
            school_id=ctx.learner.school_id,
            year_group=ctx.learner.year_group,
            level=effect.level,
            categories=sorted(effect.categories),
            cues=list(effect.cues),
            excerpt=effect.excerpt[:EXCERPT_CHARS],
            channel=ctx.channel,
            contact_requested=False,
            created_at=ctx.now,
            status="open",
            escalation_step=0,
            next_escalation_at=ctx.now + timedelta(minutes=minutes),
        )
    )


async def _update_alert(session: AsyncSession, effect: UpdateAlert, ctx: ApplyContext) -> None:
    alert = await session.get(SafeguardingAlert, effect.alert_id)
    if alert is None:
        return
    if effect.contact_requested is not None:
        alert.contact_requested = effect.contact_requested
    if effect.safe_now is not None:
        alert.safe_now = effect.safe_now
    if effect.level is not None:
        raised = _higher(effect.level, alert.level)  # never lowers
        if raised != alert.level and RiskLevel.parse(raised).urgent:
            alert.next_escalation_at = min(
                alert.next_escalation_at or ctx.now,
                ctx.now + timedelta(minutes=ctx.ack_minutes_high),
            )
        alert.level = raised
    if effect.categories:
        alert.categories = _merge(alert.categories, effect.categories)
    if effect.cues:
        alert.cues = _merge(alert.cues, effect.cues)


async def apply_effects(session: AsyncSession, effects: list[Effect], ctx: ApplyContext) -> bool:
    """Apply effects in order; returns True when the learner's data was erased."""
    learner = ctx.learner
    for effect in effects:
        match effect:
            case SetLanguage(language=language):
                learner.language = language
            case Enrol(school_id=school_id, year_group=year_group):
                learner.school_id, learner.year_group = school_id, year_group
            case SetStopped(stopped=stopped):
                learner.stopped = stopped
            case SaveCheckin(answers=answers, comment=comment):
                checkin = Checkin(learner_ref=learner.ref, completed_at=ctx.now, comment=comment)
                session.add(checkin)
                await session.flush()
                session.add_all(
                    CheckinAnswer(
                        checkin_id=checkin.id,
                        learner_ref=learner.ref,
                        domain=a.domain,
                        item_id=a.item_id,
                        value=a.value,
                        answered_at=ctx.now,
                    )
                    for a in answers
                )
            case SaveMood(score=score, tags=tags, note=note):
                session.add(
                    MoodLog(
                        learner_ref=learner.ref,
                        score=score,
                        tags=list(tags),
                        note=note,
                        logged_at=ctx.now,
                    )
                )
            case RaiseAlert():
                await _raise_alert(session, effect, ctx)
            case UpdateAlert():
                await _update_alert(session, effect, ctx)
            case RequestContact(need=need):
                if learner.school_id is not None:
                    session.add(
                        ContactRequest(
                            learner_ref=learner.ref,
                            school_id=learner.school_id,
                            year_group=learner.year_group,
                            need=need,
                            created_at=ctx.now,
                            status="open",
                        )
                    )
            case EraseMyData():
                await session.flush()
                await erase_learner(session, ref=learner.ref)
                return True
    await session.flush()
    return False
