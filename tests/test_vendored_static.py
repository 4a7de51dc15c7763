"""The vendored front-end files in web/static/: complete, licensed, free of GOV.UK's restricted
typeface, and working offline in Chromium on a Welsh page."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Page, Response
from starlette.applications import Starlette
from starlette.responses import HTMLResponse
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from tests.support.browser import axe_violations, browser_log, format_violations
from tests.support.live_server import Serve

STATIC = Path(__file__).resolve().parents[1] / "web" / "static"
STATIC_URL = "/static/"
# Named by the CSS (for .govuk-footer__copyright-logo) but not vendored: the royal coat of arms is
# restricted to GOV.UK.
OMITTED = {"govuk/assets/images/govuk-crest.svg"}


def version(package: str) -> str:
    """Return the version in the first line of a VERSION note, such as 'govuk-frontend 6.6.0'."""
    name, number = (STATIC / package / "VERSION").read_text().splitlines()[0].split()
    assert name in {"govuk-frontend", "htmx.org"}
    return number


def test_each_vendored_package_has_its_licence_and_version() -> None:
    assert "The MIT License" in (STATIC / "govuk" / "LICENCE").read_text()
    assert "Zero-Clause BSD" in (STATIC / "htmx" / "LICENCE").read_text()
    govuk_js = (STATIC / "govuk" / "govuk-frontend.min.js").read_text()
    assert f'const version="{version("govuk")}"' in govuk_js
    assert f'version:"{version("htmx")}"' in (STATIC / "htmx" / "htmx.min.js").read_text()


def test_the_css_loads_no_gds_transport_and_names_only_files_that_exist() -> None:
    css = (STATIC / "govuk" / "govuk-frontend.min.css").read_text()
    assert "GDS Transport" not in css
    assert "@font-face" not in css
    urls = set(re.findall(r"url\(\"?([^\")]+)\"?\)", css))
    assert urls, "the CSS names no assets at all: was it built?"
    for url in urls:
        assert url.startswith(STATIC_URL), url
        relative = url.removeprefix(STATIC_URL)
        assert relative in OMITTED or (STATIC / relative).is_file(), f"{url} is not vendored"
    assert not list((STATIC / "govuk").rglob("*.woff*")), "fonts must not be vendored"


PAGE = """<!doctype html>
<html lang="cy" class="govuk-template">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Llais: prawf GOV.UK Frontend</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/static/govuk/govuk-frontend.min.css">
</head>
<body class="govuk-template__body">
<script>document.body.classList.add("js-enabled", "govuk-frontend-supported");</script>
<a href="#main" class="govuk-skip-link" data-module="govuk-skip-link">Neidio i’r prif gynnwys</a>
<div class="govuk-width-container">
<main class="govuk-main-wrapper" id="main">
<h1 class="govuk-heading-l">Sut wyt ti’n teimlo heddiw?</h1>
<p class="govuk-body">Ŵyn bach ar y bryn, ŷd yn y cae: â ê î ô û ŵ ŷ, ẁ ẃ ẅ, ỳ ý ÿ.</p>
<form method="post" novalidate>
<div class="govuk-form-group">
<label class="govuk-label" for="text">Dy neges</label>
<input class="govuk-input" id="text" name="text" type="text">
</div>
<button type="submit" class="govuk-button" data-module="govuk-button">Anfon</button>
</form>
</main>
</div>
<script type="module">
import { initAll, version } from "/static/govuk/govuk-frontend.min.js";
initAll();
document.body.dataset.govukFrontend = version;
</script>
<script src="/static/htmx/htmx.min.js"></script>
</body>
</html>
"""


def app() -> Starlette:
    async def home(_: object) -> HTMLResponse:
        return HTMLResponse(PAGE)

    return Starlette(
        routes=[Route("/", home), Mount(STATIC_URL.rstrip("/"), StaticFiles(directory=STATIC))]
    )


def test_a_welsh_govuk_page_works_offline_with_the_vendored_files(
    page: Page, serve: Serve, tmp_path: Path
) -> None:
    failed: list[str] = []

    def on_response(response: Response) -> None:
        if response.status >= 400:
            failed.append(f"{response.status} {response.url}")

    page.on("response", on_response)
    page.goto(serve(app()))
    page.wait_for_function("document.body.dataset.govukFrontend !== undefined")
    assert page.evaluate("document.body.dataset.govukFrontend") == version("govuk")
    assert page.evaluate("window.htmx.version") == version("htmx")
    assert page.evaluate("getComputedStyle(document.querySelector('.govuk-body')).fontFamily") == (
        "arial, sans-serif"
    )
    width = "getComputedStyle(document.querySelector('.govuk-width-container')).maxWidth"
    assert page.evaluate(width) == "960px"
    found = axe_violations(page)
    assert found == [], format_violations(found)
    page.screenshot(path=tmp_path / "govuk-cy.png", full_page=True)
    assert failed == []
    assert browser_log(page).console_errors == []
