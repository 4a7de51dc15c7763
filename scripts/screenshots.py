"""Take the README's screenshots of the web chat, in English and in Welsh, with Playwright.

    .venv/bin/python scripts/screenshots.py          # writes docs/screenshots/chat-{en,cy}.png

Serves the web app on loopback over a fresh SQLite database with the demo school, drives Debian's
Chromium (``/usr/bin/chromium``, or ``LLAIS_CHROMIUM``) through the start of a check-in, and saves
one screenshot per language. Needs the trained NLU model (``make install``).
"""

from __future__ import annotations

import asyncio
import os
import secrets
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from playwright.sync_api import Page, sync_playwright  # noqa: E402

from core.settings import Settings  # noqa: E402
from llais.commands.demo import seed_demo  # noqa: E402
from storage.migrate import upgrade  # noqa: E402
from tests.support.live_server import LiveServer  # noqa: E402
from web.app import create_web_app  # noqa: E402

OUT = ROOT / "docs" / "screenshots"
STEPS = {
    "en": ("English", "OK, got it", "Year 9", "/checkin"),
    "cy": ("Cymraeg", "Iawn, dw i'n deall", "Blwyddyn 9", "/gwirio"),
}


def _press(page: Page, label: str) -> None:
    before = page.locator("input[name=turn]").input_value()
    page.locator("#llais-controls").get_by_role("button", name=label, exact=True).click()
    page.wait_for_function(
        "b => document.querySelector('input[name=turn]').value !== b", arg=before
    )


def _say(page: Page, text: str, expected: str) -> None:
    page.fill("#llais-text", text)
    page.click("#llais-send")
    page.locator("#llais-messages").get_by_text(expected).last.wait_for()


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite+aiosqlite:///{tmp}/screens.db"
        upgrade(url)
        asyncio.run(seed_demo(url))
        settings = Settings(
            _env_file=None,
            database_url=url,
            secret_key=secrets.token_urlsafe(32),
            nlu_model_dir=ROOT / "var" / "nlu-model",
            web_exit_url="/healthz",
        )
        chromium = os.environ.get("LLAIS_CHROMIUM", "/usr/bin/chromium")
        with LiveServer(create_web_app(settings)) as base, sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=chromium, args=["--headless", "--no-sandbox"]
            )
            for lang, (language, ok, enrolled, checkin) in STEPS.items():
                context = browser.new_context(
                    locale="en-GB" if lang == "en" else "cy-GB",
                    viewport={"width": 1000, "height": 900},
                )
                page = context.new_page()
                page.goto(f"{base}/chat")
                (start,) = page.locator("#llais-controls button").all_inner_texts()
                _press(page, start.strip())
                _press(page, language)
                page.wait_for_load_state()
                _press(page, ok)
                _say(page, "DEMO-Y9", enrolled)
                _say(page, checkin, "0 = ")
                path = OUT / f"chat-{lang}.png"
                page.focus("#llais-text")
                page.locator("#llais-send").evaluate("e => e.scrollIntoView({block: 'end'})")
                page.screenshot(path=path)
                print(f"wrote {path.relative_to(ROOT)}")
                context.close()
            browser.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
