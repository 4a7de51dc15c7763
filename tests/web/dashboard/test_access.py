"""The role matrix over real HTTP, as a matrix: every role (and no one) × every route and export.
Sign-in needs CSRF, locks after repeated failures, sign-out ends the session, and sign-ins and
exports are logged without names. SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio

import httpx
import pytest
from sqlalchemy import select

from core.access import ROLE_MATRIX, View
from core.settings import Settings
from storage.db import make_engine, make_sessionmaker
from storage.models import DashboardEvent
from storage.repo.accounts import MAX_FAILURES
from tests.llais.insight.crafted import TERM
from tests.support.live_server import Serve
from tests.web.dashboard.support import ROLES, csrf, seed, signed_in
from web.app import create_web_app
from web.dashboard.figures import MEASURES

PAGES = [(view, f"/dashboard/{view.value}?period={TERM}") for view in View]
PAGES += [(View.VOICE, "/dashboard/voice/polls"), (View.VOICE, "/dashboard/voice/yousaid")]
EXPORTS = [
    (view, f"/dashboard/{view.value}/{measure.value}.csv?period={TERM}")
    for view, measures in MEASURES.items()
    for measure in measures
]


@pytest.fixture
def base(serve: Serve, settings: Settings) -> str:
    asyncio.run(seed(settings.database_url))
    return serve(create_web_app(settings.model_copy(update={"dashboard_warm": False})))


def _events(url: str) -> list[DashboardEvent]:
    async def run() -> list[DashboardEvent]:
        engine = make_engine(url)
        try:
            async with make_sessionmaker(engine)() as session:
                return list((await session.execute(select(DashboardEvent))).scalars())
        finally:
            await engine.dispose()

    return asyncio.run(run())


@pytest.mark.parametrize("name", [None, *ROLES])
def test_every_role_on_every_route(base: str, settings: Settings, name: str | None) -> None:
    client = signed_in(base, name)
    assert client.get("/dashboard").status_code == (303 if name is None else 200)
    for view, path in [*PAGES, *EXPORTS]:
        status = client.get(path).status_code
        if name is None:
            expected = 303
        else:
            expected = 200 if view in ROLE_MATRIX[ROLES[name]] else 403
        assert status == expected, (name, path, status)
    # the matrix as the brief sets it: safeguarding operations for officers only
    assert ROLE_MATRIX[ROLES["lead"]] >= {View.PERMA, View.GROUPS}
    assert View.SAFEGUARDING not in ROLE_MATRIX[ROLES["lead"]] | ROLE_MATRIX[ROLES["dsl"]]
    assert View.VOICE in ROLE_MATRIX[ROLES["lead"]] and View.VOICE not in ROLE_MATRIX[ROLES["dsl"]]
    events = _events(settings.database_url)
    exports = [e for e in events if e.event == "export"]
    if name is not None:
        assert len(exports) == sum(1 for view, _ in EXPORTS if view in ROLE_MATRIX[ROLES[name]])
        assert {e.role for e in exports} == {ROLES[name].value}
        assert [e.event for e in events].count("sign_in") == 1
    for event in events:
        assert name is None or name not in f"{event.subject}"


def test_sign_in_needs_the_forms_csrf_token(base: str) -> None:
    client = httpx.Client(base_url=base, follow_redirects=False)
    client.get("/login")
    answer = client.post("/login", data={"username": "officer", "password": "x"})
    assert answer.status_code == 403


def test_wrong_passwords_lock_the_account_then_sign_out_ends_the_session(
    base: str, settings: Settings
) -> None:
    client = signed_in(base, None)
    for _ in range(MAX_FAILURES):
        token = csrf(client.get("/login").text)
        answer = client.post(
            "/login", data={"csrf": token, "username": "dsl", "password": "not the password"}
        )
        assert answer.status_code == 401
    assert "locked for 15 minutes" in answer.text
    with pytest.raises(AssertionError):
        signed_in(base, "dsl")  # the right password: still locked
    officer = signed_in(base, "officer")
    page = officer.get("/dashboard")
    assert page.status_code == 200
    officer.post("/logout", data={"csrf": csrf(page.text)})
    assert officer.get("/dashboard").status_code == 303
    kinds = [e.event for e in _events(settings.database_url)]
    assert {"locked", "sign_in_locked", "sign_in", "sign_out"} <= set(kinds)
