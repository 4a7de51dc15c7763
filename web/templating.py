"""The one Jinja2 environment (autoescape on) and ``render``: every page is built here.

Templates get ``t(key, **params)`` (the message catalogue in the page language), ``lang``,
``other_lang``, ``csrf_token()``, ``static_url(path)`` and ``path`` (this page's path, for the
language toggle's way back).
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from core.i18n import catalogue
from core.vocabulary import Language
from web.deps import page_language
from web.security import CSRF_FIELD, Sessions, page_session

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
STATIC_PREFIX = "/static/"


@lru_cache(maxsize=1)
def environment() -> Environment:
    """The environment, built once."""
    env = Environment(
        loader=FileSystemLoader(TEMPLATES_DIR),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals["static_url"] = static_url
    env.globals["csrf_field"] = CSRF_FIELD
    env.globals["t_in"] = t_in
    return env


def static_url(path: str) -> str:
    """The address of a file in ``web/static``."""
    return STATIC_PREFIX + path.lstrip("/")


def t_in(language: str, key: str, **params: object) -> str:
    """The message ``key`` in a named language (the toggle names each language in itself)."""
    return catalogue().get(key, Language(language), **params)


def translator(language: Language) -> Any:
    """``t(key, **params)`` in ``language``."""
    messages = catalogue()

    def t(key: str, **params: object) -> str:
        return messages.get(key, language, **params)

    return t


def render(
    request: Request,
    name: str,
    ctx: Mapping[str, Any] | None = None,
    status: int = 200,
    *,
    headers: Mapping[str, str] | None = None,
) -> HTMLResponse:
    """Render template ``name`` in the page language."""
    language = page_language(request)
    sessions: Sessions | None = getattr(request.app.state, "sessions", None)

    def csrf_token() -> str:
        if sessions is None:
            return ""
        return sessions.csrf_token(page_session(request))

    values: dict[str, Any] = {
        "request": request,
        "lang": language.value,
        "other_lang": (Language.EN if language is Language.CY else Language.CY).value,
        "t": translator(language),
        "csrf_token": csrf_token,
        "path": request.url.path,
        "exit_url": getattr(getattr(request.app.state, "settings", None), "web_exit_url", "/leave"),
        **(ctx or {}),
    }
    body = environment().get_template(name).render(values)
    return HTMLResponse(body, status_code=status, headers=dict(headers or {}))
