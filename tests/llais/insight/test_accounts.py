"""Dashboard accounts on SQLite and PostgreSQL: argon2, lockout, sessions, an audit log of roles."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.access import DashboardRole
from storage.models import DashboardEvent, DashboardUser, School
from storage.repo import accounts
from storage.repo.accounts import MAX_FAILURES, AccountError, SignIn

NOW = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)
PASSWORD = "correct horse battery"


async def _school(session: AsyncSession) -> int:
    school = School(name="Ysgol A", name_cy="Ysgol A", created_at=NOW)
    session.add(school)
    await session.flush()
    return school.id


async def test_an_account_signs_in_and_its_password_is_hashed_with_argon2(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    async with sessions() as session, session.begin():
        school = await _school(session)
        await accounts.add_user(
            session,
            username="Lead@School",
            role=DashboardRole.SCHOOL_LEAD,
            school_id=school,
            password=PASSWORD,
            now=NOW,
        )
    async with sessions() as session, session.begin():
        stored = await session.scalar(select(DashboardUser))
        assert stored is not None and stored.password_hash.startswith("$argon2id$")
        assert PASSWORD not in stored.password_hash
        outcome, account = await accounts.check_password(
            session, username="lead@school", password=PASSWORD, now=NOW
        )
        assert outcome is SignIn.OK and account is not None
        assert account.role is DashboardRole.SCHOOL_LEAD and account.school_id == school
        token = await accounts.open_session(session, account=account, now=NOW, minutes=60)
    async with sessions() as session, session.begin():
        assert await accounts.session_account(session, token=token, now=NOW) == account
        later = NOW + timedelta(minutes=61)
        assert await accounts.session_account(session, token=token, now=later) is None
        await accounts.close_session(session, token=token)
        assert await accounts.session_account(session, token=token, now=NOW) is None


async def test_repeated_failures_lock_the_account_and_the_log_names_no_one(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    async with sessions() as session, session.begin():
        await accounts.add_user(
            session,
            username="officer1",
            role=DashboardRole.OFFICER,
            school_id=None,
            password=PASSWORD,
            now=NOW,
        )
    for attempt in range(MAX_FAILURES):
        async with sessions() as session, session.begin():
            outcome, _ = await accounts.check_password(
                session, username="officer1", password="wrong password!", now=NOW
            )
            assert outcome is (SignIn.LOCKED if attempt == MAX_FAILURES - 1 else SignIn.WRONG)
    async with sessions() as session, session.begin():
        outcome, _ = await accounts.check_password(
            session, username="officer1", password=PASSWORD, now=NOW + timedelta(minutes=5)
        )
        assert outcome is SignIn.LOCKED  # the right password does not open a locked account
    async with sessions() as session, session.begin():
        outcome, account = await accounts.check_password(
            session, username="officer1", password=PASSWORD, now=NOW + timedelta(minutes=16)
        )
        assert outcome is SignIn.OK and account is not None
        events = (await session.execute(select(DashboardEvent))).scalars().all()
    kinds = [e.event for e in events]
    assert kinds.count("sign_in_failed") == MAX_FAILURES - 1
    assert "locked" in kinds and "sign_in_locked" in kinds and kinds[-1] == "sign_in"
    for event in events:
        assert "officer1" not in f"{event.event}{event.role}{event.subject}"


@pytest.mark.parametrize(
    ("role", "with_school"), [(DashboardRole.OFFICER, True), (DashboardRole.DSL, False)]
)
async def test_roles_and_schools_must_match(
    sessions: async_sessionmaker[AsyncSession], role: DashboardRole, with_school: bool
) -> None:
    async with sessions() as session, session.begin():
        school = await _school(session)
        with pytest.raises(AccountError):
            await accounts.add_user(
                session,
                username="x",
                role=role,
                school_id=school if with_school else None,
                password=PASSWORD,
                now=NOW,
            )


async def test_a_short_password_is_refused(sessions: async_sessionmaker[AsyncSession]) -> None:
    async with sessions() as session, session.begin():
        with pytest.raises(AccountError):
            await accounts.add_user(
                session,
                username="o",
                role=DashboardRole.OFFICER,
                school_id=None,
                password="short",
                now=NOW,
            )
