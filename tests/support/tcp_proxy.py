"""A TCP proxy on loopback that a test controls: forward to one backend or balance across several,
and cut every connection (an outage) or kill one backend's traffic at will.

Between the workers and PostgreSQL it makes the database unreachable (``cut``) and reachable again
(``restore``); in front of several web workers it is the reverse proxy (round robin per
connection, skipping a backend that refuses).
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
from collections.abc import Sequence
from types import TracebackType

HOST = "127.0.0.1"


class TcpProxy:
    """Accept on ``127.0.0.1:<port>`` and pipe each connection to a backend ``(host, port)``."""

    def __init__(self, backends: Sequence[tuple[str, int]]) -> None:
        self.backends = list(backends)
        self.port = 0
        self.up = True
        self.connections = 0
        self._server: asyncio.Server | None = None
        self._open: set[asyncio.StreamWriter] = set()
        self._turn = itertools.count()

    async def start(self) -> None:
        """Listen on a free loopback port."""
        self._server = await asyncio.start_server(self._accept, HOST, 0)
        self.port = int(self._server.sockets[0].getsockname()[1])

    async def stop(self) -> None:
        """Stop listening and drop every connection."""
        if self._server is not None:
            self._server.close()
        self._drop_all()
        if self._server is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self._server.wait_closed(), 2)
        self._server = None

    def cut(self) -> None:
        """An outage: drop every open connection and refuse new ones until :meth:`restore`."""
        self.up = False
        self._drop_all()

    def restore(self) -> None:
        """End the outage."""
        self.up = True

    async def __aenter__(self) -> TcpProxy:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()

    def _drop_all(self) -> None:
        for writer in list(self._open):
            writer.transport.abort()
        self._open.clear()

    async def _connect(self) -> tuple[asyncio.StreamReader, asyncio.StreamWriter] | None:
        """The next backend that accepts a connection, round robin; None when none does."""
        start = next(self._turn)
        for offset in range(len(self.backends)):
            host, port = self.backends[(start + offset) % len(self.backends)]
            try:
                return await asyncio.wait_for(asyncio.open_connection(host, port), 2)
            except (OSError, TimeoutError):
                continue
        return None

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        if not self.up:
            writer.transport.abort()
            return
        backend = await self._connect()
        if backend is None or not self.up:
            writer.transport.abort()
            if backend is not None:
                backend[1].transport.abort()
            return
        self.connections += 1
        upstream_reader, upstream_writer = backend
        self._open.update((writer, upstream_writer))
        try:
            await asyncio.gather(_pipe(reader, upstream_writer), _pipe(upstream_reader, writer))
        finally:
            for end in (writer, upstream_writer):
                self._open.discard(end)
                end.transport.abort()


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
    except (OSError, asyncio.IncompleteReadError):
        pass
    finally:
        with contextlib.suppress(Exception):
            writer.write_eof()
