"""Benchmark: whole learner turns over HTTP, against the framework's own limit.

The real stack: ``llais serve`` worker processes (1, then 3) in webhook mode on PostgreSQL, behind
a balancing TCP proxy, with the Bot API test double as Telegram (it POSTs each update to the
webhook and records the bot's ``sendMessage``). In the same run and on the same double, a minimal
python-telegram-bot echo bot (PTB's own webhook server, one handler that echoes the text) is the
framework's limit. For each number N in ``--learners``, N concurrent learners (enrolled
beforehand) each send ``--turns`` free-text messages one after another, each waiting for its
reply; we report turns per second and p50/p95/p99 from update to reply, for every setup at
every N, and the CPU each process spent per turn (see below).

Run: .venv/bin/python benchmarks/turns_http.py [--learners 4 10 40] [--turns 10] [--workers 1 3]
Needs a PostgreSQL server at LLAIS_TEST_DATABASE_URL (a database of its own is created and
dropped) and the trained NLU in var/nlu-model (``make install``).

Targets (issue 11): one worker >= 0.5x the echo bot's throughput with p95 < 250 ms; three
workers >= 1.4x one worker. How they are judged here:
- Throughput ratios at the largest N (40 by default): there every setup is saturated, so turns
  per second is its capacity, not the learners' pace.
- p95 < 250 ms at N = 10. Each learner waits for its reply before sending again (a closed loop),
  so by Little's law the mean latency is about N / X at X turns per second: at 40 learners a p95
  under 250 ms would need more than 160 turns/s, more than the echo bot itself reaches on a
  2-core machine, so at N = 40 latency only restates throughput. Ten learners typing at once is
  a busy school lunchtime for one worker; p95 is printed for every N all the same, and a verdict
  for each, so nothing rests on the choice.

CPU per turn: on a shared 2-core machine turns per second move with whatever else runs, while the
CPU a process spends on a turn hardly does. So for every setup we also read, before and after the
timed turns (the warm-up excluded), the user + system time of the bot's process(es) from
``/proc/<pid>/stat``, of this process (the Bot API double, the learners and, for Llais, the
balancing web proxy: the harness), and of the PostgreSQL backends serving the benchmark's database
(when the server is on this machine), and divide each by the turns. On two cores shared by all
of them the throughput ratio is roughly the ratio of the total CPU per turn.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import resource
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from sqlalchemy import select, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from core.channel import Channel  # noqa: E402
from core.clock import utcnow  # noqa: E402
from core.vocabulary import Audience, Language  # noqa: E402
from llais.commands.demo import DEMO_SCHOOL, seed_demo  # noqa: E402
from llais.pseudonym import person_ref  # noqa: E402
from storage.db import make_engine, make_sessionmaker  # noqa: E402
from storage.migrate import upgrade_async  # noqa: E402
from storage.models import Person, School  # noqa: E402
from tests.support.botapi_double import BotApiDouble  # noqa: E402
from tests.support.tcp_proxy import HOST  # noqa: E402
from tests.support.workers import WEBHOOK_SECRET, Cluster, free_port  # noqa: E402

SECRET = "benchmark-secret-key-long-enough"
STAFF_TOKEN = "987654321:LLAIS-STAFF-BENCH-TOKEN-not-real"
MESSAGES = (
    "I had an ok day at school today",
    "Roedd heddiw yn iawn",
    "maths was hard but fine",
    "I'm a bit tired",
    "dw i'n hapus heddiw",
)
ECHO_BOT = """
import sys
from telegram import Update
from telegram.ext import Application, MessageHandler, filters

async def echo(update: Update, context) -> None:
    await context.bot.send_message(update.effective_chat.id, update.effective_message.text)

token, base, port, secret = sys.argv[1:5]
app = Application.builder().token(token).base_url(base).concurrent_updates(64).build()
app.add_handler(MessageHandler(filters.TEXT, echo))
app.run_webhook(listen="127.0.0.1", port=int(port), url_path="echo", secret_token=secret,
                webhook_url=f"http://127.0.0.1:{port}/echo", close_loop=False)
