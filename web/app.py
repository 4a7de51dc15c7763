"""The one web application: ``create_web_app(settings)``.

Its lifespan opens the Llais services once (``llais.app.running_app``) and keeps the ``App`` at
``app.state.llais``. Static files come from ``web/static`` at ``/static``; every response gets the
security headers; every error is a bilingual page. Features add their routers in
``web.routers.default_routers``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from fastapi import APIRouter, FastAPI
from fastapi.staticfiles import StaticFiles

from core.clock import Clock, utcnow
from core.settings import Settings
from web.errors import install_error_handlers, unexpected
from web.middleware import SecurityMiddleware
from web.pages import router as pages_router
from web.routers import default_routers
from web.security import Sessions

if TYPE_CHECKING:
    from llais.app import App

STATIC_DIR = Path(__file__).resolve().parent / "static"


def create_web_app(
    settings: Settings,
    *,
    clock: Clock = utcnow,
    routers: Sequence[APIRouter] | None = None,
    llais: App | None = None,
) -> FastAPI:
    """The web app for ``settings``: the shared pages plus ``routers`` (default: every feature).

    ``llais``: services already running (``llais serve`` shares its own with the bots); without
    it the lifespan opens them, and closes them at shutdown.
    """
    from llais.app import running_app  # the composition root also imports us: import late

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if llais is not None:
            app.state.llais = llais
            yield
            return
        async with running_app(settings, clock=clock) as opened:
            app.state.llais = opened
            yield

    app = FastAPI(
        title="Llais",
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
    )
    app.state.settings = settings
    app.state.clock = clock
    app.state.sessions = sessions = Sessions(settings, clock)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.include_router(pages_router)
    for router in default_routers() if routers is None else routers:
        app.include_router(router)
    install_error_handlers(app)
    app.add_middleware(
        SecurityMiddleware,
        sessions=sessions,
        max_body=settings.web_max_body_bytes,
        on_error=unexpected,
    )
    return app
