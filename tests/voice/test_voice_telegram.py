"""Learner voice end to end: real python-telegram-bot over HTTP against the Bot API double, the
real conversation service and voice job, a real database (SQLite and PostgreSQL)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from core.settings import Settings
from flows.polls import dump_definition, parse_poll
from llais.app import App, build_app
from llais.commands.demo import seed_demo
from storage.models import PollAnswer, SafeguardingAlert, School
from storage.repo import voice as repo
from tests.conftest import Clock
from tests.support.botapi_double import BotApiDouble, botapi
from tests.voice.support import join, polling, settings_for, texts_to, turn

__all__ = ["botapi"]
ANNA, BEN, CAI, DEWI, ELIN = 710001, 710002, 710003, 710004, 710005
INVITATION = "It's check-in time"
# Wednesday 25 November 2026, 10:30 in London (autumn term, outside the half-term holiday)
WEDNESDAY = datetime(2026, 11, 25, 10, 30, tzinfo=UTC)

POLL = """
poll:
  title: {en: "Lunch queues", cy: "Ciwiau cinio"}
  opens: 2026-11-24T09:00:00+00:00
  closes: 2026-11-30T16:00:00+00:00
  min_answers: %d
  year_groups: [8]
  questions:
    - id: queue
      type: choice
      text: {en: "How long do you queue for lunch?", cy: "Pa mor hir wyt ti'n ciwio am ginio?"}
      options:
        - {id: short, label: {en: "Under 5 minutes", cy: "Llai na 5 munud"}}
        - {id: long, label: {en: "Longer", cy: "Mwy na hynny"}}
    - id: food
      type: scale
      text: {en: "How good is the food?", cy: "Pa mor dda yw'r bwyd?"}
      minimum: 1
      maximum: 5
    - id: idea
      type: text
      text: {en: "One idea to make lunch better?", cy: "Un syniad i wella amser cinio?"}
"""


@pytest.fixture
async def app(botapi: BotApiDouble, settings: Settings, clock: Clock) -> AsyncIterator[App]:
    """The demo school's app on the double, on a Wednesday morning in term."""
    clock.now = WEDNESDAY
    config = settings_for(settings, botapi)
    await seed_demo(config.database_url)
    built = await build_app(config, clock=clock)
    try:
        yield built
    finally:
        await built.db.dispose()


async def test_one_invitation_a_window_none_in_quiet_hours_or_after_stop_or_a_block(
    botapi: BotApiDouble, app: App, clock: Clock
) -> None:
    async with polling(app, botapi) as job:
        await join(botapi, ANNA, "DEMO-Y8", invitations=True)
        await join(botapi, BEN, "DEMO-Y8", invitations=False)  # off by default
        async with app.sessions() as session, session.begin():
            school = await session.scalar(select(School.id))
            assert school is not None
            for at in ("10:00", "21:30"):  # the second window falls in quiet hours
                await repo.add_schedule(
                    session,
                    school_id=school,
                    weekdays=[0, 2, 3],
                    at_time=at,
                    window_minutes=120,
                    year_groups=[8],
                    until=date(2026, 12, 18),
                    now=clock.now,
                )
        await job.run_once()
        await job.run_once()  # the same window again: nothing new
        assert sum(INVITATION in t for t in texts_to(botapi, ANNA)) == 1
        assert not any(INVITATION in t for t in texts_to(botapi, BEN))

        clock.now = WEDNESDAY.replace(hour=21, minute=45)  # quiet hours
        await job.run_once()
        assert sum(INVITATION in t for t in texts_to(botapi, ANNA)) == 1

        clock.now = WEDNESDAY.replace(hour=12)  # Anna stops messages
        await turn(botapi, ANNA, botapi.push_command(ANNA, "stop"), "I won't send you")
        clock.now = WEDNESDAY + timedelta(days=1)  # Thursday's window
        await job.run_once()
        assert sum(INVITATION in t for t in texts_to(botapi, ANNA)) == 1

        clock.now = WEDNESDAY + timedelta(days=5)  # Monday, but the learner blocked the bot
        await turn(botapi, ANNA, botapi.push_command(ANNA, "start"), "Welcome back")
        botapi.blocked.add(ANNA)
        report = await job.run_once()
        assert report.stopped == 1 and report.sent == 0
        clock.now = WEDNESDAY + timedelta(days=6)
        botapi.blocked.clear()
        await job.run_once()
        assert sum(INVITATION in t for t in texts_to(botapi, ANNA)) == 1


