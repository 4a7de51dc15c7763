"""One effect dispatcher for every audience: an effect not for the person's audience is refused
before anything is written."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import async_sessionmaker

from core.settings import Settings
from core.vocabulary import Audience, Category, Language, RiskLevel, StaffRole
from flows.effects import (
    CheckinItem,
    Effect,
    LinkStaffRole,
    RaiseAlert,
    SaveStaffCheckin,
    SetLanguage,
)
from storage.apply import ALLOWED, ApplyContext, EffectNotAllowed, apply_effects
from storage.db import AsyncSession
from storage.models import Checkin, Person, SafeguardingAlert
from storage.repo import people

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
ALERT = RaiseAlert("a-1", RiskLevel.HIGH, (Category.ABUSE,), ("cue",), "excerpt")


def context(person: Person) -> ApplyContext:
    return ApplyContext(
        person=person, channel="telegram", now=NOW, settings=Settings(_env_file=None, demo=True)
    )


async def count(session: AsyncSession, model: type) -> int:
    return int(await session.scalar(select(func.count()).select_from(model)) or 0)


@pytest.mark.parametrize(
    ("audience", "refused"),
    [
        (Audience.STAFF, ALERT),  # a member of staff's own words never raise a learner alert
        (Audience.LEARNER, LinkStaffRole(1, StaffRole.DSL)),
        (Audience.LEARNER, SaveStaffCheckin((CheckinItem("mental", "m1", 1),), None)),
    ],
)
async def test_an_effect_not_for_the_audience_is_refused_before_anything_is_written(
    sessions: async_sessionmaker[AsyncSession], audience: Audience, refused: Effect
) -> None:
    assert type(refused) not in ALLOWED[audience]
    async with sessions() as session, session.begin():
        await people.create_person(
            session, ref="p1", audience=audience, channel="telegram", now=NOW
        )
    async with sessions() as session:
        person = await session.get(Person, "p1")
        assert person is not None
        with pytest.raises(EffectNotAllowed, match=type(refused).__name__):
            await apply_effects(session, [SetLanguage(Language.CY), refused], context(person))
        assert person.language is None  # the allowed effect before it was not applied either
        await session.commit()
    async with sessions() as session:
        stored = await session.get(Person, "p1")
        assert (
            stored is not None
            and stored.language is None
            and stored.role == (StaffRole.STAFF if audience is Audience.STAFF else None)
        )
        assert await count(session, SafeguardingAlert) == 0
        assert await count(session, Checkin) == 0


async def test_the_same_dispatcher_applies_each_audience_s_own_effects(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    async with sessions() as session, session.begin():
        learner = await people.create_person(
            session, ref="l1", audience=Audience.LEARNER, channel="telegram", now=NOW
        )
        member = await people.create_person(
            session, ref="s1", audience=Audience.STAFF, channel="staff-telegram", now=NOW
        )
        assert not await apply_effects(session, [ALERT], context(learner))
        link = LinkStaffRole(None, StaffRole.AUTHORITY)
        assert not await apply_effects(session, [link], context(member))
    async with sessions() as session:
        alert = await session.get(SafeguardingAlert, "a-1")
        stored = await session.get(Person, "s1")
    assert alert is not None and alert.learner_ref == "l1" and alert.level is RiskLevel.HIGH
    assert stored is not None and stored.role is StaffRole.AUTHORITY and stored.linked_at == NOW
