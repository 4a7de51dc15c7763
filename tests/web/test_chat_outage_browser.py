"""The web chat's outage states in Debian's Chromium, in English and Welsh, with JavaScript on and
off, and axe-core on each: the page opened while the database is unreachable, a disclosure kept
(answered at once with the crisis contacts and "kept safe"), and a message nothing could keep
(still in the box, "press Send again"). The database is really cut (PostgreSQL behind the test's
TCP proxy) under the real app on a live server; the spool is the real one on disk."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from core.settings import Settings
from llais.commands.demo import seed_demo
from tests.conftest import SECRET, _truncate
from tests.support.browser import PageFactory, axe_violations, format_violations, run_async
from tests.support.live_server import Serve
from tests.support.outage import ThreadedOutage, block_spool, outage_in_thread
from web.app import create_web_app

WORDS = {
    "en": {
        "opened": "I can't show our earlier messages just now",
        "disclosure": "my dad hits me when he's been drinking",
        "care": "Thank you for telling me",
        "kept": "Your message is kept safe",
        "again": "I need to talk to someone",
        "retry": "press Send again in a minute",
    },
    "cy": {
        "opened": "Dw i ddim yn gallu dangos ein negeseuon cynharach",
        "disclosure": "mae dad yn fy nharo i pan mae e wedi bod yn yfed",
        "care": "Diolch am ddweud wrtha i",
        "kept": "Mae dy neges wedi'i chadw'n ddiogel",
        "again": "Dw i angen siarad â rhywun",
        "retry": "pwysa Anfon eto mewn munud",
    },
}


@pytest.fixture
def database(postgres_url: str) -> Iterator[ThreadedOutage]:
    """The demo school on a clean PostgreSQL database, reached through a proxy that can cut it."""
    run_async(_truncate(postgres_url))
    run_async(seed_demo(postgres_url))
    with outage_in_thread(postgres_url) as outage:
        yield outage


@pytest.fixture
def spool_dir(tmp_path: Path) -> Path:
    return tmp_path / "spool"


@pytest.fixture
def base(database: ThreadedOutage, serve: Serve, nlu_model_dir: Path, spool_dir: Path) -> str:
    settings = Settings(
        _env_file=None,
        database_url=database.url,
        secret_key=SECRET,
        nlu_model_dir=nlu_model_dir,
        spool_dir=spool_dir,
    )
    return serve(create_web_app(settings))


def audited(page: Page, state: str) -> None:
    found = axe_violations(page)
    assert found == [], f"{state}: {format_violations(found)}"


def send(page: Page, text: str) -> None:
    page.fill("#llais-text", text)
    page.click("#llais-send")


@pytest.mark.parametrize("lang", ["en", "cy"])
@pytest.mark.parametrize("java_script", [True, False], ids=["js", "nojs"])
def test_the_outage_states_are_shown_and_accessible(
    new_page: PageFactory,
    base: str,
    database: ThreadedOutage,
    spool_dir: Path,
    lang: str,
    java_script: bool,
) -> None:
    words = WORDS[lang]
    page = new_page(java_script_enabled=java_script, locale=f"{lang}-GB")
    page.goto(f"{base}/chat")  # a learner chatting when the database goes
    expect(page.locator("html")).to_have_attribute("lang", lang)
    page.locator("#llais-controls").get_by_role("button").first.click()
    expect(page.locator("#llais-messages")).to_contain_text("Pa iaith")
    database.cut()

    page.goto(f"{base}/chat")
    expect(page.locator("html")).to_have_attribute("lang", lang)
    expect(page.locator("body")).to_contain_text(words["opened"])
    audited(page, "opened in an outage")

    send(page, words["disclosure"])
    messages = page.locator("#llais-messages")
    expect(messages).to_contain_text(words["disclosure"])  # what they wrote stays on the page
    expect(messages).to_contain_text(words["care"])
    expect(messages).to_contain_text("999")
    expect(page.locator("body")).to_contain_text(words["kept"])
    expect(page.locator("#llais-text")).to_have_value("")
    audited(page, "a disclosure kept")
    assert len(list(spool_dir.glob("*.json"))) == 1  # on disk, to be applied when it is back

    spool_dir.rename(spool_dir.with_name("spool.away"))
    block_spool(spool_dir)  # the spool's disk fails too
    send(page, words["again"])
    expect(page.locator("body")).to_contain_text(words["retry"])
    expect(page.locator("#llais-text")).to_have_value(words["again"])  # not lost
    audited(page, "nothing could keep it")
