"""A school lead creates an intervention group on the groups page and sees its code; the form
is refused to anyone else, without its CSRF token, or with periods in the wrong order."""

from __future__ import annotations

import asyncio
import re

import pytest

from core.settings import Settings
from tests.support.live_server import Serve
from tests.web.dashboard.support import ROLES, csrf, seed, signed_in
from web.app import create_web_app

GOOD = {
    "name": "ELSA Year 8 spring",
    "kind": "elsa",
    "year": "8",
    "pre": "2025-26.autumn.2",
    "post": "2025-26.spring.2",
}


@pytest.fixture
def base(serve: Serve, settings: Settings) -> str:
    asyncio.run(seed(settings.database_url))
    return serve(create_web_app(settings.model_copy(update={"dashboard_warm": False})))


@pytest.mark.parametrize("name", [None, *ROLES])
def test_only_a_school_lead_may_create_a_group(base: str, name: str | None) -> None:
    client = signed_in(base, name)
    token = csrf(client.get("/login").text)
    answer = client.post("/dashboard/groups", data={"csrf": token, **GOOD})
    expected = {None: 303, "officer": 403, "lead": 303, "dsl": 403}[name]
    assert answer.status_code == expected
    if name == "lead":
        page = client.get("/dashboard/groups").text
        assert "ELSA Year 8 spring" in page
        assert re.search(r"<strong>GRP-[A-Z2-9]{6}</strong>", page)
        assert "too small to report" in page  # nobody has joined yet
    elif name is None:
        assert answer.headers["location"] == "/login"


def test_the_form_needs_csrf_and_periods_in_order(base: str) -> None:
    lead = signed_in(base, "lead")
    assert lead.post("/dashboard/groups", data=GOOD).status_code == 403
    token = csrf(lead.get("/dashboard/groups").text)
    backwards = {**GOOD, "pre": GOOD["post"], "post": GOOD["pre"]}
    answer = lead.post("/dashboard/groups", data={"csrf": token, **backwards})
    assert answer.status_code == 400 and "There is a problem" in answer.text
    assert "GRP-" not in answer.text
