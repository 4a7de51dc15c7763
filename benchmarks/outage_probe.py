"""What happens to a learner's message when PostgreSQL is cut mid-conversation (issue 11).

Not a test: a probe to run against any checkout (``PYTHONPATH=<checkout>``) to see, in one go,
what the learner service (which the Telegram and terminal adapters call) and the web chat do
with a disclosure while a TCP proxy holds the database away, and how many alerts exist once it
is back. The README's "When the database is unreachable" gives its output before and after.

    .venv/bin/python benchmarks/outage_probe.py postgresql+asyncpg://postgres@127.0.0.1/probe

The database is emptied and migrated first: give it one of its own.
"""

from __future__ import annotations

import argparse
import asyncio
import html
import re
import tempfile
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import func, select, text
from sqlalchemy.engine import make_url

from core.settings import Settings
from llais.app import build_app
from llais.commands.demo import seed_demo
from storage.db import make_engine
from storage.migrate import upgrade
from storage.models import Base, SafeguardingAlert
from tests.support.learner import PlayedLearner
from tests.support.tcp_proxy import TcpProxy
from web.app import create_web_app

DISCLOSURE = "my dad hits me when he's been drinking"
WEB_TEXT = "I don't feel safe at home"


async def _empty(url: str) -> None:
    engine = make_engine(url)
    async with engine.begin() as conn:
        tables = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
        await conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    await engine.dispose()


def _words(page: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub("<[^>]+>", " ", page))).strip()


async def probe(url: str, model_dir: Path) -> None:
    """Cut the database under a learner and a web chat visitor; print what each got."""
    await _empty(url)
    await seed_demo(url)
    target = make_url(url)
    proxy = TcpProxy([(target.host or "127.0.0.1", target.port or 5432)])
    await proxy.start()
    via = target.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
    options: dict[str, Any] = {"database_url": via, "nlu_model_dir": model_dir}
    if "spool_dir" in Settings.model_fields:  # the checkout keeps messages in a spool
        options["spool_dir"] = Path(tempfile.mkdtemp()) / "spool"
    settings = Settings(_env_file=None, secret_key="outage-probe-secret-key", **options)
    app = await build_app(settings)
    learner = PlayedLearner(app.learner, user_id="9001")
    await learner.command("start")
    await learner.press("English")
    await learner.press("OK, got it")
    await learner.say("DEMO-Y10")
    web = create_web_app(settings, llais=app)
    transport = httpx.ASGITransport(app=web)
    async with (
        web.router.lifespan_context(web),
        httpx.AsyncClient(transport=transport, base_url="http://probe", follow_redirects=True) as c,
    ):
        page = (await c.get("/chat")).text
        found = re.search(r'name="csrf" value="([^"]*)"', page)
        assert found is not None
        proxy.cut()
        print("learner service, database cut, a disclosure:")
        try:
            replies = await learner.say(DISCLOSURE)
            print("  answered:", [r.text[:160] for r in replies])
        except Exception as exc:
            print(f"  raised {type(exc).__name__}: the Telegram error handler says 'try again'")
        print("web chat POST /chat without JavaScript, database cut:")
        form = {"csrf": found.group(1), "text": WEB_TEXT, "page_lang": "en"}
        response = await c.post("/chat", data=form)
        kept = WEB_TEXT in html.unescape(response.text)
        print(f"  status {response.status_code}; what was typed still on the page: {kept}")
        print("  page:", _words(response.text)[:600])
    proxy.restore()
    await asyncio.sleep(0.5)
    if hasattr(app, "spool"):
        from llais.app import replayer

        print("database back, kept messages applied:", await replayer(app).run_once())
    async with app.sessions() as session:
        alerts = await session.scalar(select(func.count()).select_from(SafeguardingAlert))
    print("alerts stored once the database is back:", alerts)
    await app.db.dispose()
    await proxy.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url", help="a PostgreSQL database of its own (emptied)")
    parser.add_argument("--model-dir", type=Path, default=Path("var/nlu-model"))
    args = parser.parse_args()
    upgrade(args.url)
    asyncio.run(probe(args.url, args.model_dir.resolve()))


if __name__ == "__main__":
    main()
