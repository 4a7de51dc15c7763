"""Apply a turn's effects inside the caller's transaction (committed before any reply is sent).

One dispatcher for every audience. Which effects an audience may apply is a table, checked for
the whole turn before anything is written: a learner cannot link a staff role, and a member of
staff's own message never raises a learner's safeguarding alert.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TypeVar

from core.errors import LlaisError
from core.settings import Settings
from core.vocabulary import AlertEventKind, AlertStatus, Audience, RequestStatus
from flows.effects import (
    AddAlertNote,
    AnswerSchool,
    CodeRefused,
    Effect,
    Enrol,
    EraseMyData,
    LinkStaffRole,
    RaiseAlert,
    RequestContact,
    SaveCheckin,
    SaveMood,
    SavePollAnswers,
    SaveStaffCheckin,
    SendToLearner,
    SetInvitations,
    SetLanguage,
    SetStopped,
    UpdateAlert,
)
from storage.db import AsyncSession
from storage.models import ContactRequest, MoodLog, Person, SafeguardingAlert
from storage.repo import alert_events, rights, schools, threads, voice
from storage.repo import people as repo
from storage.repo.groups import join_group

log = logging.getLogger(__name__)

EXCERPT_CHARS = 500  # the caller centres an excerpt on its cue; this only bounds what is stored
MAX_EXCERPTS = 20  # further disclosures kept per alert (a very long conversation stays bounded)
T = TypeVar("T", bound=str)

ALLOWED: Mapping[Audience, frozenset[type[Effect]]] = {
    Audience.LEARNER: frozenset(
        {
            SetLanguage,
            SetStopped,
            Enrol,
            SaveCheckin,
            SaveMood,
            RaiseAlert,
            UpdateAlert,
            RequestContact,
            AnswerSchool,
            CodeRefused,
            EraseMyData,
            SetInvitations,
            SavePollAnswers,
        }
    ),
    Audience.STAFF: frozenset(
        {
            SetLanguage,
            SetStopped,
            LinkStaffRole,
            SaveStaffCheckin,
            CodeRefused,
            SendToLearner,
            AddAlertNote,
            EraseMyData,
        }
    ),
}


class EffectNotAllowed(LlaisError):
    """A turn produced an effect its audience may not apply (a programming or flow error)."""


@dataclass(frozen=True)
class ApplyContext:
    """Who the effects are for, and the policy they follow."""

    person: Person
    channel: str
    now: datetime
    settings: Settings  # how long alerts may wait for acknowledgement
    theme: str | None = None  # the theme of the turn's free text (nlu.themes), if it had any


def check_allowed(audience: Audience, effects: Sequence[Effect]) -> None:
    """Refuse the whole turn if any effect is not for ``audience``."""
    refused = sorted({type(e).__name__ for e in effects if type(e) not in ALLOWED[audience]})
    if refused:
        raise EffectNotAllowed(f"{', '.join(refused)} may not be applied for a {audience} turn")


def _merge(existing: Sequence[T], extra: Sequence[T]) -> list[T]:
    return sorted(set(existing) | set(extra))


def _raise_alert(session: AsyncSession, effect: RaiseAlert, ctx: ApplyContext) -> None:
    session.add(
        SafeguardingAlert(
            id=effect.alert_id,
            learner_ref=ctx.person.ref,
            school_id=ctx.person.school_id,
            year_group=ctx.person.year_group,
            level=effect.level,
            categories=sorted(effect.categories),
            cues=list(effect.cues),
            excerpt=effect.excerpt[:EXCERPT_CHARS],
            excerpts=[effect.excerpt[:EXCERPT_CHARS]],
            about_other=effect.about_other,
            channel=ctx.channel,
            contact_requested=False,
            created_at=ctx.now,
            status=AlertStatus.OPEN,
            escalation_step=0,
            next_escalation_at=ctx.now + timedelta(minutes=ctx.settings.ack_minutes(effect.level)),
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
        raised = max(effect.level, alert.level)  # never lowers
        if raised != alert.level and raised.urgent:
            alert.next_escalation_at = min(
                alert.next_escalation_at or ctx.now,
                ctx.now + timedelta(minutes=ctx.settings.ack_minutes(raised)),
            )
        alert.level = raised
    if effect.categories:
        alert.categories = _merge(alert.categories, effect.categories)
    if effect.cues:
        alert.cues = _merge(alert.cues, effect.cues)
    if effect.excerpt:
        kept = list(alert.excerpts or [alert.excerpt])
        if effect.excerpt[:EXCERPT_CHARS] not in kept and len(kept) < MAX_EXCERPTS:
            alert.excerpts = [*kept, effect.excerpt[:EXCERPT_CHARS]]  # a new list: JSON change
    if effect.about_other is not None:
        alert.about_other = alert.about_other and effect.about_other


async def apply_effects(session: AsyncSession, effects: list[Effect], ctx: ApplyContext) -> bool:
    """Apply effects in order; returns True when the person's data was erased."""
    person = ctx.person
    check_allowed(person.audience, effects)
    for effect in effects:
        match effect:
            case SetLanguage(language=language):
                person.language = language
            case SetStopped(stopped=stopped):
                person.stopped = stopped
            case Enrol(school_id=school_id, year_group=year_group, code=code):
                person.school_id, person.year_group = school_id, year_group
                repo.code_accepted(person)
                if code is not None:
                    await join_group(session, code=code, person_ref=person.ref, now=ctx.now)
            case CodeRefused():
                repo.code_refused(
                    person,
                    now=ctx.now,
                    limit=ctx.settings.code_attempts,
                    block=timedelta(minutes=ctx.settings.code_block_minutes),
                )
                log.info("%s code refused (%d in a row)", person.audience, person.code_failures)
            case LinkStaffRole(school_id=school_id, role=role, code=code):
                if code is not None and not await schools.spend_code(
                    session, code=code, by=person.ref, now=ctx.now
                ):
                    log.warning("invitation spent by someone else in the meantime: not linked")
                    continue
                person.school_id, person.role, person.linked_at = school_id, role, ctx.now
                repo.code_accepted(person)
            case SaveCheckin(answers=answers, comment=comment):
                await repo.save_checkin(
                    session,
                    person=person,
                    answers=answers,
                    comment=comment,
                    lowest_well=None,
                    now=ctx.now,
                    theme=ctx.theme,
                )
            case SaveStaffCheckin(answers=answers, lowest_well=lowest_well):
                await repo.save_checkin(
                    session,
                    person=person,
                    answers=answers,
                    comment=None,
                    lowest_well=lowest_well,
                    now=ctx.now,
                )
            case SaveMood(score=score, tags=tags, note=note):
                session.add(
                    MoodLog(
                        learner_ref=person.ref,
                        score=score,
                        tags=list(tags),
                        note=note,
                        logged_at=ctx.now,
                    )
                )
            case RaiseAlert():
                _raise_alert(session, effect, ctx)
            case UpdateAlert():
                await _update_alert(session, effect, ctx)
            case RequestContact():
                if person.school_id is not None:
                    session.add(
                        ContactRequest(
                            learner_ref=person.ref,
                            school_id=person.school_id,
                            year_group=person.year_group,
                            need=effect.need,
                            created_at=ctx.now,
                            status=RequestStatus.OPEN,
                            channel=ctx.channel,
                            first_name=effect.first_name,
                            form=effect.form,
                            reply_here=effect.reply_here,
                            step=0,
                        )
                    )
            case SetInvitations(on=on):
                await voice.set_invitations(session, person=person, on=on, now=ctx.now)
            case SavePollAnswers():
                await voice.save_poll_answers(session, person=person, effect=effect, now=ctx.now)
            case SendToLearner(thread=thread, text=text):
                sent = await threads.staff_sends(
                    session, staff=person, thread=thread, text=text, now=ctx.now
                )
                if sent is None:
                    log.warning("a staff message for a thread they may not write to: refused")
            case AddAlertNote(alert_id=alert_id, note=note):
                alert = await session.get(SafeguardingAlert, alert_id)
                if alert is not None and alert_events.may_handle(person, alert):
                    await alert_events.add_event(
                        session,
                        alert_id=alert_id,
                        kind=AlertEventKind.NOTE,
                        by=person,
                        at=ctx.now,
                        note=note,
                    )
                else:
                    log.warning("a note on an alert they may not handle: refused")
            case AnswerSchool(thread=thread, text=text):
                await threads.learner_answers(
                    session, learner=person, thread=thread, text=text, now=ctx.now
                )
            case EraseMyData():
                await session.flush()
                await rights.erase_person(session, ref=person.ref)
                return True
    await session.flush()
    return False
