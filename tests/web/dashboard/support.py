"""Crafted data, three accounts and a signed-in HTTP client for the dashboard tests."""

from __future__ import annotations

import re
from collections.abc import Coroutine
from typing import Any

import httpx

from core.access import DashboardRole
from storage.db import make_engine, make_sessionmaker
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


async def seed(url: str) -> dict[str, int]:
    """The crafted schools and learners, an officer, and a lead and a DSL at school BBB."""
    engine = make_engine(url)
    try:
        async with make_sessionmaker(engine)() as session, session.begin():
            ids = await craft(session)
            for name, role in ROLES.items():
                await add_user(
                    session,
                    username=name,
                    role=role,
                    school_id=None if role is DashboardRole.OFFICER else ids[LEAD_SCHOOL],
                    password=PASSWORDS[name],
                    now=BEFORE,
                )
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