"""


CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
Meter = Callable[[], Awaitable[dict[str, float]]]  # CPU seconds so far, by role
CONNECTIONS = "connections"  # a meter's count of database connections opened so far


def process_cpu(pid: int) -> float:
    """User + system CPU seconds process ``pid`` has used so far (0 once it is gone)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return 0.0
    fields = stat.rsplit(")", 1)[1].split()  # after "pid (comm)": fields 3 onwards
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS  # utime, stime (fields 14, 15)


def harness_cpu() -> float:
    """CPU seconds of this process: the double, the learners, the web proxy."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


@dataclass
class Result:
    name: str
    turns: int
    seconds: float
    latencies: list[float]
    cpu: dict[str, float]  # CPU seconds of the timed turns, by role ("bot", "harness", ...)
    connections: float | None = None  # database connections opened during the timed turns
    errors: int = 0  # failed updates the bot logged (an apology then stands in for a reply)

    def cpu_ms(self, role: str) -> float | None:
        """CPU milliseconds per turn of ``role``, or None when not measured."""
        spent = self.cpu.get(role)
        return None if spent is None else spent / self.turns * 1000

    def cpu_total(self) -> float:
        """CPU milliseconds per turn of every process measured."""
        return sum(self.cpu.values()) / self.turns * 1000

    @property
    def per_second(self) -> float:
        return self.turns / self.seconds

    def percentile(self, p: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))] * 1000

    def row(self) -> dict[str, object]:
        return {
            "setup": self.name,
            "turns": self.turns,
            "turns_per_s": round(self.per_second, 1),
            "p50_ms": round(self.percentile(50), 1),
            "p95_ms": round(self.percentile(95), 1),
            "p99_ms": round(self.percentile(99), 1),
            "mean_ms": round(statistics.fmean(self.latencies) * 1000, 1),
            **{f"cpu_ms_per_turn_{role}": round(self.cpu_ms(role) or 0, 2) for role in self.cpu},
            **(
                {} if self.connections is None else {"db_connections_opened": int(self.connections)}
            ),
            "errors": self.errors,
        }


def _answered(api: BotApiDouble, user: int, before: int) -> bool:
    return len(api.messages_to(user)) > before


async def drive(api: BotApiDouble, users: list[int], turns: int, name: str, meter: Meter) -> Result:
    """Every learner sends ``turns`` messages in turn; time each from push to reply, and meter
    the CPU spent on them."""
    latencies: list[float] = []

    async def learner(user: int, count: int, record: bool) -> None:
        for n in range(count):
            before = len(api.messages_to(user))
            started = time.perf_counter()
            await api.push_text(user, MESSAGES[(user + n) % len(MESSAGES)])
            await api.wait_until(partial(_answered, api, user, before), timeout=120)
            if record:
                latencies.append(time.perf_counter() - started)

    await asyncio.gather(*(learner(u, 2, record=False) for u in users))  # warm-up
    before = await meter()
    started = time.perf_counter()
    await asyncio.gather(*(learner(u, turns, record=True) for u in users))
    seconds = time.perf_counter() - started
    after = await meter()
    cpu = {role: after[role] - before.get(role, 0.0) for role in after}
    connections = cpu.pop(CONNECTIONS, None)
    return Result(name, len(latencies), seconds, latencies, cpu, connections)


def logged_errors(text: str) -> int:
    """Failed updates in a bot's log: our workers' JSON errors, or PTB's tracebacks."""
    return text.count('"level": "ERROR"') + text.count("Traceback (most recent call last)")


def errors_in(folder: Path) -> int:
    """Failed updates in every worker's log."""
    return sum(logged_errors(log.read_text(errors="replace")) for log in folder.glob("*.log"))


