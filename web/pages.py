"""Pages every feature shares: the health check and the language toggle."""

from __future__ import annotations

import logging

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from sqlalchemy import text

from core.settings import Settings
from core.vocabulary import Language, parse_language
from web.deps import LANGUAGE_COOKIE, llais_app
from web.security import cookie_options

log = logging.getLogger(__name__)

router = APIRouter()

LANGUAGE_COOKIE_DAYS = 365


@router.get("/healthz", include_in_schema=False)
async def healthz(request: Request) -> Response:
    """200 when the database answers, 503 when it does not."""
    try:
        async with llais_app(request).db.connect() as conn:
            await conn.execute(text("SELECT 1"))
    except Exception as exc:  # any failure to reach it is "not healthy", never a traceback
        log.warning("health check: database unreachable (%s)", type(exc).__name__)
        return JSONResponse({"status": "unavailable"}, status_code=503)
    return JSONResponse({"status": "ok"})


@router.get("/livez", include_in_schema=False)
async def livez() -> Response:
    """200 while the process serves, whatever the database does: a worker whose database is away
    still answers (a concern with the crisis contacts) and keeps what it is sent, so the reverse
    proxy must go on sending it traffic."""
    return JSONResponse({"status": "alive"})


@router.get("/favicon.ico", include_in_schema=False)
async def favicon() -> Response:
    """No icon (GOV.UK's crown is not ours to use): say so without an error in the console."""
    return Response(status_code=204, headers={"cache-control": "max-age=86400"})


def safe_next(value: str | None, default: str = "/") -> str:
    """A local path to go back to: never another site (``//host``, ``\\``, a scheme)."""
    if not value or not value.startswith("/") or value.startswith("//") or "\\" in value:
        return default
    if any(ord(ch) < 0x20 for ch in value) or len(value) > 200:
        return default
    return value


@router.get("/language/{code}", include_in_schema=False)
async def choose_language(request: Request, code: str, next: str | None = None) -> Response:
    """The language toggle (HMRC pattern): remember the page language, then go back."""
    language = parse_language(code)
    response = RedirectResponse(safe_next(next), status_code=303)
    if language is not None:
        set_language_cookie(response, llais_app(request).settings, language)
    return response


def set_language_cookie(response: Response, settings: Settings, language: Language) -> None:
    """Remember the page language in this browser."""
    response.set_cookie(
        LANGUAGE_COOKIE,
        language.value,
        max_age=LANGUAGE_COOKIE_DAYS * 86400,
        **cookie_options(settings),
    )
