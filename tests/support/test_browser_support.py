"""The browser fixtures, axe-core and the live server, proved on a throwaway app defined here.

The app has a good page (Welsh, a form that posts and redirects back, a script that enhances it)
and a page with deliberate accessibility defects, one of them only visible without JavaScript.
"""

from __future__ import annotations

import asyncio
import html
import struct
import threading
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Annotated, cast

import httpx
import pytest
from fastapi import FastAPI, Form
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from playwright.sync_api import Page, expect

from tests.support.axe import IMPACTS, axe_version
from tests.support.browser import (
    LOOP,
    PageFactory,
    axe_violations,
    browser_log,
    browser_unavailable,
    format_violations,
    pytest_fixture_setup,
    pytest_runtest_setup,
    run_async,
)
from tests.support.live_server import LiveServer, LiveServerError, Serve

GOOD_PAGE = """<!doctype html>
<html lang="cy">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Llais: tudalen brawf</title>
</head>
<body>
<main>
<h1>Sut wyt ti heddiw?</h1>
<p id="js-state">JavaScript: i ffwrdd</p>
<div id="log" role="log" aria-label="Sgwrs">{messages}</div>
<form method="post" action="/">
<label for="text">Dy neges</label>
<input id="text" name="text" type="text" autocomplete="off">
<button type="submit">Anfon</button>
</form>
</main>
<script src="/app.js"></script>
</body>
</html>
"""

# The enhancement: post without leaving the page, then swap in the new log.
APP_JS = """
document.getElementById("js-state").textContent = "JavaScript: ymlaen";
window.sameDocument = true;
document.querySelector("form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = event.target;
  const response = await fetch(form.action, {
    method: "POST", body: new URLSearchParams(new FormData(form)),
  });
  const fresh = new DOMParser().parseFromString(await response.text(), "text/html");
  document.getElementById("log").replaceWith(fresh.getElementById("log"));
  form.reset();
});
"""

# A missing lang, a nameless button, an unlabelled field, grey on white; and, without
# JavaScript only, an image with no alternative text.
BAD_PAGE = """<!doctype html>
<html>
<head><meta charset="utf-8"><title>Broken</title></head>
<body>
<main>
<h1>Broken</h1>
<p style="color:#bbbbbb;background:#ffffff">Hard to read</p>
<form method="post" action="/"><input name="text" type="text"><button type="submit"></button></form>
<noscript><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw="></noscript>
</main>
</body>
</html>
"""

OFFSITE_PAGE = """<!doctype html>
<html lang="en"><head><title>Offsite</title></head>
<body><main><h1>Offsite</h1><img alt="" src="http://tracker.invalid/pixel.gif"></main></body>
</html>
"""

CSP = "default-src 'self'; frame-ancestors 'none'; form-action 'self'"
BAD_ON_BOTH = {"html-has-lang", "button-name", "label", "color-contrast"}


def make_app(seen: list[str] | None = None) -> FastAPI:
    """The throwaway app: it keeps the messages posted and the methods it was called with."""
    messages: list[str] = []
    methods = seen if seen is not None else []
    app = FastAPI()

    @app.get("/")
    def show() -> HTMLResponse:
        methods.append("GET")
        items = "".join(f"<p>{html.escape(text)}</p>" for text in messages)
        # As strict as the web app's will be: axe must still get in.
        return HTMLResponse(
            GOOD_PAGE.format(messages=items), headers={"Content-Security-Policy": CSP}
        )

    @app.post("/")
    def post(text: Annotated[str, Form()] = "") -> RedirectResponse:
        methods.append("POST")
        messages.append(text)
        return RedirectResponse("/", status_code=303)

    @app.get("/app.js")
    def script() -> Response:
        return Response(APP_JS, media_type="text/javascript")

    @app.get("/bad", response_class=HTMLResponse)
    def bad() -> str:
        return BAD_PAGE

    @app.get("/offsite", response_class=HTMLResponse)
    def offsite() -> str:
        return OFFSITE_PAGE

    return app


def test_page_runs_javascript_and_page_nojs_does_not(
    page: Page, page_nojs: Page, serve: Serve
) -> None:
    base = serve(make_app())
    page.goto(base)
    page_nojs.goto(base)
    assert page.inner_text("#js-state") == "JavaScript: ymlaen"
    assert page_nojs.inner_text("#js-state") == "JavaScript: i ffwrdd"
    assert page.evaluate("document.documentElement.lang") == "cy"
    assert browser_log(page).java_script_enabled
    assert not browser_log(page_nojs).java_script_enabled


def test_form_post_redirects_back_without_javascript(page_nojs: Page, serve: Serve) -> None:
    seen: list[str] = []
    base = serve(make_app(seen))
    page_nojs.goto(base)
    page_nojs.fill("#text", "Dw i’n iawn, diolch – ŵy a ŷd")
    page_nojs.click("button[type=submit]")
    expect(page_nojs.get_by_role("log")).to_have_text("Dw i’n iawn, diolch – ŵy a ŷd")
    assert page_nojs.url == f"{base}/"
    assert seen == ["GET", "POST", "GET"]  # post/redirect/get, a whole page each time


def test_form_post_is_enhanced_with_javascript(page: Page, serve: Serve) -> None:
    base = serve(make_app())
    page.goto(base)
    page.fill("#text", "Shwmae")
    page.click("button[type=submit]")
    expect(page.get_by_role("log")).to_have_text("Shwmae")
    assert page.evaluate("window.sameDocument") is True  # swapped in, not reloaded
    assert page.input_value("#text") == ""


