"""``llais school add|codes|invite``, ``llais staff list|unlink`` and ``llais alerts list
--undelivered`` through the real command line, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import TypeVar

import pytest
from sqlalchemy import select

from core.channel import Channel
from core.vocabulary import Audience, CodeKind, RiskLevel, StaffRole
from llais.cli import main
from storage.db import AsyncSession, make_engine, make_sessionmaker
from storage.models import EnrolmentCode, Person, SafeguardingAlert
from storage.repo import people

T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


Cli = Callable[..., str]
T = TypeVar("T")


@pytest.fixture
def cli(
    database_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> Cli:
    monkeypatch.setenv("LLAIS_DATABASE_URL", database_url)
    monkeypatch.setenv("LLAIS_SECRET_KEY", "cli-test-secret-key-long-enough")

    def run(*argv: str) -> str:
        assert main(list(argv)) == 0
        return capsys.readouterr().out

    return run


def _in_db(url: str, work: Callable[[AsyncSession], Awaitable[T]]) -> T:
    async def go() -> T:
        engine = make_engine(url)
        try:
            async with make_sessionmaker(engine)() as session, session.begin():
                return await work(session)
        finally:
            await engine.dispose()

    return asyncio.run(go())


def test_a_school_gets_learner_codes_that_rotate_and_single_use_invitations(
    cli: Cli, database_url: str
) -> None:
    added = cli(
        "school", "add", "--name", "Ysgol Glan", "--name-cy", "Ysgol Glan", "--code-prefix", "ygc"
    )
    codes = re.findall(r"Year (\d+): (YGC-Y\d+-[A-Z0-9]{4})", added)
    assert [int(year) for year, _ in codes] == list(range(7, 14))
    assert cli("school", "codes", "--school", "YGC").splitlines() == added.splitlines()[1:]
    rotated = re.findall(
        r"YGC-Y\d+-[A-Z0-9]{4}", cli("school", "codes", "--school", "YGC", "--rotate")
    )
    assert len(rotated) == 7 and not set(rotated) & {code for _, code in codes}
    invitation = cli(
        "school", "invite", "--school", "YGC", "--role", "wellbeing_lead", "--expires", "2d"
    )
    [code] = re.findall(r"YGC-WELLBEING-[A-Z0-9]{6}", invitation)
    assert "single use" in invitation

    async def stored(session: AsyncSession) -> tuple[bool, bool, CodeKind, bool]:
        old = await session.get(EnrolmentCode, codes[0][1])
        new = await session.get(EnrolmentCode, code)
        assert old is not None and new is not None
        return old.active, new.single_use, new.kind, new.expires_at is not None

    assert _in_db(database_url, stored) == (False, True, CodeKind.WELLBEING_LEAD, True)


def test_staff_are_listed_and_unlinked_and_undelivered_alerts_listed(
    cli: Cli, database_url: str
) -> None:
    cli("demo", "seed")

    async def seed(session: AsyncSession) -> None:
        dsl = await people.create_person(
            session, ref="f" * 64, audience=Audience.STAFF, channel=Channel.STAFF_TELEGRAM, now=T0
        )
        dsl.role, dsl.school_id, dsl.linked_at = StaffRole.DSL, 1, T0
        await people.keep_address(session, person=dsl, channel=Channel.STAFF_TELEGRAM, chat_id="9")
        session.add(
            SafeguardingAlert(
                id="a" * 36,
                learner_ref="l" * 64,
                school_id=1,
                level=RiskLevel.HIGH,
                categories=[],
                cues=[],
                excerpt="x",
                channel="telegram",
                created_at=T0,
            )
        )

    _in_db(database_url, seed)
    assert "ffffffffffff  dsl  school 1  linked 01/12/2026 09:00" in cli("staff", "list")
    assert "a" * 36 in cli("alerts", "list", "--undelivered")
    assert "unlinked ffffffffffff" in cli("staff", "unlink", "ffff")
    assert cli("staff", "list").strip() == ""

    async def after(session: AsyncSession) -> list[StaffRole | None]:
        return list((await session.scalars(select(Person.role))).all())

    assert _in_db(database_url, after) == [StaffRole.STAFF]
