"""The feature routers the web app serves: one line per feature (merge conflicts stay small).

The pages every feature shares (``/healthz``, the language toggle) are always served by
``web.app``; this list is the features on top.
"""

from __future__ import annotations

from fastapi import APIRouter


def default_routers() -> list[APIRouter]:
    """Every feature router, in order (imported here, so ``web.app`` stays cycle-free)."""
    import web.chat.routes

    return [
        web.chat.routes.router,
    ]
