"""Dashboard pages and exports on a large synthetic authority: p50/p95 per page, SQLite and PG.

Run: .venv/bin/python benchmarks/dashboard_pages.py [--database sqlite|postgresql|both]
     [--learners 14000] [--schools 30] [--checkins 14] [--years 3] [--repeat 20]

Seeds ``llais demo seed --voice`` data (by default 14,000 learners in 30 schools over three school
years, 14 PERMA check-ins each: 980,000 learner answers, plus staff check-ins, about 1,000,000
answers in all) into a fresh database, serves the real web app over HTTP and signs in as an
officer and a school lead. Each page and export is requested once cold (rows read, ``publish``
run, chart rendered), then ``--repeat`` times; p50 and p95 are of the repeats. Figures for a
finished period are cached for good; those of the period still running for a minute, so a cold
figure is what a reader meets once a minute at most. PostgreSQL: ``--pg-url`` names a server
database to create (default ``llais_dashboard_bench`` on the local server); it is dropped after.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402
from sqlalchemy import text  # noqa: E402
from sqlalchemy.ext.asyncio import create_async_engine  # noqa: E402

from core.access import DashboardRole  # noqa: E402
from core.clock import utcnow  # noqa: E402
from core.settings import Settings  # noqa: E402
from llais.commands.demo import seed_synthetic_voice  # noqa: E402
from llais.insight.synthetic import VoicePlan  # noqa: E402
from storage.db import make_engine, make_sessionmaker  # noqa: E402
from storage.migrate import upgrade  # noqa: E402
from storage.repo.accounts import add_user  # noqa: E402
from storage.repo.schools import resolve_school  # noqa: E402
from tests.support.live_server import LiveServer  # noqa: E402
from web.app import create_web_app  # noqa: E402

PG_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/llais_dashboard_bench"
SECRET = "benchmark-secret-key-which-is-long-enough"
PASSWORD = "benchmark-password"
VIEWS = {
    "officer": ["participation", "perma", "mood", "staff", "safeguarding", "groups"],
    "lead": ["participation", "perma", "mood", "staff"],
}
EXPORTS = {
    "officer": [("perma", "perma"), ("mood", "reasons"), ("safeguarding", "safeguarding")],
    "lead": [("perma", "perma"), ("participation", "participation")],
}


async def _admin(url: str, statement: str) -> None:
    server = url.rsplit("/", 1)[0] + "/postgres"
    engine = create_async_engine(server, isolation_level="AUTOCOMMIT")
    try:
        async with engine.connect() as conn:
            await conn.execute(text(statement))
    finally:
        await engine.dispose()


async def _accounts(url: str) -> None:
    engine = make_engine(url)
    try:
        async with make_sessionmaker(engine)() as session, session.begin():
            school = await resolve_school(session, code="SYN-01")
            for name, role, school_id in (
                ("officer", DashboardRole.OFFICER, None),
                ("lead", DashboardRole.SCHOOL_LEAD, school),
            ):
                await add_user(
                    session,
                    username=name,
                    role=role,
                    school_id=school_id,
                    password=PASSWORD,
                    now=utcnow(),
                )
    finally:
        await engine.dispose()


def _sign_in(base: str, name: str) -> httpx.Client:
    import re

    client = httpx.Client(base_url=base, timeout=120)
    page = client.get("/login").text
    token = re.search(r'name="csrf" value="([^"]+)"', page)
    assert token
    answer = client.post(
        "/login",
        data={"csrf": token.group(1), "username": name, "password": PASSWORD},
        follow_redirects=False,
    )
    assert answer.status_code == 303, answer.status_code
    return client


def _time(client: httpx.Client, path: str) -> float:
    start = time.perf_counter()
    answer = client.get(path)
    elapsed = time.perf_counter() - start
    assert answer.status_code == 200, (path, answer.status_code)
    return elapsed * 1000


def run(url: str, args: argparse.Namespace) -> list[tuple[str, float, float, float]]:
    """Seed, serve and time; (name, cold ms, p50 ms, p95 ms) per page and export."""
    upgrade(url)
    plan = VoicePlan(
        learners=args.learners,
        checkins_per_learner=args.checkins,
        school_years=args.years,
        schools=args.schools,
    )
    start = time.perf_counter()
    made = asyncio.run(seed_synthetic_voice(url, plan))
    print(f"  seeded in {time.perf_counter() - start:.0f} s: {made}", flush=True)
    asyncio.run(_accounts(url))
    # no warm-up: "cold" is what the first reader of a page pays when nothing was published yet
    settings = Settings(database_url=url, secret_key=SECRET, dashboard_warm=False)
    results = []
    with LiveServer(create_web_app(settings), start_timeout=60) as base:
        for who in ("officer", "lead"):
            client = _sign_in(base, who)
            paths = [(f"{who} {v}", f"/dashboard/{v}") for v in VIEWS[who]]
            paths += [(f"{who} {m}.csv", f"/dashboard/{v}/{m}.csv") for v, m in EXPORTS[who]]
            for name, path in paths:
                cold = _time(client, path)
                times = sorted(_time(client, path) for _ in range(args.repeat))
                p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
                results.append((name, cold, statistics.median(times), p95))
                print(f"  {name:28} cold {cold:7.0f} ms  p50 {results[-1][2]:6.1f}  p95 {p95:6.1f}")
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default="both", choices=("sqlite", "postgresql", "both"))
    parser.add_argument("--learners", type=int, default=14_000)
    parser.add_argument("--schools", type=int, default=30)
    parser.add_argument("--checkins", type=int, default=14)
    parser.add_argument("--years", type=int, default=3)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--pg-url", default=PG_URL)
    args = parser.parse_args()
    if args.database in ("sqlite", "both"):
        with tempfile.TemporaryDirectory() as folder:
            print("SQLite", flush=True)
            run(f"sqlite+aiosqlite:///{folder}/bench.db", args)
    if args.database in ("postgresql", "both"):
        name = args.pg_url.rsplit("/", 1)[1]
        asyncio.run(_admin(args.pg_url, f'DROP DATABASE IF EXISTS "{name}"'))
        asyncio.run(_admin(args.pg_url, f'CREATE DATABASE "{name}"'))
        try:
            print("PostgreSQL", flush=True)
            run(args.pg_url, args)
        finally:
            asyncio.run(_admin(args.pg_url, f'DROP DATABASE IF EXISTS "{name}"'))


if __name__ == "__main__":
    main()
