"""Real ``llais serve`` worker processes for the multi-worker harness and the benchmark.

:class:`Cluster` starts N workers on loopback: each its own process, with both bots in webhook
mode, talking to PostgreSQL through a :class:`~tests.support.tcp_proxy.TcpProxy` the test can
cut, while Telegram (the Bot API double) reaches their web apps through a second proxy that
balances across them (the reverse proxy). Each worker's log goes to a file in ``logs``.
"""

from __future__ import annotations

import asyncio
import os
import re
import signal
import socket
import sys
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType

import httpx
from sqlalchemy.engine import make_url

from tests.support.botapi_double import BotApiDouble
from tests.support.tcp_proxy import HOST, TcpProxy

WEBHOOK_SECRET = "harness-webhook-secret_0123456789"
WORKER_CODE = "from llais.cli import main; raise SystemExit(main(['serve']))"
ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    """A loopback port nobody listens on now."""
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass
class Worker:
    """One ``llais serve`` process."""

    index: int
    port: int
    log: Path
    process: asyncio.subprocess.Process | None = None

    @property
    def alive(self) -> bool:
        return self.process is not None and self.process.returncode is None

    def kill(self) -> None:
        """``kill -9``: no shutdown, no goodbye."""
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)


@dataclass
class Cluster:
    """N workers over one PostgreSQL database, behind a balancing proxy, with both bots."""

    database_url: str
    learner_api: BotApiDouble
    staff_api: BotApiDouble
    secret_key: str
    nlu_model_dir: Path
    logs: Path
    size: int = 3
    alert_poll_seconds: float = 0.5
    db_via_proxy: bool = True  # False: straight to PostgreSQL (no outage possible, less load)
    workers: list[Worker] = field(default_factory=list)
    db_proxy: TcpProxy | None = None
    web_proxy: TcpProxy | None = None

    async def start(self, *, timeout: float = 90) -> None:  # noqa: ASYNC109 - bounded start-up
        """Start the proxies and every worker; return once each answers ``/readyz``."""
        url = make_url(self.database_url)
        self.db_proxy = TcpProxy([(url.host or HOST, url.port or 5432)])
        await self.db_proxy.start()
        # port 0: each worker's web app takes a port from the kernel and announces it in its log
        # (a port probed free here could be taken by another process before the worker binds it)
        self.workers = [Worker(n, 0, self.logs / f"worker{n}.log") for n in range(self.size)]
        self.web_proxy = TcpProxy([])
        await self.web_proxy.start()
        self.learner_api.also_serve(self.staff_api)
        for worker in self.workers:
            await self._spawn(worker)
        await asyncio.wait_for(asyncio.gather(*(self._ready(w) for w in self.workers)), timeout)
        self.web_proxy.backends = [(HOST, w.port) for w in self.workers]
        await self.learner_api.wait_until(lambda: bool(self.learner_api.webhook_url), 10)
        await self.staff_api.wait_until(lambda: bool(self.staff_api.webhook_url), 10)

    def env(self, worker: Worker) -> dict[str, str]:
        assert self.db_proxy is not None and self.web_proxy is not None
        db = make_url(self.database_url)
        if self.db_via_proxy:
            db = db.set(host=HOST, port=self.db_proxy.port)
        env = {key: value for key, value in os.environ.items() if not key.startswith("LLAIS_")}
        env |= {
            "LLAIS_DATABASE_URL": db.render_as_string(hide_password=False),
            "LLAIS_SECRET_KEY": self.secret_key,
            "LLAIS_NLU_MODEL_DIR": str(self.nlu_model_dir),
            "LLAIS_LEARNER_BOT_TOKEN": self.learner_api.token,
            "LLAIS_STAFF_BOT_TOKEN": self.staff_api.token,
            "LLAIS_TELEGRAM_BASE_URL": self.learner_api.base_url,
            "LLAIS_TELEGRAM_BASE_FILE_URL": self.learner_api.base_file_url,
            "LLAIS_TELEGRAM_WEBHOOK_URL": f"http://{HOST}:{self.web_proxy.port}",
            "LLAIS_TELEGRAM_WEBHOOK_SECRET": WEBHOOK_SECRET,
            "LLAIS_WEB_PORT": "0",
            "LLAIS_ALERT_POLL_SECONDS": str(self.alert_poll_seconds),
            "LLAIS_SPOOL_POLL_SECONDS": "1",
            "LLAIS_LOG_LEVEL": "WARNING",
            "LLAIS_LOG_FORMAT": "json",
            "PYTHONPATH": str(ROOT),  # this checkout, whatever the environment has installed
        }
        return env

    async def _spawn(self, worker: Worker) -> None:
        with worker.log.open("ab") as log:
            worker.process = await asyncio.create_subprocess_exec(
                sys.executable,
                "-c",
                WORKER_CODE,
                env=self.env(worker),
                cwd=self.logs,
                stdout=log,
                stderr=log,
            )

    async def restart(self, worker: Worker) -> None:
        """Start a killed worker again (a restart without warning)."""
        if worker.process is not None and worker.process.returncode is None:
            worker.kill()
            await worker.process.wait()
        worker.log = worker.log.with_name(f"{worker.log.stem}-again.log")  # a fresh announcement
        await self._spawn(worker)
        await asyncio.wait_for(self._ready(worker), 90)
        assert self.web_proxy is not None
        self.web_proxy.backends = [(HOST, w.port) for w in self.workers]

    async def _ready(self, worker: Worker) -> None:
        worker.port = 0
        async with httpx.AsyncClient() as client:
            while True:
                if not worker.alive:
                    raise AssertionError(f"worker {worker.index} exited: {self.tail(worker)}")
                if not worker.port:
                    worker.port = _announced_port(worker.log)
                    await asyncio.sleep(0.2)
                    continue
                try:
                    answer = await client.get(f"http://{HOST}:{worker.port}/readyz", timeout=2)
                    if answer.status_code == 200:
                        return
                except httpx.HTTPError:
                    pass
                await asyncio.sleep(0.2)

    def tail(self, worker: Worker, lines: int = 20) -> str:
        """The end of a worker's log."""
        if not worker.log.exists():
            return "(no log)"
        return "\n".join(worker.log.read_text(errors="replace").splitlines()[-lines:])

    async def stop(self) -> None:
        """SIGTERM every live worker (then SIGKILL after 15 s), then close the proxies."""
        for worker in self.workers:
            if worker.alive:
                assert worker.process is not None
                worker.process.send_signal(signal.SIGTERM)
        for worker in self.workers:
            if worker.process is None:
                continue
            try:
                await asyncio.wait_for(worker.process.wait(), 15)
            except TimeoutError:
                worker.kill()
                await worker.process.wait()
        for proxy in (self.web_proxy, self.db_proxy):
            if proxy is not None:
                await proxy.stop()

    async def __aenter__(self) -> Cluster:
        try:
            await self.start()
        except BaseException:
            await self.stop()
            raise
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()


ANNOUNCED = re.compile(r"Llais web chat: http://[0-9.]+:(\d+)/")


def _announced_port(log: Path) -> int:
    """The port the worker's web app announced in its log (``llais serve`` prints it), or 0."""
    if not log.exists():
        return 0
    found = ANNOUNCED.findall(log.read_text(errors="replace"))
    return int(found[-1]) if found else 0
