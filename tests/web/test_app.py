"""The web skeleton over real HTTP: health, security headers, the error page, the body limit and
the language toggle, on SQLite and PostgreSQL."""

from __future__ import annotations

import re

import httpx
from fastapi import APIRouter
from playwright.sync_api import Page, expect

from core.settings import Settings
from tests.support.browser import axe_violations, browser_log, format_violations
from tests.support.live_server import Serve
from web.app import create_web_app
from web.middleware import CONTENT_SECURITY_POLICY
from web.pages import safe_next

boom = APIRouter()


@boom.get("/boom")
async def _boom() -> None:
    raise RuntimeError("secret learner words")


def test_healthz_answers_ok_when_the_database_is_reachable(
    serve: Serve, settings: Settings
) -> None:
    base = serve(create_web_app(settings))
    response = httpx.get(f"{base}/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_every_page_carries_the_security_headers(serve: Serve, settings: Settings) -> None:
    base = serve(create_web_app(settings))
    response = httpx.get(f"{base}/no-such-page")
    headers = response.headers
    assert headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    assert "frame-ancestors 'none'" in CONTENT_SECURITY_POLICY
    assert "unsafe-inline" not in CONTENT_SECURITY_POLICY
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "no-referrer"
    assert headers["cache-control"] == "no-store"
    cookie = headers["set-cookie"]
    assert "llais_session=" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Secure" not in cookie  # LLAIS_WEB_SECURE_COOKIES is off for local use


def test_secure_cookies_when_configured(serve: Serve, settings: Settings) -> None:
    secure = settings.model_copy(update={"web_secure_cookies": True})
    base = serve(create_web_app(secure))
    assert "Secure" in httpx.get(f"{base}/nothing").headers["set-cookie"]


def test_not_found_is_a_bilingual_page_in_the_browser_language(
    serve: Serve, settings: Settings
) -> None:
    base = serve(create_web_app(settings))
    english = httpx.get(f"{base}/nothing-here")
    assert english.status_code == 404
    assert '<html lang="en"' in english.text
    assert "Page not found" in english.text
    welsh = httpx.get(
        f"{base}/nothing-here", headers={"accept-language": "cy-GB,cy;q=0.9,en;q=0.5"}
    )
    assert '<html lang="cy"' in welsh.text
    assert "Heb ddod o hyd i'r dudalen" in welsh.text.replace("&#39;", "'")


def test_an_unexpected_error_is_a_clear_page_never_a_traceback(
    serve: Serve, settings: Settings, caplog: object
) -> None:
    base = serve(create_web_app(settings, routers=[boom]))
    response = httpx.get(f"{base}/boom")
    assert response.status_code == 500
    assert response.headers["content-type"].startswith("text/html")
    assert "Sorry, something went wrong" in response.text
    assert "Traceback" not in response.text and "RuntimeError" not in response.text
    assert "secret learner words" not in response.text
    assert "secret learner words" not in caplog.text  # type: ignore[attr-defined]


def test_a_body_over_the_limit_gets_the_too_long_page(serve: Serve, settings: Settings) -> None:
    base = serve(create_web_app(settings))
    response = httpx.post(f"{base}/language/cy", content=b"x" * (settings.web_max_body_bytes + 1))
    assert response.status_code in {405, 413}  # the toggle takes no posts; the body is refused
    big = httpx.post(
        f"{base}/healthz-post-nowhere",
        content=b"x" * (settings.web_max_body_bytes + 1),
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert big.status_code in {404, 413}


def test_the_language_toggle_remembers_the_choice_and_goes_back(
    serve: Serve, settings: Settings
) -> None:
    base = serve(create_web_app(settings))
    with httpx.Client(base_url=base) as client:
        toggled = client.get("/language/cy", params={"next": "/elsewhere"})
        assert toggled.status_code == 303
        assert toggled.headers["location"] == "/elsewhere"
        assert '<html lang="cy"' in client.get("/elsewhere").text
        away = client.get("/language/en", params={"next": "//evil.example/"})
        assert away.headers["location"] == "/"


def test_safe_next_refuses_other_sites() -> None:
    assert safe_next("/chat") == "/chat"
    for bad in ("//evil", "https://evil", "\\\\evil", "/a\\b", None, "", "chat", "/\nx"):
        assert safe_next(bad) == "/"


def test_the_error_page_passes_axe_and_loads_nothing_offsite_in_chromium(
    page: Page, serve: Serve, settings: Settings
) -> None:
    base = serve(create_web_app(settings))
    page.goto(f"{base}/nothing-here")
    expect(page.locator("h1")).to_have_text("Page not found")
    expect(page.locator("body")).to_have_class(re.compile("govuk-frontend-supported"))
    found = axe_violations(page)
    assert found == [], format_violations(found)
    page.get_by_role("link", name="Cymraeg").click()
    expect(page.locator("html")).to_have_attribute("lang", "cy")
    assert browser_log(page).console_errors == []
