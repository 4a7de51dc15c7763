"""Migration 0004 moves learners and staff into one person store, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import command
from sqlalchemy import select

from core.vocabulary import Audience, Language, SpiceWell, StaffRole
from flows.effects import CheckinItem
from storage.db import make_engine, make_sessionmaker
from storage.migrate import alembic_config, upgrade_async
from storage.models import Checkin, CheckinAnswer, MoodLog, Person, ReplyAddress
from storage.repo import people
from storage.types import AwareDateTime

T0 = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
OLD = sa.MetaData()  # the tables as revision 0003 has them, enough to insert rows
SCHOOLS = sa.Table(
    "schools",
    OLD,
    sa.Column("id", sa.Integer),
    sa.Column("name", sa.String),
    sa.Column("name_cy", sa.String),
    sa.Column("created_at", AwareDateTime()),
)
LEARNERS = sa.Table(
    "learners",
    OLD,
    sa.Column("ref", sa.String),
    sa.Column("channel", sa.String),
    sa.Column("language", sa.String),
    sa.Column("school_id", sa.Integer),
    sa.Column("year_group", sa.Integer),
    sa.Column("stopped", sa.Boolean),
    sa.Column("created_at", AwareDateTime()),
)
ADDRESSES = sa.Table(
    "reply_addresses",
    OLD,
    sa.Column("learner_ref", sa.String),
    sa.Column("channel", sa.String),
    sa.Column("chat_id", sa.String),
)
CHECKINS = sa.Table(
    "checkins",
    OLD,
    sa.Column("id", sa.Integer),
    sa.Column("learner_ref", sa.String),
    sa.Column("completed_at", AwareDateTime()),
    sa.Column("comment", sa.Text),
)
ANSWERS = sa.Table(
    "checkin_answers",
    OLD,
    sa.Column("id", sa.Integer),
    sa.Column("checkin_id", sa.Integer),
    sa.Column("learner_ref", sa.String),
    sa.Column("domain", sa.String),
    sa.Column("item_id", sa.String),
    sa.Column("value", sa.Integer),
    sa.Column("answered_at", AwareDateTime()),
)
MOODS = sa.Table(
    "mood_logs",
    OLD,
    sa.Column("id", sa.Integer),
    sa.Column("learner_ref", sa.String),
    sa.Column("score", sa.Integer),
    sa.Column("tags", sa.JSON),
    sa.Column("note", sa.Text),
    sa.Column("logged_at", AwareDateTime()),
)
STAFF = sa.Table(
    "staff_members",
    OLD,
    sa.Column("ref", sa.String),
    sa.Column("channel", sa.String),
    sa.Column("language", sa.String),
    sa.Column("school_id", sa.Integer),
    sa.Column("role", sa.String),
    sa.Column("linked_at", AwareDateTime()),
    sa.Column("created_at", AwareDateTime()),
)
STAFF_ADDRESSES = sa.Table(
    "staff_addresses",
    OLD,
    sa.Column("staff_ref", sa.String),
    sa.Column("channel", sa.String),
    sa.Column("chat_id", sa.String),
)
STAFF_CHECKINS = sa.Table(
    "staff_checkins",
    OLD,
    sa.Column("id", sa.Integer),
    sa.Column("staff_ref", sa.String),
    sa.Column("school_id", sa.Integer),
    sa.Column("lowest_well", sa.String),
    sa.Column("completed_at", AwareDateTime()),
)
STAFF_ANSWERS = sa.Table(
    "staff_checkin_answers",
    OLD,
    sa.Column("id", sa.Integer),
    sa.Column("checkin_id", sa.Integer),
    sa.Column("staff_ref", sa.String),
    sa.Column("domain", sa.String),
    sa.Column("item_id", sa.String),
    sa.Column("value", sa.Integer),
    sa.Column("answered_at", AwareDateTime()),
)
ROWS: list[tuple[sa.Table, list[dict[str, object]]]] = [
    (SCHOOLS, [{"id": 1, "name": "Ysgol Prawf", "name_cy": "Ysgol Prawf", "created_at": T0}]),
    (
        LEARNERS,
        [
            {"ref": "L1", "channel": "telegram", "language": "cy", "school_id": 1,
             "year_group": 9, "stopped": False, "created_at": T0},
            {"ref": "L2", "channel": "terminal", "language": None, "school_id": None,
             "year_group": None, "stopped": True, "created_at": T0},
        ],
    ),
    (ADDRESSES, [{"learner_ref": "L1", "channel": "telegram", "chat_id": "1001"}]),
    (CHECKINS, [{"id": 1, "learner_ref": "L1", "completed_at": T0, "comment": "more clubs"}]),
    (
        ANSWERS,
        [{"id": 1, "checkin_id": 1, "learner_ref": "L1", "domain": "P", "item_id": "p_happy",
          "value": 7, "answered_at": T0}],
    ),
    (
        MOODS,
        [{"id": 1, "learner_ref": "L1", "score": 2, "tags": ["sleep"], "note": None,
          "logged_at": T0}],
    ),
    (
        STAFF,
        [
            {"ref": "S1", "channel": "staff-telegram", "language": "en", "school_id": 1,
             "role": "dsl", "linked_at": T0, "created_at": T0},
            {"ref": "S2", "channel": "staff-telegram", "language": "cy", "school_id": 1,
             "role": "staff", "linked_at": T0, "created_at": T0},
        ],
    ),
    (STAFF_ADDRESSES, [{"staff_ref": "S1", "channel": "staff-telegram", "chat_id": "2001"}]),
    (
        STAFF_CHECKINS,
        [{"id": 1, "staff_ref": "S2", "school_id": 1, "lowest_well": "creative",
          "completed_at": T0}],
    ),
    (
        STAFF_ANSWERS,
        [
            {"id": 1, "checkin_id": 1, "staff_ref": "S2", "domain": "mental", "item_id": "m1",
             "value": 4, "answered_at": T0},
            {"id": 2, "checkin_id": 1, "staff_ref": "S2", "domain": "financial",
             "item_id": "f1", "value": 2, "answered_at": T0},
        ],
    ),
]  # fmt: skip


async def _fill_0003(url: str) -> None:
    engine = make_engine(url)
    try:
        async with engine.begin() as conn:
            for table, rows in ROWS:
                await conn.execute(table.insert(), rows)
    finally:
        await engine.dispose()


async def test_learners_and_staff_at_0003_are_found_in_the_person_store(
    empty_database_url: str,
) -> None:
    url = empty_database_url
    await upgrade_async(url, "0003")
    await _fill_0003(url)
    await upgrade_async(url, "head")

    engine = make_engine(url)
    try:
        async with make_sessionmaker(engine)() as session:
            found = {p.ref: p for p in await session.scalars(select(Person))}
            addresses = {
                (a.person_ref, a.chat_id) for a in await session.scalars(select(ReplyAddress))
            }
            checkins = {c.person_ref: c for c in await session.scalars(select(Checkin))}
            answers = await session.scalars(select(CheckinAnswer).order_by(CheckinAnswer.id))
            by_checkin = [(a.checkin_id, a.person_ref, a.domain, a.value) for a in answers]
            mood = (await session.scalars(select(MoodLog))).one()

        assert set(found) == {"L1", "L2", "S1", "S2"}
        l1, l2, s1, s2 = found["L1"], found["L2"], found["S1"], found["S2"]
        assert (l1.audience, l1.language, l1.school_id, l1.year_group) == (
            Audience.LEARNER, Language.CY, 1, 9,
        )  # fmt: skip
        assert l1.role is None and l2.stopped and l2.channel == "terminal"
        assert (s1.audience, s1.role, s1.linked_at) == (Audience.STAFF, StaffRole.DSL, T0)
        assert s2.role is StaffRole.STAFF and s2.year_group is None and not s2.stopped
        assert addresses == {("L1", "1001"), ("S1", "2001")}
        learner_checkin, staff_checkin = checkins["L1"], checkins["S2"]
        assert (learner_checkin.audience, learner_checkin.school_id) == (Audience.LEARNER, 1)
        assert learner_checkin.comment == "more clubs" and learner_checkin.lowest_well is None
        assert (staff_checkin.audience, staff_checkin.lowest_well) == (
            Audience.STAFF, SpiceWell.CREATIVE,
        )  # fmt: skip
        assert staff_checkin.id != learner_checkin.id
        assert by_checkin == [
            (learner_checkin.id, "L1", "P", 7),
            (staff_checkin.id, "S2", "mental", 4),
            (staff_checkin.id, "S2", "financial", 2),
        ]
        assert (mood.learner_ref, mood.score, mood.tags) == ("L1", 2, ["sleep"])

        # new rows carry on after the moved ones (PostgreSQL's sequences were advanced)
        async with make_sessionmaker(engine)() as session, session.begin():
            person = await session.get(Person, "S2")
            assert person is not None
            item = CheckinItem("mental", "m2", 3)
            added = await people.save_checkin(
                session, person=person, answers=[item], comment=None, lowest_well=None, now=T0
            )
        assert added.id > staff_checkin.id
    finally:
        await engine.dispose()

    # and back: the old tables hold the rows again
    await asyncio.to_thread(command.downgrade, alembic_config(url), "0003")
    engine = make_engine(url)
    try:
        async with engine.connect() as conn:
            learners = (await conn.execute(sa.select(LEARNERS.c.ref))).scalars().all()
            staff = (await conn.execute(sa.select(STAFF.c.ref, STAFF.c.role))).all()
            staff_checkins = (await conn.execute(sa.select(STAFF_CHECKINS.c.staff_ref))).all()
            learner_checkins = (await conn.execute(sa.select(CHECKINS.c.learner_ref))).all()
    finally:
        await engine.dispose()
    assert sorted(learners) == ["L1", "L2"]
    assert sorted(staff) == [("S1", "dsl"), ("S2", "staff")]
    assert [row[0] for row in staff_checkins] == ["S2", "S2"]
    assert [row[0] for row in learner_checkins] == ["L1"]
