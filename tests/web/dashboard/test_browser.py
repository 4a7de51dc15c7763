"""Chromium signs in as an officer, a school lead and a DSL, in English and in Welsh, and checks
what each can and cannot see; axe-core finds no serious or critical violations."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from core.settings import Settings
from tests.llais.insight.crafted import TERM
from tests.support.browser import PageFactory, axe_violations, format_violations, run_async
from tests.support.live_server import Serve
from tests.web.dashboard.support import PASSWORDS, seed
from web.app import create_web_app

WORDS = {
    "en": {
        "sign_in": "Sign in",
        "username": "Username",
        "password": "Password",
        "perma": "Wellbeing (PERMA)",
        "safeguarding": "Safeguarding operations",
        "groups": "Intervention groups",
        "staff": "Staff wellbeing",
        "authority": "Authority (all schools)",
        "school_a": "School AAA",
        "school_b": "School BBB",
        "forbidden": "You cannot see this page",
        "sign_out": "Sign out",
    },
    "cy": {
        "sign_in": "Mewngofnodi",
        "username": "Enw defnyddiwr",
        "password": "Cyfrinair",
        "perma": "Llesiant (PERMA)",
        "safeguarding": "Gweithrediadau diogelu",
        "groups": "Grwpiau ymyrraeth",
        "staff": "Llesiant staff",
        "authority": "Awdurdod (pob ysgol)",
        "school_a": "Ysgol AAA",
        "school_b": "Ysgol BBB",
        "forbidden": "Ni allwch weld y dudalen hon",
        "sign_out": "Allgofnodi",
    },
}


@pytest.fixture
def base(serve: Serve, settings: Settings) -> str:
    run_async(seed(settings.database_url))
    return serve(create_web_app(settings.model_copy(update={"dashboard_warm": False})))


def _audit(page: Page) -> None:
    violations = axe_violations(page)
    assert not violations, format_violations(violations)


def _sign_in(page: Page, base: str, name: str, words: dict[str, str]) -> None:
    page.goto(f"{base}/login")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    _audit(page)
    page.get_by_label(words["username"]).fill(name)
    page.get_by_label(words["password"]).fill(PASSWORDS[name])
    page.get_by_role("button", name=words["sign_in"]).click()
    expect(page).to_have_url(f"{base}/dashboard")


@pytest.mark.parametrize("language", ["en", "cy"])
@pytest.mark.parametrize("name", ["officer", "lead", "dsl"])
def test_each_role_sees_what_it_may_in_both_languages(
    new_page: PageFactory, base: str, name: str, language: str
) -> None:
    words = WORDS[language]
    page = new_page(locale="cy-GB" if language == "cy" else "en-GB")
    _sign_in(page, base, name, words)
    nav = page.get_by_role(
        "navigation", name="Dashboard sections" if language == "en" else "Adrannau'r dangosfwrdd"
    )
    expect(nav.get_by_role("link", name=words["perma"])).to_be_visible()
    officer, lead = name == "officer", name == "lead"
    expect(nav.get_by_role("link", name=words["safeguarding"])).to_have_count(1 if officer else 0)
    expect(nav.get_by_role("link", name=words["groups"])).to_have_count(0 if name == "dsl" else 1)
    _audit(page)

    page.goto(f"{base}/dashboard/perma?period={TERM}")
    table = page.locator('table[data-measure="perma"]')
    expect(table).to_contain_text(words["authority"])
    expect(table).to_contain_text(words["school_b"])
    expect(table).to_contain_text(words["school_a"]) if officer else expect(
        table
    ).not_to_contain_text(words["school_a"])
    chart = page.locator("figure.llais-chart svg[role=img]")
    expect(chart).to_have_count(1)
    expect(chart.locator("title")).to_have_count(1)
    _audit(page)

    page.goto(f"{base}/dashboard/safeguarding?period={TERM}")
    if officer:
        expect(page.get_by_role("heading", level=1)).to_contain_text(words["safeguarding"])
    else:
        expect(page.get_by_role("heading", level=1)).to_have_text(words["forbidden"])
    _audit(page)

    page.goto(f"{base}/dashboard/staff?period={TERM}")
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_contain_text(words["staff"]) if officer or lead else expect(
        heading
    ).to_have_text(words["forbidden"])

    page.get_by_role("button", name=words["sign_out"]).click()
    expect(page).to_have_url(f"{base}/login")
    page.goto(f"{base}/dashboard/perma")
    expect(page).to_have_url(f"{base}/login")
