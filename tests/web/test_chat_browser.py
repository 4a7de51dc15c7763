"""The web chat in Debian's Chromium, in both languages, with JavaScript on and off: the whole
journey, a disclosure, the quick exit, keyboard-only use, and axe-core on every page state."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import func, select

from core.settings import Settings
from llais.commands.demo import seed_demo
from storage.db import make_engine, make_sessionmaker
from storage.models import CheckinAnswer, MoodLog, SafeguardingAlert
from tests.support.browser import (
    PageFactory,
    axe_violations,
    browser_log,
    format_violations,
    run_async,
)
from tests.support.live_server import Serve
from web.app import create_web_app

EXIT = "/healthz"  # stands in for the neutral site "Leave this page" goes to

Check = Callable[[str], None]


@pytest.fixture
async def seeded(settings: Settings) -> Settings:
    await seed_demo(settings.database_url)
    return settings.model_copy(update={"web_exit_url": EXIT})


@pytest.fixture
def base(serve: Serve, seeded: Settings) -> str:
    return serve(create_web_app(seeded))


async def _count(settings: Settings, model: type) -> int:
    engine = make_engine(settings.database_url)
    try:
        async with make_sessionmaker(engine)() as session:
            return int(await session.scalar(select(func.count()).select_from(model)) or 0)
    finally:
        await engine.dispose()


def count(settings: Settings, model: type) -> int:
    return run_async(_count(settings, model))


def audited(page: Page, state: str) -> None:
    found = axe_violations(page)
    assert found == [], f"{state}: {format_violations(found)}"


def _turn(page: Page) -> str:
    return page.locator("input[name=turn]").input_value()


def _after(page: Page, before: str, expect_text: str | None) -> None:
    expect(page.locator("input[name=turn]")).not_to_have_value(before)
    # htmx takes no new post from the form until this one has settled
    expect(page.locator("#llais-form")).not_to_have_class(re.compile("htmx-request"))
    # the page moves focus once the swap has settled (chat.js, htmx:afterSettle): a key pressed
    # before that would land on whatever had focus, so wait for the settle to finish
    expect(page.locator(".htmx-swapping, .htmx-settling")).to_have_count(0)
    if expect_text:
        expect(page.locator("#llais-messages")).to_contain_text(expect_text)


def press(page: Page, label: str, expect_text: str | None = None) -> None:
    before = _turn(page)
    page.locator("#llais-controls").get_by_role("button", name=label, exact=True).click()
    _after(page, before, expect_text)


def say(page: Page, text: str, expect_text: str | None = None) -> None:
    before = _turn(page)
    page.fill("#llais-text", text)
    page.click("#llais-send")
    _after(page, before, expect_text)


JOURNEY = {
    "en": {
        "start": "Start chatting",
        "language": "English",
        "ok": "OK, got it",
        "enrolled": "Year 10",
        "comment": "anything you'd like your school",
        "thanks": "Thank you",
        "mood_q": "How are you feeling",
        "reason": "School work",
        "done": "✅ Done",
        "skip": "Skip",
        "logged": "mood is logged",
        "mydata": "/mydata",
        "held": "Check-ins: 1",
        "help": "Get help now",
    },
    "cy": {
        "start": "Start chatting",  # the first page follows the browser: en-GB
        "language": "Cymraeg",
        "ok": "Iawn, dw i'n deall",
        "enrolled": "Blwyddyn 10",
        "comment": "oes unrhyw beth",
        "thanks": "Diolch",
        "mood_q": "Sut wyt ti'n teimlo",
        "reason": "Gwaith ysgol",
        "done": "✅ Wedi gorffen",
        "skip": "Hepgor",
        "logged": "hwyliau",
        "mydata": "/fydata",
        "held": "Gwiriadau lles: 1",
        "help": "Cael help nawr",
    },
}


def journey(page: Page, settings: Settings, lang: str, *, mark_same_page: bool = False) -> None:
    words = JOURNEY[lang]
    navigations: list[str] = []
    audit = not browser_log(page).java_script_enabled or lang == "en"
    expect(page.locator("html")).to_have_attribute("lang", "en")
    audited(page, "first visit")
    press(page, words["start"], "Pa iaith")
    press(page, words["language"])
    expect(page.locator("html")).to_have_attribute("lang", lang)
    if mark_same_page:  # choosing Welsh reloads the page in Welsh; from here on, no reloads
        # the new document shows its lang as soon as it is parsed: mark it once it has loaded,
        # and log every later navigation so a reload says where it came from
        page.wait_for_load_state("load")
        page.evaluate("window.llaisSamePage = true")
        page.on("framenavigated", lambda frame: navigations.append(frame.url))
    press(page, words["ok"])
    say(page, "DEMO-Y10", words["enrolled"])
    if audit:
        audited(page, "enrolled")
    say(page, "/checkin" if lang == "en" else "/gwirio", "0 = ")
    if audit:
        audited(page, "a check-in question")
    for value in ("6", "7", "8", "4"):
        press(page, value)
    press(page, "9", words["comment"])
    say(page, "more quiet spaces please", words["thanks"])
    say(page, "/mood" if lang == "en" else "/hwyliau", words["mood_q"])
    press(page, "😐")
    press(page, words["reason"])
    press(page, words["done"])
    press(page, words["skip"], words["logged"])
    say(page, words["mydata"], words["held"])
    if audit:
        audited(page, "my data")
    assert count(settings, CheckinAnswer) == 5
    assert count(settings, MoodLog) == 1
    expect(page.get_by_role("link", name=words["help"])).to_be_visible()
    assert "quiet" not in page.url and page.url.endswith("/chat")
    if mark_same_page:
        assert navigations == [], f"reloaded after the language was chosen: {navigations}"


@pytest.mark.parametrize("lang", ["en", "cy"])
def test_the_whole_journey_without_javascript(
    page_nojs: Page, base: str, seeded: Settings, lang: str
) -> None:
    page_nojs.goto(f"{base}/chat")
    journey(page_nojs, seeded, lang)


@pytest.mark.parametrize("lang", ["en", "cy"])
def test_the_whole_journey_with_javascript_swaps_in_only_new_messages(
    page: Page, base: str, seeded: Settings, lang: str
) -> None:
    page.goto(f"{base}/chat")
    journey(page, seeded, lang, mark_same_page=True)
    assert page.evaluate("window.llaisSamePage") is True  # never reloaded after the language
    announced = page.locator("#llais-announcer")
    expect(announced).to_contain_text(JOURNEY[lang]["held"])
    assert page.locator("[aria-live=polite]").count() == 1
    # the live region holds the last replies only, never the transcript
    assert "DEMO-Y10" not in announced.inner_text()
    expect(page.locator("#llais-text")).to_be_focused()
    assert browser_log(page).console_errors == []


@pytest.mark.parametrize("java_script", [True, False], ids=["js", "nojs"])
def test_a_disclosure_mid_checkin_gets_crisis_contacts_and_one_alert(
    new_page: PageFactory, base: str, seeded: Settings, java_script: bool
) -> None:
    page = new_page(java_script_enabled=java_script)
    page.goto(f"{base}/chat")
    press(page, "Start chatting")
    press(page, "English")
    press(page, "OK, got it")
    say(page, "DEMO-Y9", "Year 9")
    say(page, "/checkin", "0 = ")
    press(page, "3")
    say(page, "my stepdad hits me every night", "Childline")
    expect(page.locator("#llais-messages .llais-message").last).to_be_visible()
    assert "999" in page.locator("#llais-messages").inner_text()
    assert count(seeded, SafeguardingAlert) == 1
    audited(page, "after a disclosure")


def test_quick_exit_replaces_the_page_and_its_history_entry(page: Page, base: str) -> None:
    page.goto(f"{base}/help-now")
    page.goto(f"{base}/chat")
    page.get_by_role("button", name="Leave this page").click()
    page.wait_for_url(f"{base}{EXIT}")
    page.go_back()
    page.wait_for_url(f"{base}/help-now")  # the chat is no longer in the history


def test_quick_exit_without_javascript_leaves_for_the_neutral_page(
    page_nojs: Page, base: str
) -> None:
    page_nojs.goto(f"{base}/chat")
    page_nojs.get_by_role("button", name="Leave this page").click()
    page_nojs.wait_for_url(f"{base}{EXIT}")


def test_quick_exit_by_pressing_shift_three_times(page: Page, base: str) -> None:
    page.goto(f"{base}/chat")
    for _ in range(3):
        page.keyboard.press("Shift")
    page.wait_for_url(f"{base}{EXIT}")


def _tab_to(page: Page, name: str, limit: int = 60) -> None:
    """Press Tab until the focused element is named ``name``."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            "() => { const e = document.activeElement;"
            " return e ? (e.id === 'llais-text' ? '#text' : e.textContent.trim()) : ''; }"
        )
        if focused == name:
            return
    raise AssertionError(f"could not reach {name!r} with the keyboard")


