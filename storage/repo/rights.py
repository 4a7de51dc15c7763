"""A person's data rights over everything stored about them: what ``/mydata`` counts, what
``/delete`` erases, and what is kept and why (``RETAINED``).

Which columns are about a person is one rule, applied to every table in ``storage.models`` by
``tests/storage/test_erasure.py``: a column refers to a person when it has a foreign key to
``people.ref``, is ``people.ref`` itself, is named ``*_ref`` or ``*_by`` (every such column here
holds a person's reference), or holds a channel address (``chat_id``, or a web ``mailbox``, a
keyed hash of the device id). A table with a foreign key to a table that has such a column is
about that person too, through its parent (``child<-parent``). Each finding is either erased by
:func:`erase_person` (the test seeds a row for two learners, erases one, and checks only that
one's rows are gone) or named in ``RETAINED`` with the reason. A table added later without a
decision fails the test.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, delete, distinct, func, or_, select, update

from core.channel import Channel
from core.vocabulary import OutboxStatus
from storage.db import AsyncSession
from storage.models import (
    Checkin,
    CheckinAnswer,
    ContactRequest,
    ConversationStateRow,
    EnrolmentCode,
    GroupMember,
    InvitationOptIn,
    MoodLog,
    OutboxMessage,
    Person,
    PollAnswer,
    ReplyAddress,
    SafeguardingAlert,
    SchoolMessage,
    WebMessage,
)

_SAFEGUARDING = (
    "part of the safeguarding record, which follows the school's safeguarding records policy "
    "(not Llais's retention); the learner is told so by /mydata and /delete"
)
_STAFF_ACTION = (
    "a member of staff acting in their role (who took, wrote, acknowledged or was sent "
    "something): the school's record of how a learner was helped; a pseudonymous reference, "
    "whose person row and voice data go when that member of staff erases theirs"
)

RETAINED: dict[str, str] = {
    "safeguarding_alerts.learner_ref": (
        f"{_SAFEGUARDING}. The reference stays as it was: after /delete nothing else stored is "
        "linked to it, but the same account would get the same reference again, so a safeguarding "
        "lead can see that a later concern comes from the same learner"
    ),
    "safeguarding_alerts.acknowledged_by": _STAFF_ACTION,
    "alert_deliveries.recipient_ref": f"{_STAFF_ACTION}; the alert's delivery log",
    "alert_deliveries<-safeguarding_alerts": (
        f"who was told about an alert, and when: {_SAFEGUARDING}"
    ),
    "alert_events.by_ref": f"{_STAFF_ACTION}; the chronology is append-only (UPDATE and DELETE "
    "are refused by the database)",
    "alert_events<-safeguarding_alerts": f"the alert's chronology: {_SAFEGUARDING}",
    "school_messages<-safeguarding_alerts": (
        f"messages between a safeguarding lead and the learner about an alert: {_SAFEGUARDING}"
    ),
    "school_messages.learner_ref": (
        "only on a safeguarding alert's thread (alert_id set), kept with the alert "
        "(school_messages<-safeguarding_alerts); messages on a request's thread are erased with "
        "the request (school_messages<-contact_requests)"
    ),
    "school_messages.staff_ref": _STAFF_ACTION,
    "contact_requests.taken_by": _STAFF_ACTION,
    "intervention_groups<-enrolment_codes": (
        "a school's group and its code belong to the school, not to a person; the only person "
        "column of a code (used_by, a single-use code's user) is erased"
    ),
    "processed_updates.key": (
        "not found by the rule, named because it is a channel id: a channel's update number "
        "('telegram:1234'), a sequence for the whole bot with no person reference and no content, "
        "so nothing links it to a learner; recording whose it was would add personal data. "
        "Forgotten after two days (storage.repo.updates.KEEP)"
    ),
}


@dataclass(frozen=True, slots=True)
class Held:
    """Counts of what is stored about a person, for ``/mydata``."""

    checkins: int
    moods: int
    notes: int  # check-in comments and mood notes
    alerts: int  # safeguarding records about them (kept when they erase their data)
    address: bool  # whether a chat id (or a web chat's mailbox) is kept
    polls: int = 0  # polls answered
    invitations: bool = False  # opted in to check-in invitations
    requests: int = 0  # requests to talk to someone at school
    school_messages: int = 0  # on a request's thread (erased with the learner)
    alert_messages: int = 0  # on a safeguarding alert's thread (kept with the alert)
    groups: int = 0
    sent: int = 0  # messages sent to them outside a reply (invitations, polls, school)
    pending: int = 0  # such messages still waiting to be sent
    web_messages: int = 0  # the web chat's transcript


async def _mailboxes(session: AsyncSession, ref: str) -> list[str]:
    return list(
        await session.scalars(
            select(ReplyAddress.chat_id).where(
                ReplyAddress.person_ref == ref, ReplyAddress.channel == Channel.WEB
            )
        )
    )


async def held(session: AsyncSession, *, ref: str) -> Held:
    """Counts of what is stored about the person."""

    async def count(*where: ColumnElement[bool]) -> int:
        return int(await session.scalar(select(func.count()).where(*where)) or 0)

    mailboxes = await _mailboxes(session, ref)
    polls = await session.scalar(
        select(func.count(distinct(PollAnswer.poll_id))).where(PollAnswer.person_ref == ref)
    )
    return Held(
        checkins=await count(Checkin.person_ref == ref),
        moods=await count(MoodLog.learner_ref == ref),
        notes=await count(Checkin.person_ref == ref, Checkin.comment.is_not(None))
        + await count(MoodLog.learner_ref == ref, MoodLog.note.is_not(None)),
        alerts=await count(SafeguardingAlert.learner_ref == ref),
        address=await count(ReplyAddress.person_ref == ref) > 0,
        polls=int(polls or 0),
        invitations=await count(InvitationOptIn.person_ref == ref) > 0,
        requests=await count(ContactRequest.learner_ref == ref),
        school_messages=await count(
            SchoolMessage.learner_ref == ref, SchoolMessage.alert_id.is_(None)
        ),
        alert_messages=await count(
            SchoolMessage.learner_ref == ref, SchoolMessage.alert_id.is_not(None)
        ),
        groups=await count(GroupMember.person_ref == ref),
        sent=await count(
            OutboxMessage.person_ref == ref, OutboxMessage.status != OutboxStatus.PENDING
        ),
        pending=await count(
            OutboxMessage.person_ref == ref, OutboxMessage.status == OutboxStatus.PENDING
        ),
        web_messages=await count(WebMessage.mailbox.in_(mailboxes)) if mailboxes else 0,
    )


async def erase_person(session: AsyncSession, *, ref: str) -> None:
    """Erase everything stored about the person, in the caller's transaction, except what
    ``RETAINED`` names (the safeguarding record and staff actions in it).

    Explicit deletes rather than foreign-key cascades, so SQLite and PostgreSQL do the same
    whatever a table's constraint says.
    """
    requests = select(ContactRequest.id).where(ContactRequest.learner_ref == ref)
    request_ids = list(await session.scalars(requests))
    request_messages = list(
        await session.scalars(
            select(SchoolMessage.id).where(
                or_(
                    SchoolMessage.request_id.in_(request_ids),
                    (SchoolMessage.learner_ref == ref) & SchoolMessage.alert_id.is_(None),
                )
            )
        )
    )
    # messages to staff about the learner's requests carry their first name, form or words
    about: list[ColumnElement[bool]] = [
        OutboxMessage.idempotency_key.like(f"req:{i}:%") for i in request_ids
    ]
    about += [OutboxMessage.idempotency_key == f"msg:{i}" for i in request_messages]
    await session.execute(delete(OutboxMessage).where(or_(OutboxMessage.person_ref == ref, *about)))
    mailboxes = await _mailboxes(session, ref)
    if mailboxes:
        await session.execute(delete(WebMessage).where(WebMessage.mailbox.in_(mailboxes)))
    await session.execute(delete(SchoolMessage).where(SchoolMessage.id.in_(request_messages)))
    await session.execute(delete(ContactRequest).where(ContactRequest.id.in_(request_ids)))
    await session.execute(
        delete(ConversationStateRow).where(ConversationStateRow.person_ref == ref)
    )
    await session.execute(delete(CheckinAnswer).where(CheckinAnswer.person_ref == ref))
    checkins = select(Checkin.id).where(Checkin.person_ref == ref).scalar_subquery()
    await session.execute(delete(CheckinAnswer).where(CheckinAnswer.checkin_id.in_(checkins)))
    await session.execute(delete(Checkin).where(Checkin.person_ref == ref))
    await session.execute(delete(MoodLog).where(MoodLog.learner_ref == ref))
    await session.execute(delete(PollAnswer).where(PollAnswer.person_ref == ref))
    await session.execute(delete(InvitationOptIn).where(InvitationOptIn.person_ref == ref))
    await session.execute(delete(GroupMember).where(GroupMember.person_ref == ref))
    # a spent single-use code stays spent (used_at), but no longer says by whom
    await session.execute(
        update(EnrolmentCode).where(EnrolmentCode.used_by == ref).values(used_by=None)
    )
    await session.execute(delete(ReplyAddress).where(ReplyAddress.person_ref == ref))
    await session.execute(delete(Person).where(Person.ref == ref))
