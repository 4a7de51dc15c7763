"""Serve an ASGI app over real HTTP on loopback, for browser and HTTP tests.

``LiveServer(app)`` runs uvicorn on 127.0.0.1 and a port the kernel picks, in a thread with an
event loop of its own, and stops it in a fraction of a second. The ``serve`` fixture (registered
for the whole suite) starts one per call and stops them all when the test ends::

    def test_chat(page, serve, settings):
        base = serve(create_web_app(settings))
        page.goto(f"{base}/chat")

The app runs on the server thread's loop, not the test's, so it must open what it needs (database
engine, NLU) in its lifespan rather than reuse objects that a fixture made on another loop.
Lifespan is "on": a start-up that raises is a :class:`LiveServerError`, never a silent half-start.
Access logs are off and uvicorn's logging goes to the standard loggers, which pytest captures.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from types import TracebackType
from typing import Literal
from urllib.parse import urlsplit

import pytest
import uvicorn
from starlette.types import ASGIApp

__all__ = ["LOOPBACK_HOSTS", "LiveServer", "LiveServerError", "Serve", "is_offsite", "serve"]

HOST = "127.0.0.1"
LOOPBACK_HOSTS = frozenset({HOST, "localhost", "::1"})
Lifespan = Literal["on", "off", "auto"]
Serve = Callable[[ASGIApp], str]


def is_offsite(url: str) -> bool:
    """Tell whether a URL leaves this machine (tests may reach loopback only)."""
    parts = urlsplit(url)
    return parts.scheme in {"http", "https", "ws", "wss"} and parts.hostname not in LOOPBACK_HOSTS


class LiveServerError(RuntimeError):
    """The server did not start or did not stop."""


class LiveServer:
    """One ASGI app served by uvicorn in a background thread."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        lifespan: Lifespan = "on",
        start_timeout: float = 10.0,
        graceful_timeout: int = 1,
    ) -> None:
        self.app = app
        self.lifespan = lifespan
        self.start_timeout = start_timeout
        self.graceful_timeout = graceful_timeout
        self.url = ""
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self._error: BaseException | None = None

    def start(self) -> str:
        """Start serving and return the base URL, such as ``http://127.0.0.1:41234``."""
        if self._thread is not None:
            raise LiveServerError("this server has already been started")
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.bind((HOST, 0))  # bound before uvicorn starts: the port cannot be taken meanwhile
        port = sock.getsockname()[1]
        config = uvicorn.Config(
            self.app,
            lifespan=self.lifespan,
            log_config=None,
            access_log=False,
            ws="none",
            timeout_graceful_shutdown=self.graceful_timeout,
        )
        server = self._server = uvicorn.Server(config)
        self._thread = threading.Thread(
            target=self._run, args=(server, sock), name=f"live-server-{port}", daemon=True
        )
        self._thread.start()
        deadline = time.monotonic() + self.start_timeout
        while not server.started:
            if not self._thread.is_alive():
                why = f" ({self._error!r})" if self._error else "; the log above says why"
                raise LiveServerError(f"the app did not start{why}")
            if time.monotonic() > deadline:
                self.stop()
                raise LiveServerError(f"the app did not start within {self.start_timeout} s")
            time.sleep(0.01)
        self.url = f"http://{HOST}:{port}"
        return self.url

    def _run(self, server: uvicorn.Server, sock: socket.socket) -> None:
        try:
            server.run(sockets=[sock])
        except BaseException as exc:  # reported by start() or stop() in the test's thread
            self._error = exc
        finally:
            sock.close()

    def stop(self, timeout: float = 5.0) -> None:
        """Stop serving: finish open requests, run the lifespan shutdown, end the thread."""
        server, thread = self._server, self._thread
        if server is None or thread is None:
            return
        server.should_exit = True
        thread.join(timeout)
        if thread.is_alive():
            server.force_exit = True
            thread.join(timeout)
        if thread.is_alive():
            raise LiveServerError(f"the server at {self.url} did not stop within {2 * timeout} s")
        if self._error is not None and server.started:
            raise LiveServerError(f"the server at {self.url} failed: {self._error!r}")

    def __enter__(self) -> str:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()


@pytest.fixture
def serve() -> Iterator[Serve]:
    """Serve apps for this test: ``serve(app)`` returns the base URL; all stop at teardown."""
    servers: list[LiveServer] = []

    def start(app: ASGIApp) -> str:
        server = LiveServer(app)
        servers.append(server)
        return server.start()

    yield start
    for server in reversed(servers):
        server.stop()
