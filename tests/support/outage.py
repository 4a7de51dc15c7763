"""A database a test can make unreachable and bring back, on SQLite and on PostgreSQL.

PostgreSQL is reached through :class:`~tests.support.tcp_proxy.TcpProxy`, whose ``cut`` drops
every connection and refuses new ones. A SQLite file is made unreachable the way a lost mount
would: its directory is moved away (and the pool's open connections closed), so every new
connection fails to open the file until the directory is put back.
"""

from __future__ import annotations

import asyncio
import os
import threading
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path

from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.support.tcp_proxy import HOST, TcpProxy


class Outage:
    """Cut and restore one database; ``url`` is what the application under test connects to."""

    def __init__(self, url: str, proxy: TcpProxy | None) -> None:
        self.url = url
        self.proxy = proxy
        self.engines: list[AsyncEngine] = []  # pools to empty when a SQLite file goes away
        self._moved: tuple[Path, Path] | None = None

    async def cut(self) -> None:
        """Make the database unreachable."""
        if self.proxy is not None:
            self.proxy.cut()
            return
        folder = Path(make_url(self.url).database or "").parent
        away = folder.with_name(folder.name + ".away")
        os.rename(folder, away)
        self._moved = (folder, away)
        for engine in self.engines:
            await engine.dispose()

    def restore(self) -> None:
        """Make it reachable again."""
        if self.proxy is not None:
            self.proxy.restore()
        elif self._moved is not None:
            folder, away = self._moved
            os.rename(away, folder)
            self._moved = None


@asynccontextmanager
async def outage_for(database_url: str) -> AsyncIterator[Outage]:
    """An :class:`Outage` for the test database: through a proxy for PostgreSQL."""
    url = make_url(database_url)
    if url.get_backend_name() != "postgresql":
        yield Outage(database_url, None)
        return
    async with TcpProxy([(url.host or HOST, url.port or 5432)]) as proxy:
        via = url.set(host=HOST, port=proxy.port).render_as_string(hide_password=False)
        outage = Outage(via, proxy)
        try:
            yield outage
        finally:
            outage.restore()


def block_spool(spool_dir: Path) -> None:
    """Make the spool unusable too: a file where its directory should be."""
    spool_dir.parent.mkdir(parents=True, exist_ok=True)
    spool_dir.write_text("not a directory")


def mode(path: Path) -> int:
    """The permission bits of ``path``."""
    return path.stat().st_mode & 0o777


class ThreadedOutage:
    """An :class:`Outage` whose proxy runs on an event loop of its own, in a thread: for a
    browser test, a plain ``def`` whose own loop does not run while it waits on the page (the
    proxy must keep forwarding meanwhile). PostgreSQL only: the app under test runs on a live
    server's loop, whose SQLite pool the folder move cannot empty."""

    def __init__(self, outage: Outage, loop: asyncio.AbstractEventLoop) -> None:
        self.url = outage.url
        self._outage = outage
        self._loop = loop

    def cut(self) -> None:
        """Make the database unreachable."""
        asyncio.run_coroutine_threadsafe(self._outage.cut(), self._loop).result(10)

    def restore(self) -> None:
        """Make it reachable again."""

        async def restore() -> None:
            self._outage.restore()

        asyncio.run_coroutine_threadsafe(restore(), self._loop).result(10)


@contextmanager
def outage_in_thread(database_url: str) -> Iterator[ThreadedOutage]:
    """:func:`outage_for` on a loop in a thread of its own (see :class:`ThreadedOutage`)."""
    if make_url(database_url).get_backend_name() != "postgresql":
        raise ValueError("a threaded outage needs PostgreSQL (behind the proxy)")
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, name="outage-proxy", daemon=True)
    thread.start()
    context = outage_for(database_url)
    try:
        outage = asyncio.run_coroutine_threadsafe(context.__aenter__(), loop).result(10)
        try:
            yield ThreadedOutage(outage, loop)
        finally:
            asyncio.run_coroutine_threadsafe(context.__aexit__(None, None, None), loop).result(10)
    finally:
        loop.call_soon_threadsafe(loop.stop)
        thread.join(10)
        loop.close()
