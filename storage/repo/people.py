"""People (learners and staff), their check-ins and moods, and where to reach them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select

from core.errors import NotFoundError
from core.thresholds import checkin_mean_is_low, mood_is_low
from core.vocabulary import Audience, SpiceWell, StaffRole
from flows.effects import CheckinItem
from storage.db import AsyncSession
from storage.models import (
    Checkin,
    CheckinAnswer,
    MoodLog,
    Person,
    ReplyAddress,
)


async def get_person(session: AsyncSession, *, ref: str) -> Person | None:
    """The person with this reference, or None."""
    return await session.get(Person, ref)


async def create_person(
    session: AsyncSession, *, ref: str, audience: Audience, channel: str, now: datetime
) -> Person:
    """Record a new pseudonymous person (a member of staff starts in the plain staff role)."""
    role = StaffRole.STAFF if audience is Audience.STAFF else None
    person = Person(
        ref=ref, audience=audience, channel=channel, role=role, stopped=False, created_at=now
    )
    session.add(person)
    await session.flush()
    return person


async def keep_address(
    session: AsyncSession, *, person: Person, channel: str, chat_id: str
) -> None:
    """Remember where to reach the person, apart from voice data.

    Learners are answered where they wrote; a member of staff's chat id is kept only while
    their role receives safeguarding alerts or learners' requests, and forgotten otherwise.
    """
    if person.audience is Audience.STAFF and not (person.role and person.role.keeps_address):
        await session.execute(delete(ReplyAddress).where(ReplyAddress.person_ref == person.ref))
        return
    address = await session.get(ReplyAddress, (person.ref, channel))
    if address is None:
        session.add(ReplyAddress(person_ref=person.ref, channel=channel, chat_id=chat_id))
    elif address.chat_id != chat_id:
        address.chat_id = chat_id


async def save_checkin(
    session: AsyncSession,
    *,
    person: Person,
    answers: Sequence[CheckinItem],
    comment: str | None,
    lowest_well: SpiceWell | None,
    now: datetime,
    theme: str | None = None,
) -> Checkin:
    """Store a check-in with the person's audience and current school, and its answers."""
    checkin = Checkin(
        person_ref=person.ref,
        audience=person.audience,
        school_id=person.school_id,
        completed_at=now,
        comment=comment,
        theme=theme if comment else None,
        lowest_well=lowest_well,
    )
    session.add(checkin)
    await session.flush()
    session.add_all(
        CheckinAnswer(
            checkin_id=checkin.id,
            person_ref=person.ref,
            domain=answer.domain,
            item_id=answer.item_id,
            value=answer.value,
            answered_at=now,
        )
        for answer in answers
    )
    return checkin


async def checkin_count(session: AsyncSession, *, ref: str) -> int:
    """How many check-ins the person has completed."""
    count = await session.scalar(select(func.count()).where(Checkin.person_ref == ref))
    return int(count or 0)


async def low_streak(session: AsyncSession, *, ref: str, window: int = 10) -> int:
    """How many of the learner's latest check-ins and moods in a row were low."""
    moods = (
        await session.execute(
            select(MoodLog.logged_at, MoodLog.score)
            .where(MoodLog.learner_ref == ref)
            .order_by(MoodLog.logged_at.desc())
            .limit(window)
        )
    ).all()
    checkins = (
        await session.execute(
            select(Checkin.completed_at, func.avg(CheckinAnswer.value))
            .join(CheckinAnswer, CheckinAnswer.checkin_id == Checkin.id)
            .where(Checkin.person_ref == ref)
            .group_by(Checkin.id, Checkin.completed_at)
            .order_by(Checkin.completed_at.desc())
            .limit(window)
        )
    ).all()
    events = sorted(
        [(at, mood_is_low(score)) for at, score in moods]
        + [(at, checkin_mean_is_low(float(mean))) for at, mean in checkins],
        key=lambda pair: pair[0],
        reverse=True,
    )
    streak = 0
    for _, low in events:
        if not low:
            break
        streak += 1
    return streak


async def list_staff(session: AsyncSession, *, school_id: int | None = None) -> list[Person]:
    """Linked staff (everyone not in the plain staff role without a school), oldest link first."""
    query = select(Person).where(Person.audience == Audience.STAFF, Person.linked_at.is_not(None))
    if school_id is not None:
        query = query.where(Person.school_id == school_id)
    return list(await session.scalars(query.order_by(Person.linked_at, Person.ref)))


async def unlink_staff(session: AsyncSession, *, ref_prefix: str) -> Person:
    """Take a member of staff's role and school away (their chat id goes with it)."""
    found = list(
        await session.scalars(
            select(Person).where(
                Person.audience == Audience.STAFF, Person.ref.startswith(ref_prefix)
            )
        )
    )
    if len(found) != 1:
        raise NotFoundError(
            f"{len(found)} members of staff have a reference starting {ref_prefix!r}."
        )
    [person] = found
    person.role, person.school_id, person.linked_at = StaffRole.STAFF, None, None
    await session.execute(delete(ReplyAddress).where(ReplyAddress.person_ref == person.ref))
    return person


def code_refused(person: Person, *, now: datetime, limit: int, block: timedelta) -> None:
    """Count a wrong code; at ``limit`` in a row, codes are refused for ``block``."""
    person.code_failures = (person.code_failures or 0) + 1
    if person.code_failures >= limit:
        person.code_failures = 0
        person.code_blocked_until = now + block


def code_accepted(person: Person) -> None:
    """A right code clears the count."""
    person.code_failures, person.code_blocked_until = 0, None
