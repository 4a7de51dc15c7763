"""Screenshots of the dashboard for the README: an officer's and a school lead's PERMA page.

Run: .venv/bin/python scripts/dashboard_screenshots.py  (Debian's Chromium, synthetic data)
Writes docs/screenshots/dashboard-officer.png and dashboard-school.png.
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
for path in (ROOT, ROOT / "benchmarks"):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))

from dashboard_pages import PASSWORD, SECRET, _accounts  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

from core.settings import Settings  # noqa: E402
from llais.commands.demo import seed_synthetic_voice  # noqa: E402
from llais.insight.synthetic import VoicePlan  # noqa: E402
from storage.migrate import upgrade  # noqa: E402
from tests.support.live_server import LiveServer  # noqa: E402
from web.app import create_web_app  # noqa: E402

OUT = ROOT / "docs" / "screenshots"


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite+aiosqlite:///{folder}/shots.db"
        upgrade(url)
        asyncio.run(seed_synthetic_voice(url, VoicePlan(learners=3000, schools=6)))
        asyncio.run(_accounts(url))
        app = create_web_app(Settings(database_url=url, secret_key=SECRET))
        with LiveServer(app) as base, sync_playwright() as play:
            browser = play.chromium.launch(executable_path="/usr/bin/chromium")
            for who, shot, path in (
                ("officer", "dashboard-officer.png", "/dashboard/perma"),
                ("lead", "dashboard-school.png", "/dashboard/perma?by=year_group"),
            ):
                page = browser.new_page(viewport={"width": 1100, "height": 900})
                page.goto(f"{base}/login")
                page.get_by_label("Username").fill(who)
                page.get_by_label("Password").fill(PASSWORD)
                page.get_by_role("button", name="Sign in").click()
                page.goto(f"{base}{path}")
                page.screenshot(path=str(OUT / shot), full_page=False)
                page.close()
            browser.close()


if __name__ == "__main__":
    main()