async def echo_bot(learners: list[int], turns: int) -> Result:
    with tempfile.TemporaryFile() as log:
        result = await _echo_bot(learners, turns, log)
        log.seek(0)
        result.errors = logged_errors(log.read().decode(errors="replace"))
        return result


async def _echo_bot(learners: list[int], turns: int, log: Any) -> Result:
    async with BotApiDouble() as api:
        port = free_port()
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-c",
            ECHO_BOT,
            api.token,
            api.base_url,
            str(port),
            WEBHOOK_SECRET,
            stdout=asyncio.subprocess.DEVNULL,
            stderr=log,
        )
        try:
            await api.wait_until(lambda: bool(api.webhook_url), timeout=60)

            async def meter() -> dict[str, float]:
                return {"bot": process_cpu(process.pid), "harness": harness_cpu()}

            return await drive(api, learners, turns, "PTB echo bot (1 process)", meter)
        finally:
            process.terminate()
            await process.wait()


async def enrol(url: str, users: list[int]) -> None:
    engine = make_engine(url)
    try:
        async with make_sessionmaker(engine)() as session, session.begin():
            school = await session.scalar(select(School.id).where(School.name == DEMO_SCHOOL[0]))
            session.add_all(
                Person(
                    ref=person_ref(SECRET, Channel.TELEGRAM, str(user)),
                    audience=Audience.LEARNER,
                    channel=Channel.TELEGRAM,
                    language=Language.EN,
                    school_id=school,
                    year_group=10,
                    stopped=False,
                    created_at=utcnow(),
                )
                for user in users
            )
    finally:
        await engine.dispose()


async def backends(server: str, database: str) -> tuple[list[int], int]:
    """The PostgreSQL backends connected to ``database`` now (none when the server is not on
    this machine: its pids would mean nothing here), and how many sessions it has had."""
    engine = make_engine(server)
    try:
        async with engine.connect() as conn:
            opened = await conn.scalar(
                text("SELECT sessions FROM pg_stat_database WHERE datname = :name"),
                {"name": database},
            )
            if make_url(server).host not in LOCAL_HOSTS:
                return [], int(opened or 0)
            found = await conn.scalars(
                text("SELECT pid FROM pg_stat_activity WHERE datname = :name"), {"name": database}
            )
            return [int(pid) for pid in found], int(opened or 0)
    finally:
        await engine.dispose()


async def admin(server: str, statement: str) -> None:
    engine = make_engine(server)
    try:
        async with engine.connect() as conn:
            await conn.execution_options(isolation_level="AUTOCOMMIT")
            await conn.execute(text(statement))
    finally:
        await engine.dispose()


