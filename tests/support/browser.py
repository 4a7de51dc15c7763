"""Real-browser fixtures: Debian's Chromium, driven by Playwright's sync API.

Registered for the whole suite in ``tests/conftest.py``:

- ``browser``: one headless Chromium for the session (``/usr/bin/chromium``, or ``LLAIS_CHROMIUM``).
  Playwright never downloads a browser of its own here: it starts that executable.
- ``page`` / ``page_nojs``: a page in a fresh browser context with JavaScript on / off
  (en-GB, Europe/London, 1280x800; actions, navigations and ``expect`` wait up to 10 s).
- ``new_page``: ``new_page(java_script_enabled=True, **context_options)`` opens more pages, each in
  a fresh context (say ``locale="cy-GB"`` for a Welsh ``Accept-Language``, or a phone viewport).

Every context refuses requests to anything but loopback, and Chromium resolves no host name but
``localhost``. A test whose pages tried to reach another host, or threw an uncaught JavaScript
error, fails at teardown; ``browser_log(page)`` shows both, and the console errors.

Without Chromium these fixtures skip the test with the reason; with ``LLAIS_REQUIRE_BROWSER=1``
(CI) that is a failure instead.

Why the sync API, and plain ``def`` tests: pytest-asyncio gives every test a fresh event loop, and
async Playwright objects belong to the loop that made them, so an async browser shared by the
session is impossible and one per test costs about 1.3 s. The sync API runs its own loop in a
greenlet, so one browser serves the whole session. It does leave that loop marked as this
thread's running loop after each call, which would stop pytest-asyncio (``Runner.run() cannot be
called from a running event loop``); the hooks below lend the marker to Playwright only while a
browser test, or a fixture that uses the browser, runs. So a browser test may use async fixtures,
and async tests run as usual around it. Inside a browser test use :func:`run_async` instead of
``asyncio.run``.
"""

from __future__ import annotations

import asyncio
import inspect
import os
import threading
from collections.abc import Coroutine, Generator, Iterator
from dataclasses import dataclass, field
from typing import Any, NoReturn, Protocol, TypeVar
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Page,
    Route,
    WebError,
    expect,
    sync_playwright,
)

from tests.support.axe import axe_violations, format_violations
from tests.support.live_server import is_offsite

__all__ = [
    "CHROMIUM_ARGS",
    "BrowserLog",
    "PageFactory",
    "axe_violations",
    "browser_log",
    "browser_unavailable",
    "chromium_executable",
    "format_violations",
    "run_async",
]

CHROMIUM_ENV = "LLAIS_CHROMIUM"
REQUIRE_ENV = "LLAIS_REQUIRE_BROWSER"
DEFAULT_CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-quic",
    "--no-first-run",
    "--disable-component-update",
    "--disable-sync",
    # Resolve no host name but localhost: nothing a page does can reach beyond this machine.
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1",
)
TIMEOUT_MS = 10_000
BROWSER_FIXTURES = frozenset({"browser", "new_page", "page", "page_nojs"})

T = TypeVar("T")


def chromium_executable() -> str | None:
    """Return the Chromium to drive, or None when it is not installed."""
    path = os.environ.get(CHROMIUM_ENV, DEFAULT_CHROMIUM)
    return path if os.path.isfile(path) and os.access(path, os.X_OK) else None


def browser_unavailable(reason: str, *, required: bool) -> NoReturn:
    """Skip the test with the reason, or fail it when browser tests are required."""
    if required:
        pytest.fail(f"{reason}, and browser tests are required ({REQUIRE_ENV}=1)", pytrace=False)
    pytest.skip(f"{reason}: browser tests skipped (`make browser` installs it)")


class PlaywrightLoop:
    """Lend this thread's running-loop marker to Playwright only while Playwright works."""

    def __init__(self) -> None:
        self.loop: asyncio.AbstractEventLoop | None = None
        self._saved: list[asyncio.AbstractEventLoop | None] = []

    def adopt(self) -> None:
        """Remember the loop Playwright has just started and marked as running."""
        self.loop = asyncio.events._get_running_loop()

    def claim(self) -> None:
        """Mark Playwright's loop as running, remembering what was marked before."""
        self._saved.append(asyncio.events._get_running_loop())
        if self.loop is not None and not self.loop.is_closed():
            asyncio.events._set_running_loop(self.loop)

    def release(self) -> None:
        """Put back what was marked before the matching claim (nothing, between tests)."""
        asyncio.events._set_running_loop(self._saved.pop() if self._saved else None)


LOOP = PlaywrightLoop()
_browser_dependent = set(BROWSER_FIXTURES)


def _is_async(func: object) -> bool:
    return inspect.iscoroutinefunction(func) or inspect.isasyncgenfunction(func)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_fixture_setup(fixturedef: pytest.FixtureDef[Any]) -> Generator[None, object, object]:
    """Claim the loop marker around set-up and teardown of every fixture that uses the browser."""
    uses_browser = fixturedef.argname in _browser_dependent or not _browser_dependent.isdisjoint(
        fixturedef.argnames
    )
    if not uses_browser:
        return (yield)
    if _is_async(fixturedef.func):
        pytest.fail(
            f"fixture {fixturedef.argname!r} is async but uses the browser: "
            "Playwright's sync API needs a plain def fixture",
            pytrace=False,
        )
    _browser_dependent.add(fixturedef.argname)
    fixturedef.addfinalizer(LOOP.release)  # finalizers run last-in first-out: after its teardown
    LOOP.claim()
    try:
        result = yield
    finally:
        LOOP.release()
    fixturedef.addfinalizer(LOOP.claim)  # before its teardown
    return result


