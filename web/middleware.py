"""ASGI middleware around every request: security headers, a body size limit, the page session.

Pure ASGI (no BaseHTTPMiddleware), so streaming bodies and the lifespan pass through untouched.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from http.cookies import SimpleCookie

from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from web.security import PageSession, Sessions

# Everything from this origin only; no inline script or style; no frames, no plugins.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self'",
        "font-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
        "manifest-src 'self'",
    ]
)
SECURITY_HEADERS = {
    "content-security-policy": CONTENT_SECURITY_POLICY,
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
    "cross-origin-opener-policy": "same-origin",
    "cross-origin-resource-policy": "same-origin",
    "permissions-policy": "camera=(), microphone=(), geolocation=(), interest-cohort=()",
}
# Paths that neither need nor renew the page session.
SESSIONLESS_PREFIXES = ("/static/", "/healthz", "/livez", "/readyz", "/telegram/")


OnError = Callable[[Request, Exception], Awaitable[Response]]


class SecurityMiddleware:
    """Adds the security headers, limits request bodies, keeps the page session cookie, and
    turns an unexpected exception into ``on_error``'s page. It is caught here, not re-raised to
    the server, so no traceback (whose values may hold what a learner typed) reaches any log."""

    def __init__(
        self, app: ASGIApp, *, sessions: Sessions, max_body: int, on_error: OnError
    ) -> None:
        self.app = app
        self.sessions = sessions
        self.max_body = max_body
        self.on_error = on_error

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope.get("path", "")
        state = scope.setdefault("state", {})
        session: PageSession | None = None
        if not path.startswith(SESSIONLESS_PREFIXES):
            session = self.sessions.read(_cookies(scope))
            state["page_session"] = session

        started = False

        async def send_with_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS.items():
                    headers.setdefault(name, value)
                if headers.get("content-type", "").startswith("text/html"):
                    headers.setdefault("cache-control", "no-store")
                if session is not None and not state.get("end_session"):
                    renewed = state.get("page_session", session)
                    cookie = SimpleCookie()
                    cookie["llais_session"] = self.sessions.cookie_value(renewed)
                    morsel = cookie["llais_session"]
                    morsel["path"] = "/"
                    morsel["httponly"] = True
                    morsel["samesite"] = "Lax"
                    if self.sessions.settings.web_secure_cookies:
                        morsel["secure"] = True
                    headers.append("set-cookie", morsel.OutputString())
            await send(message)

        try:
            await self.app(scope, self._limited(scope, receive), send_with_headers)
        except Exception as exc:
            if started:  # too late for a page: end the response; on_error still logs it
                await self.on_error(Request(scope), exc)
                return
            response = await self.on_error(Request(scope), exc)
            await response(scope, receive, send_with_headers)

    def _limited(self, scope: Scope, receive: Receive) -> Receive:
        """``receive`` that refuses a body over the limit (declared or streamed) with a 413."""
        declared = _content_length(scope)
        received = 0

        async def limited() -> Message:
            nonlocal received
            if declared is not None and declared > self.max_body:
                raise HTTPException(status_code=413, detail="too_large")
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_body:
                    raise HTTPException(status_code=413, detail="too_large")
            return message

        return limited


def _cookies(scope: Scope) -> dict[str, str]:
    jar: dict[str, str] = {}
    for name, value in scope.get("headers", []):
        if name == b"cookie":
            parsed: SimpleCookie = SimpleCookie()
            try:
                parsed.load(value.decode("latin-1"))
            except Exception:  # a malformed cookie header is just no cookie
                continue
            jar.update({key: morsel.value for key, morsel in parsed.items()})
    return jar


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", []):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None