async def llais_workers(
    server: str, size: int, learners: list[int], turns: int, model: Path
) -> Result:
    name = f"llais_bench_{uuid.uuid4().hex[:8]}"
    await admin(server, f'CREATE DATABASE "{name}"')
    url = make_url(server).set(database=name).render_as_string(hide_password=False)
    try:
        await upgrade_async(url)
        await seed_demo(url)
        await enrol(url, learners)
        with tempfile.TemporaryDirectory() as logs:
            async with (
                BotApiDouble() as api,
                BotApiDouble(STAFF_TOKEN, bot_id=7000000002, bot_username="staff_bot") as staff,
                Cluster(
                    database_url=url,
                    learner_api=api,
                    staff_api=staff,
                    secret_key=SECRET,
                    nlu_model_dir=model,
                    logs=Path(logs),
                    size=size,
                    db_via_proxy=False,
                    alert_poll_seconds=10,
                ) as cluster,
            ):
                label = f"Llais, {size} worker{'s' if size > 1 else ''}"
                local = make_url(server).host in LOCAL_HOSTS
                seen: dict[int, float] = {}  # backend pid -> CPU when first seen

                async def meter() -> dict[str, float]:
                    workers = [w.process.pid for w in cluster.workers if w.process is not None]
                    cpu = {"bot": sum(process_cpu(pid) for pid in workers)}
                    cpu["harness"] = harness_cpu()
                    pids, cpu[CONNECTIONS] = await backends(server, name)
                    if local:
                        # a backend started during the timed turns counts from its start (0);
                        # one that started and ended between two readings is not counted
                        now = {pid: process_cpu(pid) for pid in pids}
                        first = not seen
                        for pid, spent in now.items():
                            seen.setdefault(pid, spent if first else 0.0)
                        cpu["postgres"] = sum(now[pid] - seen[pid] for pid in now)
                    return cpu

                result = await drive(api, learners, turns, label, meter)
                result.errors = errors_in(Path(logs))
                return result
    finally:
        await admin(server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


async def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, nargs="+", default=[4, 10, 40])
    parser.add_argument("--turns", type=int, default=10)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 3])
    parser.add_argument("--model-dir", type=Path, default=REPO / "var" / "nlu-model")
    parser.add_argument(
        "--server",
        default=os.environ.get(
            "LLAIS_TEST_DATABASE_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
        ),
    )
    args = parser.parse_args()
    results: dict[int, list[Result]] = {}
    for count in args.learners:
        learners = [600000 + n for n in range(count)]
        runs: list[Callable[[], Awaitable[Result]]] = [partial(echo_bot, learners, args.turns)]
        for size in args.workers:
            runs.append(
                partial(llais_workers, args.server, size, learners, args.turns, args.model_dir)
            )
        for run in runs:
            result = await run()
            results.setdefault(count, []).append(result)
            load = round(os.getloadavg()[0], 1)
            print(json.dumps({"learners": count, **result.row(), "load": load}), flush=True)
    print(
        f"\n{'learners':>8} {'setup':<26} {'turns/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}"
        f" {'CPU ms/turn: bot':>16} {'harness':>8} {'postgres':>8} {'db conns':>8}"
    )
    for count, rows in results.items():
        for r in rows:
            print(
                f"{count:>8} {r.name:<26} {r.per_second:>8.1f} {r.percentile(50):>8.1f} "
                f"{r.percentile(95):>8.1f} {r.percentile(99):>8.1f} {_ms(r, 'bot'):>16} "
                f"{_ms(r, 'harness'):>8} {_ms(r, 'postgres'):>8} "
                f"{'-' if r.connections is None else int(r.connections):>8}"
            )
    print()
    for count, rows in results.items():
        echo = rows[0].per_second
        one = next((r for r in rows if r.name == "Llais, 1 worker"), None)
        three = next((r for r in rows if r.name == "Llais, 3 workers"), None)
        line = f"{count:>3} learners:"
        if one is not None:
            p95 = one.percentile(95)
            line += f" one worker / echo {one.per_second / echo:.2f}x (target >= 0.5x);"
            bot_cpu = (one.cpu_ms("bot") or 0) / (rows[0].cpu_ms("bot") or 1)
            total = one.cpu_total() / (rows[0].cpu_total() or 1)
            line += f" CPU per turn, worker / echo {bot_cpu:.2f}x (all processes {total:.2f}x);"
            line += f" one worker p95 {p95:.0f} ms ({'<' if p95 < 250 else 'not <'} 250 ms)"
            if three is not None:
                line += f"; three / one {three.per_second / one.per_second:.2f}x (target >= 1.4x)"
        print(line)
    print(
        f"judged: ratios at {max(args.learners)} learners, p95 at 10 learners (see the docstring)"
    )
    print(
        f"\n{args.turns} turns per learner; {platform.python_version()}, "
        f"{os.cpu_count()} CPUs; load average {os.getloadavg()[0]:.1f} at the end; {HOST}"
    )
    return 0


def _ms(result: Result, role: str) -> str:
    spent = result.cpu_ms(role)
    return "-" if spent is None else f"{spent:.2f}"


if __name__ == "__main__":
    raise SystemExit(asyncio.run(main()))