def _uses_browser(item: pytest.Item) -> bool:
    return not BROWSER_FIXTURES.isdisjoint(getattr(item, "fixturenames", ()))


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    """Refuse an async test that asks for the browser, before any fixture starts."""
    if _uses_browser(item) and _is_async(getattr(item, "obj", None)):
        pytest.fail(
            f"{item.name} is async but uses the browser: write browser tests as plain def tests "
            "(Playwright's sync API); use run_async() for async work inside them",
            pytrace=False,
        )


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_call(item: pytest.Item) -> Generator[None, object, object]:
    """Claim the loop marker while a browser test's body runs."""
    if not _uses_browser(item):
        return (yield)
    LOOP.claim()
    try:
        return (yield)
    finally:
        LOOP.release()


def run_async(coro: Coroutine[Any, Any, T]) -> T:
    """Run a coroutine to completion on a fresh event loop in a thread of its own."""
    results: list[T] = []
    errors: list[BaseException] = []

    def target() -> None:
        try:
            results.append(asyncio.run(coro))
        except BaseException as exc:
            errors.append(exc)

    thread = threading.Thread(target=target, name="run-async")
    thread.start()
    thread.join()
    if errors:
        raise errors[0]
    return results[0]


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """One headless Chromium for the whole session."""
    required = os.environ.get(REQUIRE_ENV) == "1"
    path = chromium_executable()
    if path is None:
        wanted = os.environ.get(CHROMIUM_ENV, DEFAULT_CHROMIUM)
        browser_unavailable(f"Chromium not found at {wanted}", required=required)
    playwright = sync_playwright().start()
    LOOP.adopt()
    expect.set_options(timeout=TIMEOUT_MS)  # the same patience as every page's default
    try:
        chromium = playwright.chromium.launch(
            executable_path=path, args=list(CHROMIUM_ARGS), headless=True
        )
    except BaseException:
        playwright.stop()
        raise
    try:
        yield chromium
    finally:
        chromium.close()
        playwright.stop()


@dataclass
class BrowserLog:
    """What the pages of one browser context did that a test may want to check."""

    java_script_enabled: bool
    offsite_requests: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)

    def problems(self) -> list[str]:
        """Return what should fail the test: offsite requests and uncaught errors."""
        refused = [f"request to another host refused: {origin}" for origin in self.offsite_requests]
        return refused + [f"uncaught JavaScript error: {error}" for error in self.page_errors]


_logs: dict[BrowserContext, BrowserLog] = {}


def browser_log(page: Page) -> BrowserLog:
    """Return the log of the context a fixture opened this page in."""
    return _logs[page.context]


def _watch(context: BrowserContext, log: BrowserLog) -> None:
    def refuse(route: Route) -> None:
        parts = urlsplit(route.request.url)
        log.offsite_requests.append(f"{parts.scheme}://{parts.netloc}")  # never the path or query
        route.abort("blockedbyclient")

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            log.console_errors.append(message.text)

    def on_error(error: WebError) -> None:
        log.page_errors.append(str(error.error))

    context.route(is_offsite, refuse)
    context.on("console", on_console)
    context.on("weberror", on_error)


class PageFactory(Protocol):
    """The ``new_page`` fixture: open a page in a fresh context of the session's Chromium."""

    def __call__(self, *, java_script_enabled: bool = True, **context_options: Any) -> Page: ...


@pytest.fixture
def new_page(browser: Browser) -> Iterator[PageFactory]:
    """Open pages in fresh contexts; close them at teardown, failing on what they got wrong."""
    contexts: list[BrowserContext] = []

    def open_page(*, java_script_enabled: bool = True, **context_options: Any) -> Page:
        options: dict[str, Any] = {
            "locale": "en-GB",
            "timezone_id": "Europe/London",
            "viewport": {"width": 1280, "height": 800},
            **context_options,
        }
        context = browser.new_context(java_script_enabled=java_script_enabled, **options)
        contexts.append(context)
        context.set_default_timeout(TIMEOUT_MS)
        _logs[context] = log = BrowserLog(java_script_enabled=java_script_enabled)
        _watch(context, log)
        return context.new_page()

    yield open_page
    problems: list[str] = []
    for context in contexts:
        problems += _logs.pop(context).problems()
        context.close()
    if problems:
        pytest.fail("the browser saw problems:\n" + "\n".join(problems), pytrace=False)


@pytest.fixture
def page(new_page: PageFactory) -> Page:
    """A page with JavaScript on, in a fresh context."""
    return new_page()


@pytest.fixture
def page_nojs(new_page: PageFactory) -> Page:
    """A page with JavaScript off, in a fresh context: what a learner without scripts gets."""
    return new_page(java_script_enabled=False)