def _key_press(page: Page, label: str, expect_text: str | None = None) -> None:
    before = _turn(page)
    focused = page.evaluate("() => document.activeElement.textContent.trim()")
    if focused != label:
        _tab_to(page, label)
    page.keyboard.press("Enter")
    _after(page, before, expect_text)


def _key_say(page: Page, text: str, expect_text: str | None = None) -> None:
    before = _turn(page)
    if page.evaluate("() => document.activeElement.id") != "llais-text":
        _tab_to(page, "#text")
    page.keyboard.type(text)
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    _after(page, before, expect_text)


def test_a_checkin_by_keyboard_alone(page: Page, base: str, seeded: Settings) -> None:
    page.goto(f"{base}/chat")
    _key_press(page, "Start chatting", "Pa iaith")
    _key_press(page, "English")
    _key_press(page, "OK, got it")
    _key_say(page, "DEMO-Y10", "Year 10")
    _key_say(page, "/checkin", "0 = ")
    for value in ("5", "6", "7", "8", "9"):
        _key_press(page, value)
    expect(page.locator("#llais-messages")).to_contain_text("anything you'd like your school")
    _key_say(page, "nothing else", "Thank you")
    assert count(seeded, CheckinAnswer) == 5


@pytest.mark.parametrize("java_script", [True, False], ids=["js", "nojs"])
def test_delete_in_welsh_erases_and_forgets_the_device(
    new_page: PageFactory, base: str, seeded: Settings, java_script: bool
) -> None:
    page = new_page(java_script_enabled=java_script)
    page.goto(f"{base}/chat")
    press(page, "Start chatting")
    press(page, "Cymraeg")
    press(page, "Iawn, dw i'n deall")
    say(page, "DEMO-Y9", "Blwyddyn 9")
    say(page, "/dileu", "arweinydd diogelu")
    page.locator("#llais-controls").get_by_role("button", name="Ie, dileu'r cyfan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mae dy ddata wedi cael ei ddileu")
    expect(page.locator("html")).to_have_attribute("lang", "cy")
    assert page.url.endswith("/chat/erased")
    assert "llais_device" not in {c["name"] for c in page.context.cookies()}
    audited(page, "erased")
    page.get_by_role("link", name="Dechrau sgwrs newydd").click()
    expect(page.locator("#llais-controls").get_by_role("button")).to_have_count(1)
    if java_script:
        assert browser_log(page).console_errors == []


@pytest.mark.parametrize("path", ["/help-now", "/chat/forget", "/chat/erased", "/nowhere"])
@pytest.mark.parametrize("locale", ["en-GB", "cy-GB"])
def test_the_other_pages_pass_axe(new_page: PageFactory, base: str, path: str, locale: str) -> None:
    page = new_page(locale=locale)
    page.goto(f"{base}{path}")
    expect(page.locator("html")).to_have_attribute("lang", locale[:2])
    audited(page, path)
    expect(
        page.get_by_role("button", name="Leave this page").or_(
            page.get_by_role("button", name="Gadael y dudalen hon")
        )
    ).to_have_count(1 if path != "/nowhere" else 0)
