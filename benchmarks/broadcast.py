"""Benchmark: one invitation to 14,000 learners through the outbox's campaign lane and the real
python-telegram-bot, against the Bot API double with Telegram's limits simulated (30 messages/s
overall, one per second per chat, 429 with retry_after beyond them).

Reports the total time against the floor (learners / 30 s), how many learners got the message
twice and how many got nothing; with ``--kill-after S`` the sending process is stopped after S
seconds (``--signal TERM``: a normal stop, ``KILL``: no chance to tidy up) and started again.

Run: .venv/bin/python benchmarks/broadcast.py [--learners 14000] [--kill-after 230 --signal TERM]
     [--database-url postgresql+asyncpg://postgres@127.0.0.1:5432/llais_bench]
Target: total within 1.15x of the floor, sent twice 0, lost 0.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from datetime import UTC, datetime
from datetime import time as clock_time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import insert, text

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bot.telegram import TelegramCampaignTransport  # noqa: E402
from core.vocabulary import Audience, Language  # noqa: E402
from llais.voice import CampaignSender  # noqa: E402
from llais.voice.windows import QuietHours  # noqa: E402
from storage.db import make_engine, make_sessionmaker  # noqa: E402
from storage.migrate import upgrade_async  # noqa: E402
from storage.models import InvitationOptIn, Person, ReplyAddress, School  # noqa: E402
from storage.repo import voice as repo  # noqa: E402
from tests.support.botapi_double import BotApiDouble  # noqa: E402

TELEGRAM_LIMIT = 30.0
CAMPAIGN = "invite:bench:2026-12-01"
FIRST_CHAT = 900_000_000


async def prepare(url: str, learners: int) -> None:
    """A fresh schema with one school, ``learners`` opted-in learners and the campaign queued."""
    engine = make_engine(url)
    try:
        async with engine.begin() as conn:
            if url.startswith("postgresql"):
                await conn.execute(text("DROP SCHEMA public CASCADE"))
                await conn.execute(text("CREATE SCHEMA public"))
    finally:
        await engine.dispose()
    if url.startswith("sqlite"):
        await asyncio.to_thread(Path(url.split("///", 1)[1]).unlink, missing_ok=True)
    await upgrade_async(url)
    engine = make_engine(url)
    now = datetime.now(UTC)
    try:
        sessions = make_sessionmaker(engine)
        async with sessions() as session, session.begin():
            school = School(name="Ysgol Bench", name_cy="Ysgol Bench", created_at=now)
            session.add(school)
            await session.flush()
            refs = [f"bench{i:06d}" for i in range(learners)]
            people = [
                {
                    "ref": ref,
                    "audience": Audience.LEARNER,
                    "channel": "telegram",
                    "language": Language.EN if i % 3 else Language.CY,
                    "school_id": school.id,
                    "year_group": 7 + i % 7,
                    "role": None,
                    "stopped": False,
                    "created_at": now,
                }
                for i, ref in enumerate(refs)
            ]
            for start in range(0, learners, 2000):
                chunk = slice(start, start + 2000)
                await session.execute(insert(Person), people[chunk])
                await session.execute(
                    insert(ReplyAddress),
                    [
                        {"person_ref": ref, "channel": "telegram", "chat_id": str(FIRST_CHAT + i)}
                        for i, ref in enumerate(refs[chunk], start=start)
                    ],
                )
                await session.execute(
                    insert(InvitationOptIn),
                    [{"person_ref": ref, "opted_in_at": now} for ref in refs[chunk]],
                )
            queued = await repo.enqueue(
                session,
                campaign=CAMPAIGN,
                to=[(ref, "telegram") for ref in refs],
                message_key="voice.invitation",
                params={},
                now=now,
            )
            assert queued == learners
    finally:
        await engine.dispose()


async def worker(url: str, base_url: str, token: str, rate: float) -> None:
    """The sending process: drain the queue until it is empty or SIGTERM arrives."""
    from telegram import Bot
    from telegram.request import HTTPXRequest

    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    engine = make_engine(url)
    bot = Bot(token, base_url=base_url, request=HTTPXRequest(connection_pool_size=32))
    try:
        async with bot:
            sender = CampaignSender(
                sessions=make_sessionmaker(engine),
                transport=TelegramCampaignTransport(bot),
                rate=rate,
                quiet=QuietHours(clock_time(0), clock_time(0)),  # none: measured any time of day
                tz=ZoneInfo("Europe/London"),
            )
            report = await sender.drain(stop)
            pace = round(sender.pacer.rate, 2)
            print(json.dumps({"worker_sent": report.sent, "retried": report.retried, "pace": pace}))
    finally:
        await engine.dispose()


def spawn(args: argparse.Namespace, double: BotApiDouble) -> subprocess.Popen[bytes]:
    """Start a sending process."""
    command = [sys.executable, __file__, "--worker", "--database-url", args.database_url]
    command += ["--base-url", double.base_url, "--token", double.token, "--rate", str(args.rate)]
    return subprocess.Popen(command, cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO)})


async def wait_exit(process: subprocess.Popen[bytes]) -> int:
    """Wait for a child without blocking the double's event loop."""
    return await asyncio.to_thread(process.wait)


