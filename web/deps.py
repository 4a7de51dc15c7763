"""FastAPI dependencies shared by every router."""

from __future__ import annotations

from typing import TYPE_CHECKING

from fastapi import Request

from core.vocabulary import DEFAULT_LANGUAGE, Language, parse_language

if TYPE_CHECKING:
    from llais.app import App

LANGUAGE_COOKIE = "llais_lang"


def llais_app(request: Request) -> App:
    """The running Llais services, opened once by the web app's lifespan."""
    app: App = request.app.state.llais
    return app


def page_language(request: Request) -> Language:
    """The page's language: set for this request by a route, else the toggle's cookie, else the
    browser's preference (Welsh when it asks for Welsh before English), else the default."""
    chosen = getattr(request.state, "language", None)
    if isinstance(chosen, Language):
        return chosen
    stored = parse_language(request.cookies.get(LANGUAGE_COOKIE))
    if stored is not None:
        return stored
    return _accepted(request.headers.get("accept-language", "")) or DEFAULT_LANGUAGE


def _accepted(header: str) -> Language | None:
    """The first of Welsh or English in an Accept-Language header (ignoring weights' ties)."""
    ranked: list[tuple[float, int, str]] = []
    for index, part in enumerate(header.split(",")[:20]):
        tag, _, params = part.strip().partition(";")
        weight = 1.0
        if params.strip().startswith("q="):
            try:
                weight = float(params.strip()[2:])
            except ValueError:
                continue
        ranked.append((-weight, index, tag.strip().lower()[:2]))
    for _, _, code in sorted(ranked):
        language = parse_language(code)
        if language is not None:
            return language
    return None
