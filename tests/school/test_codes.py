"""Codes an authority can trust: a spent or expired invitation is refused, a run of wrong codes
pauses codes on that account (staff and learner bots alike) with a clear message, and a learner
moves up a year with /start CODE after confirming. Real bots over HTTP, SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from core.vocabulary import CodeKind, StaffRole
from llais.app import App
from llais.pseudonym import person_ref
from storage.models import Person
from storage.repo import schools
from tests.school.test_requests import enrol
from tests.staff.conftest import SECRET, STAFF_CHANNEL, Clock, bot_for, link_staff, polling, turn
from tests.support.botapi_double import BotApiDouble

FIRST, SECOND, GUESSER = 650001, 650002, 650003
LEARNER = 555301


async def _person(app: App, user: int, channel: str = STAFF_CHANNEL) -> Person:
    async with app.sessions() as session:
        person = await session.get(Person, person_ref(SECRET, channel, str(user)))
        assert person is not None
        return person


async def _type_code(api: BotApiDouble, user: int, code: str, expect: str) -> str:
    await turn(api, user, api.push_command(user, "link"), "type it now")
    return await turn(api, user, api.push_text(user, code), expect)


async def test_a_spent_or_expired_invitation_and_a_run_of_wrong_codes_are_refused(
    app: App, staff_api: BotApiDouble, clock: Clock
) -> None:
    async with app.sessions() as session, session.begin():
        school = await schools.school_by_prefix(session, prefix="DEMO")
        short = await schools.invite(
            session,
            school=school,
            kind=CodeKind.DEPUTY_DSL,
            expires_at=clock.now + timedelta(hours=1),
            now=clock.now,
        )
    staff_bot = bot_for(staff_api, app.settings, app.staff, staff=True)
    async with polling(staff_bot, staff_api):
        assert "safeguarding lead" in await link_staff(staff_api, FIRST, "DEMO-DSL")
        # the same invitation again, from another account: spent
        await turn(staff_api, SECOND, staff_api.push_command(SECOND, "start"), "Pa iaith")
        await turn(staff_api, SECOND, staff_api.press(SECOND, "English"), "code")
        spent = await turn(
            staff_api, SECOND, staff_api.push_text(SECOND, "demo-dsl"), "don't recognise"
        )
        assert "used or has expired" in spent
        clock.now += timedelta(hours=2)  # past the short invitation's expiry
        expired = await _type_code(staff_api, SECOND, short.code, "don't recognise")
        assert "invitations work once" in expired

        await turn(staff_api, GUESSER, staff_api.push_command(GUESSER, "start"), "Pa iaith")
        await turn(staff_api, GUESSER, staff_api.press(GUESSER, "English"), "code")
        for n in range(4):
            await turn(
                staff_api, GUESSER, staff_api.push_text(GUESSER, f"DEMO-X{n}"), "don't recognise"
            )
            await turn(staff_api, GUESSER, staff_api.press(GUESSER, "Try again"), "type it now")
        paused = await turn(staff_api, GUESSER, staff_api.push_text(GUESSER, "DEMO-X9"), "paused")
        assert "15 minutes" in paused
        # a right code during the pause is refused too, and says so
        still = await _type_code(staff_api, GUESSER, "DEMO-DEPUTY", "paused")
        assert "paused" in still
        clock.now += timedelta(minutes=16)
        linked = await _type_code(staff_api, GUESSER, "DEMO-DEPUTY", "Thanks")
        assert "deputy safeguarding lead" in linked

    first, second, guesser = [await _person(app, user) for user in (FIRST, SECOND, GUESSER)]
    assert first.role is StaffRole.DSL
    assert second.role is StaffRole.STAFF and second.school_id is None
    assert guesser.role is StaffRole.DEPUTY_DSL and guesser.code_failures == 0
    async with app.sessions() as session:
        invitation = await session.get(type(short), "DEMO-DSL")
        assert invitation is not None and invitation.used_by == first.ref


async def test_a_learner_moves_up_a_year_with_start_code_after_confirming(
    app: App, learner_api: BotApiDouble
) -> None:
    learner_bot = bot_for(learner_api, app.settings, app.learner, staff=False)
    async with polling(learner_bot, learner_api):
        await enrol(learner_api, LEARNER, "DEMO-Y10")
        asked = await turn(
            learner_api, LEARNER, learner_api.push_command(LEARNER, "start", "DEMO-Y11"), "Move"
        )
        assert "That code is for Ysgol Llais Demo, Year 11" in asked
        assert (await _person(app, LEARNER, "telegram")).year_group == 10  # not before yes
        moved = await turn(learner_api, LEARNER, learner_api.press(LEARNER, "Yes, move me"), "Done")
        assert "Year 11" in moved
        for n in range(4):
            await turn(
                learner_api,
                LEARNER,
                learner_api.push_command(LEARNER, "start", f"NOPE-{n}"),
                "don't recognise",
            )
        paused = await turn(
            learner_api, LEARNER, learner_api.push_command(LEARNER, "start", "NOPE-9"), "paused"
        )
        assert "15 minutes" in paused
    learner = await _person(app, LEARNER, "telegram")
    assert (learner.year_group, learner.code_blocked_until is not None) == (11, True)


async def test_advance_year_moves_a_school_up_and_unlinks_year_13_leavers(app: App) -> None:
    async with app.sessions() as session, session.begin():
        school = await schools.school_by_prefix(session, prefix="DEMO")
        for year in (7, 12, 13):
            person = Person(
                ref=f"learner-{year}",
                audience="learner",
                channel="telegram",
                school_id=school.id,
                year_group=year,
                stopped=False,
                created_at=app.learner.clock(),
            )
            session.add(person)
    async with app.sessions() as session, session.begin():
        moved, left = await schools.advance_year(session, school_id=school.id)
    async with app.sessions() as session:
        years = {
            p.ref: (p.school_id, p.year_group)
            for p in await session.scalars(select(Person).order_by(Person.ref))
        }
    assert (moved, left) == (2, 1)
    assert years == {
        "learner-7": (school.id, 8),
        "learner-12": (school.id, 13),
        "learner-13": (None, None),
    }
