"""Intervention groups: a learner who types a group's code joins it through the real learner
flow; pre/post PERMA is published under the rule, and a small group says only that it is small."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import func, select

from core.vocabulary import Audience
from llais.app import App
from llais.insight.groups import group_report, kind_report
from llais.insight.service import InsightService
from storage.models import Checkin, CheckinAnswer, GroupMember, Person, School
from storage.repo.groups import create_group
from storage.repo.rights import erase_person
from tests.llais.test_conversation import enrol
from tests.support.learner import PlayedLearner

PRE, POST = "2025-26.autumn.1", "2025-26.spring.1"
PRE_AT = datetime(2025, 9, 20, 10, tzinfo=UTC)
POST_AT = datetime(2026, 1, 20, 10, tzinfo=UTC)


async def _group(app: App, name: str = "ELSA Year 8 spring", kind: str = "ELSA") -> tuple[int, str]:
    async with app.sessions() as session, session.begin():
        school = await session.scalar(select(School.id).where(School.name == "Ysgol Llais Demo"))
        assert school is not None
        group = await create_group(
            session,
            school_id=school,
            name=name,
            kind=kind,
            year_group=8,
            pre_period=PRE,
            post_period=POST,
            now=PRE_AT,
        )
        return group.id, group.code


async def _members(app: App, group_id: int, learners: int, pre: int, post: int) -> None:
    async with app.sessions() as session, session.begin():
        school = await session.scalar(select(School.id).where(School.name == "Ysgol Llais Demo"))
        next_id = int(await session.scalar(select(func.coalesce(func.max(Checkin.id), 0))) or 0)
        for n in range(learners):
            ref = f"g{group_id}-{n}"
            session.add(
                Person(
                    ref=ref,
                    audience=Audience.LEARNER,
                    channel="test",
                    school_id=school,
                    year_group=8,
                    stopped=False,
                    created_at=PRE_AT,
                )
            )
            await session.flush()
            session.add(GroupMember(group_id=group_id, person_ref=ref, joined_at=PRE_AT))
            for at, value in ((PRE_AT, pre), (POST_AT, post)):
                next_id += 1
                session.add(
                    Checkin(
                        id=next_id,
                        person_ref=ref,
                        audience=Audience.LEARNER,
                        school_id=school,
                        completed_at=at,
                    )
                )
                await session.flush()
                for domain in "PERMA":
                    session.add(
                        CheckinAnswer(
                            checkin_id=next_id,
                            person_ref=ref,
                            domain=domain,
                            item_id="x",
                            value=value,
                            answered_at=at,
                        )
                    )


async def test_a_learner_typing_the_group_code_joins_the_group(app: App) -> None:
    group_id, code = await _group(app)
    learner = PlayedLearner(app.learner)
    await enrol(learner, code=code.lower())
    assert "Ysgol Llais Demo" in learner.text()
    async with app.sessions() as session:
        member = await session.scalar(select(GroupMember).where(GroupMember.group_id == group_id))
        assert member is not None
        person = await session.get(Person, member.person_ref)
        assert person is not None and person.year_group == 8
    async with app.sessions() as session, session.begin():
        await erase_person(session, ref=member.person_ref)
    async with app.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(GroupMember)) == 0


async def test_pre_post_is_published_and_a_small_group_is_too_small(app: App) -> None:
    service = InsightService(app.settings, app.sessions)
    big, _ = await _group(app)
    small, _ = await _group(app, name="Nurture Year 7", kind="nurture")
    await _members(app, big, 12, pre=4, post=7)
    await _members(app, small, 4, pre=5, post=6)
    report = await group_report(service, group_id=big)
    assert report.publication is not None
    assert report.phase("pre").means["overall"].text() == "4.0"
    assert report.phase("post").means["overall"].text() == "7.0"
    assert report.phase("post").count.text() == "10"  # 12 rounded to 5
    assert (await group_report(service, group_id=small)).publication is None
    (elsa,) = await kind_report(service, kind="elsa")
    assert elsa.publication is not None
    # one school only: the authority-wide figure for the type is not available
    assert elsa.phase("pre").means["overall"].text() == "[x]"
    (nurture,) = await kind_report(service, kind="nurture")
    assert nurture.publication is None
