"""Cookies, the page session, CSRF tokens and an in-process rate limiter.

The page session is a signed cookie, ``llais_session`` = ``<id>.<started>.<seen>.<signature>``:
a random id, when it started and when it was last seen (Unix seconds). It slides on every
response and ends after ``web_session_minutes`` without a request; a CSRF token is an HMAC of
the session id, so a form from an ended (or another) session is refused.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from fastapi import HTTPException, Request, Response

from core.clock import Clock, utcnow
from core.settings import Settings

SESSION_COOKIE = "llais_session"
CSRF_FIELD = "csrf"


def sign(secret: str, purpose: str, value: str) -> str:
    """An HMAC-SHA256 of ``value`` for one purpose, URL-safe hex, shortened to 32 characters."""
    digest = hmac.new(secret.encode(), f"{purpose}|{value}".encode(), hashlib.sha256)
    return digest.hexdigest()[:32]


def cookie_options(settings: Settings, *, same_site: str = "lax") -> dict[str, Any]:
    """What every cookie of ours carries: HttpOnly, SameSite, path /, Secure when configured."""
    return {
        "httponly": True,
        "samesite": same_site,
        "secure": settings.web_secure_cookies,
        "path": "/",
    }


@dataclass(frozen=True)
class PageSession:
    """The page session of this request."""

    id: str
    started: int
    seen: int
    fresh: bool  # made on this request (no valid cookie came, or it had expired)
    expired: bool  # a cookie came but its session had ended

    @property
    def started_at(self) -> datetime:
        return datetime.fromtimestamp(self.started, tz=UTC)


class Sessions:
    """Read, start and renew page sessions."""

    def __init__(self, settings: Settings, clock: Clock = utcnow) -> None:
        self.settings = settings
        self.clock = clock
        self._secret = settings.secret_key.get_secret_value()

    def _now(self) -> int:
        return int(self.clock().timestamp())

    def read(self, cookies: Mapping[str, str]) -> PageSession:
        """The session the cookie names, or a new one when it is missing, forged or over."""
        now = self._now()
        raw = cookies.get(SESSION_COOKIE, "")
        parts = raw.split(".")
        if len(parts) == 4 and parts[1].isdigit() and parts[2].isdigit():
            sid, started, seen, signature = parts
            body = f"{sid}.{started}.{seen}"
            if hmac.compare_digest(signature, sign(self._secret, "session", body)):
                if now - int(seen) <= self.settings.web_session_minutes * 60:
                    return PageSession(sid, int(started), now, fresh=False, expired=False)
                return self._new(now, expired=True)
        return self._new(now, expired=False)

    @staticmethod
    def _new(now: int, *, expired: bool) -> PageSession:
        return PageSession(secrets.token_urlsafe(18), now, now, fresh=True, expired=expired)

    def cookie_value(self, session: PageSession) -> str:
        body = f"{session.id}.{session.started}.{session.seen}"
        return f"{body}.{sign(self._secret, 'session', body)}"

    def attach(self, response: Response, session: PageSession) -> None:
        """Set (or renew) the session cookie; a browser-session cookie, ended server-side too."""
        response.set_cookie(
            SESSION_COOKIE, self.cookie_value(session), **cookie_options(self.settings)
        )

    def csrf_token(self, session: PageSession) -> str:
        return sign(self._secret, "csrf", session.id)

    def csrf_ok(self, session: PageSession, token: object) -> bool:
        return (
            isinstance(token, str)
            and not session.fresh
            and hmac.compare_digest(token, self.csrf_token(session))
        )


def page_session(request: Request) -> PageSession:
    """This request's page session (read by the middleware in ``web.app``)."""
    session: PageSession = request.state.page_session
    return session


def require_csrf(request: Request, form: Mapping[str, Any]) -> None:
    """Refuse a post without this session's CSRF token (403, or 419-like 400 when it expired)."""
    sessions: Sessions = request.app.state.sessions
    session = page_session(request)
    if not sessions.csrf_ok(session, form.get(CSRF_FIELD)):
        detail = "session_expired" if session.expired else "csrf"
        raise HTTPException(status_code=403, detail=detail)


class RateLimiter:
    """At most ``per_minute`` events per key in any sliding minute; in-process, clock injectable."""

    def __init__(self, per_minute: int, *, clock: Clock = utcnow, max_keys: int = 50_000) -> None:
        self.per_minute = per_minute
        self.clock = clock
        self.max_keys = max_keys
        self._events: dict[str, deque[float]] = {}

    def allow(self, key: str) -> bool:
        """Count one event for ``key``; False (and not counted) when over the limit."""
        now = self.clock().timestamp()
        events = self._events.get(key)
        if events is None:
            if len(self._events) >= self.max_keys:
                self._forget_idle(now)
            events = self._events[key] = deque()
        while events and now - events[0] >= 60:
            events.popleft()
        if len(events) >= self.per_minute:
            return False
        events.append(now)
        return True

    def _forget_idle(self, now: float) -> None:
        for key in [k for k, ev in self._events.items() if not ev or now - ev[-1] >= 60]:
            del self._events[key]
