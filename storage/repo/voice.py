"""Learner voice in the database: opt-ins, schedules, calendars, polls, posts and campaign sends."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import and_, delete, func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from core.channel import Channel
from core.vocabulary import Audience, Language, OutboxPriority, OutboxStatus
from flows.effects import SavePollAnswers
from storage.db import AsyncSession
from storage.models import (
    Announcement,
    Campaign,
    InvitationOptIn,
    InviteSchedule,
    Person,
    Poll,
    PollAnswer,
    ReplyAddress,
    SchoolCalendar,
)
from storage.models.outbox import OutboxMessage

# ----- opt-ins and answers (effects of a learner's turn) -------------------------------------


async def set_invitations(
    session: AsyncSession, *, person: Person, on: bool, now: datetime
) -> None:
    """Opt the learner in to check-in invitations, or out (the default)."""
    existing = await session.get(InvitationOptIn, person.ref)
    if on and existing is None:
        session.add(InvitationOptIn(person_ref=person.ref, opted_in_at=now))
    elif not on and existing is not None:
        await session.delete(existing)


async def invitations_on(session: AsyncSession, *, ref: str) -> bool:
    """True when the learner opted in to invitations."""
    return await session.get(InvitationOptIn, ref) is not None


async def save_poll_answers(
    session: AsyncSession, *, person: Person, effect: SavePollAnswers, now: datetime
) -> None:
    """Store a learner's answers to a poll, once (a second go at the same poll is ignored)."""
    if await has_answered(session, poll_id=effect.poll_id, ref=person.ref):
        return
    rows: list[tuple[str, str | None, str | None]] = [
        (question, value, None) for question, value in effect.values
    ]
    rows += [(question, None, text) for question, text in effect.texts]
    for question, value, text in rows:
        session.add(
            PollAnswer(
                poll_id=effect.poll_id,
                person_ref=person.ref,
                school_id=person.school_id,
                year_group=person.year_group,
                question_id=question,
                value=value,
                text=text,
                answered_at=now,
            )
        )


async def has_answered(session: AsyncSession, *, poll_id: int, ref: str) -> bool:
    """True when the learner already answered the poll."""
    found = await session.scalar(
        select(PollAnswer.id).where(PollAnswer.poll_id == poll_id, PollAnswer.person_ref == ref)
    )
    return found is not None


# ----- schedules and calendars ---------------------------------------------------------------


async def add_schedule(
    session: AsyncSession,
    *,
    school_id: int,
    weekdays: Sequence[int],
    at_time: str,
    window_minutes: int,
    year_groups: Sequence[int],
    until: date,
    now: datetime,
) -> InviteSchedule:
    """A new check-in invitation schedule for a school."""
    schedule = InviteSchedule(
        school_id=school_id,
        weekdays=sorted(set(weekdays)),
        at_time=at_time,
        window_minutes=window_minutes,
        year_groups=sorted(set(year_groups)),
        until=until,
        active=True,
        created_at=now,
    )
    session.add(schedule)
    await session.flush()
    return schedule


async def active_schedules(session: AsyncSession, *, on: date) -> list[InviteSchedule]:
    """Schedules still running on ``on``."""
    found = await session.scalars(
        select(InviteSchedule)
        .where(InviteSchedule.active.is_(True), InviteSchedule.until >= on)
        .order_by(InviteSchedule.id)
    )
    return list(found)


async def school_schedules(session: AsyncSession, *, school_id: int) -> list[InviteSchedule]:
    """Every schedule of a school."""
    found = await session.scalars(
        select(InviteSchedule)
        .where(InviteSchedule.school_id == school_id)
        .order_by(InviteSchedule.id)
    )
    return list(found)


async def set_school_calendar(
    session: AsyncSession, *, school_id: int, document: dict[str, Any], source: str, now: datetime
) -> None:
    """Give a school its own term calendar (replacing any earlier one)."""
    existing = await session.get(SchoolCalendar, school_id)
    if existing is None:
        session.add(
            SchoolCalendar(school_id=school_id, document=document, source=source, updated_at=now)
        )
    else:
        existing.document, existing.source, existing.updated_at = document, source, now


