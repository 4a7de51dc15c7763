"""Serve the web app with uvicorn inside ``llais serve``'s event loop, beside the bots."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Generator

import uvicorn
from fastapi import FastAPI

from core.errors import LlaisError

log = logging.getLogger(__name__)


class _Server(uvicorn.Server):
    """uvicorn without its signal handlers: ``llais serve`` owns SIGINT and SIGTERM."""

    @contextlib.contextmanager
    def capture_signals(self) -> Generator[None, None, None]:
        yield


class WebServer:
    """The web app on ``host:port`` until ``stop`` is set."""

    def __init__(self, app: FastAPI, *, host: str, port: int, graceful_seconds: int = 3) -> None:
        self.app = app
        self.host = host
        self.port = port
        config = uvicorn.Config(
            app,
            host=host,
            port=port,
            lifespan="on",
            log_config=None,
            access_log=False,  # addresses and paths stay out of the logs
            server_header=False,
            ws="none",
            timeout_graceful_shutdown=graceful_seconds,
        )
        self.server = _Server(config)

    @property
    def address(self) -> str:
        """The address served (the port the kernel chose when configured as 0)."""
        port = self.port
        for server in self.server.servers:
            for sock in server.sockets:
                port = sock.getsockname()[1]
        return f"http://{self.host}:{port}"

    async def run(
        self, stop: asyncio.Event, *, on_started: Callable[[str], None] | None = None
    ) -> None:
        """Serve until ``stop`` is set (or the server fails to start); ``on_started(address)``
        once it listens."""
        waiter = asyncio.create_task(stop.wait(), name="llais web stop")
        serving = asyncio.create_task(self._serve(), name="llais web")
        try:
            while not self.server.started:
                done, _ = await asyncio.wait((waiter, serving), timeout=0.05)
                if done:
                    break
            else:
                log.info("web app listening")
                if on_started is not None:
                    on_started(self.address)
            await asyncio.wait((waiter, serving), return_when=asyncio.FIRST_COMPLETED)
        finally:
            waiter.cancel()
            self.server.should_exit = True
            await serving

    async def _serve(self) -> None:
        try:
            await self.server.serve()
        except SystemExit as exc:  # uvicorn exits when it cannot bind or start up
            raise LlaisError(
                f"the web app could not start on {self.address} (is the port in use?)"
            ) from exc
