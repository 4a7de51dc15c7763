"""Every error is a clear bilingual page (never a traceback), logged without values."""

from __future__ import annotations

import logging
import traceback

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from starlette.exceptions import HTTPException

from web.templating import render

log = logging.getLogger(__name__)

# An error kind (an HTTPException's detail, or its status) -> the message names in web.yml.
KINDS = {
    400: "bad_request",
    403: "forbidden",
    404: "not_found",
    405: "not_allowed",
    413: "too_large",
    415: "content_type",
    429: "rate_limited",
    500: "server",
    503: "unavailable",
}
DETAILS = frozenset({"csrf", "session_expired", "stale_choice", *KINDS.values()})


def error_kind(status: int, detail: object) -> str:
    """The message family for an error page."""
    if isinstance(detail, str) and detail in DETAILS:
        return detail
    return KINDS.get(status, "bad_request" if status < 500 else "server")


def error_page(request: Request, status: int, kind: str) -> Response:
    """The error page for ``kind`` with ``status``."""
    headers = {"retry-after": "60"} if status == 429 else None
    try:
        return render(
            request, "error.html", {"kind": kind, "status": status}, status, headers=headers
        )
    except Exception as exc:  # the page itself failed: still never a traceback
        log.error("error page failed: %s at %s", type(exc).__name__, _where(exc))
        return Response(
            "Sorry, something went wrong. / Sori, aeth rhywbeth o'i le.",
            status_code=status,
            media_type="text/plain; charset=utf-8",
        )


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    return error_page(request, exc.status_code, error_kind(exc.status_code, exc.detail))


async def _invalid(request: Request, exc: Exception) -> Response:
    # A form or query that does not fit the route: say so, never echo what was sent.
    return error_page(request, 400, "bad_request")


async def unexpected(request: Request, exc: Exception) -> Response:
    """Log an unexpected error by type and code location only; answer with the 500 page."""
    log.error(
        "web: %s while handling %s %s at %s",
        type(exc).__name__,
        request.method,
        request.scope.get("route_path") or _route(request),
        _where(exc),
    )
    return error_page(request, 500, "server")


def _route(request: Request) -> str:
    route = request.scope.get("route")
    return str(getattr(route, "path", "?"))


def _where(error: BaseException) -> str:
    """Where ``error`` was raised (file, line, function): code locations, never values."""
    if error.__traceback__ is None:
        return "unknown"
    frame = traceback.extract_tb(error.__traceback__)[-1]
    return f"{frame.filename}:{frame.lineno} in {frame.name}"


def install_error_handlers(app: FastAPI) -> None:
    """Register the handlers on ``app``."""
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _invalid)
    # Exception itself is handled by web.middleware.SecurityMiddleware (see there why).
