"""Sign-in, sign-out and who is signed in: a server-side session named by an HttpOnly cookie.

The form's CSRF token comes from the page session (``web.security``); the dashboard cookie holds
a random token whose hash is stored (``storage.repo.accounts``), so sign-out ends it everywhere.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import RedirectResponse, Response

from core.access import View, may_see
from core.clock import Clock
from storage.repo import accounts
from storage.repo.accounts import Account, SignIn
from web.deps import llais_app
from web.security import RateLimiter, cookie_options, require_csrf
from web.templating import render

DASHBOARD_COOKIE = "llais_dashboard"
SIGN_INS_PER_MINUTE = 10

router = APIRouter()


def _clock(request: Request) -> Clock:
    clock: Clock = request.app.state.clock
    return clock


def _limiter(request: Request) -> RateLimiter:
    limiter = getattr(request.app.state, "dashboard_sign_ins", None)
    if limiter is None:
        limiter = RateLimiter(SIGN_INS_PER_MINUTE, clock=_clock(request))
        request.app.state.dashboard_sign_ins = limiter
    assert isinstance(limiter, RateLimiter)
    return limiter


class SignInRequired(Exception):
    """No one is signed in: go to /login."""


async def current_account(request: Request) -> Account:
    """The signed-in account, or a redirect to the sign-in page."""
    token = request.cookies.get(DASHBOARD_COOKIE)
    if token:
        app = llais_app(request)
        async with app.sessions() as session:
            account = await accounts.session_account(session, token=token, now=_clock(request)())
        if account is not None:
            return account
    raise SignInRequired


def page(
    request: Request, name: str, ctx: dict[str, Any] | None = None, status: int = 200
) -> Response:
    """Render a dashboard page (every one states the k in force)."""
    values = {"k": llais_app(request).settings.suppression_k, **(ctx or {})}
    return render(request, name, values, status)


def denied(request: Request, account: Account, view: View) -> Response | None:
    """The 403 page when the account's role may not see ``view``, else None."""
    if may_see(account.role, view):
        return None
    nav = [v for v in View if may_see(account.role, v)]
    return page(request, "dashboard/forbidden.html", {"account": account, "nav": nav}, 403)


@router.get("/login", include_in_schema=False)
async def login_page(request: Request) -> Response:
    """The sign-in form."""
    return page(request, "dashboard/login.html", {"problem": None})


@router.post("/login", include_in_schema=False)
async def login(request: Request) -> Response:
    """Check the password; on success open a session and go to the dashboard."""
    form = await request.form()
    require_csrf(request, form)
    username, password = str(form.get("username", "")), str(form.get("password", ""))
    # per account name: guessing is slowed for each account, and one busy morning of sign-ins
    # across the authority is not (the lockout stops guessing altogether)
    if not _limiter(request).allow(username.strip().lower()[:80]):
        raise HTTPException(status_code=429, detail="rate_limited")
    app = llais_app(request)
    now = _clock(request)()
    async with app.sessions() as session, session.begin():
        outcome, account = await accounts.check_password(
            session, username=username[:80], password=password[:200], now=now
        )
        token = None
        if outcome is SignIn.OK and account is not None:
            token = await accounts.open_session(
                session, account=account, now=now, minutes=app.settings.web_session_minutes
            )
    if token is None:
        problem = "locked" if outcome is SignIn.LOCKED else "wrong"
        return page(request, "dashboard/login.html", {"problem": problem}, 401)
    response = RedirectResponse("/dashboard", status_code=303)
    response.set_cookie(DASHBOARD_COOKIE, token, **cookie_options(app.settings, same_site="strict"))
    return response


@router.post("/logout", include_in_schema=False)
async def logout(request: Request) -> Response:
    """Sign out: end the session on the server and forget the cookie."""
    require_csrf(request, await request.form())
    token = request.cookies.get(DASHBOARD_COOKIE)
    app = llais_app(request)
    if token:
        async with app.sessions() as session, session.begin():
            account = await accounts.session_account(session, token=token, now=_clock(request)())
            await accounts.close_session(session, token=token)
            await accounts.log_event(
                session, event="sign_out", now=_clock(request)(), account=account
            )
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(DASHBOARD_COOKIE, path="/")
    return response
