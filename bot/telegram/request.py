"""Bot API requests through one aiohttp session instead of PTB's default httpx client.

A worker sends one or two messages per turn. Through ``HTTPXRequest`` each cost about 1.3 ms of
CPU with one request at a time and 4 ms with forty at once, much of it httpcore's pool walking
every connection (and polling each socket) whenever a request starts or ends, and closing
connections past httpx's twenty kept alive. aiohttp keeps its idle connections per host and
parses responses in C. What PTB sees is unchanged: the same status and body for every request,
form-encoded parameters (multipart when files are attached), PTB's user agent, the same default
timeouts, a timeout raised as ``TimedOut`` and any other transport failure as ``NetworkError``,
and a proxy from the environment (``HTTPS_PROXY``, ``HTTP_PROXY``, ``NO_PROXY``) as httpx
honours it. That is looked up once per host: aiohttp's own ``trust_env`` looks it up, and reads
``~/.netrc``, on every request in a thread (a tenth of a worker's CPU in a profile), and the
Bot API needs no netrc, its token being in the path.
"""

from __future__ import annotations

import urllib.request
from typing import Any
from urllib.parse import urlsplit

import aiohttp
from telegram._utils.defaultvalue import DefaultValue
from telegram._utils.types import ODVInput
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

FORM = "application/x-www-form-urlencoded"


class AiohttpRequest(BaseRequest):
    """``BaseRequest`` over an ``aiohttp.ClientSession`` opened by :meth:`initialize`.

    The timeouts are ``HTTPXRequest``'s: ``connect_timeout`` to open a connection,
    ``pool_timeout`` to wait for a free one (at most ``connection_pool_size`` are open at once),
    ``read_timeout`` for each wait on the answer. aiohttp has no write timeout: its read timer
    runs from the moment the request is sent, so it also bounds writing a body, and with files
    attached it is given ``media_write_timeout`` (or the ``write_timeout`` passed) on top, as
    an upload may take that long before the answer can start.
    """

    __slots__ = (
        "_connect_timeout",
        "_media_write_timeout",
        "_pool_size",
        "_pool_timeout",
        "_proxies",
        "_read_timeout",
        "_session",
    )

    def __init__(
        self,
        connection_pool_size: int = 256,
        read_timeout: float | None = 5.0,
        connect_timeout: float | None = 5.0,
        pool_timeout: float | None = 1.0,
        media_write_timeout: float | None = 20.0,
    ) -> None:
        self._pool_size = connection_pool_size
        self._read_timeout = read_timeout
        self._connect_timeout = connect_timeout
        self._pool_timeout = pool_timeout
        self._media_write_timeout = media_write_timeout
        self._session: aiohttp.ClientSession | None = None
        self._proxies: dict[str, str | None] = {}  # "scheme://host:port" -> its proxy, if any

    @property
    def read_timeout(self) -> float | None:
        """The default read timeout in seconds."""
        return self._read_timeout

    async def initialize(self) -> None:
        """Open the session (again after :meth:`shutdown`)."""
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=self._pool_size, limit_per_host=0),
                cookie_jar=aiohttp.DummyCookieJar(),  # the Bot API sets none; keep none
                headers={"User-Agent": self.USER_AGENT},
            )
            self._proxies.clear()  # the environment is read again after a restart

    async def shutdown(self) -> None:
        """Close the session and its connections."""
        if self._session is not None and not self._session.closed:
            await self._session.close()

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        write_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        connect_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        pool_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        """Make one request; return its status and body."""
        session = self._session
        if session is None or session.closed:
            raise RuntimeError("This AiohttpRequest is not initialized!")
        files = bool(request_data and request_data.contains_files)
        connect = _given(connect_timeout, self._connect_timeout)
        read = _given(read_timeout, self._read_timeout)
        if files:
            read = _sum(read, _given(write_timeout, self._media_write_timeout))
        timeout = aiohttp.ClientTimeout(
            total=None,
            connect=_sum(_given(pool_timeout, self._pool_timeout), connect),
            sock_connect=connect,
            sock_read=read,
        )
        kwargs: dict[str, Any] = {"timeout": timeout, "proxy": self._proxy(url)}
        if request_data is not None and files:
            kwargs["data"] = _multipart(request_data)
        elif request_data is not None and request_data.json_parameters:
            kwargs["data"] = request_data.url_encoded_parameters().encode("ascii")
            kwargs["headers"] = {"Content-Type": FORM}
        try:
            async with session.request(method, url, **kwargs) as response:
                return response.status, await response.read()
        except TimeoutError as err:  # aiohttp's own timeouts are TimeoutErrors too
            raise TimedOut from err
        except aiohttp.ClientError as err:
            raise NetworkError(f"aiohttp.{type(err).__name__}: {err}") from err

    def _proxy(self, url: str) -> str | None:
        """The environment's proxy for ``url``'s origin (None: connect directly)."""
        key = "/".join(url.split("/", 3)[:3])  # "scheme:", "", "host[:port]"
        if key not in self._proxies:
            parts = urlsplit(url)
            proxy = urllib.request.getproxies().get(parts.scheme)
            if proxy and parts.hostname and urllib.request.proxy_bypass(parts.netloc):
                proxy = None
            self._proxies[key] = proxy or None
        return self._proxies[key]


def _given(value: ODVInput[float], default: float | None) -> float | None:
    """The value PTB passed, or ``default`` where it passed none."""
    return default if isinstance(value, DefaultValue) else value


def _sum(*parts: float | None) -> float | None:
    """The sum of the bounds, or None (no bound) when any is unbounded."""
    total = 0.0
    for part in parts:
        if part is None:
            return None
        total += part
    return total


def _multipart(request_data: RequestData) -> aiohttp.FormData:
    """The parameters and the attached files as one multipart form."""
    form = aiohttp.FormData()
    for name, value in request_data.json_parameters.items():
        form.add_field(name, value)
    for name, (filename, content, mimetype) in request_data.multipart_data.items():
        form.add_field(name, content, filename=filename, content_type=mimetype)
    return form
