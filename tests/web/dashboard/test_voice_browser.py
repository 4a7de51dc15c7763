"""Chromium, JavaScript on and off, as a school lead in English and in Welsh: the learner-voice
pages, their error summary (a post warned about for a concern too, checked again and published
anyway), and a schedule, a poll and a post made through the forms; axe-core finds no serious
or critical violations on any of them."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from core.settings import Settings
from tests.support.browser import PageFactory, axe_violations, format_violations, run_async
from tests.support.live_server import Serve
from tests.web.dashboard.support import PASSWORDS, seed
from tests.web.dashboard.test_voice_pages import POLL
from web.app import create_web_app

WORDS = {
    "en": {
        "sign_in": "Sign in",
        "username": "Username",
        "password": "Password",
        "voice": "Learner voice",
        "problem": "There is a problem",
        "no_days": "Choose at least one day",
        "monday": "Monday",
        "time": "Time",
        "until": "Until",
        "save": "Save schedule",
        "polls": "Polls",
        "definition": "Poll definition (YAML or JSON)",
        "create": "Create poll",
        "title": "Homework",
        "open": "Open",
        "yousaid": "You said, we did",
        "text_en": "Text in English",
        "text_cy": "Text in Welsh",
        "post": "Post",
        "held": "Not saved yet: the safeguarding check",
        "check_again": "Check again",
        "publish_anyway": "Publish anyway",
    },
    "cy": {
        "sign_in": "Mewngofnodi",
        "username": "Enw defnyddiwr",
        "password": "Cyfrinair",
        "voice": "Llais y dysgwyr",
        "problem": "Mae problem",
        "no_days": "Dewiswch o leiaf un diwrnod",
        "monday": "Dydd Llun",
        "time": "Amser",
        "until": "Tan",
        "save": "Cadw'r amserlen",
        "polls": "Arolygon",
        "definition": "Diffiniad yr arolwg (YAML neu JSON)",
        "create": "Creu'r arolwg",
        "title": "Gwaith cartref",
        "open": "Ar agor",
        "yousaid": "Dywedoch chi, gwnaethom ni",
        "text_en": "Testun yn Saesneg",
        "text_cy": "Testun yn Gymraeg",
        "post": "Cyhoeddi",
        "held": "Heb ei gadw eto: mae'r gwiriad diogelu",
        "check_again": "Gwirio eto",
        "publish_anyway": "Cyhoeddi beth bynnag",
    },
}


# a school answering what learners raised: the detector reads bullying in it (medium)
ANSWERED = "You said you have been bullied at school; we have put staff on each bus."


@pytest.fixture
def base(serve: Serve, settings: Settings) -> str:
    run_async(seed(settings.database_url))
    return serve(create_web_app(settings.model_copy(update={"dashboard_warm": False})))


def _audit(page: Page) -> None:
    violations = axe_violations(page)
    assert not violations, format_violations(violations)


@pytest.mark.parametrize("script", [True, False], ids=["js", "nojs"])
@pytest.mark.parametrize("language", ["en", "cy"])
def test_a_school_lead_uses_the_learner_voice_pages(
    new_page: PageFactory, base: str, language: str, script: bool
) -> None:
    words = WORDS[language]
    locale = "cy-GB" if language == "cy" else "en-GB"
    page = new_page(java_script_enabled=script, locale=locale)
    page.goto(f"{base}/login")
    page.get_by_label(words["username"]).fill("lead")
    page.get_by_label(words["password"]).fill(PASSWORDS["lead"])
    page.get_by_role("button", name=words["sign_in"]).click()
    expect(page).to_have_url(f"{base}/dashboard")
    page.get_by_role("main").get_by_role("link", name=words["voice"]).click()
    expect(page).to_have_url(f"{base}/dashboard/voice")
    _audit(page)

    page.get_by_label(words["time"], exact=True).fill("10:30")
    page.get_by_role("button", name=words["save"]).click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text(words["problem"])
    expect(summary).to_contain_text(words["no_days"])
    _audit(page)
    page.get_by_label(words["monday"], exact=True).check()
    page.get_by_label(words["until"], exact=True).fill("2030-07-20")
    page.get_by_role("button", name=words["save"]).click()
    expect(page.get_by_role("table")).to_contain_text(words["monday"])
    expect(page.locator(".govuk-error-summary")).to_have_count(0)

    page.get_by_role("link", name=words["polls"], exact=True).click()
    page.get_by_label(words["definition"]).fill(POLL)
    page.get_by_role("button", name=words["create"]).click()
    expect(page.get_by_role("table")).to_contain_text(words["title"])
    expect(page.get_by_role("table")).to_contain_text(words["open"])
    _audit(page)

    page.get_by_role("link", name=words["yousaid"], exact=True).click()
    # words the detector reads as a concern of the writer's own: held, said why, support shown
    page.get_by_label(words["text_en"]).fill("I can't cope any more, I want to end it all")
    page.get_by_label(words["text_cy"]).fill("Symudon ni glwb gwaith cartref i amser cinio.")
    page.get_by_role("button", name=words["post"], exact=True).click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text(words["held"])
    expect(summary).to_contain_text("Education Support")
    _audit(page)
    # warned: the text is kept, and a second, explicit decision is offered beside "check again"
    expect(page.get_by_role("button", name=words["post"], exact=True)).to_have_count(0)
    expect(page.get_by_role("button", name=words["publish_anyway"])).to_be_visible()
    # changed, the words are read again before anything is published
    page.get_by_label(words["text_en"]).fill(ANSWERED)
    page.get_by_role("button", name=words["check_again"]).click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(words["held"])
    expect(page.locator(".govuk-inset-text")).to_have_count(0)  # nothing published yet
    _audit(page)
    page.get_by_role("button", name=words["publish_anyway"]).click()
    shown = "each bus" if language == "en" else "amser cinio"
    expect(page.locator(".govuk-inset-text")).to_contain_text(shown)
    expect(page.locator(".govuk-error-summary")).to_have_count(0)
    _audit(page)