async def remaining(url: str) -> dict[str, int]:
    engine = make_engine(url)
    try:
        async with make_sessionmaker(engine)() as session:
            return await repo.send_counts(session, campaign=CAMPAIGN)
    finally:
        await engine.dispose()


async def run(args: argparse.Namespace) -> dict[str, Any]:
    await prepare(args.database_url, args.learners)
    double = BotApiDouble()
    double.limit_rate(per_second=TELEGRAM_LIMIT, per_chat_seconds=1.0, retry_after=1)
    await double.start()
    try:
        started = time.monotonic()
        process = spawn(args, double)
        restarts = 0
        if args.kill_after:
            await asyncio.sleep(args.kill_after)
            if process.poll() is None:
                process.send_signal(signal.SIGTERM if args.signal == "TERM" else signal.SIGKILL)
                await wait_exit(process)
                process = spawn(args, double)
                restarts = 1
        while True:
            await wait_exit(process)
            counts = await remaining(args.database_url)
            if counts.get("pending", 0) == 0:
                break
            # sends claimed by a killed process come back when their lease ends
            await asyncio.sleep(1.0)
            process = spawn(args, double)
            restarts += 1
        total = time.monotonic() - started
    finally:
        await double.stop()
    per_chat = Counter(message.chat_id for message in double.sent)
    floor = args.learners / TELEGRAM_LIMIT
    return {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "learners": args.learners,
        "database": args.database_url.split(":", 1)[0],
        "rate": args.rate,
        "kill_after_s": args.kill_after,
        "signal": args.signal if args.kill_after else None,
        "restarts": restarts,
        "total_s": round(total, 1),
        "floor_s": round(floor, 1),
        "vs_floor": round(total / floor, 3),
        "sent_twice": sum(1 for n in per_chat.values() if n > 1),
        "lost": args.learners - len(per_chat),
        "answered_429": double.rate_limited,
        "statuses": counts,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=14_000)
    parser.add_argument("--rate", type=float, default=28.0, help="the sender's messages/s")
    parser.add_argument(
        "--database-url",
        default=os.environ.get(
            "LLAIS_BENCH_DATABASE_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/llais_bench"
        ),
    )
    parser.add_argument("--kill-after", type=float, default=0.0)
    parser.add_argument("--signal", choices=("TERM", "KILL"), default="TERM")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--base-url", help=argparse.SUPPRESS)
    parser.add_argument("--token", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        asyncio.run(worker(args.database_url, args.base_url, args.token, args.rate))
        return
    print(json.dumps(asyncio.run(run(args)), indent=2))


if __name__ == "__main__":
    main()
