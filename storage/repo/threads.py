"""Messages between a member of staff and a learner, kept with their request or alert, and
queued through the outbox to the other side (the learner's account is never shown to staff)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from core.channel import Channel
from core.vocabulary import (
    AlertEventKind,
    Audience,
    MessageDirection,
    OutboxPriority,
    RequestStatus,
    StaffRole,
)
from storage.db import AsyncSession
from storage.models import ContactRequest, Person, SafeguardingAlert, SchoolMessage
from storage.repo import alert_events
from storage.repo.outbox import enqueue

REQUEST, ALERT = "r", "a"


@dataclass(frozen=True, slots=True)
class Thread:
    """What a thread payload ("r:12", "a:<uuid>") points at."""

    kind: str
    request: ContactRequest | None = None
    alert: SafeguardingAlert | None = None

    @property
    def learner_ref(self) -> str:
        if self.request is not None:
            return self.request.learner_ref
        assert self.alert is not None
        return self.alert.learner_ref

    @property
    def channel(self) -> str:
        if self.request is not None:
            return self.request.channel or Channel.TELEGRAM
        assert self.alert is not None
        return self.alert.channel

    @property
    def label(self) -> dict[str, str]:
        """How staff are told which thread a message belongs to, in both languages."""
        if self.request is not None:
            year = self.request.year_group
            return {
                "en": f"request {self.request.id}, Year {year}",
                "cy": f"cais {self.request.id}, Blwyddyn {year}",
            }
        assert self.alert is not None
        return {"en": f"alert {self.alert.id[:8]}", "cy": f"rhybudd {self.alert.id[:8]}"}


async def _record(
    session: AsyncSession,
    found: Thread,
    *,
    staff_ref: str,
    direction: MessageDirection,
    text: str,
    now: datetime,
    by: Person | None,
) -> SchoolMessage:
    """Store one message of the thread; on an alert's thread, note it in the alert's history."""
    message = SchoolMessage(
        request_id=found.request.id if found.request else None,
        alert_id=found.alert.id if found.alert else None,
        learner_ref=found.learner_ref,
        staff_ref=staff_ref,
        direction=direction,
        text=text,
        created_at=now,
    )
    session.add(message)
    await session.flush()
    if found.alert is not None:
        kind = (
            AlertEventKind.MESSAGE
            if direction is MessageDirection.TO_LEARNER
            else AlertEventKind.ANSWER
        )
        await alert_events.add_event(
            session,
            alert_id=found.alert.id,
            kind=kind,
            by=by,
            at=now,
            detail=f"message {message.id}",
        )
    return message


def thread_id(kind: str, ident: object) -> str:
    """The payload naming a request's or an alert's thread."""
    return f"{kind}:{ident}"


async def find(session: AsyncSession, thread: str) -> Thread | None:
    """The request or alert a thread payload names, or None."""
    kind, _, ident = thread.partition(":")
    if kind == REQUEST and ident.isdigit():
        request = await session.get(ContactRequest, int(ident))
        return Thread(kind, request=request) if request is not None else None
    if kind == ALERT and ident:
        alert = await session.get(SafeguardingAlert, ident)
        return Thread(kind, alert=alert) if alert is not None else None
    return None


def may_write(staff: Person, found: Thread) -> bool:
    """The member of staff who took a request; a safeguarding lead for an alert."""
    if found.request is not None:
        return found.request.taken_by == staff.ref and found.request.status is RequestStatus.TAKEN
    assert found.alert is not None
    return alert_events.may_handle(staff, found.alert)


def _who(role: StaffRole | None) -> dict[str, str]:
    return {"key": f"school.who_{(role or StaffRole.STAFF).value}"}


async def staff_sends(
    session: AsyncSession,
    *,
    staff: Person,
    thread: str,
    text: str,
    now: datetime,
    template: str | None = None,
) -> SchoolMessage | None:
    """Store the message with its thread and queue it for the learner; None if not allowed.

    A ``template`` (a catalogue key) is sent in the learner's language; ``text`` then records
    what it says in English.
    """
    found = await find(session, thread)
    if found is None or not may_write(staff, found):
        return None
    message = await _record(
        session,
        found,
        staff_ref=staff.ref,
        direction=MessageDirection.TO_LEARNER,
        text=text,
        now=now,
        by=staff,
    )
    if await session.get(Person, found.learner_ref) is not None:  # not erased meanwhile
        await enqueue(
            session,
            key=f"msg:{message.id}",
            person_ref=found.learner_ref,
            audience=Audience.LEARNER,
            channel=found.channel,
            priority=OutboxPriority.REPLY,
            message_key="school.staff_says",
            params={"who": _who(staff.role), **({"text": {"key": template}} if template else {})},
            text=None if template else text,
            buttons=[[{"key": "school.answer_button", "payload": f"answer:{thread}"}]],
            now=now,
        )
    return message


async def learner_answers(
    session: AsyncSession, *, learner: Person, thread: str, text: str, now: datetime
) -> SchoolMessage | None:
    """Store the learner's answer and queue it for the member of staff who wrote last."""
    found = await find(session, thread)
    if found is None or found.learner_ref != learner.ref:
        return None
    column = (
        SchoolMessage.request_id == found.request.id
        if found.request is not None
        else SchoolMessage.alert_id == (found.alert.id if found.alert else None)
    )
    staff_ref = await session.scalar(
        select(SchoolMessage.staff_ref)
        .where(column, SchoolMessage.direction == MessageDirection.TO_LEARNER)
        .order_by(SchoolMessage.id.desc())
        .limit(1)
    )
    if staff_ref is None and found.request is not None:
        staff_ref = found.request.taken_by
    if staff_ref is None:
        return None
    message = await _record(
        session,
        found,
        staff_ref=staff_ref,
        direction=MessageDirection.TO_STAFF,
        text=text,
        now=now,
        by=None,
    )
    if await session.get(Person, staff_ref) is not None:
        await enqueue(
            session,
            key=f"msg:{message.id}",
            person_ref=staff_ref,
            audience=Audience.STAFF,
            channel=Channel.STAFF_TELEGRAM,
            priority=OutboxPriority.REPLY,
            message_key="school.learner_says",
            params={"thread": found.label},
            text=text,
            buttons=[[{"key": "school.write_button", "payload": f"write:{thread}"}]],
            now=now,
        )
    return message


async def messages_of(session: AsyncSession, *, thread: str) -> list[SchoolMessage]:
    """Every message of a thread, oldest first."""
    kind, _, ident = thread.partition(":")
    column = (
        SchoolMessage.request_id == int(ident)
        if kind == REQUEST and ident.isdigit()
        else SchoolMessage.alert_id == ident
    )
    return list(
        await session.scalars(select(SchoolMessage).where(column).order_by(SchoolMessage.id))
    )
