"""Crafted data, three accounts and a signed-in HTTP client for the dashboard tests."""

from __future__ import annotations

import re
from collections.abc import Coroutine
from typing import Any

import httpx
from sqlalchemy import select

from core.access import DashboardRole
from storage.db import AsyncSession, make_engine, make_sessionmaker
from storage.models import DashboardUser
from storage.repo.accounts import add_user
from tests.llais.insight.crafted import BEFORE, craft

PASSWORDS = {
    "officer": "officer-password-1",
    "lead": "lead-password-123",
    "dsl": "dsl-password-1234",
}
ROLES = {
    "officer": DashboardRole.OFFICER,
    "lead": DashboardRole.SCHOOL_LEAD,
    "dsl": DashboardRole.DSL,
}
LEAD_SCHOOL = "BBB"


# The three accounts as add_user first wrote them (argon2 hash and all), by username. Hashing is
# the costliest part of a seed (three argon2 hashes, about 0.3 s each on a busy two-core machine)
# and about a hundred tests seed: later seeds copy these rows instead of hashing the same
# passwords again. Sign-in still verifies each password against a real hash made by add_user.
_ACCOUNTS: dict[str, dict[str, Any]] = {}
_NOT_COPIED = frozenset({"id", "school_id"})


async def _add_accounts(session: AsyncSession, ids: dict[str, int]) -> None:
    """Add the officer, lead and DSL: through add_user the first time, as copies after that."""
    if _ACCOUNTS:
        session.add_all(
            DashboardUser(**values, school_id=None if name == "officer" else ids[LEAD_SCHOOL])
            for name, values in _ACCOUNTS.items()
        )
        await session.flush()
        return
    for name, role in ROLES.items():
        await add_user(
            session,
            username=name,
            role=role,
            school_id=None if role is DashboardRole.OFFICER else ids[LEAD_SCHOOL],
            password=PASSWORDS[name],
            now=BEFORE,
        )
    columns = [c.key for c in DashboardUser.__table__.columns if c.key not in _NOT_COPIED]
    for user in await session.scalars(
        select(DashboardUser).where(DashboardUser.username.in_(ROLES))
    ):
        _ACCOUNTS[user.username] = {key: getattr(user, key) for key in columns}


async def seed(url: str) -> dict[str, int]:
    """The crafted schools and learners, an officer, and a lead and a DSL at school BBB."""
    engine = make_engine(url)
    try:
        async with make_sessionmaker(engine)() as session, session.begin():
            ids = await craft(session)
            await _add_accounts(session, ids)
            return ids
    finally:
        await engine.dispose()


def csrf(html: str) -> str:
    """The CSRF token of the page's form."""
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, "no CSRF field on the page"
    return found.group(1)


def signed_in(base: str, name: str | None, **headers: str) -> httpx.Client:
    """A client signed in as ``name`` (or not signed in, for None)."""
    client = httpx.Client(base_url=base, follow_redirects=False, headers=headers, timeout=60)
    token = csrf(client.get("/login").text)
    if name is not None:
        answer = client.post(
            "/login", data={"csrf": token, "username": name, "password": PASSWORDS[name]}
        )
        assert answer.status_code == 303, answer.text[:300]
    return client


def run(coro: Coroutine[Any, Any, Any]) -> Any:
    """Run a coroutine from a plain test."""
    import asyncio

    return asyncio.run(coro)
