"""The web chat while the database is unreachable (issue 11): the page still opens and says so, a
message is kept and shown with its answer (a disclosure answered with the crisis contacts), in
the page's language; once the database is back it is applied once and the answer reaches the
learner's mailbox. When not even the spool can keep it, the page keeps what they typed. Over HTTP
(the real app in process), on SQLite and PostgreSQL, the database really cut."""

from __future__ import annotations

import html
import re
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select

from core.settings import Settings
from llais.app import App, replayer, web_senders
from llais.outbox import Outbox
from storage.models import SafeguardingAlert
from tests.conftest import Clock
from tests.llais.test_outage import (  # the same outage, database and worker
    db_url,
    outage,
    outage_settings,
    spool_dir,
    worker,
)
from tests.support.outage import Outage, block_spool
from web.app import create_web_app

__all__ = ["db_url", "outage", "outage_settings", "spool_dir", "worker"]

DISCLOSURE = "my dad hits me when he's been drinking"
_CSRF = re.compile(r'name="csrf" value="([^"]*)"')
_MESSAGE = re.compile(r'<span class="llais-message__text">(.*?)</span>', re.DOTALL)
_TYPED = re.compile(r'<textarea[^>]*id="llais-text"[^>]*>(.*?)</textarea>', re.DOTALL)


class Visitor:
    """A visitor without JavaScript (or with htmx, per post) on the app in process."""

    def __init__(self, client: httpx.AsyncClient) -> None:
        self.client = client
        self.page = ""

    async def open(self) -> httpx.Response:
        response = await self.client.get("/chat")
        self.page = response.text
        return response

    async def say(self, text: str, *, htmx: bool = False) -> httpx.Response:
        found = _CSRF.search(self.page)
        assert found, "no CSRF token on the page"
        data = {"csrf": found.group(1), "text": text, "page_lang": "en"}
        headers = {"hx-request": "true"} if htmx else None
        response = await self.client.post("/chat", data=data, headers=headers)
        if not htmx:
            self.page = response.text
        return response

    def messages(self, page: str | None = None) -> list[str]:
        return [html.unescape(m) for m in _MESSAGE.findall(self.page if page is None else page)]


@pytest.fixture
async def visitor(worker: App, clock: Clock) -> AsyncIterator[Visitor]:
    web = create_web_app(worker.settings, clock=clock, llais=worker)
    transport = httpx.ASGITransport(app=web)
    async with (
        web.router.lifespan_context(web),
        httpx.AsyncClient(transport=transport, base_url="http://llais.test") as client,
    ):
        client.follow_redirects = True
        yield Visitor(client)


async def test_with_the_database_up_an_htmx_post_gets_its_fragment_and_no_notice(
    visitor: Visitor,
) -> None:
    await visitor.open()
    response = await visitor.say("hello", htmx=True)
    assert response.status_code == 200
    assert 'id="llais-controls" hx-swap-oob="true"' in response.text  # the choices are swapped
    assert "llais-message--notice" not in response.text  # the outage notice is not shown


async def test_the_chat_keeps_a_disclosure_in_an_outage_and_answers_it_when_back(
    visitor: Visitor, worker: App, outage: Outage
) -> None:
    assert (await visitor.open()).status_code == 200
    await visitor.say("hello")  # a learner with a device and a transcript
    await outage.cut()

    assert (await visitor.client.get("/livez")).status_code == 200  # the proxy keeps sending
    opened = await visitor.open()
    assert opened.status_code == 200
    assert "I can't show our earlier messages" in html.unescape(opened.text)

    response = await visitor.say(DISCLOSURE)
    assert response.status_code == 200
    shown = visitor.messages()
    assert shown[0] == DISCLOSURE  # what they wrote stays on the page
    assert "Thank you for telling me" in shown[1] and "999" in shown[1]
    assert "Your message is kept safe" in html.unescape(response.text)
    assert _TYPED.search(response.text).group(1) == ""  # type: ignore[union-attr]

    fragment = await visitor.say("it happens every weekend", htmx=True)
    assert fragment.status_code == 200
    assert "it happens every weekend" in visitor.messages(fragment.text)
    assert "Your message is kept safe" in html.unescape(fragment.text)

    outage.restore()
    report = await replayer(worker).run_once()
    assert report.applied == 2
    async with worker.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(SafeguardingAlert)) == 1
    outbox = Outbox(sessions=worker.sessions, senders=web_senders(worker), clock=worker.clock)
    await outbox.deliver_due()
    await visitor.open()
    assert any(m.startswith("I'm back") for m in visitor.messages()), visitor.messages()


async def test_when_nothing_can_keep_it_the_page_keeps_what_was_typed(
    visitor: Visitor, outage: Outage, spool_dir: Path, outage_settings: Settings
) -> None:
    await visitor.open()
    block_spool(spool_dir)  # the disk will not take it either
    await outage.cut()
    # the language toggle still works (the page's own language; the learner's setting waits)
    toggled = await visitor.client.get("/chat/language/cy?next=/chat")
    assert toggled.status_code == 200 and '<html lang="cy"' in toggled.text
    visitor.page = toggled.text
    response = await visitor.say("I need to talk to someone")
    assert response.status_code == 503
    assert _TYPED.search(response.text).group(1) == "I need to talk to someone"  # type: ignore[union-attr]
    assert "pwysa Anfon eto" in html.unescape(response.text)  # in the page's language