async def school_calendar(session: AsyncSession, *, school_id: int) -> dict[str, Any] | None:
    """A school's own calendar document, or None (the authority's default applies)."""
    row = await session.get(SchoolCalendar, school_id)
    return row.document if row else None


# ----- polls -----------------------------------------------------------------------------------


async def create_poll(
    session: AsyncSession,
    *,
    definition: dict[str, Any],
    school_ids: Sequence[int],
    year_groups: Sequence[int],
    opens_at: datetime,
    closes_at: datetime,
    min_answers: int,
    now: datetime,
) -> Poll:
    """Store a validated poll."""
    poll = Poll(
        definition=definition,
        school_ids=sorted(set(school_ids)),
        year_groups=sorted(set(year_groups)),
        opens_at=opens_at,
        closes_at=closes_at,
        min_answers=min_answers,
        created_at=now,
    )
    session.add(poll)
    await session.flush()
    return poll


async def polls_after(session: AsyncSession, *, poll_id: int) -> list[Poll]:
    """Polls created after ``poll_id`` (to add them to the running flows)."""
    found = await session.scalars(select(Poll).where(Poll.id > poll_id).order_by(Poll.id))
    return list(found)


def poll_is_for(poll: Poll, *, school_id: int | None, year_group: int | None) -> bool:
    """True when the poll targets this school and year group."""
    if school_id is None or school_id not in poll.school_ids:
        return False
    return not poll.year_groups or year_group in poll.year_groups


async def open_polls(session: AsyncSession, *, now: datetime) -> list[Poll]:
    """Polls open at ``now``."""
    found = await session.scalars(
        select(Poll).where(Poll.opens_at <= now, Poll.closes_at > now).order_by(Poll.id)
    )
    return list(found)


async def poll_to_answer(session: AsyncSession, *, person: Person, now: datetime) -> Poll | None:
    """The oldest open poll for this learner that they have not answered yet."""
    for poll in await open_polls(session, now=now):
        if poll_is_for(poll, school_id=person.school_id, year_group=person.year_group):
            if not await has_answered(session, poll_id=poll.id, ref=person.ref):
                return poll
    return None


async def closed_without_results(session: AsyncSession, *, now: datetime) -> list[Poll]:
    """Polls past their close time whose results have not been worked out."""
    found = await session.scalars(
        select(Poll).where(Poll.closes_at <= now, Poll.results_at.is_(None)).order_by(Poll.id)
    )
    return list(found)


async def poll_answers(session: AsyncSession, *, poll_id: int) -> list[PollAnswer]:
    """Every answer to a poll."""
    found = await session.scalars(
        select(PollAnswer).where(PollAnswer.poll_id == poll_id).order_by(PollAnswer.id)
    )
    return list(found)


# ----- "you said, we did" --------------------------------------------------------------------


async def post_announcement(
    session: AsyncSession,
    *,
    school_id: int,
    text_en: str,
    text_cy: str,
    poll_id: int | None,
    theme: str | None,
    now: datetime,
) -> Announcement:
    """Store a school's "you said, we did" post."""
    post = Announcement(
        school_id=school_id,
        text_en=text_en,
        text_cy=text_cy,
        poll_id=poll_id,
        theme=theme,
        posted_at=now,
    )
    session.add(post)
    await session.flush()
    return post


async def announcements(
    session: AsyncSession, *, school_id: int | None = None, limit: int = 100
) -> list[Announcement]:
    """Posts, newest first: one school's, or every school's (officers)."""
    query = select(Announcement).order_by(Announcement.posted_at.desc(), Announcement.id.desc())
    if school_id is not None:
        query = query.where(Announcement.school_id == school_id)
    return list(await session.scalars(query.limit(limit)))


async def get_announcement(session: AsyncSession, *, post_id: int) -> Announcement | None:
    """One post."""
    return await session.get(Announcement, post_id)


# ----- recipients and campaign sends -----------------------------------------------------------


CAMPAIGN_CHANNELS = (Channel.TELEGRAM.value, Channel.WEB.value)
Recipient = tuple[str, str]  # (person ref, the channel they are reached on)