async def _create_polls(app: App, clock: Clock, minimums: tuple[int, ...]) -> list[int]:
    ids = []
    async with app.sessions() as session, session.begin():
        school = await session.scalar(select(School.id))
        assert school is not None
        for minimum in minimums:
            poll = parse_poll(POLL % minimum, "test")
            stored = await repo.create_poll(
                session,
                definition=dump_definition(poll),
                school_ids=[school],
                year_groups=poll.year_groups,
                opens_at=poll.opens,
                closes_at=poll.closes,
                min_answers=poll.min_answers,
                now=clock.now,
            )
            ids.append(stored.id)
    return ids


async def _answer(double: BotApiDouble, user: int, choice: str, score: str, idea: str) -> str:
    await turn(double, user, double.push_command(user, "poll"), "How long")
    await turn(double, user, double.press(user, choice), "How good")
    await turn(double, user, double.press(user, score), "One idea")
    expect = "999" if "kill" in idea else "Thank you!"
    return await turn(double, user, double.push_text(user, idea), expect)


async def test_a_poll_is_answered_closed_and_its_results_reach_only_the_learners_asked(
    botapi: BotApiDouble, app: App, clock: Clock
) -> None:
    async with polling(app, botapi) as job:
        for user in (ANNA, BEN, CAI, ELIN):
            await join(botapi, user, "DEMO-Y8", invitations=True)
        await join(botapi, DEWI, "DEMO-Y10", invitations=True)  # not in the year asked
        first, second = await _create_polls(app, clock, (3, 4))  # the second will fall short
        await job.run_once()
        assert sum("Lunch queues" in t for t in texts_to(botapi, ANNA)) == 2
        assert not any("Lunch queues" in t for t in texts_to(botapi, DEWI))
        await turn(botapi, DEWI, botapi.push_command(DEWI, "poll"), "no poll for you")

        answers = [
            (ANNA, "Longer", "2", "more time for revision at lunch"),
            (BEN, "Longer", "3", "somewhere to sit with friends"),
            (CAI, "Under 5 minutes", "4", "hot food every day please"),
        ]
        for _ in (first, second):
            for user, choice, score, idea in answers:
                await _answer(botapi, user, choice, score, idea)
        # the detector reads a poll's free text first: an alert, and crisis contacts
        text = await _answer(botapi, ELIN, "Longer", "1", "i want to kill myself tonight")
        assert "Childline" in text
        async with app.sessions() as session:
            alerts = (await session.scalars(select(SafeguardingAlert))).all()
            texts = list(await session.scalars(select(PollAnswer.text)))
        assert len(alerts) == 1
        assert "i want to kill myself tonight" not in texts

        clock.now = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)  # both polls have closed
        await job.run_once()
        await job.run_once()
        results = "Results of the poll"
        for user in (ANNA, BEN, CAI, ELIN):
            got = [t for t in texts_to(botapi, user) if results in t]
            assert len(got) == 1, user  # only the first poll met its minimum
            assert "(3 answers)" in got[0] and "average 3.0 out of 5" in got[0]
            assert "Longer: not shown (too few answers)" in got[0]
        assert not any(results in t for t in texts_to(botapi, DEWI))
        async with app.sessions() as session:
            themes = list(await session.scalars(select(PollAnswer.theme)))
            texts = list(await session.scalars(select(PollAnswer.text)))
        assert all(text is None for text in texts)  # only themes are kept
        assert sum(theme is not None for theme in themes) == 6


async def test_a_you_said_we_did_post_reaches_each_learner_once_and_can_be_listed(
    botapi: BotApiDouble, app: App, clock: Clock
) -> None:
    async with polling(app, botapi) as job:
        await join(botapi, ANNA, "DEMO-Y8", invitations=False)
        await join(botapi, BEN, "DEMO-Y9", invitations=True)
        async with app.sessions() as session, session.begin():
            school = await session.scalar(select(School.id))
            assert school is not None
            await repo.post_announcement(
                session,
                school_id=school,
                text_en="You said lunch queues were too long: we opened a second counter.",
                text_cy="Dywedoch chi fod y ciwiau cinio'n rhy hir: fe agoron ni ail gownter.",
                poll_id=None,
                theme=None,
                now=clock.now,
            )
        clock.now = WEDNESDAY.replace(hour=22)  # quiet hours: it waits
        await job.run_once()
        assert not any("second counter" in t for t in texts_to(botapi, ANNA))
        clock.now = WEDNESDAY + timedelta(days=1)
        await job.run_once()
        await job.run_once()
        for user in (ANNA, BEN):
            assert sum("second counter" in t for t in texts_to(botapi, user)) == 1
        text = await turn(botapi, ANNA, botapi.push_command(ANNA, "yousaid"), "second counter")
        assert "What your school changed" in text
        text = await turn(botapi, BEN, botapi.push_command(BEN, "dywedoch"), "second counter")
