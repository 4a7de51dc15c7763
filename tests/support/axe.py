"""axe-core in the page under test: inject the engine and return the violations it finds.

The engine is the ``axe.min.js`` that the PyPI package ``axe-playwright-python`` bundles (a pinned
dev dependency), read from its files: nothing is fetched when tests run, and none of that
package's Python is used.

The engine is injected with Playwright's evaluate, which a page's Content-Security-Policy does not
block. A page with JavaScript off cannot run it: such a page runs no microtasks or timers, even
for evaluated code, and axe is asynchronous. So its DOM as it stands (``page.content()``, with the
``<noscript>`` content that only a reader without JavaScript gets) is audited in a twin page of a
JavaScript-on context: same URL, viewport and cookies, so the same stylesheets load, served with
``Content-Security-Policy: script-src 'none'`` so that none of the page's scripts run, and with each
``<noscript>`` renamed ``<llais-noscript>`` so that its content is rendered as it was. Not carried
over: values typed into fields but not submitted, focus, and the page's own CSP (an inline style
that the page's policy blocked would apply in the twin).
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any, TypedDict, cast

from playwright.sync_api import Browser, Page, Route

from tests.support.live_server import is_offsite

IMPACTS = ("minor", "moderate", "serious", "critical")
AXE_PACKAGE = "axe_playwright_python"


class AxeError(RuntimeError):
    """axe-core could not audit the page."""


class AxeNode(TypedDict, total=False):
    target: list[Any]
    html: str
    failureSummary: str


class AxeViolation(TypedDict):
    id: str
    impact: str | None
    description: str
    help: str
    helpUrl: str
    tags: list[str]
    nodes: list[AxeNode]


@cache
def axe_source() -> str:
    """Return the bundled axe-core engine."""
    return resources.files(AXE_PACKAGE).joinpath("axe.min.js").read_text(encoding="utf-8")


def axe_version() -> str:
    """Return the bundled engine's version, from its licence banner."""
    found = re.match(r"/\*! axe v(\S+)", axe_source())
    if found is None:
        raise RuntimeError(f"{AXE_PACKAGE}'s axe.min.js has no version banner")
    return found.group(1)


_IS_LOADED = "() => typeof window.axe === 'object' && typeof window.axe.run === 'function'"

# innerHTML parses <noscript> content as elements only where scripting is disabled.
_SCRIPTING_DISABLED = """() => {
  const probe = document.createElement("div");
  probe.innerHTML = "<noscript><i></i></noscript>";
  return probe.querySelector("i") !== null;
}"""

_NOSCRIPT_TAG = re.compile(r"<(/?)noscript\b", re.IGNORECASE)

# Started without awaiting, then polled from Python: page.evaluate itself has no time-out.
_START = """([context, options]) => {
  const state = (window.__llaisAxe = { done: false });
  window.axe.run(context ?? document, options).then(
    (results) => Object.assign(state, { done: true, results }),
    (error) => Object.assign(state, { done: true, error: String((error && error.stack) || error) }),
  );
}"""
_DONE = "() => window.__llaisAxe.done"
_STATE = "() => window.__llaisAxe"


def axe_violations(
    page: Page,
    impact: Iterable[str] = ("serious", "critical"),
    *,
    context: str | None = None,
    tags: Sequence[str] = (),
    timeout: float = 30.0,
) -> list[AxeViolation]:
    """Run axe-core on the page as it is now; return the violations of the given impacts.

    ``context`` is a CSS selector to audit only part of the page; ``tags`` limits the rules (for
    example ``("wcag2a", "wcag2aa", "wcag21aa", "wcag22aa")``); by default every rule runs.
    """
    wanted = set(impact)
    if not wanted or not wanted <= set(IMPACTS):
        raise ValueError(f"impact must name some of {IMPACTS}, not {sorted(wanted)}")
    options: dict[str, Any] = {"resultTypes": ["violations"]}
    if tags:
        options["runOnly"] = {"type": "tag", "values": list(tags)}
    if page.evaluate(_SCRIPTING_DISABLED):
        violations = _audit_twin(page, context, options, timeout)
    else:
        violations = _audit(page, context, options, timeout)
    return [violation for violation in violations if violation["impact"] in wanted]


def _audit(
    page: Page, context: str | None, options: dict[str, Any], timeout: float
) -> list[AxeViolation]:
    if not page.evaluate(_IS_LOADED):
        page.evaluate(axe_source())
    page.evaluate(_START, [context, options])
    deadline = time.monotonic() + timeout
    while not page.evaluate(_DONE):
        if time.monotonic() > deadline:
            raise AxeError(f"axe-core did not finish within {timeout} s on {page.url}")
        time.sleep(0.02)
    state = page.evaluate(_STATE)
    if "error" in state:
        raise AxeError(f"axe-core failed on {page.url}: {state['error']}")
    return cast(list[AxeViolation], state["results"]["violations"])


@dataclass
class _Twin:
    """A browser's JavaScript-on page for audits of JavaScript-off pages, made once."""

    page: Page
    url: str = ""
    document: str = ""

    def serve(self, route: Route) -> None:
        route.fulfill(
            status=200,
            headers={"Content-Security-Policy": "script-src 'none'"},
            content_type="text/html; charset=utf-8",
            body=self.document,
        )


_twins: dict[Browser, _Twin] = {}


def _twin_for(browser: Browser) -> _Twin:
    """Return the browser's twin page (closed with the browser), opening it the first time."""
    twin = _twins.get(browser)
    if twin is None or twin.page.is_closed():
        context = browser.new_context()
        context.route(is_offsite, lambda route: route.abort("blockedbyclient"))
        twin = _twins[browser] = _Twin(context.new_page())
        twin.page.route(lambda address: address == twin.url, twin.serve)
    return twin


def _audit_twin(
    page: Page, context: str | None, options: dict[str, Any], timeout: float
) -> list[AxeViolation]:
    browser = page.context.browser
    if browser is None:
        raise AxeError("a page with JavaScript off can only be audited in a launched browser")
    twin = _twin_for(browser)
    twin.url = page.url.split("#", 1)[0]
    twin.document = _NOSCRIPT_TAG.sub(r"<\1llais-noscript", page.content())
    twin.page.context.clear_cookies()
    twin.page.context.add_cookies(page.context.cookies())  # type: ignore[arg-type]
    if page.viewport_size is not None:
        twin.page.set_viewport_size(page.viewport_size)
    twin.page.goto(twin.url)
    return _audit(twin.page, context, options, timeout)


def format_violations(violations: Iterable[AxeViolation]) -> str:
    """Describe violations one a line, for an assertion message."""
    lines = []
    for violation in violations:
        nodes = violation["nodes"]
        targets = "; ".join(" ".join(map(str, node.get("target", []))) for node in nodes[:5])
        lines.append(
            f"{violation['id']} ({violation['impact']}): {violation['help']}"
            f" - {len(nodes)} element(s): {targets} - {violation['helpUrl']}"
        )
    return "\n".join(lines) or "no violations"