async def recipients(
    session: AsyncSession,
    *,
    school_ids: Iterable[int],
    year_groups: Sequence[int] = (),
    opted_in: bool = False,
    refs: Iterable[str] | None = None,
) -> list[Recipient]:
    """Learners of these schools (and year groups) who can be reached (the learner bot, or the
    web chat's mailbox) and did not stop messages; with ``opted_in`` only those who asked for
    invitations."""
    query = (
        select(Person.ref, ReplyAddress.channel)
        .join(
            ReplyAddress,
            and_(
                ReplyAddress.person_ref == Person.ref,
                ReplyAddress.channel == Person.channel,
            ),
        )
        .where(
            Person.audience == Audience.LEARNER,
            Person.stopped.is_(False),
            Person.channel.in_(CAMPAIGN_CHANNELS),
            Person.school_id.in_(list(school_ids)),
        )
    )
    if year_groups:
        query = query.where(Person.year_group.in_(list(year_groups)))
    if opted_in:
        query = query.join(InvitationOptIn, InvitationOptIn.person_ref == Person.ref)
    if refs is not None:
        query = query.where(Person.ref.in_(list(refs)))
    return [(ref, channel) for ref, channel in await session.execute(query.order_by(Person.ref))]


def _key(campaign: str, ref: str) -> str:
    return f"{campaign}:{ref}"


async def planned(session: AsyncSession, *, campaign: str) -> bool:
    """True when this campaign was planned already."""
    return await session.get(Campaign, campaign) is not None


async def enqueue(
    session: AsyncSession,
    *,
    campaign: str,
    to: Sequence[Recipient],
    message_key: str,
    params: dict[str, Any],
    now: datetime,
    expires_at: datetime | None = None,
) -> int:
    """Queue one outbox message per recipient (priority CAMPAIGN) and record the campaign as
    planned; a (campaign, recipient) already in the outbox is left alone. Returns how many
    were added."""
    message: dict[str, Any] = {"key": message_key, "params": params}
    if expires_at is not None:
        message["expires"] = expires_at.isoformat()  # an invitation's window end
    rows: list[dict[str, Any]] = [
        {
            "idempotency_key": _key(campaign, ref),
            "person_ref": ref,
            "audience": Audience.LEARNER.value,
            "channel": channel,
            "priority": int(OutboxPriority.CAMPAIGN),
            "message": message,
            "buttons": [],
            "text": None,
            "status": OutboxStatus.PENDING.value,
            "attempts": 0,
            "not_before": now,
            "created_at": now,
        }
        for ref, channel in to
    ]
    before = await _count(session, campaign)
    dialect = session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    for start in range(0, len(rows), 1000):
        statement = insert(OutboxMessage).on_conflict_do_nothing(index_elements=["idempotency_key"])
        await session.execute(statement, rows[start : start + 1000])
    added = await _count(session, campaign) - before
    existing = await session.get(Campaign, campaign)
    if existing is None:
        session.add(Campaign(key=campaign, planned_at=now, queued=added))
    else:
        existing.queued += added
    return added


def _of(campaign: str) -> Any:
    return OutboxMessage.idempotency_key.like(f"{campaign}:%")


async def _count(session: AsyncSession, campaign: str) -> int:
    found = await session.scalar(
        select(func.count()).select_from(OutboxMessage).where(_of(campaign))
    )
    return int(found or 0)


async def campaign_refs(
    session: AsyncSession, *, campaign: str, status: OutboxStatus | None = None
) -> list[str]:
    """The recipients of a campaign (with a given status)."""
    query = select(OutboxMessage.person_ref).where(_of(campaign))
    if status is not None:
        query = query.where(OutboxMessage.status == status)
    return list(await session.scalars(query))


@dataclass(frozen=True, slots=True)
class ClaimedSend:
    """A campaign message a sender holds until its lease ends: where it goes, in which language,
    and its text's catalogue key and parameters."""

    id: int
    campaign: str
    person_ref: str
    channel: str
    address: str  # a Telegram chat id, or the web chat's mailbox
    language: Language | None
    message: dict[str, Any]

    @property
    def expires_at(self) -> datetime | None:
        """When an invitation's window closes (it is not sent after that)."""
        expires = self.message.get("expires")
        return datetime.fromisoformat(expires) if expires else None