def test_axe_finds_nothing_on_the_good_page_with_or_without_javascript(
    page: Page, page_nojs: Page, serve: Serve
) -> None:
    base = serve(make_app())
    for tab in (page, page_nojs):
        tab.goto(base)
        found = axe_violations(tab, impact=IMPACTS)
        assert found == [], format_violations(found)
    assert page.evaluate("window.axe.version") == axe_version()


def test_axe_finds_the_deliberate_defects(page: Page, page_nojs: Page, serve: Serve) -> None:
    base = serve(make_app())
    page.goto(f"{base}/bad")
    page_nojs.goto(f"{base}/bad")
    with_js = axe_violations(page)
    without_js = axe_violations(page_nojs)
    assert {v["id"] for v in with_js} == BAD_ON_BOTH, format_violations(with_js)
    # The <noscript> image exists only for a reader without JavaScript.
    assert {v["id"] for v in without_js} == BAD_ON_BOTH | {"image-alt"}
    critical = axe_violations(page, impact=("critical",))
    assert {v["id"] for v in critical} == {"button-name", "label"}
    assert "button-name" in format_violations(critical)
    with pytest.raises(ValueError, match="impact"):
        axe_violations(page, impact=("serios",))


def test_screenshot_is_saved_under_the_tmp_path(page: Page, serve: Serve, tmp_path: Path) -> None:
    page.goto(serve(make_app()))
    shot = tmp_path / "good-page.png"
    page.screenshot(path=shot, full_page=True)
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    assert width == 1280
    assert height >= 800


def test_requests_to_other_hosts_are_refused_and_logged(page: Page, serve: Serve) -> None:
    page.goto(f"{serve(make_app())}/offsite")
    page.wait_for_load_state("load")
    log = browser_log(page)
    assert log.offsite_requests == ["http://tracker.invalid"]
    assert log.problems() == ["request to another host refused: http://tracker.invalid"]
    log.offsite_requests.clear()  # seen and checked: let the teardown pass


def test_a_welsh_locale_page_sends_welsh_accept_language(new_page: PageFactory) -> None:
    welsh = new_page(locale="cy-GB")
    assert welsh.evaluate("navigator.language") == "cy-GB"


@pytest.fixture
async def greeting() -> str:
    """An async fixture, set up on pytest-asyncio's loop before a browser test."""
    await asyncio.sleep(0)
    return "Bore da"


async def _post(base: str, text: str) -> int:
    async with httpx.AsyncClient(base_url=base) as client:
        response = await client.post("/", data={"text": text})
        return response.status_code


def test_a_browser_test_can_use_async_fixtures_and_run_async(
    page: Page, serve: Serve, greeting: str
) -> None:
    base = serve(make_app())
    assert run_async(_post(base, greeting)) == 303
    page.goto(base)
    assert page.inner_text("#log") == "Bore da"


def test_no_running_loop_is_left_behind_after_browser_tests() -> None:
    assert asyncio.events._get_running_loop() is None


async def test_async_tests_still_run_on_their_own_loop() -> None:
    assert asyncio.get_running_loop() is not LOOP.loop
    await asyncio.sleep(0)


def test_missing_chromium_skips_or_fails_as_configured() -> None:
    with pytest.raises(pytest.skip.Exception, match="make browser"):
        browser_unavailable("Chromium not found at /nowhere", required=False)
    with pytest.raises(pytest.fail.Exception, match="LLAIS_REQUIRE_BROWSER=1"):
        browser_unavailable("Chromium not found at /nowhere", required=True)


@dataclass
class FakeItem:
    """Just what the set-up hook reads of a test item."""

    name: str
    obj: object
    fixturenames: tuple[str, ...]


@dataclass
class FakeFixtureDef:
    """Just what the fixture hook reads of a fixture definition."""

    argname: str
    func: object
    argnames: tuple[str, ...]


async def _async_test() -> None:
    """Stands in for an async test or fixture."""


def test_async_tests_and_fixtures_that_ask_for_the_browser_are_refused() -> None:
    item = FakeItem(name="test_chat", obj=_async_test, fixturenames=("tmp_path", "page"))
    with pytest.raises(pytest.fail.Exception, match="plain def tests"):
        pytest_runtest_setup(cast(pytest.Item, item))
    pytest_runtest_setup(cast(pytest.Item, replace(item, fixturenames=("tmp_path",))))
    fixture = FakeFixtureDef(argname="chat_page", func=_async_test, argnames=("page",))
    with pytest.raises(pytest.fail.Exception, match="plain def fixture"):
        next(pytest_fixture_setup(cast(pytest.FixtureDef[object], fixture)))


def test_live_server_runs_the_lifespan_and_stops_quickly() -> None:
    events: list[str] = []

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        events.append(f"start in {threading.current_thread().name}")
        yield
        events.append("stop")

    app = FastAPI(lifespan=lifespan)

    @app.get("/healthz")
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    server = LiveServer(app)
    with server as base:
        assert httpx.get(f"{base}/healthz").json() == {"status": "ok"}
        began = time.monotonic()
    stopped_in = time.monotonic() - began
    assert events == [f"start in live-server-{base.rsplit(':', 1)[1]}", "stop"]
    assert stopped_in < 1.0
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"{base}/healthz")


def test_live_server_reports_a_failed_start_up() -> None:
    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        raise RuntimeError("no database")
        yield  # pragma: no cover

    began = time.monotonic()
    with pytest.raises(LiveServerError, match="did not start"):
        LiveServer(FastAPI(lifespan=lifespan)).start()
    assert time.monotonic() - began < 2.0
