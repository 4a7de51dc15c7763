"""Erasure reaches every table about a person, or the table is kept on purpose with a reason.

The rule (``storage.repo.rights``): a column refers to a person when it has a foreign key to
``people.ref`` (or is it), is named ``*_ref`` or ``*_by``, or is a channel address (``chat_id``,
``mailbox``); a table with a foreign key to a table that has such a column is about the person
through its parent (``child<-parent``). Every finding must be in ``ERASED`` (proved below by
seeding rows for two learners, erasing one, and checking that only that one's rows are gone) or
in ``storage.repo.rights.RETAINED``. On SQLite and PostgreSQL.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Column, ForeignKey, Integer, MetaData, String, Table, func, or_, select
from sqlalchemy.ext.asyncio import async_sessionmaker

from core.channel import Channel
from core.vocabulary import (
    AlertEventKind,
    AlertStatus,
    Audience,
    CodeKind,
    MessageDirection,
    OutboxStatus,
    RequestStatus,
    RiskLevel,
    StaffRole,
)
from storage.db import AsyncSession
from storage.models import (
    AlertDelivery,
    AlertEvent,
    Author,
    Base,
    Checkin,
    CheckinAnswer,
    ContactRequest,
    ConversationStateRow,
    EnrolmentCode,
    GroupMember,
    InterventionGroup,
    InvitationOptIn,
    MoodLog,
    OutboxMessage,
    Person,
    Poll,
    PollAnswer,
    ProcessedUpdate,
    ReplyAddress,
    SafeguardingAlert,
    School,
    SchoolMessage,
    WebMessage,
)
from storage.repo.rights import RETAINED, erase_person

NOW = datetime(2026, 11, 25, 10, 30, tzinfo=UTC)
ADDRESS_COLUMNS = frozenset({"chat_id", "mailbox"})

# what erase_person removes (each proved by the seeding test below)
ERASED = frozenset(
    {
        "people.ref",
        "reply_addresses.person_ref",
        "reply_addresses.chat_id",
        "conversation_states.person_ref",
        "checkins.person_ref",
        "checkin_answers.person_ref",
        "checkin_answers<-checkins",
        "mood_logs.learner_ref",
        "poll_answers.person_ref",
        "invitation_optins.person_ref",
        "group_members.person_ref",
        "enrolment_codes.used_by",
        "contact_requests.learner_ref",
        "school_messages<-contact_requests",
        "outbox.person_ref",
        "web_messages.mailbox",
    }
)


def refers_to_a_person(table: Table, column: Column[object]) -> bool:
    """The naming rule: a foreign key to people.ref, ``*_ref``, ``*_by`` or a channel address."""
    to_people = any(
        fk.column.table.name == "people" and fk.column.name == "ref" for fk in column.foreign_keys
    )
    name = column.name
    return (
        to_people
        or (table.name == "people" and name == "ref")
        or name.endswith(("_ref", "_by"))
        or name in ADDRESS_COLUMNS
    )


def person_columns(table: Table) -> list[str]:
    return [c.name for c in table.columns if refers_to_a_person(table, c)]


def findings(metadata: MetaData) -> set[str]:
    """Every ``table.column`` about a person, and every ``child<-parent`` through a parent."""
    direct = {t.name: person_columns(t) for t in metadata.sorted_tables}
    found = {f"{table}.{column}" for table, columns in direct.items() for column in columns}
    for table in metadata.sorted_tables:
        for fk in table.foreign_keys:
            parent = fk.column.table.name
            if parent not in (table.name, "people") and direct.get(parent):
                found.add(f"{table.name}<-{parent}")
    return found


def undecided(metadata: MetaData) -> set[str]:
    return findings(metadata) - ERASED - set(RETAINED)


def test_every_table_about_a_person_is_erased_or_kept_with_a_reason() -> None:
    assert undecided(Base.metadata) == set()
    assert not ERASED & set(RETAINED)
    assert findings(Base.metadata) >= ERASED  # no stale claim
    tables = Base.metadata.tables
    for key, reason in RETAINED.items():
        assert len(reason) > 40, key  # a reason, not a placeholder
        if "<-" in key:
            child, parent = key.split("<-")
            assert {child, parent} <= set(tables), key
        else:
            table, column = key.split(".")
            assert column in tables[table].columns, key


def test_a_table_added_without_a_decision_is_found() -> None:
    metadata = MetaData()
    for table in Base.metadata.sorted_tables:
        table.to_metadata(metadata)
    Table(
        "diary_entries",
        metadata,
        Column("id", Integer, primary_key=True),
        Column("owner", String(64), ForeignKey("people.ref")),
    )
    Table(
        "diary_tags",
        metadata,
        Column("id", Integer, primary_key=True),
        Column("entry_id", Integer, ForeignKey("diary_entries.id")),
    )
    Table("device_links", metadata, Column("chat_id", String(64), primary_key=True))
    assert undecided(metadata) == {
        "diary_entries.owner",
        "diary_tags<-diary_entries",
        "device_links.chat_id",
    }


class Learner:
    """One seeded learner: their reference and the web chat mailbox that is their address."""

    def __init__(self, name: str) -> None:
        self.ref = f"learner-{name}".ljust(64, "0")
        self.mailbox = f"web-{name}"
        self.request_id = 0
        self.message_id = 0
        self.alert_id = f"alert-{name}"

    def ident(self, column: str) -> str:
        return self.mailbox if column in ADDRESS_COLUMNS else self.ref


async def _seed(session: AsyncSession, learner: Learner, staff: Person, poll: Poll) -> None:
    """One of every kind of row about ``learner``."""
    school_id = staff.school_id
    assert school_id is not None
    session.add(
        Person(
            ref=learner.ref,
            audience=Audience.LEARNER,
            channel=Channel.WEB,
            school_id=school_id,
            year_group=8,
            stopped=False,
            created_at=NOW,
        )
    )
    await session.flush()
    session.add(ReplyAddress(person_ref=learner.ref, channel=Channel.WEB, chat_id=learner.mailbox))
    session.add(ConversationStateRow(person_ref=learner.ref, state={}, updated_at=NOW))
    checkin = Checkin(
        person_ref=learner.ref, audience=Audience.LEARNER, completed_at=NOW, comment="more clubs"
    )
    session.add(checkin)
    await session.flush()
    session.add(
        CheckinAnswer(
            checkin_id=checkin.id,
            person_ref=learner.ref,
            domain="P",
            item_id="p1",
            value=7,
            answered_at=NOW,
        )
    )
    session.add(MoodLog(learner_ref=learner.ref, score=3, tags=["sleep"], logged_at=NOW))
    session.add(
        PollAnswer(
            poll_id=poll.id,
            person_ref=learner.ref,
            question_id="q",
            value="yes",
            answered_at=NOW,
        )
    )
    session.add(InvitationOptIn(person_ref=learner.ref, opted_in_at=NOW))
    code = EnrolmentCode(
        code=f"GROUP-{learner.mailbox}".upper(), school_id=school_id, kind=CodeKind.LEARNER
    )
    spent = EnrolmentCode(
        code=f"ONCE-{learner.mailbox}".upper(),
        school_id=school_id,
        kind=CodeKind.LEARNER,
        single_use=True,
        used_at=NOW,
        used_by=learner.ref,
    )
    session.add_all([code, spent])
    await session.flush()
    group = InterventionGroup(
        school_id=school_id,
        name=f"group of {learner.mailbox}",
        kind="elsa",
        code=code.code,
        pre_period="2026-27.autumn.1",
        post_period="2026-27.autumn.2",
        created_at=NOW,
    )
    session.add(group)
    await session.flush()
    session.add(GroupMember(group_id=group.id, person_ref=learner.ref, joined_at=NOW))
    request = ContactRequest(
        learner_ref=learner.ref,
        school_id=school_id,
        year_group=8,
        created_at=NOW,
        status=RequestStatus.TAKEN,
        channel=Channel.WEB,
        first_name="Sam",
        form="8B",
        taken_by=staff.ref,
        taken_at=NOW,
    )
    session.add(request)
    await session.flush()
    learner.request_id = request.id
    message = SchoolMessage(
        request_id=request.id,
        learner_ref=learner.ref,
        staff_ref=staff.ref,
        direction=MessageDirection.TO_STAFF,
        text="can we talk at lunch",
        created_at=NOW,
    )
    session.add(message)
    session.add(
        SafeguardingAlert(
            id=learner.alert_id,
            learner_ref=learner.ref,
            school_id=school_id,
            year_group=8,
            level=RiskLevel.HIGH,
            categories=[],
            cues=[],
            excerpt="something worrying",
            excerpts=["something worrying"],
            channel=Channel.WEB,
            created_at=NOW,
            status=AlertStatus.ACKNOWLEDGED,
            acknowledged_at=NOW,
            acknowledged_by=staff.ref,
        )
    )
    await session.flush()
    learner.message_id = message.id
    session.add(
        AlertDelivery(
            alert_id=learner.alert_id,
            recipient_ref=staff.ref,
            role=StaffRole.DSL,
            step=0,
            digest="d",
            sent_at=NOW,
        )
    )
    session.add(
        AlertEvent(
            alert_id=learner.alert_id,
            at=NOW,
            by_ref=staff.ref,
            by_role=StaffRole.DSL,
            kind=AlertEventKind.ACKNOWLEDGED,
        )
    )
    session.add(
        SchoolMessage(
            alert_id=learner.alert_id,
            learner_ref=learner.ref,
            staff_ref=staff.ref,
            direction=MessageDirection.TO_LEARNER,
            text="are you OK?",
            created_at=NOW,
        )
    )
    outbox = [
        (f"campaign:{learner.ref}", learner.ref, OutboxStatus.SENT, None),
        (f"msg:school:{learner.ref}", learner.ref, OutboxStatus.PENDING, "see you at lunch"),
        # to staff, about the learner's request and in their words
        (f"req:{request.id}:to:0:{staff.ref}", staff.ref, OutboxStatus.SENT, None),
        (f"msg:{message.id}", staff.ref, OutboxStatus.PENDING, "can we talk at lunch"),
    ]
    for key, to, status, text in outbox:
        session.add(
            OutboxMessage(
                idempotency_key=key,
                person_ref=to,
                audience=Audience.LEARNER if to == learner.ref else Audience.STAFF,
                channel=Channel.WEB if to == learner.ref else Channel.STAFF_TELEGRAM,
                priority=5,
                message={"params": {}},
                buttons=[],
                text=text,
                status=status,
                attempts=0,
                not_before=NOW,
                created_at=NOW,
            )
        )
    for author in (Author.LEARNER, Author.LLAIS):
        session.add(WebMessage(mailbox=learner.mailbox, author=author, text="hi", created_at=NOW))


async def _about(session: AsyncSession, key: str, learner: Learner) -> int:
    """How many rows under ``key`` are about ``learner`` (the rule applied to the data)."""
    tables = Base.metadata.tables
    if "<-" in key:
        child_name, parent_name = key.split("<-")
        child, parent = tables[child_name], tables[parent_name]
        own = or_(*(parent.c[c] == learner.ident(c) for c in person_columns(parent)))
        links = [
            child.c[fk.parent.name].in_(select(fk.column).where(own))
            for fk in child.foreign_keys
            if fk.column.table is parent
        ]
        query = select(func.count()).select_from(child).where(or_(*links))
    else:
        table_name, column = key.split(".")
        table = tables[table_name]
        query = (
            select(func.count()).select_from(table).where(table.c[column] == learner.ident(column))
        )
    return int(await session.scalar(query) or 0)


async def _outbox_keys(session: AsyncSession) -> set[str]:
    return set(await session.scalars(select(OutboxMessage.idempotency_key)))


@pytest.fixture
async def seeded(
    sessions: async_sessionmaker[AsyncSession],
) -> tuple[Learner, Learner, str]:
    anna, ben = Learner("anna"), Learner("ben")
    async with sessions() as session, session.begin():
        school = School(name="Ysgol Prawf", name_cy="Ysgol Prawf", created_at=NOW)
        session.add(school)
        await session.flush()
        staff = Person(
            ref="staff-dsl".ljust(64, "0"),
            audience=Audience.STAFF,
            channel=Channel.STAFF_TELEGRAM,
            school_id=school.id,
            role=StaffRole.DSL,
            stopped=False,
            created_at=NOW,
        )
        poll = Poll(
            definition={},
            school_ids=[school.id],
            year_groups=[],
            opens_at=NOW,
            closes_at=NOW + timedelta(days=7),
            min_answers=1,
            created_at=NOW,
        )
        session.add_all([staff, poll])
        await session.flush()
        for learner in (anna, ben):
            await _seed(session, learner, staff, poll)
        session.add(ProcessedUpdate(key="web:1", processed_at=NOW))
    return anna, ben, staff.ref


async def test_erase_person_removes_one_learners_rows_and_only_theirs(
    sessions: async_sessionmaker[AsyncSession], seeded: tuple[Learner, Learner, str]
) -> None:
    anna, ben, _ = seeded
    async with sessions() as session:
        before = {
            k: (await _about(session, k, anna), await _about(session, k, ben)) for k in ERASED
        }
        kept = {k: await _about(session, k, anna) for k in RETAINED if k in findings(Base.metadata)}
    for key, (mine, theirs) in before.items():
        assert mine > 0 and theirs > 0, f"{key}: nothing seeded, so nothing proved"

    async with sessions() as session, session.begin():
        await erase_person(session, ref=anna.ref)

    async with sessions() as session:
        for key, (_, theirs) in before.items():
            assert await _about(session, key, anna) == 0, key
            assert await _about(session, key, ben) == theirs, key
        for key, count in kept.items():
            if count:  # what is kept about Anna is still there
                assert await _about(session, key, anna) > 0, key
        keys = await _outbox_keys(session)
        assert f"req:{anna.request_id}:to:0:" not in " ".join(keys)
        assert f"msg:{anna.message_id}" not in keys
        assert f"req:{ben.request_id}:to:0:" in " ".join(keys) and f"msg:{ben.message_id}" in keys
        alert = await session.get(SafeguardingAlert, anna.alert_id)
        assert alert is not None and alert.learner_ref == anna.ref  # the record and its reference
        on_alert = await session.scalars(
            select(SchoolMessage.text).where(SchoolMessage.alert_id == anna.alert_id)
        )
        assert list(on_alert) == ["are you OK?"]
        assert await session.scalar(select(func.count()).select_from(AlertEvent)) == 2
        assert await session.scalar(select(func.count()).select_from(AlertDelivery)) == 2
        spent = await session.get(EnrolmentCode, "ONCE-WEB-ANNA")
        assert spent is not None and spent.used_at is not None and spent.used_by is None
        assert not spent.usable(by=anna.ref, now=NOW)  # still spent, for anyone
        assert await session.get(ProcessedUpdate, "web:1") is not None


async def test_a_member_of_staff_erasing_leaves_their_actions_in_the_schools_record(
    sessions: async_sessionmaker[AsyncSession], seeded: tuple[Learner, Learner, str]
) -> None:
    anna, _, staff = seeded
    async with sessions() as session, session.begin():
        await erase_person(session, ref=staff)
    async with sessions() as session:
        assert await session.get(Person, staff) is None
        assert (
            await session.scalar(select(func.count()).where(OutboxMessage.person_ref == staff)) == 0
        )  # nothing more goes to them
        for column in (
            AlertEvent.by_ref,
            AlertDelivery.recipient_ref,
            SafeguardingAlert.acknowledged_by,
            ContactRequest.taken_by,
            SchoolMessage.staff_ref,
        ):
            kept = await session.scalar(select(func.count()).where(column == staff))
            assert kept, column
        assert await _about(session, "contact_requests.learner_ref", anna) == 1  # Anna's own