async def claim(
    session: AsyncSession,
    *,
    now: datetime,
    limit: int,
    lease: timedelta,
    channels: Collection[str] = CAMPAIGN_CHANNELS,
) -> list[ClaimedSend]:
    """Take up to ``limit`` due campaign messages from the outbox, oldest first, leased for
    ``lease`` as the outbox does (``not_before`` moves ahead, ``attempts`` goes up): a sender
    that dies leaves them to be claimed again. On PostgreSQL with SKIP LOCKED, so several
    senders never take the same message; SQLite serialises writers anyway."""
    due = (
        select(OutboxMessage)
        .where(
            OutboxMessage.status == OutboxStatus.PENDING,
            OutboxMessage.priority == int(OutboxPriority.CAMPAIGN),
            OutboxMessage.channel.in_(list(channels)),
            OutboxMessage.not_before <= now,
        )
        .order_by(OutboxMessage.not_before, OutboxMessage.id)
        .limit(limit)
    )
    if session.get_bind().dialect.name == "postgresql":
        due = due.with_for_update(skip_locked=True)
    messages = list(await session.scalars(due))
    if not messages:
        return []
    for message in messages:
        message.attempts += 1
        message.not_before = now + lease
    refs = {message.person_ref for message in messages}
    people = {
        (ref, channel): (language, stopped, chat_id)
        for ref, channel, language, stopped, chat_id in await session.execute(
            select(
                Person.ref,
                ReplyAddress.channel,
                Person.language,
                Person.stopped,
                ReplyAddress.chat_id,
            )
            .join(ReplyAddress, ReplyAddress.person_ref == Person.ref)
            .where(Person.ref.in_(refs))
        )
    }
    claimed: list[ClaimedSend] = []
    for message in messages:
        key = (message.person_ref, message.channel)
        language, stopped, chat_id = people.get(key, (None, True, None))
        if chat_id is None or stopped:
            # stopped messages (or erased their address) since it was queued
            message.status, message.last_error_kind = OutboxStatus.FAILED, "Stopped"
            continue
        campaign = message.idempotency_key.rsplit(":", 1)[0]
        claimed.append(
            ClaimedSend(
                message.id,
                campaign,
                message.person_ref,
                message.channel,
                chat_id,
                language,
                message.message,
            )
        )
    await session.flush()
    return claimed


async def finish(
    session: AsyncSession,
    *,
    ids: Sequence[int],
    now: datetime,
    sent: bool = True,
    reason: str | None = None,
) -> None:
    """Record the end of these campaign messages: sent, or given up (``reason``)."""
    if not ids:
        return
    values: dict[str, Any] = (
        {"status": OutboxStatus.SENT, "sent_at": now, "last_error_kind": None}
        if sent
        else {"status": OutboxStatus.FAILED, "last_error_kind": reason}
    )
    await session.execute(update(OutboxMessage).where(OutboxMessage.id.in_(ids)).values(**values))


async def retry_later(session: AsyncSession, *, ids: Sequence[int], at: datetime) -> None:
    """Put these messages back, due at ``at`` (quiet hours, a 429, a network failure)."""
    if ids:
        await session.execute(
            update(OutboxMessage).where(OutboxMessage.id.in_(ids)).values(not_before=at)
        )


async def stop_person(session: AsyncSession, *, ref: str) -> None:
    """The learner blocked the bot (Telegram 403): no more messages, no more invitations."""
    await session.execute(update(Person).where(Person.ref == ref).values(stopped=True))
    await session.execute(delete(InvitationOptIn).where(InvitationOptIn.person_ref == ref))


async def send_counts(session: AsyncSession, *, campaign: str) -> dict[str, int]:
    """How many of a campaign's messages are in each status."""
    query = (
        select(OutboxMessage.status, func.count())
        .where(_of(campaign))
        .group_by(OutboxMessage.status)
    )
    return {OutboxStatus(status).value: int(n) for status, n in await session.execute(query)}
