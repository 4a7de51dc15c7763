"""``GET /readyz``: ready to take traffic when the database answers and is migrated to the head
revision (a reverse proxy or orchestrator sends requests only to ready workers; ``/healthz`` says
whether the process is alive at all)."""

from __future__ import annotations

import logging

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response

from storage.migrate import applied_revisions, head_revisions
from web.deps import llais_app

log = logging.getLogger(__name__)

router = APIRouter()


@router.get("/readyz", include_in_schema=False)
async def readyz(request: Request) -> Response:
    """200 when the database is reachable and at the migrations' head; 503 with the reason."""
    try:
        applied = await applied_revisions(llais_app(request).db)
    except Exception as exc:  # unreachable, refused, timed out: not ready, never a traceback
        log.warning("readiness: database unreachable (%s)", type(exc).__name__)
        return JSONResponse({"status": "unavailable", "database": "unreachable"}, status_code=503)
    heads = head_revisions()
    if applied != heads:
        log.warning("readiness: database at %s, migrations at %s", sorted(applied), sorted(heads))
        return JSONResponse(
            {"status": "unavailable", "database": "not migrated to the head revision"},
            status_code=503,
        )
    return JSONResponse({"status": "ok"})
